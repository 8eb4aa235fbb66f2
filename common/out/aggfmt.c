/* aggfmt.c - aggregation values: buckets, merging, sorting, printing (aggfmt.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "aggfmt.h"

typedef unsigned __int128 u128;

/* v / normal as DTrace means it (normalize() takes any 64-bit factor): no
 * overflow for INT64_MIN / -1 or a factor past INT64_MAX; 0 is 1. */
static int64_t ndiv(int64_t v, uint64_t normal)
{
	return normal ? (int64_t)((__int128)v / (__int128)normal) : v;
}

/* --- descriptors ------------------------------------------------------ */

int agg_lquantize_desc(struct agg_desc *d, int64_t lo, int64_t hi, int64_t step,
		       char *err, size_t errlen)
{
	uint64_t levels;

	if (lo < INT32_MIN || lo > INT32_MAX)
		return fmt_seterr(err, errlen, "lquantize( ) argument #1 must be a 32-bit quantity");
	if (hi < INT32_MIN || hi > INT32_MAX)
		return fmt_seterr(err, errlen, "lquantize( ) argument #2 must be a 32-bit quantity");
	if (hi < lo)
		return fmt_seterr(err, errlen, "lquantize( ) base (argument #1) must be less "
			      "than limit (argument #2)");
	if (step <= 0)
		return fmt_seterr(err, errlen, "lquantize( ) argument #3 must be a non-zero "
			      "positive integer constant");
	if (step > UINT16_MAX)
		return fmt_seterr(err, errlen, "lquantize( ) argument #3 must be a 16-bit quantity");
	levels = (uint64_t)(hi - lo) / (uint64_t)step;
	if (levels == 0)
		return fmt_seterr(err, errlen, "lquantize( ) step (argument #3) too large: must "
			      "have at least one quantization level");
	if (levels > UINT16_MAX)
		return fmt_seterr(err, errlen, "lquantize( ) step (argument #3) too small: number "
			      "of quantization levels must be a 16-bit quantity");
	memset(d, 0, sizeof(*d));
	d->func = AGG_LQUANTIZE;
	d->base = (int32_t)lo;
	d->step = (uint16_t)step;
	d->levels = (uint16_t)levels;
	return 0;
}

/* factor^k, or 0 when it does not fit in 64 bits */
static uint64_t upow(uint64_t factor, int64_t k)
{
	uint64_t v = 1;

	for (; k > 0; k--) {
		if (v > UINT64_MAX / factor)
			return 0;
		v *= factor;
	}
	return v;
}

/* dtrace-utils' rules (dt_cg.c): the steps of a magnitude divide the
 * factor, or are a multiple of it that divides factor^(low+1) (factor^2
 * when low is 0), so that every bucket boundary is an integer. */
int agg_llquantize_desc(struct agg_desc *d, int64_t factor, int64_t low, int64_t high,
			int64_t nsteps, char *err, size_t errlen)
{
	if (factor < 2 || factor > UINT16_MAX)
		return fmt_seterr(err, errlen, "llquantize( ) argument #1 must be an unsigned "
			      "16-bit quantity greater than or equal to 2");
	if (low < 0 || low > UINT16_MAX)
		return fmt_seterr(err, errlen, "llquantize( ) argument #2 must be an unsigned "
			      "16-bit quantity");
	if (high < 0 || high > UINT16_MAX)
		return fmt_seterr(err, errlen, "llquantize( ) argument #3 must be an unsigned "
			      "16-bit quantity");
	if (high < low)
		return fmt_seterr(err, errlen, "llquantize( ) argument #3 (high magnitude) must be "
			      "at least argument #2 (low magnitude)");
	if (upow((uint64_t)factor, high + 1) == 0)
		return fmt_seterr(err, errlen, "llquantize( ) argument #3 (high magnitude) will "
			      "cause overflow of 64 bits");
	if (nsteps <= 0)
		return fmt_seterr(err, errlen, "llquantize( ) argument #4 must be a non-zero "
			      "positive integer constant");
	if (nsteps > UINT16_MAX)
		return fmt_seterr(err, errlen, "llquantize( ) argument #4 must be an unsigned "
			      "16-bit quantity");
	if (nsteps < factor && factor % nsteps != 0)
		return fmt_seterr(err, errlen, "llquantize() argument #4 (steps) must evenly "
			      "divide argument #1 (factor) when steps<factor");
	if (nsteps > factor && nsteps % factor != 0)
		return fmt_seterr(err, errlen, "llquantize() argument #4 (steps) must be a "
			      "multiple of argument #1 (factor) when steps>factor");
	if (nsteps > factor && low == 0 && (uint64_t)(factor * factor) % (uint64_t)nsteps)
		return fmt_seterr(err, errlen, "llquantize() argument #4 (steps) must evenly "
			      "divide the square of argument #1 (factor) when steps>factor "
			      "and lmag==0");
	if (nsteps > factor && low > 0 && upow((uint64_t)factor, low + 1) % (uint64_t)nsteps)
		return fmt_seterr(err, errlen, "llquantize() argument #4 (steps) must evenly "
			      "divide pow(argument #1 (factor), lmag (argument #2) + 1) when "
			      "steps>factor and lmag>0");
	memset(d, 0, sizeof(*d));
	d->func = AGG_LLQUANTIZE;
	d->factor = (uint16_t)factor;
	d->low = (uint16_t)low;
	d->high = (uint16_t)high;
	d->nsteps = (uint16_t)nsteps;
	return 0;
}

void llq_first(const struct agg_desc *d, struct llq_mag *m)
{
	m->order = d->low;
	m->last = upow(d->factor, d->low);
	m->this = m->last * d->factor;
	m->n = m->this > d->nsteps ? d->nsteps : m->this;
	m->width = m->this / m->n;
	m->skip = m->last / m->width;
}

bool llq_next(const struct agg_desc *d, struct llq_mag *m)
{
	if (m->order >= d->high)
		return false;
	m->order++;
	m->last = m->this;
	m->this *= d->factor;	/* fits: factor^(high+1) was checked */
	m->n = m->this > d->nsteps ? d->nsteps : m->this;
	m->width = m->this / m->n;
	m->skip = m->last / m->width;
	return true;
}

int llquantize_nbuckets(const struct agg_desc *d)
{
	struct llq_mag m;
	int base = 1;

	llq_first(d, &m);
	do
		base += (int)(m.n - m.skip);
	while (llq_next(d, &m));
	return base + 1;
}

size_t agg_nwords(const struct agg_desc *d)
{
	switch (d->func) {
	case AGG_COUNT:
	case AGG_SUM: return 1;
	case AGG_AVG:
	case AGG_MIN:
	case AGG_MAX: return 2;
	case AGG_STDDEV: return 4;
	case AGG_QUANTIZE: return QUANTIZE_NBUCKETS;
	case AGG_LQUANTIZE: return (size_t)d->levels + 2;
	case AGG_LLQUANTIZE: return (size_t)llquantize_nbuckets(d);
	}
	return 0;
}

void agg_init(const struct agg_desc *d, int64_t *v)
{
	memset(v, 0, agg_nwords(d) * sizeof(*v));
}

/* --- buckets ---------------------------------------------------------- */

static int msb(uint64_t u)
{
	int n = 0;

	if (u >> 32) n += 32, u >>= 32;
	if (u >> 16) n += 16, u >>= 16;
	if (u >> 8) n += 8, u >>= 8;
	if (u >> 4) n += 4, u >>= 4;
	if (u >> 2) n += 2, u >>= 2;
	if (u >> 1) n += 1;
	return n;
}

int quantize_bucket(int64_t x)
{
	int m;

	if (x == 0)
		return QUANTIZE_ZEROBUCKET;
	if (x > 0)
		return QUANTIZE_ZEROBUCKET + 1 + msb((uint64_t)x);
	m = msb(-(uint64_t)x);
	return QUANTIZE_ZEROBUCKET - 1 - (m > 62 ? 62 : m);
}

int64_t quantize_bucket_value(int b)
{
	if (b < QUANTIZE_ZEROBUCKET)
		return -(int64_t)(1ULL << (QUANTIZE_ZEROBUCKET - 1 - b));
	if (b == QUANTIZE_ZEROBUCKET)
		return 0;
	return (int64_t)(1ULL << (b - QUANTIZE_ZEROBUCKET - 1));
}

int lquantize_bucket(const struct agg_desc *d, int64_t x)
{
	uint64_t level;

	if (x < d->base)
		return 0;
	level = ((uint64_t)x - (uint64_t)(int64_t)d->base) / d->step;
	return level < d->levels ? (int)level + 1 : d->levels + 1;
}

int llquantize_bucket(const struct agg_desc *d, int64_t x)
{
	struct llq_mag m;
	int base = 1;

	llq_first(d, &m);
	if (x < (int64_t)m.last)	/* factor^low < 2^63: see llq_first */
		return 0;
	do {
		if ((uint64_t)x < m.this)
			return base + (int)((uint64_t)x / m.width - m.skip);
		base += (int)(m.n - m.skip);
	} while (llq_next(d, &m));
	return base;
}

/* --- the kernel's update, and merging ---------------------------------- */

/* Wrapping 64-bit addition, as the kernel's (no undefined overflow). */
static int64_t wadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static void add128(int64_t *v, u128 x)
{
	u128 s = ((u128)(uint64_t)v[1] << 64 | (uint64_t)v[0]) + x;

	v[0] = (int64_t)(uint64_t)s;
	v[1] = (int64_t)(uint64_t)(s >> 64);
}

void agg_add(const struct agg_desc *d, int64_t *v, int64_t x, int64_t incr)
{
	uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x;

	switch (d->func) {
	case AGG_COUNT: v[0]++; break;
	case AGG_SUM: v[0] = wadd(v[0], x); break;
	case AGG_AVG: v[0]++; v[1] = wadd(v[1], x); break;
	case AGG_MIN: if (!v[1] || x < v[0]) v[0] = x; v[1]++; break;
	case AGG_MAX: if (!v[1] || x > v[0]) v[0] = x; v[1]++; break;
	case AGG_STDDEV:
		v[0]++;
		v[1] = wadd(v[1], x);
		add128(v + 2, (u128)ax * ax);
		break;
	case AGG_QUANTIZE: v[quantize_bucket(x)] = wadd(v[quantize_bucket(x)], incr); break;
	case AGG_LQUANTIZE: v[lquantize_bucket(d, x)] = wadd(v[lquantize_bucket(d, x)], incr); break;
	case AGG_LLQUANTIZE: v[llquantize_bucket(d, x)] = wadd(v[llquantize_bucket(d, x)], incr); break;
	}
}

void agg_merge(const struct agg_desc *d, int64_t *dst, const int64_t *src)
{
	size_t i, n = agg_nwords(d);

	switch (d->func) {
	case AGG_MIN:
	case AGG_MAX:
		if (src[1] && (!dst[1] || (d->func == AGG_MIN ? src[0] < dst[0] : src[0] > dst[0])))
			dst[0] = src[0];
		dst[1] += src[1];
		return;
	case AGG_STDDEV:
		dst[0] = wadd(dst[0], src[0]);
		dst[1] = wadd(dst[1], src[1]);
		add128(dst + 2, (u128)(uint64_t)src[3] << 64 | (uint64_t)src[2]);
		return;
	default:
		for (i = 0; i < n; i++)
			dst[i] = wadd(dst[i], src[i]);
	}
}

/* --- values ------------------------------------------------------------ */

static u128 isqrt128(u128 x)
{
	u128 r = 0, bit = (u128)1 << 126;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

uint64_t agg_stddev(const int64_t *v, uint64_t normal)
{
	u128 sq = (u128)(uint64_t)v[3] << 64 | (uint64_t)v[2], avgsq, sqavg;
	__int128 avg;

	if (v[0] == 0)
		return 0;
	if (normal == 0)
		normal = 1;
	/* sqrt(avg(x^2) - avg(x)^2), normalized: x^2 by normal^2 */
	avgsq = sq / normal / normal / (uint64_t)v[0];
	avg = (__int128)ndiv(v[1], normal) / v[0];
	if (avg < 0)
		avg = -avg;
	sqavg = (u128)(uint64_t)avg * (uint64_t)avg;
	return avgsq > sqavg ? (uint64_t)isqrt128(avgsq - sqavg) : 0;
}

static long double lquantize_sum(const struct agg_desc *d, const int64_t *v)
{
	long double total = (long double)v[0] * (d->base - 1);
	int64_t base = d->base;
	int i;

	for (i = 0; i < d->levels; i++, base += d->step)
		total += (long double)v[i + 1] * base;
	return total + (long double)v[d->levels + 1] * (base + 1);
}

static int64_t lquantize_zero(const struct agg_desc *d, const int64_t *v)
{
	int64_t base = d->base;
	int i;

	if (base - 1 == 0)
		return v[0];
	for (i = 0; i < d->levels; i++, base += d->step)
		if (base == 0)
			return v[i + 1];
	return base + 1 == 0 ? v[d->levels + 1] : 0;
}

static long double llquantize_sum(const struct agg_desc *d, const int64_t *v)
{
	struct llq_mag m;
	long double total;
	int bin = 1;
	uint64_t j;

	llq_first(d, &m);
	total = (long double)v[0] * (long double)(m.last - 1);
	do
		for (j = m.skip; j < m.n; j++)
			total += (long double)v[bin++] * (long double)llq_label(&m, j);
	while (llq_next(d, &m));
	return total + (long double)v[bin] * (long double)m.this;
}

long double agg_value_for_sort(const struct agg_desc *d, const int64_t *v)
{
	long double total = 0;
	int i;

	switch (d->func) {
	case AGG_COUNT:
	case AGG_SUM:
	case AGG_MIN:
	case AGG_MAX: return v[0];
	case AGG_AVG: return v[0] ? v[1] / v[0] : 0;
	case AGG_STDDEV: return agg_stddev(v, 1);
	case AGG_QUANTIZE:
		for (i = 0; i < QUANTIZE_NBUCKETS; i++)
			total += (long double)quantize_bucket_value(i) * v[i];
		return total;
	case AGG_LQUANTIZE: return lquantize_sum(d, v);
	case AGG_LLQUANTIZE: return llquantize_sum(d, v);
	}
	return 0;
}

/* --- sorting ------------------------------------------------------------ */

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int valcmp(const struct agg_desc *d, const int64_t *a, const int64_t *b)
{
	int r;

	switch (d->func) {
	case AGG_COUNT:
	case AGG_SUM:
	case AGG_MIN:
	case AGG_MAX:
		return CMP(a[0], b[0]);
	case AGG_AVG: {
		int64_t x = a[0] ? a[1] / a[0] : 0, y = b[0] ? b[1] / b[0] : 0;

		return CMP(x, y);
	}
	case AGG_STDDEV: {
		uint64_t x = agg_stddev(a, 1), y = agg_stddev(b, 1);

		return CMP(x, y);
	}
	default: {
		/* histograms: by the weighted sum, ties by the weight at zero */
		long double x = agg_value_for_sort(d, a), y = agg_value_for_sort(d, b);

		if ((r = CMP(x, y)) != 0)
			return r;
		if (d->func == AGG_QUANTIZE)
			return CMP(a[QUANTIZE_ZEROBUCKET], b[QUANTIZE_ZEROBUCKET]);
		if (d->func == AGG_LQUANTIZE)
			return CMP(lquantize_zero(d, a), lquantize_zero(d, b));
		return CMP(a[0], b[0]);
	}
	}
}

static uint64_t key_uint(const struct fmt_val *k)
{
	uint64_t u = (uint64_t)k->i.v;

	switch (k->i.size) {
	case 1: return (uint8_t)u;
	case 2: return (uint16_t)u;
	case 4: return (uint32_t)u;
	default: return u;
	}
}

static int onekeycmp(const struct fmt_val *a, const struct fmt_val *b)
{
	int r, i;

	if (a->kind != b->kind)
		return CMP(a->kind, b->kind);
	switch (a->kind) {
	case FV_INT:
		/* DTrace compares the record's size, then its bits unsigned */
		if ((r = CMP(a->i.size, b->i.size)) != 0)
			return r;
		return CMP(key_uint(a), key_uint(b));
	case FV_STR: {
		size_t la = strnlen(a->s.p, a->s.len), lb = strnlen(b->s.p, b->s.len);
		size_t n = la < lb ? la : lb;

		if ((r = memcmp(a->s.p, b->s.p, n)) != 0)
			return r < 0 ? -1 : 1;
		return CMP(la, lb);
	}
	case FV_FLOAT:
		return CMP(a->f, b->f);
	case FV_STACK:
		for (i = 0; i < a->stk.depth && i < b->stk.depth; i++)
			if ((r = CMP(a->stk.pcs[i], b->stk.pcs[i])) != 0)
				return r;
		return CMP(a->stk.depth, b->stk.depth);
	}
	return 0;
}

static int keycmp(const struct fmt_val *a, int na, const struct fmt_val *b, int nb, int keypos)
{
	int i, r;

	if ((r = CMP(na, nb)) != 0)
		return r;
	if (keypos < 0 || keypos >= na)
		keypos = 0;
	for (i = 0; i < na; i++) {
		int k = (i + keypos) % na;

		if ((r = onekeycmp(&a[k], &b[k])) != 0)
			return r;
	}
	return 0;
}

int agg_keys_cmp(const struct fmt_val *a, const struct fmt_val *b, int nkeys)
{
	return keycmp(a, nkeys, b, nkeys, 0);
}

int agg_cmp(const struct agg_entry *a, const struct agg_entry *b, const struct agg_sortopts *o)
{
	int r = CMP(a->varid, b->varid);

	if (r == 0 && o->keysort)
		r = keycmp(a->keys, a->nkeys, b->keys, b->nkeys, o->keypos);
	if (r == 0 && a->desc->func == b->desc->func)
		r = valcmp(a->desc, a->data, b->data);
	if (r == 0 && !o->keysort)
		r = keycmp(a->keys, a->nkeys, b->keys, b->nkeys, o->keypos);
	return o->revsort ? -r : r;
}

static int entry_qcmp(const void *a, const void *b, void *o)
{
	return agg_cmp(a, b, o);
}

void agg_sort(struct agg_entry *e, size_t n, const struct agg_sortopts *o)
{
	qsort_r(e, n, sizeof(*e), entry_qcmp, (void *)o);
}

int agg_row_cmp(const struct agg_row *a, const struct agg_row *b, const struct agg_sortopts *o)
{
	int r = 0, i, n = a->nagg < b->nagg ? a->nagg : b->nagg;
	int pos = o->sortpos >= 0 && o->sortpos < n ? o->sortpos : 0;

	if (o->keysort)
		r = keycmp(a->keys, a->nkeys, b->keys, b->nkeys, o->keypos);
	/* values from the sortpos'th aggregation on, wrapping around */
	for (i = 0; r == 0 && i < n; i++) {
		int k = (i + pos) % n;

		r = valcmp(a->descs[k], a->data[k], b->data[k]);
	}
	if (r == 0 && !o->keysort)
		r = keycmp(a->keys, a->nkeys, b->keys, b->nkeys, o->keypos);
	return o->revsort ? -r : r;
}

static int row_qcmp(const void *a, const void *b, void *o)
{
	return agg_row_cmp(a, b, o);
}

void agg_sort_rows(struct agg_row *r, size_t n, const struct agg_sortopts *o)
{
	qsort_r(r, n, sizeof(*r), row_qcmp, (void *)o);
}

/* --- histograms --------------------------------------------------------- */

static long double absl(long double x)
{
	return x < 0 ? -x : x;
}

/* One row's bar and count (dt_print_quantline). */
static void quantline(FILE *out, int64_t val, uint64_t normal, long double total,
		      bool positives, bool negatives)
{
	static const char ats[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
	static const char spaces[] = "                                        ";
	long long shown = ndiv(val, normal);
	unsigned len = 40, depth;

	if (!negatives) {
		depth = positives ? (unsigned)(absl(val) * len / total + 0.5) : 0;
		fprintf(out, "|%s%s %-9lld\n", ats + len - depth, spaces + depth, shown);
		return;
	}
	if (!positives) {
		depth = (unsigned)(absl(val) * len / total + 0.5);
		fprintf(out, "%s%s| %-9lld\n", spaces + depth, ats + len - depth, shown);
		return;
	}
	/* both signs: half-width bars on either side of a centre line */
	len = 20;
	depth = (unsigned)(absl(val) * len / total + 0.5);
	if (val <= 0)
		fprintf(out, "%s%s|%*s %-9lld\n", spaces + 20 + depth, ats + 20 + len - depth,
			(int)len, "", shown);
	else
		fprintf(out, "%20s|%s%s %-9lld\n", "", ats + 20 + len - depth,
			spaces + 20 + depth, shown);
}

static void quanthdr(FILE *out)
{
	fprintf(out, "\n%16s %41s %-9s\n", "value", "------------- Distribution -------------",
		"count");
}

/* The rows shown: one zero row before the first non-zero bucket and one
 * after the last; with no data at all, [empty_first, empty_last]. */
static void bin_range(const int64_t *v, int n, int empty_first, int empty_last,
		      int *first, int *last, long double *total, bool *pos, bool *neg)
{
	int i;

	for (i = 0; i < n && v[i] == 0; i++)
		;
	if (i == n) {
		*first = empty_first;
		*last = empty_last;
	} else {
		*first = i > 0 ? i - 1 : 0;
		for (i = n - 1; i > 0 && v[i] == 0; i--)
			;
		*last = i < n - 1 ? i + 1 : n - 1;
	}
	*total = 0;
	*pos = *neg = false;
	for (i = *first; i <= *last; i++) {
		*pos |= v[i] > 0;
		*neg |= v[i] < 0;
		*total += absl(v[i]);
	}
}

static void print_quantize(FILE *out, const int64_t *v, uint64_t normal)
{
	int i, first, last;
	long double total;
	bool pos, neg;

	bin_range(v, QUANTIZE_NBUCKETS, QUANTIZE_ZEROBUCKET - 1, QUANTIZE_ZEROBUCKET + 1,
		  &first, &last, &total, &pos, &neg);
	quanthdr(out);
	for (i = first; i <= last; i++) {
		fprintf(out, "%16lld ", (long long)quantize_bucket_value(i));
		quantline(out, v[i], normal, total, pos, neg);
	}
}

static void print_lquantize(FILE *out, const struct agg_desc *d, const int64_t *v,
			    uint64_t normal)
{
	int i, first, last, levels = d->levels;
	long double total;
	bool pos, neg;
	char c[32];

	bin_range(v, levels + 2, 0, 2, &first, &last, &total, &pos, &neg);
	quanthdr(out);
	for (i = first; i <= last; i++) {
		if (i == 0) {
			snprintf(c, sizeof(c), "< %d", d->base);
			fprintf(out, "%16s ", c);
		} else if (i == levels + 1) {
			snprintf(c, sizeof(c), ">= %lld", (long long)d->base + levels * d->step);
			fprintf(out, "%16s ", c);
		} else {
			fprintf(out, "%16lld ", (long long)d->base + (long long)(i - 1) * d->step);
		}
		quantline(out, v[i], normal, total, pos, neg);
	}
}

static void print_llquantize(FILE *out, const struct agg_desc *d, const int64_t *v,
			     uint64_t normal)
{
	int n = llquantize_nbuckets(d), first, last, bin = 1;
	struct llq_mag m;
	long double total;
	bool pos, neg;
	char c[32];
	uint64_t j;

	bin_range(v, n, 0, 1, &first, &last, &total, &pos, &neg);
	quanthdr(out);
	llq_first(d, &m);
	if (first == 0) {
		snprintf(c, sizeof(c), "< %llu", (unsigned long long)m.last);
		fprintf(out, "%16s ", c);
		quantline(out, v[0], normal, total, pos, neg);
	}
	do {
		for (j = m.skip; j < m.n; j++, bin++) {
			if (bin < first || bin > last)
				continue;
			fprintf(out, "%16llu ", (unsigned long long)llq_label(&m, j));
			quantline(out, v[bin], normal, total, pos, neg);
		}
	} while (llq_next(d, &m));
	if (last < bin)
		return;
	snprintf(c, sizeof(c), ">= %llu", (unsigned long long)m.this);
	fprintf(out, "%16s ", c);
	quantline(out, v[bin], normal, total, pos, neg);
}

/* --- the default layout ------------------------------------------------- */

void agg_print_value(FILE *out, const struct agg_desc *d, const int64_t *v, uint64_t normal)
{
	if (normal == 0)
		normal = 1;
	switch (d->func) {
	case AGG_COUNT:
	case AGG_SUM:
	case AGG_MIN:
	case AGG_MAX:
		fprintf(out, " %16lld", (long long)ndiv(v[0], normal));
		return;
	case AGG_AVG:
		fprintf(out, " %16lld", v[0] ? (long long)((__int128)ndiv(v[1], normal) / v[0]) : 0LL);
		return;
	case AGG_STDDEV:
		fprintf(out, " %16llu", (unsigned long long)agg_stddev(v, normal));
		return;
	case AGG_QUANTIZE:
		print_quantize(out, v, normal);
		return;
	case AGG_LQUANTIZE:
		print_lquantize(out, d, v, normal);
		return;
	case AGG_LLQUANTIZE:
		print_llquantize(out, d, v, normal);
		return;
	}
}

void agg_print_key(FILE *out, const struct fmt_val *k, const struct fmt_ctx *ctx)
{
	switch (k->kind) {
	case FV_INT:
		switch (k->i.size) {
		case 1: fprintf(out, " %3d", (int)(uint8_t)k->i.v); return;
		case 2: fprintf(out, " %5d", (int)(uint16_t)k->i.v); return;
		case 4: fprintf(out, " %8d", (int)(int32_t)k->i.v); return;
		default: fprintf(out, " %16lld", (long long)k->i.v); return;
		}
	case FV_STR: {
		size_t n = strnlen(k->s.p, k->s.len), i;

		for (i = 0; i < n && k->s.p[i] >= ' ' && k->s.p[i] <= '~'; i++)
			;
		if (i == n)	/* printable text (or ""): "  %-50s" */
			fprintf(out, "  %-50.*s", (int)n, k->s.p);
		else		/* anything else: DTrace's hex dump */
			fmt_print_bytes(out, k->s.p, k->s.len, -50, false);
		return;
	}
	case FV_FLOAT:
		fprintf(out, " %16g", k->f);
		return;
	case FV_STACK:
		fmt_print_stack(out, k, ctx && ctx->stackindent ? ctx->stackindent : 14, 0, ctx);
		return;
	}
}

void agg_print_entry(FILE *out, const struct fmt_val *keys, int nkeys,
		     const struct agg_desc *const *descs, const int64_t *const *data,
		     const uint64_t *normals, int nagg, const struct fmt_ctx *ctx)
{
	int i;

	for (i = 0; i < nkeys; i++)
		agg_print_key(out, &keys[i], ctx);
	for (i = 0; i < nagg; i++)
		agg_print_value(out, descs[i], data[i], normals ? normals[i] : 1);
	fputc('\n', out);
}

/* --- printa with a format ----------------------------------------------- */

struct printa_state {
	const struct agg_desc *const *descs;
	const int64_t *const *data;
	const uint64_t *normals;
	int nagg, cur;
	const struct fmt_ctx *ctx;
};

static int printa_value(void *arg, FILE *out, const struct fmt_conv *c, int width, int prec)
{
	struct printa_state *st = arg;
	int k = st->cur < st->nagg ? st->cur : st->nagg - 1;
	const struct agg_desc *d = st->descs[k];
	const int64_t *v = st->data[k];
	uint64_t normal = st->normals && st->normals[k] ? st->normals[k] : 1;
	struct fmt_conv vc = *c;
	struct fmt_val val;

	if (st->cur < st->nagg)
		st->cur++;
	vc.flags &= ~FMT_AGG;
	switch (d->func) {
	case AGG_COUNT:
		/* DTrace gives count()'s value the type uint64_t, the rest int64_t */
		val = FMT_INT(ndiv(v[0], normal), 8, false);
		break;
	case AGG_SUM:
	case AGG_MIN:
	case AGG_MAX:
		val = FMT_INT(ndiv(v[0], normal), 8, true);
		break;
	case AGG_AVG:
		val = FMT_INT(v[0] ? (int64_t)((__int128)ndiv(v[1], normal) / v[0]) : 0, 8, true);
		break;
	case AGG_STDDEV:
		val = FMT_INT(agg_stddev(v, normal), 8, false);
		break;
	default:
		agg_print_value(out, d, v, normal);
		return 0;
	}
	return fmt_print_conv(out, &vc, width, prec, &val, st->ctx);
}

int aggfmt_printa(FILE *out, const struct fmt_spec *spec, const struct fmt_val *keys,
		  int nkeys, const struct agg_desc *const *descs, const int64_t *const *data,
		  const uint64_t *normals, int nagg, const struct fmt_ctx *ctx)
{
	struct printa_state st = { descs, data, normals, nagg, 0, ctx };

	if (nagg < 1)
		return -1;
	return fmt_print_agg(out, spec, keys, nkeys, ctx, printa_value, &st) < 0 ? -1 : 0;
}
