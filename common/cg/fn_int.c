/* fn_int.c - D's subroutines of integers and addresses, each its check
 * and then its code; the table is funcs.c.  copyin( ) and alloca( ) hand
 * out scratch that lives as long as the clause. */
#include <errno.h>
#include <linux/bpf.h>
#include "cg.h"
#include "fn.h"
#include "sema.h"

/* copyin(addr, size), alloca(size): a size between 1 and 4096 when it
 * is known here */
static void want_size(struct sema *s, struct node *n, int i)
{
	struct node *a = n->args[i];

	want_int(s, n, i, "size_t");
	if (a->isconst && (a->cval <= 0 || a->cval > 4096))
		sema_fail(s, a->loc, D_PROTO_ARG, "%s( ) size must be between "
			  "1 and 4096", n->fn->name);
}

void check_copyin(struct sema *s, struct node *n)
{
	want_scalar(s, n, 0);
	want_size(s, n, 1);
	n->type = type_ptr(sema_arena(s), &t_void, false);
}

int gen_copyin(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	/* copy into scratch; the value is the buffer's kernel
	 * address (a pointer others dereference through
	 * probe_read_kernel) */
	/* a size known only at run time gets a buffer of
	 * strsize bytes: a larger one is out of scratch */
	int sz = a[1]->isconst ? (int)a[1]->cval : c->d->opt.strsize;
	int buf = salloc(c, sz, n->loc);
	c->skeep = c->soff;
	int v = gen(c, a[0]);
	if (!a[1]->isconst) {
		int w = gen(c, a[1]);
		vpop_into(c, w, R2);
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JLE, R2, sz, ok);
		emit_mov_reg(e, R3, R2);
		fault(c, n->loc, R3, ENOSPC);
		emit_place(e, ok);
	} else {
		emit_mov_imm(e, R2, sz);
	}
	vget(c, v, R3);
	emit_stx(e, BPF_DW, R10, R3, FP_K2);
	int ok = emit_label(e);
	uread(c, buf, sz, false);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, ok);
	emit_ldx(e, BPF_DW, R3, R10, FP_K2);
	fault(c, n->loc, R3, EFAULT);
	emit_place(e, ok);
	sptr(c, R0, buf);
	vset(c, v, R0);
	return v;
}

void check_alloca(struct sema *s, struct node *n)
{
	want_size(s, n, 0);
	n->type = type_ptr(sema_arena(s), &t_void, false);
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

void check_progenyof(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "pid_t");
	n->type = &t_int;
}

int gen_progenyof(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	/* walk up to 32 parents from the current task */
	int v = gen(c, a[0]);
	int rp = kofs(c, "task_struct", "real_parent", n->loc);
	int tg = kofs(c, "task_struct", "tgid", n->loc);
	call(c, BPF_FUNC_get_current_task);
	int res = vpush(c, n->loc);
	emit_mov_imm(e, R1, 0);
	vset(c, res, R1);
	int yes = emit_label(e), done = emit_label(e);
	for (int i = 0; i < 32; i++) {
		emit_stx(e, BPF_DW, R10, R0, FP_K2);
		kread(c, R1, R0, tg, 4);
		vget(c, v, R2);
		emit_jmp_reg(e, BPF_JEQ, R1, R2, yes);
		emit_jmp_imm(e, BPF_JEQ, R1, 1, done);	/* init */
		emit_jmp_imm(e, BPF_JEQ, R1, 0, done);
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
		kread(c, R0, R0, rp, 8);
		emit_jmp_imm(e, BPF_JEQ, R0, 0, done);
	}
	emit_ja(e, done);
	emit_place(e, yes);
	emit_mov_imm(e, R1, 1);
	vset(c, res, R1);
	emit_place(e, done);
	vpop_into(c, res, R0);
	vset(c, v, R0);
	return v;
}

void check_rand(struct sema *s, struct node *n)
{
	(void)s;
	n->type = &t_int;
}

int gen_rand(struct cg *c, struct node *n)
{
	call(c, BPF_FUNC_get_prandom_u32);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

/* htons( ) & co.: the type of their width */
void check_byteorder(struct sema *s, struct node *n)
{
	int bits = n->fn->param;
	bool w16 = bits == 16, w32 = bits == 32;

	want_int(s, n, 0, w16 ? "uint16_t" : w32 ? "uint32_t" : "uint64_t");
	n->type = w16 ? &t_ushort : w32 ? &t_uint : &t_ullong;
}

int gen_byteorder(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	int v = gen(c, a[0]);
	vget(c, v, R0);
	/* the entry's param: the width in bits */
	emit_insn(e, (struct bpf_insn){ .code = BPF_ALU | BPF_END | BPF_TO_BE,
				       .dst_reg = R0, .imm = n->fn->param });
	vset(c, v, R0);
	return v;
}

/* getmajor( ), getminor( ) */
void check_devpart(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "dev_t");
	n->type = &t_uint;
}

int gen_devpart(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	int v = gen(c, a[0]);
	vget(c, v, R0);
	/* Linux's kernel dev_t: major in the top 12 bits */
	if (n->fn->param == PARAM_MAJOR)
		emit_alu64_imm(e, BPF_RSH, R0, 20);
	else
		emit_alu64_imm(e, BPF_AND, R0, (1 << 20) - 1);
	vset(c, v, R0);
	return v;
}

/* func( ), sym( ), mod( ) and the user ones, uaddr( ): an address the
 * consumer names */
void check_symaddr(struct sema *s, struct node *n)
{
	struct type *t = arena_alloc(sema_arena(s), sizeof *t);

	want_scalar(s, n, 0);
	t->k = TY_SYMADDR;
	t->size = 8;
	t->user = n->fn->param == PARAM_USER;
	t->symfn = n->fn->id;
	t->name = "symbol";
	n->type = t;
}

int gen_symaddr(struct cg *c, struct node *n)
{
	struct node **a = n->args;

	return gen(c, a[0]);
}
