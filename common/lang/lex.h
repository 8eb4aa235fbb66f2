/* lex.h - the D lexer.
 *
 * Tokens are the ASCII code of single-character tokens ('+', '{', ...) and
 * T_* codes from 256 for everything else, so that N_BINARY, N_UNARY and
 * N_ASSIGN nodes carry the operator's token in their op field and the checker
 * can switch on '+' or T_SHL alike.
 *
 * The lexer has D's two outer states: at the start of a program item
 * (lx->clause set by the parser) a run of probe-description characters is one
 * T_PSPEC token ("syscall::open*:entry", "profile:::tick-1s"), unless it is a
 * keyword or a type name that begins a declaration; everywhere else it lexes
 * expressions.  Inside a predicate (lx->inpred) a '/' followed by ';', '{',
 * '/' or the end of input is T_EPRED, as in DTrace.  "#pragma D option" lines
 * are collected in lx->pragmas wherever they appear.
 */
#ifndef DTK_LEX_H
#define DTK_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"

enum token {
	T_EOF = 256,
	T_NAME,		/* identifier: s */
	T_NUM,		/* integer constant: ival, isunsigned, nlong */
	T_CHR,		/* character constant: ival */
	T_STR,		/* string literal: s, len (escapes resolved) */
	T_PSPEC,	/* probe description: s as written */
	T_MACRO,	/* $1, $$1, $target: s without the '$'s, dollar2 for $$ */
	T_AGG,		/* @name or @: s without the '@' ("" for bare @) */
	T_EPRED,	/* the '/' closing a predicate */

	/* operators of more than one character */
	T_ARROW, T_INC, T_DEC, T_SHL, T_SHR, T_LE, T_GE, T_EQ, T_NE,
	T_AND, T_OR, T_XOR,	/* && || ^^ */
	T_ADD_EQ, T_SUB_EQ, T_MUL_EQ, T_DIV_EQ, T_MOD_EQ,
	T_AND_EQ, T_OR_EQ, T_XOR_EQ, T_SHL_EQ, T_SHR_EQ,

	/* keywords (D reserves all of C's) */
	T_AUTO, T_BREAK, T_CASE, T_CHAR, T_CONST, T_CONTINUE, T_COUNTER,
	T_DEFAULT, T_DO, T_DOUBLE, T_ELSE, T_ENUM, T_EXTERN, T_FLOAT, T_FOR,
	T_GOTO, T_IF, T_IMPORT, T_INLINE, T_INT, T_LONG, T_OFFSETOF, T_PROBE,
	T_PROVIDER, T_REGISTER, T_RESTRICT, T_RETURN, T_SELF, T_SHORT,
	T_SIGNED, T_SIZEOF, T_STATIC, T_STRING, T_STRINGOF, T_STRUCT,
	T_SWITCH, T_THIS, T_TRANSLATOR, T_TYPEDEF, T_UNION, T_UNSIGNED,
	T_USERLAND, T_VOID, T_VOLATILE, T_WHILE, T_XLATE,
	T_LAST
};

struct token_val {
	int t;
	struct loc loc;
	const char *text;	/* the token as written in the source */
	size_t textlen;
	char *s;		/* name, string bytes, description (arena) */
	size_t len;
	uint64_t ival;
	bool isunsigned;	/* u/U suffix */
	int nlong;		/* number of l/L in the suffix */
	bool dollar2;		/* $$1: the macro's string form */
};

struct lexer {
	struct arena *a;
	struct diag *d;
	const char *file;
	const char *src, *p, *end;
	int line, col;
	bool bol;		/* only blanks since the start of the line */

	bool clause;		/* at the start of a program item */
	bool pspec;		/* #pragma D option pspec: an item is always a
				   probe description, never a declaration */
	bool inpred;		/* inside / ... / */
	int parens, brackets;	/* nesting inside the predicate */

	struct pragma *pragmas;
	int npragmas;
	char **typenames;	/* the program's own typedef names */
	int ntypenames;
};

void lex_init(struct lexer *lx, struct arena *a, struct diag *d,
	      const char *file, const char *text);
void lex_next(struct lexer *lx, struct token_val *tv);

/* "->" for T_ARROW, "+" for '+', "if" for T_IF, "end of input" for T_EOF */
const char *tok_name(int t);
/* Whether NAME is a type name that may start a cast or declaration
 * (int8_t ... uint64_t, size_t, pid_t, ...). */
bool lex_is_typedef(const char *name, size_t n);
/* ... or one the program declared with typedef (lex_add_typedef) */
bool lex_is_type(const struct lexer *lx, const char *name, size_t n);
void lex_add_typedef(struct lexer *lx, const char *name);

#endif
