/* fuzz_aggfmt.c - libFuzzer target: aggregation values with any parameters
 * the checker accepts and any values must bucket, merge, sort and print
 * (default layout and printa formats) without a crash, an out-of-range
 * bucket or undefined behaviour.
 *
 * Input layout (short inputs are padded with zeros):
 *   byte 0        function (count ... llquantize, modulo 9)
 *   bytes 1-32    four int64 parameters (lquantize: lo hi step;
 *                 llquantize: factor low high nsteps), rejected ones end
 *                 the run as the checker would
 *   bytes 33-40   normalize() factor
 *   then          (value, increment) pairs of int64 until the input ends
 *
 * The parameters are folded into small ranges half of the time so that
 * the fuzzer reaches legal descriptors quickly.
 *
 *	make fuzz && build/fuzz/fuzz_aggfmt -max_total_time=60 corpus-agg
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aggfmt.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

static int64_t word(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++)
		v |= (uint64_t)(at + i < size ? data[at + i] : 0) << (8 * i);
	return (int64_t)v;
}

static const char *const formats[] = { "%@d\n", "%@u %@x\n", "%-8@lld|%20@d\n",
				       "%s %@d\n", "%d %@o\n" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agg_desc d = { 0 };
	int64_t p[4], *v, *w;
	uint64_t normal;
	size_t n, at;
	char err[256];
	int i;

	if (size < 1)
		return 0;
	for (i = 0; i < 4; i++) {
		p[i] = word(data, size, 1 + 8 * (size_t)i);
		if (data[0] & 0x80)	/* small parameters */
			p[i] = (int64_t)((uint64_t)p[i] % (i == 0 ? 70 : 40)) - (i == 0 ? 3 : 0);
	}
	normal = (uint64_t)word(data, size, 33);
	d.func = (enum agg_func)((data[0] & 0x7f) % 9);
	if (d.func == AGG_LQUANTIZE &&
	    agg_lquantize_desc(&d, p[0], p[1], p[2], err, sizeof(err)) < 0)
		return 0;
	if (d.func == AGG_LLQUANTIZE &&
	    (agg_llquantize_desc(&d, p[0], p[1], p[2], p[3], err, sizeof(err)) < 0 ||
	     llquantize_nbuckets(&d) > LLQUANTIZE_MAXBUCKETS))
		return 0;	/* what the checker refuses */
	n = agg_nwords(&d);
	v = calloc(n, sizeof(*v));
	w = calloc(n, sizeof(*w));
	if (!v || !w)
		abort();
	agg_init(&d, v);
	agg_init(&d, w);
	for (at = 41; at < size; at += 16) {
		int64_t x = word(data, size, at), incr = word(data, size, at + 8);
		int b = -1;

		switch (d.func) {
		case AGG_QUANTIZE: b = quantize_bucket(x); break;
		case AGG_LQUANTIZE: b = lquantize_bucket(&d, x); break;
		case AGG_LLQUANTIZE: b = llquantize_bucket(&d, x); break;
		default: break;
		}
		if (b != -1 && (b < 0 || (size_t)b >= n))
			abort();	/* a bucket outside the value */
		agg_add(&d, (at / 16) & 1 ? v : w, x, incr);
	}
	agg_merge(&d, v, w);
	(void)agg_value_for_sort(&d, v);
	agg_print_value(devnull, &d, v, normal);

	/* printa with a format, keyed by an int and a string */
	struct fmt_val keys[2] = { FMT_INT(p[0], 8, true), FMT_STR("key") };
	const struct agg_desc *descs[2] = { &d, &d };
	const int64_t *vals[2] = { v, w };
	uint64_t normals[2] = { normal, 1 };
	struct fmt_ctx ctx = { 0 };
	struct fmt_spec spec;
	const char *f = formats[size % (sizeof(formats) / sizeof(formats[0]))];

	if (fmt_parse(f, &spec, err, sizeof(err)) == 0) {
		/* one key: the string for a format that starts with %s */
		const struct fmt_val *key = f[1] == 's' ? &keys[1] : &keys[0];

		(void)aggfmt_printa(devnull, &spec, key, 1, descs, vals, normals, 2, &ctx);
		fmt_free(&spec);
	}
	agg_print_entry(devnull, keys, 2, descs, vals, normals, 2, &ctx);
	struct agg_entry e1 = { 0, keys, 2, &d, v }, e2 = { 0, keys, 2, &d, w };
	struct agg_sortopts so = { 0 };
	(void)agg_cmp(&e1, &e2, &so);
	free(v);
	free(w);
	return 0;
}
