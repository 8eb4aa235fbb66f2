/* err.c - the handle's error, which the run's stages set (dtk_seterr) and
 * dtk_errmsg() reads; a compile error comes through the compile's diag
 * (dtk.c words it), a provider's attach error through its err buffer. */
#include <stdarg.h>
#include <stdio.h>
#include "dtk_impl.h"

void dtk_seterr(struct dtk *d, enum dtk_errkind k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
	va_end(ap);
	d->errkind = k;
}
