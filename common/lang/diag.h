/* diag.h - compile-time errors.
 *
 * The lexer, parser and checker stop at the first error: diag_fail() records
 * where and what, with the error's D tag (errtags.h), and longjmps back to
 * the entry point of the compile (which frees the whole arena), so no stage
 * needs error-return plumbing.
 */
#ifndef DTK_DIAG_H
#define DTK_DIAG_H

#include <setjmp.h>
#include "ast.h"
#include "errtags.h"

struct diag {
	jmp_buf jmp;
	struct loc loc;		/* line 0: error not tied to a place */
	enum errtag tag;
	const char *region;	/* "predicate", "action list" or NULL: where
				 * in a -n program, which has no lines */
	char msg[1024];
};

__attribute__((noreturn, format(printf, 4, 5)))
void diag_fail(struct diag *d, struct loc loc, enum errtag tag,
	       const char *fmt, ...);

#endif
