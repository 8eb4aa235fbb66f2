/* diag.c - the first compile error, and the way back to the compile's
 * entry; and the handle's error, which every stage may set (dtk_seterr). */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"
#include "dtk_impl.h"

void dtk_seterr(struct dtk *d, enum dtk_errkind k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
	va_end(ap);
	d->errkind = k;
}

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
