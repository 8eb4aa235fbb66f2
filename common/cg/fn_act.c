/* fn_act.c - the checks of D's actions (their code is in codegen.c and
 * codegen_stack.c); the table is funcs.c.  An action is a statement: its
 * type is void. */
#include "dtk_impl.h"
#include "fn.h"
#include "sema.h"

/* printf(fmt, ...), system(fmt, ...) */
void check_printf(struct sema *s, struct node *n)
{
	sema_printf(s, n, 0, false);
	n->type = &t_void;
}

void check_printa(struct sema *s, struct node *n)
{
	int first = 0;
	if (n->args[0]->kind == N_STR) {
		first = 1;
		if (n->nargs < 2)
			sema_fail(s, n->loc, D_PRINTA_PROTO, "printa( ) prototype "
				  "mismatch: too few arguments");
	}
	/* the aggregations first: the format is checked against the keys of
	 * the first one */
	struct sym *y0 = NULL;
	for (int i = first; i < n->nargs; i++) {
		struct sym *y = sema_agg_arg(s, n, i);
		y->printed = true;
		if (y0)
			sema_same_keys(s, n->args[i], y0, y);
		else
			y0 = y;
	}
	if (first)
		sema_printf(s, n, 0, true);
	n->type = &t_void;
}

/* trunc(@a[, n]), clear(@a), denormalize(@a), normalize(@a, n) */
void check_agg_action(struct sema *s, struct node *n)
{
	sema_agg_arg(s, n, 0);
	bool norm = n->fn->param == ACT_NORMALIZE;
	if (norm)
		sema_expr(s, n->args[1]);
	if (n->nargs > 1)
		want_int(s, n, 1, norm ? "uint64_t" : "int");
	n->type = &t_void;
}

void check_trace(struct sema *s, struct node *n)
{
	struct node *a = n->args[0];
	if (a->type->k == TY_VOID)
		sema_fail(s, a->loc, D_TRACE_VOID, "trace( ) may not be applied "
			  "to a void expression");
	if (a->type->k == TY_STRUCT)
		sema_want(s, n, 0, false, "scalar or string");
	n->type = &t_void;
}

/* exit(status), raise(signal) */
void check_int_action(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "int");
	n->type = &t_void;
}

/* stack([frames]), ustack([frames[, strsize]]), jstack( ): a value too,
 * as an aggregation key */
void check_stack(struct sema *s, struct node *n)
{
	struct dtk *d = sema_dtk(s);
	for (int i = 0; i < n->nargs; i++) {
		want_int(s, n, i, "int");
		if (!n->args[i]->isconst)
			sema_fail(s, n->args[i]->loc, D_PROTO_ARG, "%s( ) argument "
				  "#%d must be a constant", n->fn->name, i + 1);
	}
	struct type *t = arena_alloc(sema_arena(s), sizeof *t);
	t->k = TY_STACK;
	t->user = n->fn->param == PARAM_USER;
	t->nelem = n->nargs ? (int)n->args[0]->cval :
		(t->user ? d->opt.ustackframes : d->opt.stackframes);
	if (t->nelem <= 0 || t->nelem > 127)
		t->nelem = 127;
	/* a user stack key is its process and its pcs (codegen_stack.c) */
	t->size = 8 * t->nelem + (t->user ? 8 : 0);
	t->name = "stack";
	n->type = t;
}

void check_setopt(struct sema *s, struct node *n)
{
	sema_want(s, n, 0, n->args[0]->kind == N_STR, "a string constant");
	n->type = &t_void;
}

/* DTrace's checks and words (dt_cg_act_tracemem); the record is
 * codegen_tracemem.c's */
void check_tracemem(struct sema *s, struct node *n)
{
	struct node **a = n->args;
	bool isconst = type_is_int(a[1]->type) && a[1]->isconst;
	char tn[128];

	if (!type_is_scalar(a[0]->type))
		sema_fail(s, a[0]->loc, D_TRACEMEM_ADDR, "tracemem( ) argument "
			  "#1 is incompatible with prototype: prototype: pointer "
			  "or integer; argument: %s",
			  type_str(a[0]->type, tn, sizeof tn));
	if (!isconst || a[1]->cval <= 0 || a[1]->cval > 4096)
		sema_fail(s, a[1]->loc, D_TRACEMEM_SIZE, "tracemem( ) argument "
			  "#2 must be a non-zero positive integral constant "
			  "expression%s", isconst && a[1]->cval > 4096 ?
			  " (dtk: at most 4096)" : "");
	if (n->nargs > 2)
		want_int(s, n, 2, "size_t");
	n->type = &t_void;
}

/* print(p): p points to an object whose type dtk can show: the program's
 * structs and unions, integers, pointers and arrays of them */
void check_print(struct sema *s, struct node *n)
{
	struct node *a = n->args[0];
	const struct type *t = a->type->k == TY_PTR ? a->type->elem : NULL;
	char tn[160];

	sema_want(s, n, 0, t != NULL, "void *");
	if (t->size <= 0)
		sema_fail(s, a->loc, D_PRINT_SIZE, "print( ) argument #1 "
			  "reference has type '%s' with size 0; cannot print( ) "
			  "it.", type_str(t, tn, sizeof tn));
	if ((t->k == TY_STRUCT && t->btf_id) || t->synth ||
	    (t->k != TY_STRUCT && t->k != TY_INT && t->k != TY_PTR &&
	     t->k != TY_ARRAY) || t->size > 4096)
		sema_fail(s, a->loc, D_PROTO_ARG, "print( ) argument #1: dtk "
			  "prints the program's own structs and unions, "
			  "integers and pointers (at most 4096 bytes), not %s",
			  type_str(t, tn, sizeof tn));
	n->type = &t_void;
}

void check_stop(struct sema *s, struct node *n)
{
	(void)s;
	n->type = &t_void;
}

/* copyout(buf, addr, size), copyoutstr(str, addr, size) */
void check_copyout(struct sema *s, struct node *n)
{
	if (n->fn->param == PARAM_STR)
		want_str(s, n, 0);
	want_scalar(s, n, 1);
	want_int(s, n, 2, "size_t");
	n->type = &t_void;
}
