/* cgstate.c - the code generator's state, which all of its files use: the
 * maps a program declares, the scratch buffer's bump allocator, the value
 * stack (r6-r8, then frame slots), the actions and their record values,
 * kernel struct offsets, the subprograms a program calls, and the
 * attachment point of a probe.  Nothing here generates an expression.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/user.h>
#include "cg.h"
#include "kbtf.h"
#include "provider_ops.h"

int map_add(struct cg *c, enum map_role role, int type, int ksize,
	    int vsize, int max, const char *name)
{
	struct prog *p = c->p;
	p->maps = arena_push(p->arena, p->maps, &p->nmaps, sizeof *p->maps);
	struct mapdef *m = &p->maps[p->nmaps - 1];
	m->role = role;
	m->type = type;
	m->ksize = ksize;
	m->vsize = vsize;
	m->max = max;
	m->fd = -1;
	m->outer = -1;
	snprintf(m->name, sizeof m->name, "%s", name);
	return p->nmaps - 1;
}

int salloc(struct cg *c, int size, struct loc loc)
{
	int off = c->soff;
	c->soff += (size + 7) & ~7;
	if (c->soff + 2 * c->d->opt.strsize > SCRATCH_MAX)	/* + slack */
		FAIL(c, loc, "clause needs more than %d bytes of scratch space "
		     "(lower strsize)", SCRATCH_MAX);
	if (c->soff > c->smax)
		c->smax = c->soff;
	return off;
}

int vpush(struct cg *c, struct loc loc)
{
	if (c->depth >= NVREGS + MAXSPILL)
		FAIL(c, loc, "expression is too complex");
	return c->depth++;
}

void vpop(struct cg *c) { c->depth--; }

/* y->keysize, the bytes of an associative array's or an aggregation's
 * map key: its keys', each in whole words (8 bytes for none) */
int sym_keysize(struct sym *y)
{
	int ks = 0;
	for (int i = 0; i < y->nkeys; i++)
		ks += (y->keys[i]->size + 7) & ~7;
	y->keysize = ks ? ks : 8;
	return y->keysize;
}

static int spill_off(int v) { return FP_SPILL - 8 * (v - NVREGS); }

/* The frame offset of n bytes no value is spilled into while the value
 * stack is as deep as now (the slots below the deepest in use), or 0 if
 * the frame has not that many left.  For a buffer used and done with
 * before the next value is pushed. */
int free_frame(struct cg *c, int n)
{
	int top = c->depth > NVREGS ? c->depth : NVREGS;
	int low = spill_off(top) + 8 - n;
	return low >= spill_off(NVREGS + MAXSPILL - 1) ? low : 0;
}

void vget(struct cg *c, int v, int reg)
{
	if (v < NVREGS) {
		if (reg != R6 + v)
			emit_mov_reg(c->e, reg, R6 + v);
	} else {
		emit_ldx(c->e, BPF_DW, reg, R10, spill_off(v));
	}
}

void vset(struct cg *c, int v, int reg)
{
	if (v < NVREGS) {
		if (reg != R6 + v)
			emit_mov_reg(c->e, R6 + v, reg);
	} else {
		emit_stx(c->e, BPF_DW, R10, reg, spill_off(v));
	}
}

/* reg = the value on top, popped.  When it was just copied from r0, the
 * copy is taken back: nothing reads a popped value's register. */
void vpop_into(struct cg *c, int v, int reg)
{
	if (v == c->depth - 1 && v < NVREGS &&
	    emit_take_mov(c->e, R6 + v, R0))
		emit_mov_reg(c->e, reg, R0);
	else
		vget(c, v, reg);
	vpop(c);
}

struct action *new_action(struct cg *c, enum action_kind k, struct loc loc)
{
	struct prog *p = c->p;
	p->actions = arena_push(p->arena, p->actions, &p->nactions,
				sizeof *p->actions);
	struct action *a = &p->actions[p->nactions - 1];
	a->kind = k;
	a->clause = c->cl ? c->cl->id : -1;
	a->prog = (int)(c->b - p->bprogs);
	a->loc = loc;
	return a;
}

void add_val(struct cg *c, struct action *a, enum recval_kind k, int off,
		    int size, bool sign)
{
	a->vals = arena_push(c->p->arena, a->vals, &a->nvals, sizeof *a->vals);
	struct recval *v = &a->vals[a->nvals - 1];
	v->kind = k;
	v->off = off;
	v->size = size;
	v->sign = sign;
}

/* x86_64's pt_regs is laid out as the user ABI's struct user_regs_struct
 * (the kernel saves the registers in the order it declares): a syscall's
 * or a uprobe's registers need no kernel BTF, whose loading (several MB
 * read and parsed) would be most of a small tool's start-up. */
static int pt_regs_ofs(const char *f)
{
#if defined(__x86_64__)
	static const struct { const char *f; int off; } r[] = {
#define R(k, u) { #k, (int)offsetof(struct user_regs_struct, u) }
		R(r15, r15), R(r14, r14), R(r13, r13), R(r12, r12), R(bp, rbp),
		R(bx, rbx), R(r11, r11), R(r10, r10), R(r9, r9), R(r8, r8),
		R(ax, rax), R(cx, rcx), R(dx, rdx), R(si, rsi), R(di, rdi),
		R(orig_ax, orig_rax), R(ip, rip), R(cs, cs), R(flags, eflags),
		R(sp, rsp), R(ss, ss),
#undef R
	};
	for (size_t i = 0; i < sizeof r / sizeof *r; i++)
		if (!strcmp(r[i].f, f))
			return r[i].off;
#else
	(void)f;
#endif
	return -1;
}

int kofs(struct cg *c, const char *sname, const char *path, struct loc loc)
{
	int ro = strcmp(sname, "pt_regs") ? -1 : pt_regs_ofs(path);
	if (ro >= 0)
		return ro;
	struct kbtf *kb = sema_kbtf(c->d);
	int off = kb ? kbtf_offsetof(kb, sname, path, NULL) : -1;
	if (off < 0)
		FAIL(c, loc, "kernel field %s.%s not found in kernel BTF", sname,
		     path);
	return off;
}

void call_subprog(struct cg *c, enum subprog sp)
{
	if (!c->sp->used[sp]) {
		c->sp->used[sp] = true;
		c->sp->label[sp] = emit_label(c->e);
	}
	emit_call_label(c->e, c->sp->label[sp]);
}

void store_literal(struct cg *c, int off, const char *s, size_t len)
{
	struct emit *e = c->e;
	size_t n = len + 1;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t w = 0;
		for (size_t j = 0; j < 4 && i + j < len; j++)
			w |= (uint32_t)(unsigned char)s[i + j] << (8 * j);
		emit_st(e, BPF_W, R9, off + (int)i, (int32_t)w);
	}
}

int probe_point(const struct probe *p)
{
	return provider_of(p)->point(p);
}
