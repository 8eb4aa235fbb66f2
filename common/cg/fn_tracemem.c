/* fn_tracemem.c - tracemem(addr, size [, dsize]): size bytes of
 * memory into the record, printed as DTrace's raw bytes; print(p): the
 * address and the object p points to, printed with its type.
 *
 * The record: the header, the number of bytes to show (dsize, or size
 * when there is none: the consumer shows min(dsize, size), and all of
 * size for a negative dsize, as dtrace-utils does), then the size bytes
 * read from addr.  An address that cannot be read is the invalid address
 * fault.
 */
#include <errno.h>
#include <linux/bpf.h>
#include "builtins.h"
#include "codegen.h"
#include "codegen_stack.h"
#include "fn.h"
#include "sema.h"

/* DTrace's checks and words (dt_cg_act_tracemem) */
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

/* Copy size bytes from the address n evaluates to into scratch at dst;
 * an address that cannot be read is the invalid address fault.  The
 * address is kept at scratch addr_at (print() shows it). */
static void read_or_fault(struct cg *c, struct node *n, int dst, int size,
			  int addr_at)
{
	struct emit *e = c->e;
	int ok = emit_label(e);
	int p = gen(c, n);

	vget(c, p, R3);
	vpop(c);
	emit_stx(e, BPF_DW, R9, R3, addr_at);
	sptr(c, R1, dst);
	emit_mov_imm(e, R2, size);
	call(c, n->type->k == TY_PTR && n->type->user ?
	     BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, ok);
	emit_ldx(e, BPF_DW, R3, R9, addr_at);
	fault(c, n->loc, R3, EFAULT);
	emit_place(e, ok);
}

void act_tracemem(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int size = (int)n->args[1]->cval;
	int recsize = 16 + ((size + 7) & ~7);
	int rec = salloc(c, recsize, n->loc);
	int addr_at = salloc(c, 8, n->loc);
	int ai = (int)(new_action(c, ACT_TRACEMEM, n->loc) - c->p->actions);

	if (n->nargs > 2) {
		int v = gen(c, n->args[2]);
		vpop_into(c, v, R0);
		emit_stx(e, BPF_DW, R9, R0, rec + 8);
	} else {
		emit_st(e, BPF_DW, R9, rec + 8, size);
	}
	read_or_fault(c, n->args[0], rec + 16, size, addr_at);
	/* fault() may have added an action: find ours again by index */
	struct action *a = &c->p->actions[ai];
	rec_header(c, rec, a);
	a->recsize = recsize;
	add_val(c, a, RV_INT, 8, 8, true);
	ring_output(c, rec, 16 + size);
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

/* print(p): the record holds p, then the sizeof (*p) bytes at p */
void act_print(struct cg *c, struct node *n)
{
	const struct type *t = n->args[0]->type->elem;
	int recsize = 16 + ((t->size + 7) & ~7);
	int rec = salloc(c, recsize, n->loc);
	int ai = (int)(new_action(c, ACT_PRINT, n->loc) - c->p->actions);

	read_or_fault(c, n->args[0], rec + 16, t->size, rec + 8);
	struct action *a = &c->p->actions[ai];
	a->ptype = t;
	rec_header(c, rec, a);
	a->recsize = recsize;
	ring_output(c, rec, recsize);
}
