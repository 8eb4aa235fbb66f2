/* fn_agg.c - D's aggregating functions: the code folding a value into
 * an aggregation's (the value in r1, the aggregation's words at r0, in
 * aggfmt.h's layout), and for lquantize( ) and llquantize( ) the checks of
 * their parameters and the size they make; the table is funcs.c, the
 * aggregation's map and its @a[keys] = f(x) codegen_agg.c.  The checker's
 * @a = f(x, ...) has checked that each parameter is an integer constant,
 * and hands their values here: what is checked here is what the printer
 * and the code generator rely on. */
#include <string.h>
#include <linux/bpf.h>
#include "aggfmt.h"
#include "cg.h"
#include "fn.h"
#include "sema.h"

/* The histogram bucket at index r3 of the value r0 points at grows by the
 * optional increment, the argument after the bucket parameters: a
 * constant, as the checker requires of every argument after the first.
 * An index above max (none is: the bound is the verifier's) counts in
 * bucket dflt. */
static void bucket_add(struct cg *c, const struct node *fn, int max, int dflt)
{
	struct emit *e = c->e;
	int i = fn->fn->maxargs - 1;
	int64_t incr = fn->nargs > i ? fn->args[i]->cval : 1;
	int ok = emit_label(e);

	emit_jmp_imm(e, BPF_JLE, R3, max, ok);
	emit_mov_imm(e, R3, dflt);
	emit_place(e, ok);
	emit_alu64_imm(e, BPF_LSH, R3, 3);
	emit_alu64_reg(e, BPF_ADD, R0, R3);
	emit_ldx(e, BPF_DW, R2, R0, 0);
	emit_ld_imm64(e, R4, (uint64_t)incr);
	emit_alu64_reg(e, BPF_ADD, R2, R4);
	emit_stx(e, BPF_DW, R0, R2, 0);
}

/* The value's word at off (r0 points at the value) grows by src, or by 1
 * where src < 0.  Clobbers r2. */
static void bump(struct emit *e, int off, int src)
{
	emit_ldx(e, BPF_DW, R2, R0, off);
	if (src < 0)
		emit_alu64_imm(e, BPF_ADD, R2, 1);
	else
		emit_alu64_reg(e, BPF_ADD, R2, src);
	emit_stx(e, BPF_DW, R0, R2, off);
}

/* count( ): [0] the count */
void add_count(struct cg *c, struct node *n, struct sym *y)
{
	(void)n;
	(void)y;
	bump(c->e, 0, -1);
}

/* sum(x): [0] the sum */
void add_sum(struct cg *c, struct node *n, struct sym *y)
{
	(void)n;
	(void)y;
	bump(c->e, 0, R1);
}

/* avg(x): [0] the count, [1] the sum */
void add_avg(struct cg *c, struct node *n, struct sym *y)
{
	(void)n;
	(void)y;
	bump(c->e, 0, -1);
	bump(c->e, 8, R1);
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

	add_avg(c, n, y);	/* [0] and [1] as avg's */
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
	bucket_add(c, fn, QUANTIZE_NBUCKETS - 1, QUANTIZE_ZEROBUCKET);
}

/* lquantize(x, base, limit[, step]): step 1 unless given */
void params_lquantize(struct sema *s, struct node *n, int64_t *par)
{
	if (n->nargs < 4)
		par[2] = 1;
	if (par[2] <= 0)
		sema_fail(s, n->loc, D_LQUANT_STEPTYPE,
			  "lquantize( ) step must be greater than zero");
	if (par[1] <= par[0])
		sema_fail(s, n->loc, D_LQUANT_MISMATCH, "lquantize( ) upper "
			  "bound must be greater than lower bound");
	if ((par[1] - par[0]) / par[2] > 10000)
		sema_fail(s, n->loc, D_LQUANT_STEPSMALL,
			  "lquantize( ) has too many levels");
}

/* lquantize( ): a word a level, one below and one above the range */
int aggsize_lquantize(const struct sym *y)
{
	int64_t lo = y->aggarg[0], hi = y->aggarg[1], st = y->aggarg[2];
	return 8 * (int)((hi - lo) / st + 2);
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
	bucket_add(c, fn, levels + 1, 0);
}

/* llquantize(x, factor, low, high, steps): aggfmt.c says what is valid,
 * naming the parameter at fault */
void params_llquantize(struct sema *s, struct node *n, int64_t *par)
{
	static const enum errtag tag[] = { D_LLQUANT_STEPVAL,
		D_LLQUANT_FACTORVAL, D_LLQUANT_LMAGVAL, D_LLQUANT_HMAGVAL };
	struct agg_desc ad;
	char err[160];

	if (agg_llquantize_desc(&ad, par[0], par[1], par[2], par[3], err,
				sizeof err)) {
		const char *a = strstr(err, "argument #");
		int k = a && a[10] >= '1' && a[10] <= '3' ? a[10] - '0' : 0;
		sema_fail(s, n->loc, tag[k], "%s", err);
	}
	if (llquantize_nbuckets(&ad) > LLQUANTIZE_MAXBUCKETS)
		sema_fail(s, n->loc, D_LLQUANT_STEPVAL, "llquantize( ) has too "
			  "many buckets (%d, at most %d)",
			  llquantize_nbuckets(&ad), LLQUANTIZE_MAXBUCKETS);
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
	bucket_add(c, fn, nb - 1, nb - 1);
}
