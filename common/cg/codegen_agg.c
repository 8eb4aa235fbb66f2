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
#include "fn.h"

/* Does the aggregation have a ustack() key?  Then each event is sent to
 * user space, which unwinds it and aggregates (gen_agg_ustack). */
static bool agg_has_ustack(const struct sym *y)
{
	for (int i = 0; i < y->nkeys; i++)
		if (y->keys[i]->k == TY_STACK && y->keys[i]->user)
			return true;
	return false;
}

/* The increment argument of a histogram, if given. */
static struct node *agg_incr(struct node *fn)
{
	int at = fn->fn->maxargs - 1;
	return (fn->fn->flags & FN_INCR) && fn->nargs > at ? fn->args[at] :
		NULL;
}

/* [hdr][x][incr][key][block]: the user stack slots of the key are left
 * zero for the consumer to fill. */
static void gen_agg_ustack(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->l->sym;
	struct node *fn = n->r, **keys = n->l->args;
	struct action *a = new_action(c, ACT_USTACK_AGG, n->loc);
	int ai = (int)(a - c->p->actions);
	int head = 24 + ((y->keysize + 7) & ~7);
	int max = head + block_max(c, n->loc);
	int rec = salloc(c, max, n->loc);
	a->agg = y;
	a->recsize = max;
	for (int i = 0; i < y->keysize; i += 8)
		emit_st(e, BPF_DW, R9, rec + 24 + i, 0);
	int off = 0;
	for (int i = 0; i < y->nkeys; i++) {
		struct type *t = y->keys[i];
		int at = rec + 24 + off;
		if (type_is_string(t)) {
			gen_key_str(c, keys[i], t, at);
		} else if (t->k == TY_STACK && !t->user) {
			gen_kstack_key(c, t, at);
		} else if (t->k != TY_STACK) {
			gen_key_scalar(c, keys[i], t, at);
		} else {
			add_val(c, &c->p->actions[ai], RV_USTACK, 24 + off,
				t->nelem, false);
		}
		off += (t->size + 7) & ~7;
	}
	struct node *incr = agg_incr(fn);
	if (fn->nargs > 0) {
		int v = gen(c, fn->args[0]);
		vpop_into(c, v, R0);
	} else {
		emit_mov_imm(e, R0, 1);
	}
	emit_stx(e, BPF_DW, R9, R0, rec + 8);
	if (incr) {
		int v = gen(c, incr);
		vpop_into(c, v, R0);
	} else {
		emit_mov_imm(e, R0, 1);
	}
	emit_stx(e, BPF_DW, R9, R0, rec + 16);
	/* the block's place is the record's last value */
	add_val(c, &c->p->actions[ai], RV_BUF, head, 0, false);
	rec_header(c, rec, &c->p->actions[ai]);
	int wake = gen_ustack_block(c, rec + head, n->loc);
	ring_output_var(c, rec, head, max, wake);
}

/* lquantize( ): a word a level, one below and one above the range */
int aggsize_lquantize(const struct sym *y)
{
	int64_t lo = y->aggarg[0], hi = y->aggarg[1], st = y->aggarg[2];
	return 8 * (int)((hi - lo) / st + 2);
}

/* llquantize( ): a word a bucket of every magnitude */
int aggsize_llquantize(const struct sym *y)
{
	struct agg_desc ad;
	char err[128];
	if (agg_llquantize_desc(&ad, y->aggarg[0], y->aggarg[1],
				y->aggarg[2], y->aggarg[3], err, sizeof err))
		return 8;
	return 8 * (int)agg_nwords(&ad);
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
	y->vsize = y->fn->agg_size ? y->fn->agg_size(y) : y->fn->aggbytes;
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

/* The kernel lets a program use at most 64 maps (MAX_USED_MAPS), and each
 * aggregation is a map; DTrace lets a script have as many aggregations as
 * it likes.  So when a program has more variables in maps than fit beside
 * the engine's own, the aggregations of one shape (type, key and value
 * size, entries) go in an array of maps: a program looks an aggregation's
 * map up by its slot (agg_ld_map), and user space reads each one as it
 * reads any aggregation. */
#define MAPS_DIRECT_MAX 40

void agg_group_maps(struct cg *c)
{
	struct prog *p = c->p;
	int n = 0;
	for (struct sym *y = p->syms; y; y = y->next)
		n += y->kind == S_AGG || y->kind == S_ASSOC || y->kind == S_SELF;
	if (n <= MAPS_DIRECT_MAX)
		return;
	for (struct sym *y = p->syms; y; y = y->next)
		if (y->kind == S_AGG && !agg_has_ustack(y))
			agg_map(c, y);
	int nmaps = p->nmaps;
	for (int i = 0; i < nmaps; i++) {
		const struct mapdef *m = &p->maps[i];
		if (m->role != MR_AGG || m->outer >= 0 || agg_has_ustack(m->sym))
			continue;
		int same = 0;
		for (int j = i; j < nmaps; j++) {
			const struct mapdef *o = &p->maps[j];
			same += o->role == MR_AGG && o->outer < 0 &&
				o->type == m->type && o->ksize == m->ksize &&
				o->vsize == m->vsize && o->max == m->max &&
				!agg_has_ustack(o->sym);
		}
		if (same < 2)
			continue;
		char name[16];
		snprintf(name, sizeof name, "aggs_%d", i);
		int g = map_add(c, MR_AGGS, BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4,
				same, name);
		int slot = 0;
		m = &p->maps[i];	/* map_add moved them */
		for (int j = i; j < nmaps; j++) {
			struct mapdef *o = &p->maps[j];
			if (o->role == MR_AGG && o->outer < 0 &&
			    o->type == m->type && o->ksize == m->ksize &&
			    o->vsize == m->vsize && o->max == m->max &&
			    !agg_has_ustack(o->sym)) {
				o->outer = g;
				o->slot = slot++;
			}
		}
	}
}

/* r1 = y's map; to done if it cannot be had (an empty slot: never) */
static void agg_ld_map(struct cg *c, struct sym *y, int done, struct loc loc)
{
	const struct mapdef *m = &c->p->maps[y->map];
	if (m->outer < 0) {
		ld_map(c, R1, y->map);
		return;
	}
	int k = salloc(c, 8, loc);
	emit_st(c->e, BPF_W, R9, k, m->slot);
	map_lookup_scratch(c, m->outer, k);
	emit_jmp_imm(c->e, BPF_JEQ, R0, 0, done);
	emit_mov_reg(c->e, R1, R0);
}

/* A histogram bucket (r0 points at it, r2 holds its count) grows by the
 * optional increment, the argument after the bucket parameters: a
 * constant, as the checker requires of every argument after the first. */
static void hist_add(struct cg *c, const struct node *fn)
{
	int i = fn->fn->maxargs - 1;
	int64_t incr = fn->nargs > i ? fn->args[i]->cval : 1;

	emit_ld_imm64(c->e, R4, (uint64_t)incr);
	emit_alu64_reg(c->e, BPF_ADD, R2, R4);
}

/* count( ): [0] the count */
void add_count(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;

	(void)n;
	(void)y;
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_alu64_imm(e, BPF_ADD, R2, 1);
	emit_stx(e, BPF_DW, R0, R2, 0);
}

/* sum(x): [0] the sum */
void add_sum(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;

	(void)n;
	(void)y;
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_alu64_reg(e, BPF_ADD, R2, R1);
	emit_stx(e, BPF_DW, R0, R2, 0);
}

/* avg(x): [0] the count, [1] the sum */
void add_avg(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;

	(void)n;
	(void)y;
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_alu64_imm(e, BPF_ADD, R2, 1);
	emit_stx(e, BPF_DW, R0, R2, 0);
	emit_ldx(e, BPF_DW, R2, R0, 8);
	emit_alu64_reg(e, BPF_ADD, R2, R1);
	emit_stx(e, BPF_DW, R0, R2, 8);
}

/* min(x), max(x) */
void add_minmax(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;

	(void)n;
	/* [0] value, [1] values seen: another CPU's slot of a key made
	 * elsewhere is all zeros and must not let 0 win */
	int skip = emit_label(e), set = emit_label(e);
	emit_ldx(e, BPF_DW, R2, R0, 8);
	emit_jmp_imm(e, BPF_JEQ, R2, 0, set);
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_jmp_reg(e, y->fn->param, R1, R2, skip);
	emit_place(e, set);
	emit_stx(e, BPF_DW, R0, R1, 0);
	emit_st(e, BPF_DW, R0, 8, 1);
	emit_place(e, skip);
}

/* stddev(x): [0] the count, [1] the sum, [2..3] the sum of squares */
void add_stddev(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;

	(void)n;
	(void)y;
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_alu64_imm(e, BPF_ADD, R2, 1);
	emit_stx(e, BPF_DW, R0, R2, 0);
	emit_ldx(e, BPF_DW, R2, R0, 8);
	emit_alu64_reg(e, BPF_ADD, R2, R1);
	emit_stx(e, BPF_DW, R0, R2, 8);
	/* sum of squares as 128 bits: lo at 16, hi at 24.  x*x
	 * needs all 128 bits (5e9 squared is past 2^64): with
	 * |x| = a*2^32 + b, x*x = a*a*2^64 + 2ab*2^32 + b*b */
	int pos = emit_label(e), nc1 = emit_label(e), nc2 = emit_label(e);
	emit_mov_reg(e, R3, R1);
	emit_jmp_imm(e, BPF_JSGE, R3, 0, pos);
	emit_alu64_imm(e, BPF_NEG, R3, 0);
	emit_place(e, pos);
	emit_mov_reg(e, R4, R3);
	emit_alu64_imm(e, BPF_RSH, R4, 32);		/* a */
	emit_alu64_imm(e, BPF_LSH, R3, 32);
	emit_alu64_imm(e, BPF_RSH, R3, 32);		/* b */
	emit_mov_reg(e, R5, R3);
	emit_alu64_reg(e, BPF_MUL, R5, R3);		/* b*b */
	emit_ldx(e, BPF_DW, R2, R0, 16);
	emit_alu64_reg(e, BPF_ADD, R5, R2);
	emit_stx(e, BPF_DW, R0, R5, 16);
	emit_jmp_reg(e, BPF_JGE, R5, R2, nc1);
	emit_ldx(e, BPF_DW, R2, R0, 24);
	emit_alu64_imm(e, BPF_ADD, R2, 1);
	emit_stx(e, BPF_DW, R0, R2, 24);
	emit_place(e, nc1);
	emit_mov_reg(e, R5, R4);
	emit_alu64_reg(e, BPF_MUL, R5, R3);		/* ab */
	emit_mov_reg(e, R3, R5);
	emit_alu64_imm(e, BPF_LSH, R3, 33);		/* 2ab*2^32, low */
	emit_alu64_imm(e, BPF_RSH, R5, 31);		/* and high */
	emit_ldx(e, BPF_DW, R2, R0, 16);
	emit_alu64_reg(e, BPF_ADD, R3, R2);
	emit_stx(e, BPF_DW, R0, R3, 16);
	emit_jmp_reg(e, BPF_JGE, R3, R2, nc2);
	emit_alu64_imm(e, BPF_ADD, R5, 1);
	emit_place(e, nc2);
	emit_alu64_reg(e, BPF_MUL, R4, R4);		/* a*a */
	emit_alu64_reg(e, BPF_ADD, R4, R5);
	emit_ldx(e, BPF_DW, R2, R0, 24);
	emit_alu64_reg(e, BPF_ADD, R2, R4);
	emit_stx(e, BPF_DW, R0, R2, 24);
}

/* quantize(x[, incr]): power-of-two buckets */
void add_quantize(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;
	struct node *fn = n->r;

	(void)y;
	/* bucket: 63 for 0, 63 +/- (highest set bit + 1) */
	emit_mov_reg(e, R2, R1);
	int pos = emit_label(e), hb = emit_label(e);
	emit_mov_imm(e, R4, 1);			/* sign */
	emit_jmp_imm(e, BPF_JSGE, R2, 0, pos);
	emit_alu64_imm(e, BPF_NEG, R2, 0);
	emit_mov_imm(e, R4, -1);
	emit_place(e, pos);
	/* r3 = number of significant bits of r2 (binary search) */
	emit_mov_imm(e, R3, 0);
	static const int steps[] = { 32, 16, 8, 4, 2, 1 };
	for (int i = 0; i < 6; i++) {
		int nx = emit_label(e);
		emit_mov_reg(e, R5, R2);
		emit_alu64_imm(e, BPF_RSH, R5, steps[i]);
		emit_jmp_imm(e, BPF_JEQ, R5, 0, nx);
		emit_mov_reg(e, R2, R5);
		emit_alu64_imm(e, BPF_ADD, R3, steps[i]);
		emit_place(e, nx);
	}
	emit_alu64_reg(e, BPF_ADD, R3, R2);	/* + the last bit */
	emit_place(e, hb);
	emit_alu64_reg(e, BPF_MUL, R3, R4);
	emit_alu64_imm(e, BPF_ADD, R3, QUANTIZE_ZEROBUCKET);
	/* bounds for the verifier */
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLE, R3, QUANTIZE_NBUCKETS - 1, ok);
	emit_mov_imm(e, R3, QUANTIZE_ZEROBUCKET);
	emit_place(e, ok);
	emit_alu64_imm(e, BPF_LSH, R3, 3);
	emit_alu64_reg(e, BPF_ADD, R0, R3);
	emit_ldx(e, BPF_DW, R2, R0, 0);
	hist_add(c, fn);
	emit_stx(e, BPF_DW, R0, R2, 0);
}

/* lquantize(x, lo, hi[, step[, incr]]) */
void add_lquantize(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;
	struct node *fn = n->r;

	int64_t lo = y->aggarg[0], hi = y->aggarg[1], st = y->aggarg[2];
	int levels = (int)((hi - lo) / st);
	int under = emit_label(e), over = emit_label(e), go = emit_label(e);
	emit_ld_imm64(e, R2, (uint64_t)lo);
	emit_jmp_reg(e, BPF_JSLT, R1, R2, under);
	emit_ld_imm64(e, R2, (uint64_t)hi);
	emit_jmp_reg(e, BPF_JSGE, R1, R2, over);
	emit_mov_reg(e, R3, R1);
	emit_ld_imm64(e, R2, (uint64_t)lo);
	emit_alu64_reg(e, BPF_SUB, R3, R2);
	emit_ld_imm64(e, R2, (uint64_t)st);
	emit_alu64_reg(e, BPF_DIV, R3, R2);
	emit_alu64_imm(e, BPF_ADD, R3, 1);
	emit_ja(e, go);
	emit_place(e, under);
	emit_mov_imm(e, R3, 0);
	emit_ja(e, go);
	emit_place(e, over);
	emit_mov_imm(e, R3, levels + 1);
	emit_place(e, go);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLE, R3, levels + 1, ok);
	emit_mov_imm(e, R3, 0);
	emit_place(e, ok);
	emit_alu64_imm(e, BPF_LSH, R3, 3);
	emit_alu64_reg(e, BPF_ADD, R0, R3);
	emit_ldx(e, BPF_DW, R2, R0, 0);
	hist_add(c, fn);
	emit_stx(e, BPF_DW, R0, R2, 0);
}

/* llquantize(x, factor, lo, hi, steps[, incr]) */
void add_llquantize(struct cg *c, struct node *n, struct sym *y)
{
	struct emit *e = c->e;
	struct node *fn = n->r;

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
	emit_mov_imm(e, R3, 0);
	emit_ld_imm64(e, R2, m.last);
	emit_jmp_reg(e, BPF_JSLT, R1, R2, go);
	do {
		int nxt = emit_label(e);
		emit_ld_imm64(e, R2, m.this);
		emit_jmp_reg(e, BPF_JGE, R1, R2, nxt);
		emit_mov_reg(e, R3, R1);
		emit_ld_imm64(e, R2, m.width);
		emit_alu64_reg(e, BPF_DIV, R3, R2);
		emit_alu64_imm(e, BPF_ADD, R3, base - (int)m.skip);
		emit_ja(e, go);
		emit_place(e, nxt);
		base += (int)(m.n - m.skip);
	} while (llq_next(&ad, &m));
	emit_mov_imm(e, R3, base);
	emit_place(e, go);
	int nb = y->vsize / 8;
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLT, R3, nb, ok);
	emit_mov_imm(e, R3, nb - 1);
	emit_place(e, ok);
	emit_alu64_imm(e, BPF_LSH, R3, 3);
	emit_alu64_reg(e, BPF_ADD, R0, R3);
	emit_ldx(e, BPF_DW, R2, R0, 0);
	hist_add(c, fn);
	emit_stx(e, BPF_DW, R0, R2, 0);
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
		vpop_into(c, x, R0);
	} else {
		emit_mov_imm(e, R0, 1);
	}
	vset(c, v, R0);
	/* find the entry, creating it zeroed (or at the first value for
	 * min/max) */
	int have = emit_label(e), done = emit_label(e);
	agg_ld_map(c, y, done, n->loc);
	sptr(c, R2, k);
	call(c, BPF_FUNC_map_lookup_elem);
	emit_jmp_imm(e, BPF_JNE, R0, 0, have);
	int init = salloc(c, y->vsize, n->loc);
	for (int i = 0; i < y->vsize; i += 8)
		emit_st(e, BPF_DW, R9, init + i, 0);
	agg_ld_map(c, y, done, n->loc);
	sptr(c, R2, k);
	sptr(c, R3, init);
	emit_mov_imm(e, R4, BPF_NOEXIST);
	call(c, BPF_FUNC_map_update_elem);
	int again = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, again);
	emit_jmp_imm(e, BPF_JEQ, R0, -EEXIST, again);
	count_drop(c, DROP_AGG);
	emit_ja(e, done);
	emit_place(e, again);
	agg_ld_map(c, y, done, n->loc);
	sptr(c, R2, k);
	call(c, BPF_FUNC_map_lookup_elem);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, done);
	emit_place(e, have);
	/* r0 = value pointer, r1 = x.  A per-CPU map: no atomics needed. */
	vget(c, v, R1);
	if (!y->fn->agg_add)
		FAIL(c, n->loc, "%s( ) is not supported yet", fn->name);
	y->fn->agg_add(c, n, y);
	emit_place(e, done);
	vpop(c);
}
