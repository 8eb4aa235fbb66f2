/* codegen_store.c - stores through pointers: p[i] = v, *p = v, p->m = v.
 *
 * D lets a program write to memory it owns: the buffer copyin( ) filled
 * (`this->text[n] = '\0'`, as the DTraceToolkit's shellsnoop ends the bytes
 * it copied).  In dtk that memory is the clause's scratch buffer, a map
 * value.  A pointer travels through variables as a plain number, which the
 * verifier lets no program write through, so the store turns the address
 * back into an offset into scratch: an address outside the buffer is a
 * fault (the ERROR probe, "invalid address"), as DTrace reports a store
 * outside scratch memory.
 *
 * alloca(n) hands out scratch too, zeroed, for as long as the clause runs.
 *
 * A declared array (int a[5]) lives in the globals map, and its index is
 * checked against the bound at run time: DTrace's "index out of bounds".
 */
#include <errno.h>
#include <linux/bpf.h>
#include "cg.h"

int mem_store(struct cg *c, struct node *n, int a, int v)
{
	struct emit *e = c->e;
	struct node *l = n->l;
	int size = l->type->size;
	int bad = emit_label(e), done = emit_label(e);
	/* the scratch buffer's address as a number: a pointer stored in
	 * a map reads back as one */
	int base = salloc(c, 8, n->loc);
	emit_stx(e, BPF_DW, R9, R9, base);
	emit_ldx(e, BPF_DW, R3, R9, base);
	vget(c, a, R1);
	emit_alu64_reg(e, BPF_SUB, R1, R3);
	emit_jmp_imm(e, BPF_JSLT, R1, 0, bad);
	/* within what the clause has allocated so far */
	emit_jmp_imm(e, BPF_JSGT, R1, c->soff - size, bad);
	vget(c, v, R2);
	normalize_reg(c, R2, l->type);
	emit_alu64_reg(e, BPF_ADD, R1, R9);
	emit_stx(e, size_code(size), R1, R2, 0);
	emit_ja(e, done);
	emit_place(e, bad);
	vget(c, a, R3);
	fault(c, n->loc, R3, EFAULT);
	emit_place(e, done);
	vpop_into(c, v, R0);
	vset(c, a, R0);
	return a;
}

void array_elem_at(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->sym;
	int es = y->type->elem->size, ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLT, R1, y->type->nelem, ok);	/* negatives too */
	emit_mov_reg(e, R3, R1);
	fault(c, n->loc, R3, ERANGE);
	emit_place(e, ok);
	if (es > 1)
		emit_alu64_imm(e, BPF_MUL, R1, es);
	emit_ld_map_value(e, R2, c->globals_map, y->off);
	emit_alu64_reg(e, BPF_ADD, R2, R1);
	emit_mov_reg(e, R1, R2);
}

int gen_alloca(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node *sz = n->args[0];
	/* a size known only at run time gets strsize bytes at most */
	int cap = sz->isconst ? (int)sz->cval : c->d->opt.strsize;
	int buf = salloc(c, cap, n->loc);
	c->skeep = c->soff;
	int v = gen(c, sz), ok = emit_label(e);
	vget(c, v, R2);
	emit_jmp_imm(e, BPF_JLE, R2, cap, ok);
	emit_mov_reg(e, R3, R2);
	fault(c, n->loc, R3, ENOSPC);
	emit_place(e, ok);
	/* zeroed the way bpf_probe_read_kernel leaves a buffer it could not
	 * read into: no loop, and the verifier knows the size */
	sptr(c, R1, buf);
	emit_mov_imm(e, R2, cap);
	emit_mov_imm(e, R3, 0);
	call(c, BPF_FUNC_probe_read_kernel);
	sptr(c, R0, buf);
	vset(c, v, R0);
	return v;
}
