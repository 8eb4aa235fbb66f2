/* codegen_tracemem.c - tracemem(addr, size [, dsize]): size bytes of
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

void act_tracemem(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct action *a = new_action(c, ACT_TRACEMEM, n->loc);
	int size = (int)n->args[1]->cval;
	int recsize = 16 + ((size + 7) & ~7);
	int rec = salloc(c, recsize, n->loc);
	int ai = (int)(a - c->p->actions);
	int ok = emit_label(e);

	if (n->nargs > 2) {
		int v = gen(c, n->args[2]);
		vget(c, v, 0);
		vpop(c);
		emit_stx(e, BPF_DW, 9, 0, rec + 8);
	} else {
		emit_st(e, BPF_DW, 9, rec + 8, size);
	}
	int p = gen(c, n->args[0]);
	vget(c, p, 3);
	vpop(c);
	emit_stx(e, BPF_DW, 10, 3, FP_K2);
	sptr(c, 1, rec + 16);
	emit_mov_imm(e, 2, size);
	call(c, n->args[0]->type->k == TY_PTR && n->args[0]->type->user ?
	     BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel);
	emit_jmp_imm(e, BPF_JEQ, 0, 0, ok);
	emit_ldx(e, BPF_DW, 3, 10, FP_K2);
	fault(c, n->loc, 3, EFAULT);
	emit_place(e, ok);
	/* fault() may have added an action: find ours again by index */
	a = &c->p->actions[ai];
	rec_header(c, rec, a);
	a->recsize = recsize;
	add_val(c, a, RV_INT, 8, 8, true);
	ring_output(c, rec, 16 + size);
}

/* print(p): the record holds p, then the sizeof (*p) bytes at p */
void act_print(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	const struct type *t = n->args[0]->type->elem;
	int recsize = 16 + ((t->size + 7) & ~7);
	int rec = salloc(c, recsize, n->loc);
	int ai = (int)(new_action(c, ACT_PRINT, n->loc) - c->p->actions);
	int ok = emit_label(e);

	int p = gen(c, n->args[0]);
	vget(c, p, 3);
	vpop(c);
	emit_stx(e, BPF_DW, 9, 3, rec + 8);
	sptr(c, 1, rec + 16);
	emit_mov_imm(e, 2, t->size);
	call(c, n->args[0]->type->user ? BPF_FUNC_probe_read_user
				       : BPF_FUNC_probe_read_kernel);
	emit_jmp_imm(e, BPF_JEQ, 0, 0, ok);
	emit_ldx(e, BPF_DW, 3, 9, rec + 8);
	fault(c, n->loc, 3, EFAULT);
	emit_place(e, ok);
	struct action *a = &c->p->actions[ai];
	a->ptype = t;
	rec_header(c, rec, a);
	a->recsize = recsize;
	ring_output(c, rec, recsize);
}
