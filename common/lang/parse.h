/* parse.h - the D parser: source text to the AST of ast.h.
 *
 * parse_program() reads a whole program: pragmas, inline definitions,
 * variable declarations and clauses.  On a syntax error it calls diag_fail(),
 * which longjmps to d->jmp: the caller sets that up (setjmp) around the call
 * and frees the arena afterwards either way.
 *
 * What the tree holds beyond ast.h's comments:
 *  - N_INT: op is T_NUM for an integer constant, T_CHR for a character
 *    constant; isunsigned is set by a u/U suffix or a value above INT64_MAX;
 *    len holds the number of l/L in the suffix (0, 1 or 2).
 *  - N_MACRO: op is 1 for the string form $$1.
 *  - N_UNARY/N_BINARY/N_ASSIGN/N_POSTFIX: op is the token (lex.h); a binary
 *    node's loc is its operator's, every other node's its first token's.
 *  - N_CALL: only a bare name can be called; the callee is in name.
 *  - N_AGG: keys in args (nargs 0 for @a); name "" for bare @.
 *  - N_IF: l and r are N_BLOCKs (r NULL without else); a single statement is
 *    wrapped in a block, "else if" gives an r block holding the inner N_IF.
 *  - Empty statements (";") are dropped from statement lists, so N_EMPTY
 *    never appears.
 *  - struct ctype names are canonical: "int", "unsigned int", "long long",
 *    "unsigned char", "signed char", "string", "struct task_struct",
 *    "uint64_t"; const, volatile and userland are not kept.
 *  - A clause given with no body (dtrace -n 'syscall::read:entry', only when
 *    probespec is true) has nstmts 0, as "{}" does.
 *  - probedesc fields are never NULL (""), filled from the right: "BEGIN" is
 *    name BEGIN, "open:entry" is function open, name entry.  Macros such as
 *    $target or $1 stay in the text for the checker to expand.
 */
#ifndef DTK_PARSE_H
#define DTK_PARSE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* flags: PARSE_PROBESPEC, the text is a -n probe specifier; PARSE_PSPEC,
 * -x pspec: every program item is a probe description (as after the
 * pragma) */
enum { PARSE_PROBESPEC = 1, PARSE_PSPEC = 2 };
struct program *parse_program(struct arena *a, struct diag *d, const char *name,
			      const char *text, unsigned flags);

/* Split "prov:mod:func:name" into pd (fields filled from the right).
 * Returns false if it has more than four fields. */
bool parse_probedesc(struct arena *a, const char *text, struct probedesc *pd);

#endif
