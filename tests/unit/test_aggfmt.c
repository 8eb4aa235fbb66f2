/* test_aggfmt.c - aggfmt.c: bucket arithmetic against DTrace's loops,
 * merging, sorting, and the output checked byte for byte against DTrace's
 * published examples. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "aggfmt.h"

static char out[65536];

#define CAPTURE(stmt) do {						\
	FILE *f_;							\
	out[0] = '\0';							\
	f_ = fmemopen(out, sizeof(out), "w");				\
	stmt;								\
	fclose(f_);							\
} while (0)
#define F f_

/* DTrace's kernel loops (dtrace_aggregate_quantize/lquantize), restated as
 * the reference for the loop-free versions. */
static int ref_quantize(int64_t val)
{
	int i;

	if (val < 0) {
		for (i = 0; i < QUANTIZE_ZEROBUCKET; i++)
			if (val <= quantize_bucket_value(i))
				return i;
		return -1;
	}
	for (i = QUANTIZE_ZEROBUCKET + 1; i < QUANTIZE_NBUCKETS; i++)
		if (val < quantize_bucket_value(i))
			return i - 1;
	return QUANTIZE_NBUCKETS - 1;
}

static void test_buckets(void)
{
	static const int64_t edge[] = { 0, 1, -1, 2, -2, 3, -3, 4, 1023, 1024, 1025,
		INT64_MAX, INT64_MIN, INT64_MIN + 1, (int64_t)1 << 62, ((int64_t)1 << 62) - 1,
		-((int64_t)1 << 62), -((int64_t)1 << 62) - 1 };
	struct agg_desc lq, llq;
	char err[256];
	size_t i;
	int k, ok = 1;
	uint64_t x = 88172645463325252ULL;

	CHECK(quantize_bucket_value(63) == 0 && quantize_bucket_value(64) == 1 &&
	      quantize_bucket_value(65) == 2 && quantize_bucket_value(62) == -1 &&
	      quantize_bucket_value(126) == (int64_t)1 << 62 &&
	      quantize_bucket_value(0) == -((int64_t)1 << 62));
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		CHECK(quantize_bucket(edge[i]) == ref_quantize(edge[i]));
	for (k = 0; k < 63; k++) {
		int64_t p = (int64_t)1 << k;

		ok &= quantize_bucket(p) == ref_quantize(p);
		ok &= quantize_bucket(p - 1) == ref_quantize(p - 1);
		ok &= quantize_bucket(p + 1) == ref_quantize(p + 1);
		ok &= quantize_bucket(-p) == ref_quantize(-p);
		ok &= quantize_bucket(-p + 1) == ref_quantize(-p + 1);
		ok &= quantize_bucket(-p - 1) == ref_quantize(-p - 1);
	}
	for (k = 0; k < 100000; k++) {	/* xorshift: values of every magnitude */
		int64_t v;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v = (int64_t)(x >> (x % 64));
		ok &= quantize_bucket(v) == ref_quantize(v);
		ok &= quantize_bucket(-v) == ref_quantize(-v);
	}
	CHECK(ok);

	/* lquantize(x, -10, 10, 5): < -10 | -10 -5 0 5 | >= 10 */
	CHECK(agg_lquantize_desc(&lq, -10, 10, 5, err, sizeof(err)) == 0);
	CHECK(lq.levels == 4 && agg_nwords(&lq) == 6);
	CHECK(lquantize_bucket(&lq, -11) == 0 && lquantize_bucket(&lq, INT64_MIN) == 0);
	CHECK(lquantize_bucket(&lq, -10) == 1 && lquantize_bucket(&lq, -6) == 1);
	CHECK(lquantize_bucket(&lq, -5) == 2 && lquantize_bucket(&lq, 0) == 3);
	CHECK(lquantize_bucket(&lq, 9) == 4 && lquantize_bucket(&lq, 10) == 5);
	CHECK(lquantize_bucket(&lq, INT64_MAX) == 5);
	/* DTrace's argument checks */
	CHECK(agg_lquantize_desc(&lq, 0, 10, 20, err, sizeof(err)) < 0 &&
	      !strcmp(err, "lquantize( ) step (argument #3) too large: must have at least "
		      "one quantization level"));
	CHECK(agg_lquantize_desc(&lq, 10, 0, 1, err, sizeof(err)) < 0 &&
	      !strcmp(err, "lquantize( ) base (argument #1) must be less than limit (argument #2)"));
	CHECK(agg_lquantize_desc(&lq, 0, 100000, 1, err, sizeof(err)) < 0 &&
	      !strcmp(err, "lquantize( ) step (argument #3) too small: number of quantization "
		      "levels must be a 16-bit quantity"));
	CHECK(agg_lquantize_desc(&lq, 0, 10, 0, err, sizeof(err)) < 0);
	CHECK(agg_lquantize_desc(&lq, (int64_t)1 << 40, (int64_t)1 << 41, 1, err, sizeof(err)) < 0 &&
	      !strcmp(err, "lquantize( ) argument #1 must be a 32-bit quantity"));

	/* llquantize(x, 10, 0, 1, 10): <1 | 1..9 | 10..90 step 10 | >= 100 */
	CHECK(agg_llquantize_desc(&llq, 10, 0, 1, 10, err, sizeof(err)) == 0);
	CHECK(llquantize_nbuckets(&llq) == 20);
	CHECK(llquantize_bucket(&llq, 0) == 0 && llquantize_bucket(&llq, -5) == 0);
	CHECK(llquantize_bucket(&llq, 1) == 1 && llquantize_bucket(&llq, 9) == 9);
	CHECK(llquantize_bucket(&llq, 10) == 10 && llquantize_bucket(&llq, 25) == 11);
	CHECK(llquantize_bucket(&llq, 99) == 18 && llquantize_bucket(&llq, 100) == 19);
	CHECK(llquantize_bucket(&llq, INT64_MAX) == 19);
	/* llquantize(x, 10, 0, 6, 20), the usual latency one: top bucket is the last */
	CHECK(agg_llquantize_desc(&llq, 10, 0, 6, 20, err, sizeof(err)) == 0);
	CHECK(llquantize_bucket(&llq, INT64_MAX) == llquantize_nbuckets(&llq) - 1);
	CHECK(llquantize_bucket(&llq, 5) == 5 && llquantize_bucket(&llq, 10) == 10);
	/* factor 2, 4 steps: magnitudes with fewer steps than nsteps */
	CHECK(agg_llquantize_desc(&llq, 2, 0, 3, 4, err, sizeof(err)) == 0);
	/* 1 | 2 3 | 4 6 | 8 12 | >= 16: a magnitude has at most factor^(m+1)
	 * buckets, and its first 1/factor overlaps the magnitude below */
	CHECK(llquantize_bucket(&llq, 1) == 1 && llquantize_bucket(&llq, 2) == 2 &&
	      llquantize_bucket(&llq, 3) == 3 && llquantize_bucket(&llq, 4) == 4 &&
	      llquantize_bucket(&llq, 5) == 4 && llquantize_bucket(&llq, 6) == 5 &&
	      llquantize_bucket(&llq, 8) == 6 && llquantize_bucket(&llq, 15) == 7 &&
	      llquantize_bucket(&llq, 16) == 8 && llquantize_bucket(&llq, 100) == 8);
	CHECK(llquantize_nbuckets(&llq) == 9 && agg_nwords(&llq) == 9);
	/* dtrace-utils' checker rules (dt_cg.c) */
	CHECK(agg_llquantize_desc(&llq, 1, 0, 6, 20, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize( ) argument #1 must be an unsigned 16-bit quantity "
		      "greater than or equal to 2"));
	CHECK(agg_llquantize_desc(&llq, 10, 6, 5, 20, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize( ) argument #3 (high magnitude) must be at least "
		      "argument #2 (low magnitude)"));
	CHECK(agg_llquantize_desc(&llq, 10, 6, 6, 10, err, sizeof(err)) == 0);
	CHECK(agg_llquantize_desc(&llq, 10, 0, 6, 15, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize() argument #4 (steps) must be a multiple of "
		      "argument #1 (factor) when steps>factor"));
	CHECK(agg_llquantize_desc(&llq, 10, 0, 6, 3, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize() argument #4 (steps) must evenly divide "
		      "argument #1 (factor) when steps<factor"));
	CHECK(agg_llquantize_desc(&llq, 10, 0, 6, 1000, err, sizeof(err)) < 0 &&
	      !strncmp(err, "llquantize() argument #4 (steps) must evenly divide the square", 62));
	CHECK(agg_llquantize_desc(&llq, 10, 1, 6, 1000, err, sizeof(err)) < 0 &&
	      !strncmp(err, "llquantize() argument #4 (steps) must evenly divide pow(", 56));
	CHECK(agg_llquantize_desc(&llq, 10, 0, 30, 10, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize( ) argument #3 (high magnitude) will cause overflow "
		      "of 64 bits"));
	CHECK(agg_llquantize_desc(&llq, 10, 0, 70000, 10, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize( ) argument #3 must be an unsigned 16-bit quantity"));
	CHECK(agg_llquantize_desc(&llq, 10, 0, 6, 0, err, sizeof(err)) < 0 &&
	      !strcmp(err, "llquantize( ) argument #4 must be a non-zero positive integer "
		      "constant"));
	/* fewer steps than the factor (the SIGFPE of issue 12): factor 10, 5
	 * steps: 1 2 4 6 8 | 10 20 40 60 80 | ... the first bucket of a
	 * magnitude starts at factor^m, the others at multiples of the width */
	CHECK(agg_llquantize_desc(&llq, 10, 0, 5, 5, err, sizeof(err)) == 0);
	CHECK(llquantize_nbuckets(&llq) == 1 + 6 * 5 + 1);
	CHECK(llquantize_bucket(&llq, 0) == 0 && llquantize_bucket(&llq, 1) == 1 &&
	      llquantize_bucket(&llq, 2) == 2 && llquantize_bucket(&llq, 3) == 2 &&
	      llquantize_bucket(&llq, 9) == 5 && llquantize_bucket(&llq, 10) == 6 &&
	      llquantize_bucket(&llq, 19) == 6 && llquantize_bucket(&llq, 20) == 7 &&
	      llquantize_bucket(&llq, 320) == 12 && llquantize_bucket(&llq, 999999) == 30 &&
	      llquantize_bucket(&llq, 1000000) == 31 && llquantize_bucket(&llq, INT64_MAX) == 31);
	/* factor 4, 2 steps: 1 2 | 4 8 | 16 32 | 64 128 | >= 256 */
	CHECK(agg_llquantize_desc(&llq, 4, 0, 3, 2, err, sizeof(err)) == 0);
	CHECK(llquantize_nbuckets(&llq) == 10);
	CHECK(llquantize_bucket(&llq, 1) == 1 && llquantize_bucket(&llq, 2) == 2 &&
	      llquantize_bucket(&llq, 3) == 2 && llquantize_bucket(&llq, 4) == 3 &&
	      llquantize_bucket(&llq, 17) == 5 && llquantize_bucket(&llq, 60) == 6 &&
	      llquantize_bucket(&llq, 255) == 8 && llquantize_bucket(&llq, 256) == 9);
	/* a top magnitude past INT64_MAX: factor^(high+1) = 2^64 - 1 */
	CHECK(agg_llquantize_desc(&llq, 65535, 0, 3, 65535, err, sizeof(err)) == 0);
	CHECK(llquantize_bucket(&llq, INT64_MAX) < llquantize_nbuckets(&llq) - 1 &&
	      llquantize_bucket(&llq, INT64_MAX) > llquantize_nbuckets(&llq) - 65535);
	CHECK(llquantize_bucket(&llq, -1) == 0 && llquantize_bucket(&llq, INT64_MIN) == 0);
}

/* For every legal llquantize with few buckets: the buckets are in order,
 * each one's label is its lowest value, and the value below it falls in
 * the bucket before. */
static void test_llquantize_labels(void)
{
	struct agg_desc d;
	struct llq_mag m;
	char err[256];
	int factor, low, high, steps, checked = 0;

	for (factor = 2; factor <= 16; factor++)
		for (low = 0; low <= 4; low++)
			for (high = low; high <= low + 3; high++)
				for (steps = 1; steps <= 64; steps++) {
					int bin = 1, bad = 0;
					uint64_t j, lab, prev = 0;

					if (agg_llquantize_desc(&d, factor, low, high, steps, err,
								sizeof(err)))
						continue;
					llq_first(&d, &m);
					bad |= llquantize_bucket(&d, (int64_t)m.last - 1) != 0;
					do
						for (j = m.skip; j < m.n; j++, bin++) {
							lab = llq_label(&m, j);
							bad |= lab <= prev && bin > 1;
							bad |= llquantize_bucket(&d, (int64_t)lab) != bin;
							bad |= llquantize_bucket(&d, (int64_t)lab - 1) != bin - 1;
							prev = lab;
						}
					while (llq_next(&d, &m));
					bad |= bin != llquantize_nbuckets(&d) - 1;
					bad |= llquantize_bucket(&d, (int64_t)m.this) != bin;
					if (bad)
						fprintf(stderr, "llquantize(x, %d, %d, %d, %d)\n",
							factor, low, high, steps);
					CHECK(!bad);
					checked++;
				}
	CHECK(checked > 500);
}

static void test_merge_values(void)
{
	struct agg_desc d = { .func = AGG_MIN };
	int64_t a[4], b[4], c[4];
	static const int64_t xs[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	size_t i;

	/* min/max: an untouched per-CPU slot (all zeros) never wins */
	agg_init(&d, a);
	agg_init(&d, b);
	agg_add(&d, a, 5, 1);
	agg_add(&d, a, 3, 1);
	agg_merge(&d, b, a);
	CHECK(b[0] == 3 && b[1] == 2);
	agg_init(&d, c);
	agg_merge(&d, b, c);
	CHECK(b[0] == 3);
	d.func = AGG_MAX;
	agg_init(&d, a);
	agg_add(&d, a, -5, 1);
	agg_init(&d, b);
	agg_merge(&d, b, a);
	agg_merge(&d, b, c);
	CHECK(b[0] == -5 && b[1] == 1);

	/* avg and stddev: 2 4 4 4 5 5 7 9 has mean 5 and deviation 2, split over
	 * two CPUs */
	d.func = AGG_STDDEV;
	agg_init(&d, a);
	agg_init(&d, b);
	for (i = 0; i < 8; i++)
		agg_add(&d, i % 2 ? a : b, xs[i], 1);
	agg_merge(&d, a, b);
	CHECK(a[0] == 8 && a[1] == 40 && a[2] == 232 && a[3] == 0);
	CHECK(agg_stddev(a, 1) == 2);
	CAPTURE(agg_print_value(F, &d, a, 1));
	CHECK(!strcmp(out, "                2"));
	/* the 128-bit sum of squares carries */
	agg_init(&d, a);
	agg_add(&d, a, INT64_MIN, 1);
	agg_add(&d, a, INT64_MIN, 1);
	CHECK(a[2] == 0 && a[3] == INT64_MIN);
	agg_add(&d, b, 3, 1);
	d.func = AGG_AVG;
	agg_init(&d, a);
	agg_add(&d, a, 10, 1);
	agg_add(&d, a, 21, 1);
	CAPTURE(agg_print_value(F, &d, a, 1));
	CHECK(!strcmp(out, "               15"));
	/* normalize(): values print divided */
	CAPTURE(agg_print_value(F, &d, a, 5));
	CHECK(!strcmp(out, "                3"));
	d.func = AGG_SUM;
	a[0] = -1000;
	CAPTURE(agg_print_value(F, &d, a, 10));
	CHECK(!strcmp(out, "             -100"));
	/* quantize merges bucket by bucket */
	d.func = AGG_QUANTIZE;
	{
		int64_t q1[QUANTIZE_NBUCKETS], q2[QUANTIZE_NBUCKETS];

		agg_init(&d, q1);
		agg_init(&d, q2);
		agg_add(&d, q1, 5, 1);
		agg_add(&d, q2, 6, 3);
		agg_add(&d, q2, -1, 1);
		agg_merge(&d, q1, q2);
		CHECK(q1[66] == 4 && q1[62] == 1);
	}
}

/* A documentation sample as DTrace prints it: the guides drop trailing
 * blanks, so each line gets back the padding of its last "%-9s" field. */
static const char *padded(const char *const *lines, int n)
{
	static char buf[8192];
	size_t o = 0;
	int i;

	for (i = 0; i < n; i++) {
		const char *sp = strrchr(lines[i], ' ');
		size_t last = strlen(sp ? sp + 1 : lines[i]);

		o += snprintf(buf + o, sizeof(buf) - o, "%s%*s\n", lines[i],
			      last < 9 ? (int)(9 - last) : 0, "");
	}
	return buf;
}

static void test_quantize_sample(void)
{
	/* syscall latency in ns, from the DTrace one-liners (illumos): */
	static const char *const doc[] = {
		"           value  ------------- Distribution ------------- count",
		"            1024 |                                         0",
		"            2048 |                                         2",
		"            4096 |@@@@@@                                   103",
		"            8192 |@@@@@@@@@@                               162",
		"           16384 |                                         3",
		"           32768 |                                         0",
		"           65536 |                                         0",
		"          131072 |                                         1",
		"          262144 |                                         0",
		"          524288 |                                         1",
		"         1048576 |                                         3",
		"         2097152 |@@@                                      48",
		"         4194304 |@@@@@@@@@@@@@@@@@@@@@                    345",
		"         8388608 |                                         0",
	};
	static const struct { int64_t v, n; } data[] = { { 2048, 2 }, { 5000, 103 },
		{ 9000, 162 }, { 20000, 3 }, { 131072, 1 }, { 600000, 1 }, { 1048576, 3 },
		{ 3000000, 48 }, { 8388607, 345 } };
	struct agg_desc d = { .func = AGG_QUANTIZE };
	const struct agg_desc *dp = &d;
	int64_t q[QUANTIZE_NBUCKETS];
	const int64_t *qp = q;
	struct fmt_val key = FMT_STR("ns");
	char want[10000];
	size_t i;

	agg_init(&d, q);
	for (i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		agg_add(&d, q, data[i].v, data[i].n);
	/* @["ns"] = quantize(...): the key, then the histogram, then "\n" */
	snprintf(want, sizeof(want), "  %-50s\n%s\n", "ns", padded(doc, 15));
	CAPTURE(agg_print_entry(F, &key, 1, &dp, &qp, NULL, 1, NULL));
	CHECK(!strcmp(out, want));
	if (strcmp(out, want))
		printf("got:\n%s\nwant:\n%s\n", out, want);
}

static void test_printa_sample(void)
{
	/* printa("pid %d, vcpu %d: %@d\n", @) of @[pid, vcpu] = quantize(...),
	 * from the illumos KVM notes, trailing blanks as printed: */
	static const char want[] =
		"pid 3949, vcpu 1: \n"
		"           value  ------------- Distribution ------------- count    \n"
		"             512 |                                         0        \n"
		"            1024 |@@@@@@@@@@@@@                            26805    \n"
		"            2048 |@@@@@                                    11641    \n"
		"            4096 |@@@@@@@                                  14187    \n"
		"            8192 |@                                        1559     \n"
		"           16384 |@                                        2931     \n"
		"           32768 |@@@                                      5653     \n"
		"           65536 |@@@@                                     8385     \n"
		"          131072 |@@@                                      6926     \n"
		"          262144 |@@@                                      6639     \n"
		"          524288 |                                         785      \n"
		"         1048576 |                                         0        \n"
		"\n";
	static const int64_t counts[] = { 26805, 11641, 14187, 1559, 2931, 5653, 8385,
					  6926, 6639, 785 };
	struct agg_desc d = { .func = AGG_QUANTIZE };
	const struct agg_desc *dp = &d;
	int64_t q[QUANTIZE_NBUCKETS];
	const int64_t *qp = q;
	struct fmt_val keys[2] = { FMT_INT(3949, 4, true), FMT_INT(1, 4, true) };
	struct fmt_spec sp;
	char err[256];
	size_t i;
	int r = 0;

	agg_init(&d, q);
	for (i = 0; i < 10; i++)
		agg_add(&d, q, (int64_t)1024 << i, counts[i]);
	CHECK(fmt_parse("pid %d, vcpu %d: %@d\n", &sp, err, sizeof(err)) == 0);
	CAPTURE(r = aggfmt_printa(F, &sp, keys, 2, &dp, &qp, NULL, 1, NULL));
	CHECK(r == 0);
	CHECK(!strcmp(out, want));
	if (strcmp(out, want))
		printf("got:\n%s\nwant:\n%s\n", out, want);
	fmt_free(&sp);
}

static void test_lquantize_sample(void)
{
	/* dispqlen.d's run-queue lengths, lquantize(x, 0, 64, 1), as printed: */
	static const char want[] =
		"\n"
		"           value  ------------- Distribution ------------- count    \n"
		"             < 0 |                                         0        \n"
		"               0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@  75201    \n"
		"               1 |@                                        2380     \n"
		"               2 |                                         59       \n"
		"               3 |                                         0        \n";
	struct agg_desc d;
	int64_t v[66];
	char err[256];

	CHECK(agg_lquantize_desc(&d, 0, 64, 1, err, sizeof(err)) == 0);
	CHECK(agg_nwords(&d) == 66);
	agg_init(&d, v);
	agg_add(&d, v, 0, 75201);
	agg_add(&d, v, 1, 2380);
	agg_add(&d, v, 2, 59);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, want));
	if (strcmp(out, want))
		printf("got:\n%s\nwant:\n%s\n", out, want);

	/* the edges: "< base" and ">= limit" rows, and an empty lquantize */
	CHECK(agg_lquantize_desc(&d, 10, 30, 10, err, sizeof(err)) == 0);
	agg_init(&d, v);
	agg_add(&d, v, 5, 1);
	agg_add(&d, v, 100, 3);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "            < 10 |@@@@@@@@@@                               1        \n"
		      "              10 |                                         0        \n"
		      "              20 |                                         0        \n"
		      "           >= 30 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@           3        \n"));
	agg_init(&d, v);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "            < 10 |                                         0        \n"
		      "              10 |                                         0        \n"
		      "              20 |                                         0        \n"));
}

static void test_other_histograms(void)
{
	struct agg_desc d = { .func = AGG_QUANTIZE };
	int64_t q[QUANTIZE_NBUCKETS];
	char err[256];
	int64_t v[32];

	/* empty quantize: the rows around zero */
	agg_init(&d, q);
	CAPTURE(agg_print_value(F, &d, q, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "              -1 |                                         0        \n"
		      "               0 |                                         0        \n"
		      "               1 |                                         0        \n"));
	/* negative increments only: bars grow leftwards */
	agg_add(&d, q, 1, -4);
	CAPTURE(agg_print_value(F, &d, q, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "               0                                         | 0        \n"
		      "               1 @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@| -4       \n"
		      "               2                                         | 0        \n"));
	/* both signs: half bars around a centre line */
	agg_add(&d, q, 4, 4);
	CAPTURE(agg_print_value(F, &d, q, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "               0                     |                     0        \n"
		      "               1           @@@@@@@@@@|                     -4       \n"
		      "               2                     |                     0        \n"
		      "               4                     |@@@@@@@@@@           4        \n"
		      "               8                     |                     0        \n"));
	/* normalize() divides the counts, not the bars */
	agg_init(&d, q);
	agg_add(&d, q, 3, 100);
	CAPTURE(agg_print_value(F, &d, q, 10));
	CHECK(strstr(out, "               2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 10       \n"));

	/* llquantize(x, 10, 0, 1, 10) */
	CHECK(agg_llquantize_desc(&d, 10, 0, 1, 10, err, sizeof(err)) == 0);
	agg_init(&d, v);
	agg_add(&d, v, 0, 1);
	agg_add(&d, v, 3, 2);
	agg_add(&d, v, 15, 1);
	agg_add(&d, v, 250, 1);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "             < 1 |@@@@@@@@                                 1        \n"
		      "               1 |                                         0        \n"
		      "               2 |                                         0        \n"
		      "               3 |@@@@@@@@@@@@@@@@                         2        \n"
		      "               4 |                                         0        \n"
		      "               5 |                                         0        \n"
		      "               6 |                                         0        \n"
		      "               7 |                                         0        \n"
		      "               8 |                                         0        \n"
		      "               9 |                                         0        \n"
		      "              10 |@@@@@@@@                                 1        \n"
		      "              20 |                                         0        \n"
		      "              30 |                                         0        \n"
		      "              40 |                                         0        \n"
		      "              50 |                                         0        \n"
		      "              60 |                                         0        \n"
		      "              70 |                                         0        \n"
		      "              80 |                                         0        \n"
		      "              90 |                                         0        \n"
		      "          >= 100 |@@@@@@@@                                 1        \n"));
	/* factor 2: the labels follow the buckets' lower bounds */
	CHECK(agg_llquantize_desc(&d, 2, 0, 3, 4, err, sizeof(err)) == 0);
	agg_init(&d, v);
	agg_add(&d, v, 5, 1);
	agg_add(&d, v, 16, 2);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "               3 |                                         0        \n"
		      "               4 |@@@@@@@@@@@@@                            1        \n"
		      "               6 |                                         0        \n"
		      "               8 |                                         0        \n"
		      "              12 |                                         0        \n"
		      "           >= 16 |@@@@@@@@@@@@@@@@@@@@@@@@@@@              2        \n"));
	CHECK(agg_llquantize_desc(&d, 10, 0, 1, 10, err, sizeof(err)) == 0);
	/* only the middle: zero rows one either side, no edge rows */
	agg_init(&d, v);
	agg_add(&d, v, 40, 2);
	CAPTURE(agg_print_value(F, &d, v, 1));
	CHECK(!strcmp(out, "\n           value  ------------- Distribution ------------- count    \n"
		      "              30 |                                         0        \n"
		      "              40 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 2        \n"
		      "              50 |                                         0        \n"));
}

static void test_default_layout(void)
{
	struct agg_desc d = { .func = AGG_COUNT };
	const struct agg_desc *dp = &d;
	int64_t v[1] = { 42 };
	const int64_t *vp = v;
	struct fmt_val keys[3] = { FMT_STR("bash"), FMT_STR("read"), FMT_INT(-1, 4, true) };
	char want[512];

	/* @[execname, probefunc] = count() */
	snprintf(want, sizeof(want), "  %-50s  %-50s %16d\n", "bash", "read", 42);
	CAPTURE(agg_print_entry(F, keys, 2, &dp, &vp, NULL, 1, NULL));
	CHECK(!strcmp(out, want));
	/* an int key; no key at all */
	CAPTURE(agg_print_entry(F, keys + 2, 1, &dp, &vp, NULL, 1, NULL));
	CHECK(!strcmp(out, "       -1               42\n"));
	CAPTURE(agg_print_entry(F, NULL, 0, &dp, &vp, NULL, 1, NULL));
	CHECK(!strcmp(out, "               42\n"));
	/* printa(@a, @b): the values side by side */
	{
		struct agg_desc s = { .func = AGG_SUM };
		const struct agg_desc *ds[2] = { &d, &s };
		int64_t w[1] = { 1000 };
		const int64_t *vs[2] = { v, w };
		uint64_t normals[2] = { 1, 10 };

		CAPTURE(agg_print_entry(F, keys, 1, ds, vs, normals, 2, NULL));
		snprintf(want, sizeof(want), "  %-50s %16d %16d\n", "bash", 42, 100);
		CHECK(!strcmp(out, want));
	}
	/* printa with a format, every kind of value */
	{
		struct agg_desc a = { .func = AGG_AVG }, sd = { .func = AGG_STDDEV };
		const struct agg_desc *ds[3] = { &d, &a, &sd };
		int64_t av[2] = { 4, 10 }, sv[4] = { 8, 40, 232, 0 };
		const int64_t *vs[3] = { v, av, sv };
		struct fmt_spec sp;
		char err[256];
		int r = 0;

		CHECK(fmt_parse("%-6s %s %@5d|%@x|%@d|%@d\n", &sp, err, sizeof(err)) == 0);
		CAPTURE(r = aggfmt_printa(F, &sp, keys, 2, ds, vs, NULL, 3, NULL));
		CHECK(r == 0 && !strcmp(out, "bash   read    42|2|2|2\n"));
		/* more conversions than keys: -1 */
		CAPTURE(r = aggfmt_printa(F, &sp, keys, 1, ds, vs, NULL, 3, NULL));
		CHECK(r == -1);
		fmt_free(&sp);
	}
}

static void test_sorting(void)
{
	struct agg_desc d = { .func = AGG_COUNT };
	struct fmt_val k[5] = { FMT_STR("sshd"), FMT_STR("bash"), FMT_STR("cron"),
				FMT_STR("bash"), FMT_STR("zsh") };
	struct fmt_val k2[5] = { FMT_INT(3, 4, true), FMT_INT(1, 4, true), FMT_INT(2, 4, true),
				 FMT_INT(0, 4, true), FMT_INT(-1, 4, true) };
	int64_t vals[5][1] = { { 10 }, { 5 }, { 5 }, { 99 }, { 1 } };
	struct agg_entry e[5];
	struct agg_sortopts o = { false, false, 0, 0 };
	int i;

	for (i = 0; i < 5; i++)
		e[i] = (struct agg_entry){ 0, &k[i], 1, &d, vals[i] };
	e[3].varid = 1;	/* a second aggregation prints after the first */
	/* default: by value ascending, ties by key */
	agg_sort(e, 5, &o);
	CHECK(e[0].data[0] == 1 && e[1].data[0] == 5 && !strcmp(e[1].keys->s.p, "bash") &&
	      !strcmp(e[2].keys->s.p, "cron") && e[3].data[0] == 10 && e[4].varid == 1);
	/* aggsortkey */
	o.keysort = true;
	agg_sort(e, 5, &o);
	CHECK(!strcmp(e[0].keys->s.p, "bash") && !strcmp(e[1].keys->s.p, "cron") &&
	      !strcmp(e[2].keys->s.p, "sshd") && !strcmp(e[3].keys->s.p, "zsh") &&
	      e[4].varid == 1);
	/* aggsortrev: everything reversed, the variables too */
	o.keysort = false;
	o.revsort = true;
	agg_sort(e, 5, &o);
	CHECK(e[0].varid == 1 && e[1].data[0] == 10 && !strcmp(e[2].keys->s.p, "cron") &&
	      !strcmp(e[3].keys->s.p, "bash") && e[4].data[0] == 1);

	/* integer keys compare unsigned: -1 sorts last */
	o = (struct agg_sortopts){ true, false, 0, 0 };
	for (i = 0; i < 5; i++)
		e[i] = (struct agg_entry){ 0, &k2[i], 1, &d, vals[i] };
	agg_sort(e, 5, &o);
	CHECK(e[0].keys->i.v == 0 && e[3].keys->i.v == 3 && e[4].keys->i.v == -1);

	/* aggsortkeypos: which key compares first */
	{
		struct fmt_val two[3][2] = {
			{ FMT_STR("a"), FMT_INT(3, 8, true) },
			{ FMT_STR("b"), FMT_INT(1, 8, true) },
			{ FMT_STR("c"), FMT_INT(2, 8, true) },
		};
		int64_t same[1] = { 7 };

		for (i = 0; i < 3; i++)
			e[i] = (struct agg_entry){ 0, two[i], 2, &d, same };
		o = (struct agg_sortopts){ true, false, 1, 0 };
		agg_sort(e, 3, &o);
		CHECK(e[0].keys[1].i.v == 1 && e[1].keys[1].i.v == 2 && e[2].keys[1].i.v == 3);
		o.keypos = 0;
		agg_sort(e, 3, &o);
		CHECK(!strcmp(e[0].keys[0].s.p, "a") && !strcmp(e[2].keys[0].s.p, "c"));
		/* ties on value fall back on the keys (default sort) */
		o.keysort = false;
		o.keypos = 1;
		agg_sort(e, 3, &o);
		CHECK(e[0].keys[1].i.v == 1);
	}

	/* histograms sort by their weighted sum */
	{
		struct agg_desc q = { .func = AGG_QUANTIZE };
		int64_t a[QUANTIZE_NBUCKETS], b[QUANTIZE_NBUCKETS];

		agg_init(&q, a);
		agg_init(&q, b);
		agg_add(&q, a, 1000, 1);
		agg_add(&q, b, 10, 50);
		CHECK(agg_value_for_sort(&q, a) == 512 && agg_value_for_sort(&q, b) == 400);
		e[0] = (struct agg_entry){ 0, k, 1, &q, a };
		e[1] = (struct agg_entry){ 0, k + 1, 1, &q, b };
		o = (struct agg_sortopts){ false, false, 0, 0 };
		CHECK(agg_cmp(&e[0], &e[1], &o) > 0);
	}

	/* printa(@a, @b) rows: aggsortpos picks the aggregation that sorts */
	{
		const struct agg_desc *ds[2] = { &d, &d };
		int64_t x1[1] = { 1 }, y1[1] = { 9 }, x2[1] = { 2 }, y2[1] = { 3 };
		const int64_t *r1[2] = { x1, y1 }, *r2[2] = { x2, y2 };
		struct agg_row rows[2] = { { k, 1, 2, ds, r1 }, { k + 1, 1, 2, ds, r2 } };

		o = (struct agg_sortopts){ false, false, 0, 0 };
		agg_sort_rows(rows, 2, &o);
		CHECK(rows[0].data == r1);
		o.sortpos = 1;
		agg_sort_rows(rows, 2, &o);
		CHECK(rows[0].data == r2);
	}
}

int main(void)
{
	test_buckets();
	test_llquantize_labels();
	test_merge_values();
	test_quantize_sample();
	test_printa_sample();
	test_lquantize_sample();
	test_other_histograms();
	test_default_layout();
	test_sorting();
	return CHECK_DONE();
}
