/* aggfmt.h - DTrace's aggregations in user space: the value layouts the
 * kernel side fills, the bucket arithmetic the code generator mirrors in
 * BPF, merging per-CPU values, sorting, and printing (the default layout,
 * the quantize/lquantize/llquantize histograms, and printa with a format).
 *
 * Value layouts: an aggregation's value is an array of int64 words (one BPF
 * map value; per-CPU copies merge with agg_merge()):
 *
 *   AGG_COUNT       [0] count
 *   AGG_SUM         [0] sum
 *   AGG_AVG         [0] count  [1] sum
 *   AGG_MIN/MAX     [0] value  [1] number of values seen.  A per-CPU slot
 *                   that saw nothing is all zeros (BPF zero-fills the other
 *                   CPUs' copies of a new key), and [1] == 0 tells the merge
 *                   to ignore it, so no "0" ever wins a min().
 *   AGG_STDDEV      [0] count  [1] sum  [2] low and [3] high 64 bits of
 *                   the sum of squares (128-bit: |x|*|x| added with carry)
 *   AGG_QUANTIZE    [0..126] buckets: 63 is 0, 64+k holds [2^k, 2^(k+1)),
 *                   62-k holds (-2^(k+1), -2^k]; 126 and 0 take the rest
 *   AGG_LQUANTIZE   [0] below lo, [1..levels] one step each from lo,
 *                   [levels+1] at or above lo + levels*step
 *   AGG_LLQUANTIZE  [0] below factor^low, then for each magnitude the
 *                   linear steps DTrace uses, then one bucket at or above
 *                   factor^(high+1): llquantize_nbuckets() words
 *
 * Output follows illumos dt_consume.c.  An entry of the default layout is
 * its keys then its value(s) then "\n": integer keys " %16lld" (4, 2 and
 * 1-byte ones " %8d", " %5d", " %3d"), string keys "  %-50s", stack keys a
 * newline and one frame a line; count/sum/min/max/avg " %16lld", stddev
 * " %16llu"; a histogram starts on a new line with its header and ends
 * with its last row.  What comes around the entries is the caller's: dtrace
 * prints one "\n" before printing all aggregations at exit (then every
 * aggregation's entries follow each other without separators), and a
 * printa() without a format prints "\n" before its entries.
 */
#ifndef DTK_AGGFMT_H
#define DTK_AGGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fmt.h"

enum agg_func { AGG_COUNT, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_STDDEV,
		AGG_QUANTIZE, AGG_LQUANTIZE, AGG_LLQUANTIZE };

#define QUANTIZE_NBUCKETS 127
#define QUANTIZE_ZEROBUCKET 63
/* The checker's limit on an llquantize value (lquantize's is 10000 levels):
 * one aggregation key's value is one BPF map value of 8 bytes a bucket. */
#define LLQUANTIZE_MAXBUCKETS 10002

struct agg_desc {
	enum agg_func func;
	int32_t base;			/* lquantize: lo */
	uint16_t step, levels;		/* lquantize: levels = (hi - lo) / step */
	uint16_t factor, low, high, nsteps;	/* llquantize */
};

/* Fill in an lquantize/llquantize descriptor from the D arguments, checking
 * them as DTrace does.  0, or -1 with DTrace's message in err ("lquantize( )
 * step (argument #3) too large: must have at least one quantization
 * level"). */
int agg_lquantize_desc(struct agg_desc *d, int64_t lo, int64_t hi, int64_t step,
		       char *err, size_t errlen);
int agg_llquantize_desc(struct agg_desc *d, int64_t factor, int64_t low, int64_t high,
			int64_t nsteps, char *err, size_t errlen);

/* Number of int64 words of a value; agg_init() gives the empty value. */
size_t agg_nwords(const struct agg_desc *d);
int llquantize_nbuckets(const struct agg_desc *d);
void agg_init(const struct agg_desc *d, int64_t *v);

/* llquantize's magnitudes, low to high: magnitude `order` covers
 * [last, this) = [factor^order, factor^(order+1)) with n = min(this, nsteps)
 * buckets of `width` = this / n, counted from 0; the first `skip` =
 * last / width of them lie below `last` and do not exist, so the bucket of
 * x is x / width - skip (plus the buckets of the magnitudes before).  When
 * nsteps < factor, skip is 0 and the first bucket starts at `last` rather
 * than at a multiple of width (factor 10, 5 steps: 1 2 4 6 8 | 10 20 40 ...).
 * Everything is unsigned: factor^(high+1) may pass INT64_MAX. */
struct llq_mag { int order; uint64_t last, this, n, width, skip; };
void llq_first(const struct agg_desc *d, struct llq_mag *m);
bool llq_next(const struct agg_desc *d, struct llq_mag *m);
/* The lower bound bucket j (skip <= j < n) of a magnitude is labelled with */
static inline uint64_t llq_label(const struct llq_mag *m, uint64_t j)
{
	return j * m->width > m->last ? j * m->width : m->last;
}

/* Bucket of a value.  The code generator emits the same arithmetic:
 *
 * quantize_bucket(x): no loop, no division.  msb(u) is the index of the
 * highest set bit, found by a 6-step binary search (u >> 32 nonzero? add
 * 32 and shift; then 16, 8, 4, 2, 1):
 *	x == 0  ->  63
 *	x > 0   ->  64 + msb(x)                    (at most 126)
 *	x < 0   ->  62 - min(msb(-(uint64)x), 62)  (INT64_MIN: 0)
 *
 * lquantize_bucket(x): one unsigned division (BPF's only kind), only where
 * x >= lo so that x - lo is non-negative:
 *	x < lo                      ->  0
 *	(u64)(x - lo) / step < levels  ->  that + 1
 *	otherwise                   ->  levels + 1
 * (DTrace truncates x to 32 bits first; dtk compares all 64.)
 *
 * llquantize_bucket(x): the walk over magnitudes above, whose constants
 * are all known at compile time, so it unrolls into high - low + 1 steps:
 *	x < factor^low (signed: negatives too) -> 0; then base = 1 and for
 *	each magnitude: if (u64)x < this: return base + x / width - skip;
 *	base += n - skip; and past the last magnitude: base. */
int quantize_bucket(int64_t x);
int lquantize_bucket(const struct agg_desc *d, int64_t x);
int llquantize_bucket(const struct agg_desc *d, int64_t x);
/* The lower bound a quantize bucket is labelled with: 0, 1, 2, 4, ... -1, -2 */
int64_t quantize_bucket_value(int bucket);

/* What the kernel side does for `@[...] = f(x)` (with incr for the
 * histograms' optional increment argument): the reference for the BPF. */
void agg_add(const struct agg_desc *d, int64_t *v, int64_t x, int64_t incr);

/* dst = dst (+) src: per-CPU copies into one. */
void agg_merge(const struct agg_desc *d, int64_t *dst, const int64_t *src);

/* The number DTrace sorts by: count/sum/min/max the value, avg the mean,
 * stddev the deviation, histograms the sum of bucket value x count. */
long double agg_value_for_sort(const struct agg_desc *d, const int64_t *v);
/* stddev() as DTrace computes it (integer arithmetic, 128-bit). */
uint64_t agg_stddev(const int64_t *v, uint64_t normal);

/* --- sorting ------------------------------------------------------------ */

struct agg_sortopts {
	bool keysort;		/* aggsortkey: by keys first */
	bool revsort;		/* aggsortrev: everything reversed */
	int keypos;		/* aggsortkeypos: which key compares first */
	int sortpos;		/* aggsortpos: which of printa's aggregations sorts */
};

struct agg_entry {
	int varid;			/* aggregation variable, in declaration order */
	const struct fmt_val *keys;	/* FV_INT, FV_STR, FV_STACK */
	int nkeys;
	const struct agg_desc *desc;
	const int64_t *data;		/* merged value */
};

/* DTrace's order: by variable, then by value (ties by keys), or with
 * keysort by keys (ties by value).  Integer keys compare unsigned at
 * their size, strings bytewise. */
int agg_cmp(const struct agg_entry *a, const struct agg_entry *b, const struct agg_sortopts *o);
/* Key tuples compared as DTrace orders them (0: the same keys). */
int agg_keys_cmp(const struct fmt_val *a, const struct fmt_val *b, int nkeys);
void agg_sort(struct agg_entry *e, size_t n, const struct agg_sortopts *o);

/* A row of printa(@a, @b, ...): one key tuple and each aggregation's value
 * for it (an all-zero value, from agg_init(), where one has none). */
struct agg_row {
	const struct fmt_val *keys;
	int nkeys;
	int nagg;
	const struct agg_desc *const *descs;
	const int64_t *const *data;
};
int agg_row_cmp(const struct agg_row *a, const struct agg_row *b, const struct agg_sortopts *o);
void agg_sort_rows(struct agg_row *r, size_t n, const struct agg_sortopts *o);

/* --- printing ----------------------------------------------------------- */

/* A value in the default layout (" %16lld", or a histogram); normal is the
 * normalize() factor (1 for none): values print divided by it. */
void agg_print_value(FILE *out, const struct agg_desc *d, const int64_t *v, uint64_t normal);
/* A key in the default layout. */
void agg_print_key(FILE *out, const struct fmt_val *key, const struct fmt_ctx *ctx);
/* One entry: keys, the values of nagg aggregations (printa(@a, @b)), "\n". */
void agg_print_entry(FILE *out, const struct fmt_val *keys, int nkeys,
		     const struct agg_desc *const *descs, const int64_t *const *data,
		     const uint64_t *normals, int nagg, const struct fmt_ctx *ctx);

/* printa("fmt", @a[, @b...]) for one entry: the format's conversions take
 * the keys in order, each %@ the next aggregation's value (the last one
 * again when there are more %@ than aggregations); %@ of a histogram
 * prints the histogram.  Returns 0, or -1 if the keys do not suit. */
int aggfmt_printa(FILE *out, const struct fmt_spec *spec, const struct fmt_val *keys,
		  int nkeys, const struct agg_desc *const *descs, const int64_t *const *data,
		  const uint64_t *normals, int nagg, const struct fmt_ctx *ctx);

#endif
