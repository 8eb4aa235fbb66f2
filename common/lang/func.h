/* func.h - a D function: one entry holds how the checker checks a call of
 * it and how the code generator generates one (ply's struct func).
 *
 * The table of entries is cg/funcs.c; adding a D function is a row there
 * plus its two functions: the check and the generator (see fn.h).  The
 * checker finds the table in the compile's state (compile.h: funcs, which
 * the handle sets), so the language does not link against code generation.
 */
#ifndef DTK_FUNC_H
#define DTK_FUNC_H

#include <stdbool.h>
#include <stdint.h>
#include "builtins.h"
#include "errtags.h"

struct sema;
struct cg;
struct node;
struct sym;

enum {
	FN_TRACES = 1,	/* an action recording data: a clause calling it
			   traces its probe (an empty clause does too) */
	FN_STACK = 2,	/* stack( ), ustack( ): an action that is also a
			   value, as an aggregation key */
	FN_AGGARGS = 4,	/* printa( ) & co.: the check checks the
			   aggregations among its arguments itself */
	FN_INCR = 8,	/* quantize( ) & co.: an argument after the
			   parameters (the last one) is the increment */
	FN_AGGFIRST = 32, /* FN_AGGARGS whose first argument is always an
			   aggregation (trunc( ) & co., not printa( )'s
			   format) */
	FN_UNSIGNED = 16, /* an aggregating function whose value is
			   unsigned (count( ): printa's %@d is uint64_t) */
	FN_EXITS = 64,	/* exit( ): no later clause of the firing runs
			   (codegen.c's exit_skip) */
	FN_BYTES = 128,	/* copyin( ): stringof( ) of it is its bytes, as
			   many as its size says at run time */
};

/* The most parameters an aggregating function takes after its value. */
#define FN_MAXPAR 4

/* param of the pairs: the second of each */
enum {
	PARAM_LAST = 1,		/* strrchr, rindex: the last match */
	PARAM_LOWER = 1,	/* tolower */
	PARAM_BASE = 1,		/* basename (dirname: 0) */
	PARAM_MAJOR = 1,	/* getmajor (getminor: 0) */
	PARAM_USER = 1,		/* ufunc, usym, umod, uaddr; ustack, jstack */
	PARAM_STR = 1,		/* copyoutstr: the source is a string */
};

struct func {
	const char *name;
	enum func_id id;
	enum fclass cls;
	int minargs, maxargs;	/* maxargs -1: variadic */
	bool supported;		/* false: recognised, but not on Linux/BPF */
	unsigned flags;		/* FN_* */
	/* What tells apart the entries of a family sharing a check and a
	 * generator, so that they never ask which function they are: htons &
	 * co. the width in bits; trunc & co. the action (enum action_kind);
	 * min and max the jump that keeps the old value (BPF_JSGE, BPF_JSLE);
	 * PARAM_LAST, PARAM_USER, ... for the pairs (above). */
	int param;
	/* The call's arguments against the prototype, its type into n->type.
	 * The arguments are checked as expressions already (FN_AGGARGS: but
	 * the aggregations).  NULL for the aggregating functions, which the
	 * checker's @a = f(x) checks. */
	void (*check)(struct sema *s, struct node *n);
	/* FN_AGGARGS: DTrace's tags for an argument that is not an
	 * aggregation (notagg) and for an undefined aggregation. */
	enum errtag notagg_tag, undef_tag;
	/* An aggregating function's parameters after its value (lquantize's
	 * base, limit, step): how many make the aggregation's kind, the tag
	 * of each one that is not an integer constant, and the check of
	 * their values (par[0..npar), which it may complete with defaults);
	 * NULL when any value goes. */
	int npar;
	enum errtag partag[FN_MAXPAR];
	void (*agg_params)(struct sema *s, struct node *n, int64_t *par);
	/* One of these, by what it makes: an integer pushed on the value
	 * stack (returns its slot), a string written into scratch at dst (of
	 * strsize bytes), or an action's code. */
	int (*gen)(struct cg *c, struct node *n);
	void (*gen_str)(struct cg *c, struct node *n, int dst);
	void (*act)(struct cg *c, struct node *n);
	/* An aggregating function: the bytes of an aggregation's value
	 * (aggfmt.h's layout), fixed or computed from its parameters, and the
	 * code folding x (in r1) into the value r0 points at, for n, the
	 * @a[keys] = f(x) of aggregation y (codegen_agg.c). */
	int aggbytes;
	int (*agg_size)(const struct sym *y);
	void (*agg_add)(struct cg *c, struct node *n, struct sym *y);
};

/* The table: entries up to one whose name is NULL. */
extern const struct func dtk_funcs[];

/* The entry named name in the table, or NULL. */
const struct func *func_lookup(const struct func *tab, const char *name);

#endif
