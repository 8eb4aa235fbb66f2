/* consts.h - predefined integer constants of D (signals, errnos). */
#ifndef DTK_CONSTS_H
#define DTK_CONSTS_H
#include <stdbool.h>
#include <stdint.h>
/* DTrace's fault codes (the ERROR probe's arg4) */
enum { DTRACEFLT_UNKNOWN, DTRACEFLT_BADADDR, DTRACEFLT_BADALIGN,
       DTRACEFLT_ILLOP, DTRACEFLT_DIVZERO, DTRACEFLT_NOSCRATCH = 5,
       DTRACEFLT_BADINDEX = 11 };

bool d_constant(const char *name, int64_t *v);
int errno_by_name(const char *name);	/* "ENOENT" -> 2, -1 if unknown */
#endif
