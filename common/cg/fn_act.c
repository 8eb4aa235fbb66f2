/* fn_act.c - D's actions, each its check and then its code (stack( ) &
 * co.'s code is codegen_stack.c's, tracemem( )'s and print( )'s
 * fn_tracemem.c's); the table is funcs.c.  An action is a statement:
 * its type is void.  Most send a record to the consumer: its values laid
 * out by gen_record, its format and kind in the action (record.h).
 */
#include <linux/bpf.h>
#include "cg.h"
#include "compile.h"
#include "fn.h"
#include "sema.h"
#include "symtab.h"

/* printf(fmt, ...), system(fmt, ...) */
void check_printf(struct sema *s, struct node *n)
{
	sema_printf(s, n, 0, false);
	n->type = &t_void;
}

/* Store a value of a record: ints 8 bytes, strings their capacity.  The
 * action is passed by index: generating the value may add actions (a
 * copyinstr fault's ERROR record), which moves the array. */
#define ACTION(c, ai) (&(c)->p->actions[ai])
/* probefunc in a syscall program travels as the syscall's number */
static bool probefunc_number(struct cg *c, const struct node *n)
{
	return n->kind == N_IDENT && !n->sym && c->b->sub_syscall &&
		n->builtin == B_PROBEFUNC;
}

static int rec_value(struct cg *c, int ai, int rec, int off, struct node *n)
{
	struct emit *e = c->e;
	struct type *t = n->type;
	if (probefunc_number(c, n)) {
		/* the syscall number stands for the name: the consumer
		 * prints it */
		add_val(c, ACTION(c, ai), RV_PROBEFUNC, off, 8, false);
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_stx(e, BPF_DW, R9, R0, rec + off);
		return off + 8;
	}
	if (type_is_string(t)) {
		int cap = t->size;
		if (cap > c->d->opt.strsize)
			cap = c->d->opt.strsize;
		gen_str(c, n, rec + off);
		add_val(c, ACTION(c, ai), RV_STR, off, cap, false);
		return off + ((cap + 7) & ~7);
	}
	if (t->k == TY_STACK)
		FAIL(c, n->loc, "stack( ) values are not supported here yet");
	int v = gen(c, n);
	vpop_into(c, v, R0);
	emit_stx(e, BPF_DW, R9, R0, rec + off);
	int kind = RV_INT;
	if (t->k == TY_SYMADDR)
		kind = t->user ? RV_USYM : RV_SYM;
	add_val(c, ACTION(c, ai), kind, off, t->k == TY_INT ? t->size : 8,
		t->k == TY_INT && t->sign);
	return off + 8;
}

/* Bytes a value takes in a record. */
static bool rec_is_str(struct cg *c, struct node *n)
{
	return type_is_string(n->type) && !probefunc_number(c, n);
}

static int rec_slot(struct cg *c, struct node *n)
{
	struct type *t = n->type;
	if (!rec_is_str(c, n))
		return 8;
	int cap = t->size > c->d->opt.strsize ? c->d->opt.strsize : t->size;
	return (cap + 7) & ~7;
}

/* stringof(copyin(p, n)): raw bytes whose length is not the string's */
static bool raw_bytes(const struct node *n)
{
	return (n->kind == N_STRINGOF || n->kind == N_CAST) &&
		n->l->kind == N_CALL && (n->l->fn->flags & FN_BYTES);
}

/* Output a record of the values vals[] for action ai.  Integers are laid
 * out first and strings after them, the largest last, so that the record
 * can end where that last string does: a path of 20 bytes sends 20 bytes,
 * not strsize.  The values keep their argument order in the action. */
static void gen_record(struct cg *c, int ai, struct node **vals, int nvals,
		       struct loc loc)
{
	struct emit *e = c->e;
	int off[64], order[64], n = 0, last = -1;
	if (nvals > 64)
		FAIL(c, loc, "too many values in one action (at most 64)");
	for (int i = 0; i < nvals; i++)
		if (!rec_is_str(c, vals[i]))
			order[n++] = i;
	for (int i = 0; i < nvals; i++)
		if (rec_is_str(c, vals[i]) &&
		    (last < 0 || rec_slot(c, vals[i]) >= rec_slot(c, vals[last])))
			last = i;
	for (int i = 0; i < nvals; i++)
		if (rec_is_str(c, vals[i]) && i != last)
			order[n++] = i;
	if (last >= 0)
		order[n++] = last;
	int size = 8;
	for (int k = 0; k < n; k++) {
		off[order[k]] = size;
		size += rec_slot(c, vals[order[k]]);
	}
	int rec = salloc(c, size, loc);
	for (int i = 0; i < nvals; i++)
		rec_value(c, ai, rec, off[i], vals[i]);
	struct action *a = ACTION(c, ai);
	rec_header(c, rec, a);
	a->recsize = size;
	bool raw = last >= 0 && raw_bytes(vals[last]);
	if (last < 0 || (raw && last != nvals - 1)) {
		ring_output(c, rec, size);
		return;
	}
	if (raw) {
		/* raw bytes made last: their length (clamped below the
		 * slot's size) is still at FP_K2, where gen_str left it; the
		 * record ends after them (dtruss: a 1-byte read sends 1 byte,
		 * not the whole slot) */
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
	} else {
		/* cut the record after the last string's NUL */
		sptr(c, R1, rec + off[last]);
		call_subprog(c, SP_STRLEN);
	}
	emit_alu64_imm(e, BPF_ADD, R0, off[last] + 1);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLE, R0, size, ok);
	emit_mov_imm(e, R0, size);
	emit_place(e, ok);
	ring_output_reg(c, rec, R0);
}

static void gen_printf(struct cg *c, struct node *n, enum action_kind k)
{
	struct action *a = new_action(c, k, n->loc);
	a->fmt = n->args[0]->fmt;
	a->fmtstr = n->args[0]->str;
	gen_record(c, (int)(a - c->p->actions), n->args + 1, n->nargs - 1,
		   n->loc);
}

static void gen_simple_record(struct cg *c, struct node *n, enum action_kind k,
			      struct node **vals, int nvals)
{
	struct action *a = new_action(c, k, n->loc);
	gen_record(c, (int)(a - c->p->actions), vals, nvals, n->loc);
}

void act_printf(struct cg *c, struct node *n)
{
	gen_printf(c, n, ACT_PRINTF);
}

void act_system(struct cg *c, struct node *n)
{
	gen_printf(c, n, ACT_SYSTEM);
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

void act_printa(struct cg *c, struct node *n)
{
	int first = n->args[0]->kind == N_STR ? 1 : 0;
	struct action *a = new_action(c, ACT_PRINTA, n->loc);
	if (first) {
		a->fmt = n->args[0]->fmt;
		a->fmtstr = n->args[0]->str;
	}
	a->naggs = n->nargs - first;
	a->aggs = arena_alloc(c->p->arena, sizeof *a->aggs * a->naggs);
	for (int i = first; i < n->nargs; i++)
		a->aggs[i - first] = n->args[i]->sym;
	a->agg = a->aggs[0];
	int rec = salloc(c, 8, n->loc);
	rec_header(c, rec, a);
	a->recsize = 8;
	ring_output(c, rec, 8);
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

void act_agg(struct cg *c, struct node *n)
{
	/* the entry's param: the action */
	struct action *a = new_action(c, (enum action_kind)n->fn->param, n->loc);
	a->agg = n->args[0]->sym;
	int size = n->nargs > 1 ? 16 : 8;
	int rec = salloc(c, size, n->loc);
	if (n->nargs > 1) {
		int v = gen(c, n->args[1]);
		vpop_into(c, v, R0);
		emit_stx(c->e, BPF_DW, R9, R0, rec + 8);
		add_val(c, a, RV_INT, 8, 8, true);
	}
	rec_header(c, rec, a);
	a->recsize = size;
	ring_output(c, rec, size);
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

void act_trace(struct cg *c, struct node *n)
{
	/* trace(ustack()) prints as ustack() does */
	if (n->nargs == 1 && n->args[0]->kind == N_CALL &&
	    n->args[0]->type && n->args[0]->type->k == TY_STACK) {
		gen_stack_action(c, n->args[0]);
		return;
	}
	gen_simple_record(c, n, ACT_TRACE, n->args, 1);
}

/* exit(status), raise(signal) */
void check_int_action(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "int");
	n->type = &t_void;
}

void act_exit(struct cg *c, struct node *n)
{
	gen_simple_record(c, n, ACT_EXIT, n->args, 1);
	if (c->exit_flag >= 0) {	/* for exit_skip( ) */
		emit_ld_map_value(c->e, R1, c->globals_map, c->exit_flag);
		emit_st(c->e, BPF_DW, R1, 0, 1);
	}
	/* the consumer would otherwise see exit() only at its next
	 * switchrate poll, up to 100 ms later */
	ring_wake(c);
}

void act_raise(struct cg *c, struct node *n)
{
	int v = gen(c, n->args[0]);
	vpop_into(c, v, R1);
	call(c, BPF_FUNC_send_signal);
}

void check_setopt(struct sema *s, struct node *n)
{
	sema_want(s, n, 0, n->args[0]->kind == N_STR, "a string constant");
	n->type = &t_void;
}

void act_setopt(struct cg *c, struct node *n)
{
	struct action *a = new_action(c, ACT_SETOPT, n->loc);
	a->fmtstr = n->args[0]->str;
	int rec = salloc(c, 8, n->loc);
	rec_header(c, rec, a);
	a->recsize = 8;
	ring_output(c, rec, 8);
}

void check_stop(struct sema *s, struct node *n)
{
	(void)s;
	n->type = &t_void;
}

void act_stop(struct cg *c, struct node *n)
{
	(void)n;
	emit_mov_imm(c->e, R1, 19);	/* SIGSTOP */
	call(c, BPF_FUNC_send_signal);
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

void act_copyout(struct cg *c, struct node *n)
{
	/* copyout(buf, addr, n) / copyoutstr(str, addr, n) */
	int src;
	if (n->fn->param == PARAM_STR) {
		src = gen_str(c, n->args[0], -1);
	} else {
		int v = gen(c, n->args[0]);
		vpop_into(c, v, R0);
		emit_stx(c->e, BPF_DW, R10, R0, FP_K2);
		src = -1;
	}
	int a = gen(c, n->args[1]);
	int l = gen(c, n->args[2]);
	vget(c, l, R3);
	vpop_into(c, a, R1);
	vpop(c);
	if (src >= 0)
		sptr(c, R2, src);
	else
		emit_ldx(c->e, BPF_DW, R2, R10, FP_K2);
	/* size must be bounded for the verifier */
	emit_alu64_imm(c->e, BPF_AND, R3, 4095);
	call(c, BPF_FUNC_probe_write_user);
}
