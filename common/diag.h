/* diag.h - compile-time errors.
 *
 * The lexer, parser and checker stop at the first error: diag_fail() records
 * where and what, and longjmps back to the entry point of the compile (which
 * frees the whole arena), so no stage needs error-return plumbing.
 */
#ifndef DTK_DIAG_H
#define DTK_DIAG_H

#include <setjmp.h>
#include "ast.h"

struct diag {
	jmp_buf jmp;
	struct loc loc;		/* line 0: error not tied to a place */
	char msg[1024];
};

__attribute__((noreturn, format(printf, 3, 4)))
void diag_fail(struct diag *d, struct loc loc, const char *fmt, ...);

#endif
