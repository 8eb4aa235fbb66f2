/* sema.h - what the checker (sema.c) offers the checks of D's functions
 * (func.h): the state of the check stays sema.c's, these read and report
 * through it.  Every failure ends the compile (diag_fail).
 */
#ifndef DTK_SEMA_H
#define DTK_SEMA_H

#include <stdbool.h>
#include "ast.h"
#include "errtags.h"
#include "types.h"

struct sema;
struct compile;

/* The compile being checked (compile.h): its options, probe table... */
struct compile *sema_compile(struct sema *s);
struct arena *sema_arena(struct sema *s);
/* A string type of capacity cap (bytes with the NUL); 0: strsize. */
struct type *sema_string(struct sema *s, int cap);
/* Fail at loc with DTrace's tag. */
__attribute__((noreturn, format(printf, 4, 5)))
void sema_fail(struct sema *s, struct loc loc, enum errtag tag,
	       const char *fmt, ...);

/* Argument i of call must be ok, or the call does not match its
 * prototype (proto names what it wants: "string", "uintptr_t"). */
void sema_want(struct sema *s, struct node *call, int i, bool ok,
	       const char *proto);

static inline void want_int(struct sema *s, struct node *call, int i,
			    const char *proto)
{
	sema_want(s, call, i, type_is_int(call->args[i]->type), proto);
}

static inline void want_scalar(struct sema *s, struct node *call, int i)
{
	sema_want(s, call, i, type_is_scalar(call->args[i]->type),
		  "uintptr_t");
}

static inline void want_str(struct sema *s, struct node *call, int i)
{
	sema_want(s, call, i, type_is_string(call->args[i]->type), "string");
}

/* Check an expression (an argument the FN_AGGARGS check left). */
void sema_expr(struct sema *s, struct node *n);
/* The format at call->args[first] and the values after it (printa: the
 * keys of its first aggregation). */
void sema_printf(struct sema *s, struct node *call, int first, bool printa);
/* call->args[i] must name an aggregation: its symbol. */
struct sym *sema_agg_arg(struct sema *s, struct node *call, int i);
/* printa(@a, @b): @b's keys must match @a's. */
void sema_same_keys(struct sema *s, struct node *at, struct sym *a,
		    struct sym *b);

#endif
