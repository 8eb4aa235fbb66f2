/* ast.h - the abstract syntax tree of a D program.
 *
 * The parser (parse.c) builds it, the checker (sema.c) annotates it in place
 * (types, symbols, matched probes) and the code generator walks it.  Every
 * node carries the source position it came from so that any later stage can
 * report an error at file:line:column.
 */
#ifndef DTK_AST_H
#define DTK_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "builtins.h"

struct type;
struct sym;
struct fmt_spec;

struct loc {
	const char *file;	/* script name as shown in messages */
	int line, col;		/* 1-based */
};

enum node_kind {
	/* expressions */
	N_INT,		/* integer or character constant: ival, type set by lexer suffix */
	N_STR,		/* string literal: str (unescaped), len */
	N_IDENT,	/* bare name: name (variable, builtin, inline, function name) */
	N_MACRO,	/* $1..$9, $target, $pid, ...: name without '$' ("1", "target") */
	N_SELF,		/* self->name */
	N_THIS,		/* this->name */
	N_AGG,		/* @name (name "" for bare @); keys in args when subscripted */
	N_UNARY,	/* op in { '-', '+', '!', '~', '*', '&', T_INC, T_DEC } : l */
	N_POSTFIX,	/* op in { T_INC, T_DEC } : l */
	N_BINARY,	/* op is the token of the operator : l, r */
	N_ASSIGN,	/* op '=' or compound token (T_ADD_EQ ...) : l = r */
	N_TERNARY,	/* c ? l : r   (cond in c) */
	N_CALL,		/* name(args...) : name, args */
	N_INDEX,	/* l[args...]  (assoc array, args[], pointer/array subscript) */
	N_MEMBER,	/* l.name */
	N_PTRMEMBER,	/* l->name */
	N_CAST,		/* (ctype) l */
	N_SIZEOF,	/* sizeof(ctype) when ctype set, else sizeof expr l */
	N_STRINGOF,	/* stringof(l) or stringof l */
	N_OFFSETOF,	/* offsetof(ctype, name) */

	/* statements */
	N_EXPR_STMT,	/* l; */
	N_IF,		/* if (c) l else r  (D's if/else, DTrace 1.x+) : l, r are N_BLOCK */
	N_BLOCK,	/* { stmts } : args */
	N_EMPTY,	/* ; */
};

/* Where a member of a struct is (N_MEMBER, N_PTRMEMBER). */
struct member {
	int off;		/* kernel struct: byte offset of the member (of
				   the 8 bytes holding it, for a bitfield) */
	uint8_t bit_off;	/* a bitfield: its first bit from off ... */
	uint8_t bit_size;	/* ... and its bits; 0: not a bitfield */
	enum psmember ps;	/* psinfo_t, lwpsinfo_t: the member (computed
				   from the task, codegen_proc.c) */
};

/* What an assignment stores into (N_ASSIGN). */
enum assign_kind {
	AS_VAR,		/* a variable, an associative array element, a[i]
			   of a declared array, a self-> or this-> member */
	AS_FREE,	/* a string variable = 0: frees it */
	AS_MEM,		/* p[i] = v, *p = v: memory the program owns */
};

/* A type written in the source: casts, declarations, sizeof, inline. */
struct ctype {
	char *name;		/* base type text: "int", "unsigned long", "string",
				   "struct task_struct", "char", "uint64_t", ... */
	int ptr;		/* number of '*' */
	int array;		/* [N] suffix, 0 if none */
	struct loc loc;
};

struct node {
	enum node_kind kind;
	int op;			/* token code for operators */
	struct loc loc;
	char *name;		/* identifier / member / function / aggregation name */
	char *str;		/* string literal bytes (NUL-terminated, may hold NULs: see len) */
	size_t len;
	uint64_t ival;
	bool isunsigned;	/* integer literal with u suffix or too big for long */
	uint8_t nlong;		/* integer literal: 1 for an l suffix, 2 for ll */
	struct node *l, *r, *c;
	struct node **args;	/* call arguments, subscripts, block statements */
	int nargs;
	struct ctype *ctype;	/* casts, sizeof(type), offsetof */

	/* filled in by the checker: what it decided, for the code generator,
	 * each in a field of its own */
	struct type *type;
	struct sym *sym;	/* the variable, array or aggregation named */
	int64_t cval;		/* value when isconst */
	bool isconst;
	enum builtin builtin;	/* N_IDENT, and the base of args[i] and
				   uregs[i]: the built-in variable read
				   (B_NONE: not one) */
	const struct func *fn;	/* N_CALL: the D function called */
	const struct type *cmptype;	/* N_BINARY comparison of scalars: the
					   type its operands are compared in
					   (its signedness picks the jump) */
	const struct fmt_spec *fmt;	/* N_STR as the format of printf( ),
					   printa( ), system( ): parsed */
	struct member member;	/* N_MEMBER, N_PTRMEMBER: where it is */
	enum assign_kind assign;	/* N_ASSIGN: what it stores into */
};

/* provider:module:function:name with possibly empty fields */
struct probedesc {
	char *prov, *mod, *func, *name;
	char *text;		/* as written, for messages */
	struct loc loc;
};

struct clause {
	struct probedesc *descs;
	int ndescs;
	struct node *pred;	/* NULL if none */
	struct node **stmts;	/* may be empty */
	int nstmts;
	struct loc loc;
	struct loc end;		/* its closing brace */
	int id;

	/* filled in by the checker: ids of the probes this clause enables */
	uint32_t *probes;
	int nprobes;
};

struct pragma {
	char *name;		/* "option" pragmas: option name; value may be NULL */
	char *value;
	struct loc loc;
};

enum decl_kind {
	D_VAR, D_INLINE,
	D_TYPEDEF,	/* typedef ctype name; */
	D_ENUMERATOR,	/* name [= init] of enum ctype { ... } */
	D_SOU,		/* struct|union name { members } */
};

struct decl {
	enum decl_kind kind;
	char *name;
	struct ctype *ctype;
	struct ctype **keys;	/* associative array key types: int a[string, int]; */
	int nkeys;
	bool is_self, is_this;	/* self int x;  this int y; */
	struct decl **members;	/* D_SOU: its members (D_VAR each), in order */
	int nmembers;
	bool is_union;		/* D_SOU */
	struct node *init;	/* inline value */
	struct loc loc;
};

struct program {
	struct clause **clauses;
	int nclauses;
	struct pragma *pragmas;
	int npragmas;
	struct decl **decls;
	int ndecls;
	struct loc end;		/* where the text ends */
};

/* Allocation: every node and string of a program lives in one arena that is
 * freed at once with the program. */
struct arena;
struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t n);	/* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/* Growable array in the arena. */
void *arena_push(struct arena *a, void *vec, int *n, size_t elsize);

#endif
