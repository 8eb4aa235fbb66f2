/* diag.c - the first compile error, and the way back to the compile's
 * entry. */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

void diag_fail(struct diag *d, struct loc loc, enum errtag tag,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	d->loc = loc;
	d->tag = tag;
	longjmp(d->jmp, 1);
}
