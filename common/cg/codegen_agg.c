/* codegen_agg.c - aggregations in the kernel: @name[keys] = f(x).
 *
 * Each aggregation is a per-CPU hash map keyed by its keys; its value is
 * the int64 words of aggfmt.h's layout for the function, updated in place
 * (one CPU's copy: no atomics), and merged in user space when printed.
 */
#include <errno.h>
#include <linux/bpf.h>
#include "aggfmt.h"
#include "builtins.h"
#include "cg.h"
#include "codegen.h"
#include "codegen_stack.h"

static int agg_vsize(struct sym *y)
{
	switch (y->fn->id) {
	case F_COUNT: case F_SUM:
		return 8;
	case F_MIN: case F_MAX:
	case F_AVG:
		return 16;
	case F_STDDEV:
		return 32;	/* count, sum, sum of squares (128-bit) */
	case F_QUANTIZE:
		return 8 * QUANTIZE_NBUCKETS;
	case F_LQUANTIZE: {
		int64_t lo = y->aggarg[0], hi = y->aggarg[1], st = y->aggarg[2];
		return 8 * (int)((hi - lo) / st + 2);
	}
	case F_LLQUANTIZE: {
		struct agg_desc ad;
		char err[128];
		if (agg_llquantize_desc(&ad, y->aggarg[0], y->aggarg[1],
					y->aggarg[2], y->aggarg[3], err, sizeof err))
			return 8;
		return 8 * (int)agg_nwords(&ad);
	}
	default:
		return 8;
	}
}

static int agg_map(struct cg *c, struct sym *y)
{
	if (y->map >= 0)
		return y->map;
	int ks = 0;
	for (int i = 0; i < y->nkeys; i++)
		ks += (y->keys[i]->size + 7) & ~7;
	if (ks == 0)
		ks = 8;
	y->keysize = ks;
	y->vsize = agg_vsize(y);
	int max = (int)(c->d->opt.aggsize / (ks + y->vsize + 64));
	if (max < 16)
		max = 16;
	if (y->nkeys == 0)
		max = 1;
	char name[16];
	/* the kernel takes only [A-Za-z0-9_.] in map names: no "@" */
	snprintf(name, sizeof name, "agg_%.11s", y->name);
	y->map = map_add(c, MR_AGG, BPF_MAP_TYPE_PERCPU_HASH, ks, y->vsize, max,
			 name);
	c->p->maps[y->map].sym = y;
	return y->map;
}

/* A histogram bucket (r0 points at it, r2 holds its count) grows by the
 * optional increment, the argument after the bucket parameters: a
 * constant, as the checker requires of every argument after the first. */
static void hist_add(struct cg *c, const struct node *fn)
{
	int i = fn->fn->id == F_QUANTIZE ? 1 : fn->fn->id == F_LQUANTIZE ? 4 : 5;
	int64_t incr = fn->nargs > i ? fn->args[i]->cval : 1;

	emit_ld_imm64(c->e, 4, (uint64_t)incr);
	emit_alu64_reg(c->e, BPF_ADD, 2, 4);
}

void gen_agg(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->l->sym;
	struct node *fn = n->r;
	agg_map(c, y);
	if (agg_has_ustack(y)) {
		gen_agg_ustack(c, n);
		return;
	}
	int k = gen_key(c, n->l->args, n->l->nargs, y->keys, y->keysize, n->loc);
	/* the value being aggregated, kept on the value stack */
	int v = vpush(c, n->loc);
	if (fn->nargs > 0) {
		int x = gen(c, fn->args[0]);
		vget(c, x, 0);
		vpop(c);
	} else {
		emit_mov_imm(e, 0, 1);
	}
	vset(c, v, 0);
	/* find the entry, creating it zeroed (or at the first value for
	 * min/max) */
	int have = emit_label(e), done = emit_label(e);
	map_lookup_scratch(c, y->map, k);
	emit_jmp_imm(e, BPF_JNE, 0, 0, have);
	int init = salloc(c, y->vsize, n->loc);
	for (int i = 0; i < y->vsize; i += 8)
		emit_st(e, BPF_DW, 9, init + i, 0);
	ld_map(c, 1, y->map);
	sptr(c, 2, k);
	sptr(c, 3, init);
	emit_mov_imm(e, 4, BPF_NOEXIST);
	call(c, BPF_FUNC_map_update_elem);
	int again = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, 0, 0, again);
	emit_jmp_imm(e, BPF_JEQ, 0, -EEXIST, again);
	count_drop(c, DROP_AGG);
	emit_ja(e, done);
	emit_place(e, again);
	map_lookup_scratch(c, y->map, k);
	emit_jmp_imm(e, BPF_JEQ, 0, 0, done);
	emit_place(e, have);
	/* r0 = value pointer, r1 = x.  A per-CPU map: no atomics needed. */
	vget(c, v, 1);
	switch (y->fn->id) {
	case F_COUNT:
		emit_ldx(e, BPF_DW, 2, 0, 0);
		emit_alu64_imm(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 0);
		break;
	case F_SUM:
		emit_ldx(e, BPF_DW, 2, 0, 0);
		emit_alu64_reg(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 0);
		break;
	case F_AVG:
		emit_ldx(e, BPF_DW, 2, 0, 0);
		emit_alu64_imm(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 0);
		emit_ldx(e, BPF_DW, 2, 0, 8);
		emit_alu64_reg(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 8);
		break;
	case F_MIN: case F_MAX: {
		/* [0] value, [1] values seen: another CPU's slot of a key made
		 * elsewhere is all zeros and must not let 0 win */
		int skip = emit_label(e), set = emit_label(e);
		emit_ldx(e, BPF_DW, 2, 0, 8);
		emit_jmp_imm(e, BPF_JEQ, 2, 0, set);
		emit_ldx(e, BPF_DW, 2, 0, 0);
		emit_jmp_reg(e, y->fn->id == F_MIN ? BPF_JSGE : BPF_JSLE, 1, 2, skip);
		emit_place(e, set);
		emit_stx(e, BPF_DW, 0, 1, 0);
		emit_st(e, BPF_DW, 0, 8, 1);
		emit_place(e, skip);
		break;
	}
	case F_STDDEV: {
		emit_ldx(e, BPF_DW, 2, 0, 0);
		emit_alu64_imm(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 0);
		emit_ldx(e, BPF_DW, 2, 0, 8);
		emit_alu64_reg(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 8);
		/* sum of squares as 128 bits: lo at 16, hi at 24.  x*x
		 * needs all 128 bits (5e9 squared is past 2^64): with
		 * |x| = a*2^32 + b, x*x = a*a*2^64 + 2ab*2^32 + b*b */
		int pos = emit_label(e), nc1 = emit_label(e), nc2 = emit_label(e);
		emit_mov_reg(e, 3, 1);
		emit_jmp_imm(e, BPF_JSGE, 3, 0, pos);
		emit_alu64_imm(e, BPF_NEG, 3, 0);
		emit_place(e, pos);
		emit_mov_reg(e, 4, 3);
		emit_alu64_imm(e, BPF_RSH, 4, 32);		/* a */
		emit_alu64_imm(e, BPF_LSH, 3, 32);
		emit_alu64_imm(e, BPF_RSH, 3, 32);		/* b */
		emit_mov_reg(e, 5, 3);
		emit_alu64_reg(e, BPF_MUL, 5, 3);		/* b*b */
		emit_ldx(e, BPF_DW, 2, 0, 16);
		emit_alu64_reg(e, BPF_ADD, 5, 2);
		emit_stx(e, BPF_DW, 0, 5, 16);
		emit_jmp_reg(e, BPF_JGE, 5, 2, nc1);
		emit_ldx(e, BPF_DW, 2, 0, 24);
		emit_alu64_imm(e, BPF_ADD, 2, 1);
		emit_stx(e, BPF_DW, 0, 2, 24);
		emit_place(e, nc1);
		emit_mov_reg(e, 5, 4);
		emit_alu64_reg(e, BPF_MUL, 5, 3);		/* ab */
		emit_mov_reg(e, 3, 5);
		emit_alu64_imm(e, BPF_LSH, 3, 33);		/* 2ab*2^32, low */
		emit_alu64_imm(e, BPF_RSH, 5, 31);		/* and high */
		emit_ldx(e, BPF_DW, 2, 0, 16);
		emit_alu64_reg(e, BPF_ADD, 3, 2);
		emit_stx(e, BPF_DW, 0, 3, 16);
		emit_jmp_reg(e, BPF_JGE, 3, 2, nc2);
		emit_alu64_imm(e, BPF_ADD, 5, 1);
		emit_place(e, nc2);
		emit_alu64_reg(e, BPF_MUL, 4, 4);		/* a*a */
		emit_alu64_reg(e, BPF_ADD, 4, 5);
		emit_ldx(e, BPF_DW, 2, 0, 24);
		emit_alu64_reg(e, BPF_ADD, 2, 4);
		emit_stx(e, BPF_DW, 0, 2, 24);
		break;
	}
	case F_QUANTIZE: {
		/* bucket: 63 for 0, 63 +/- (highest set bit + 1) */
		emit_mov_reg(e, 2, 1);
		int pos = emit_label(e), hb = emit_label(e);
		emit_mov_imm(e, 4, 1);			/* sign */
		emit_jmp_imm(e, BPF_JSGE, 2, 0, pos);
		emit_alu64_imm(e, BPF_NEG, 2, 0);
		emit_mov_imm(e, 4, -1);
		emit_place(e, pos);
		/* r3 = number of significant bits of r2 (binary search) */
		emit_mov_imm(e, 3, 0);
		static const int steps[] = { 32, 16, 8, 4, 2, 1 };
		for (int i = 0; i < 6; i++) {
			int nx = emit_label(e);
			emit_mov_reg(e, 5, 2);
			emit_alu64_imm(e, BPF_RSH, 5, steps[i]);
			emit_jmp_imm(e, BPF_JEQ, 5, 0, nx);
			emit_mov_reg(e, 2, 5);
			emit_alu64_imm(e, BPF_ADD, 3, steps[i]);
			emit_place(e, nx);
		}
		emit_alu64_reg(e, BPF_ADD, 3, 2);	/* + the last bit */
		emit_place(e, hb);
		emit_alu64_reg(e, BPF_MUL, 3, 4);
		emit_alu64_imm(e, BPF_ADD, 3, QUANTIZE_ZEROBUCKET);
		/* bounds for the verifier */
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JLE, 3, QUANTIZE_NBUCKETS - 1, ok);
		emit_mov_imm(e, 3, QUANTIZE_ZEROBUCKET);
		emit_place(e, ok);
		emit_alu64_imm(e, BPF_LSH, 3, 3);
		emit_alu64_reg(e, BPF_ADD, 0, 3);
		emit_ldx(e, BPF_DW, 2, 0, 0);
		hist_add(c, fn);
		emit_stx(e, BPF_DW, 0, 2, 0);
		break;
	}
	case F_LQUANTIZE: {
		int64_t lo = y->aggarg[0], hi = y->aggarg[1], st = y->aggarg[2];
		int levels = (int)((hi - lo) / st);
		int under = emit_label(e), over = emit_label(e), go = emit_label(e);
		emit_ld_imm64(e, 2, (uint64_t)lo);
		emit_jmp_reg(e, BPF_JSLT, 1, 2, under);
		emit_ld_imm64(e, 2, (uint64_t)hi);
		emit_jmp_reg(e, BPF_JSGE, 1, 2, over);
		emit_mov_reg(e, 3, 1);
		emit_ld_imm64(e, 2, (uint64_t)lo);
		emit_alu64_reg(e, BPF_SUB, 3, 2);
		emit_ld_imm64(e, 2, (uint64_t)st);
		emit_alu64_reg(e, BPF_DIV, 3, 2);
		emit_alu64_imm(e, BPF_ADD, 3, 1);
		emit_ja(e, go);
		emit_place(e, under);
		emit_mov_imm(e, 3, 0);
		emit_ja(e, go);
		emit_place(e, over);
		emit_mov_imm(e, 3, levels + 1);
		emit_place(e, go);
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JLE, 3, levels + 1, ok);
		emit_mov_imm(e, 3, 0);
		emit_place(e, ok);
		emit_alu64_imm(e, BPF_LSH, 3, 3);
		emit_alu64_reg(e, BPF_ADD, 0, 3);
		emit_ldx(e, BPF_DW, 2, 0, 0);
		hist_add(c, fn);
		emit_stx(e, BPF_DW, 0, 2, 0);
		break;
	}
	case F_LLQUANTIZE: {
		/* aggfmt.c's llquantize_bucket with every magnitude's
		 * constants computed here: one compare and one unsigned
		 * division per magnitude, no loop.  The first compare is
		 * signed (negatives go to bucket 0), the others unsigned
		 * (factor^(order+1) may pass INT64_MAX). */
		struct agg_desc ad;
		struct llq_mag m;
		char err[160];
		int base = 1;
		int go = emit_label(e);
		if (agg_llquantize_desc(&ad, y->aggarg[0], y->aggarg[1], y->aggarg[2],
					y->aggarg[3], err, sizeof err))
			FAIL(c, n->loc, "%s", err);
		llq_first(&ad, &m);
		emit_mov_imm(e, 3, 0);
		emit_ld_imm64(e, 2, m.last);
		emit_jmp_reg(e, BPF_JSLT, 1, 2, go);
		do {
			int nxt = emit_label(e);
			emit_ld_imm64(e, 2, m.this);
			emit_jmp_reg(e, BPF_JGE, 1, 2, nxt);
			emit_mov_reg(e, 3, 1);
			emit_ld_imm64(e, 2, m.width);
			emit_alu64_reg(e, BPF_DIV, 3, 2);
			emit_alu64_imm(e, BPF_ADD, 3, base - (int)m.skip);
			emit_ja(e, go);
			emit_place(e, nxt);
			base += (int)(m.n - m.skip);
		} while (llq_next(&ad, &m));
		emit_mov_imm(e, 3, base);
		emit_place(e, go);
		int nb = y->vsize / 8;
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JLT, 3, nb, ok);
		emit_mov_imm(e, 3, nb - 1);
		emit_place(e, ok);
		emit_alu64_imm(e, BPF_LSH, 3, 3);
		emit_alu64_reg(e, BPF_ADD, 0, 3);
		emit_ldx(e, BPF_DW, 2, 0, 0);
		hist_add(c, fn);
		emit_stx(e, BPF_DW, 0, 2, 0);
		break;
	}
	default:
		FAIL(c, n->loc, "%s( ) is not supported yet", fn->name);
	}
	emit_place(e, done);
	vpop(c);
}
