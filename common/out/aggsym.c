/* aggsym.c - func()/sym()/mod() and ufunc()/usym()/umod()/uaddr() keys,
 * named and merged as DTrace's consumer does (see aggsym.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggsym.h"

void aggsym_name(char *buf, size_t len, const struct fmt_ctx *ctx,
		 enum aggsym_what what, bool user, int pid, uint64_t addr)
{
	struct fmt_sym s = { NULL, NULL, 0 };
	unsigned long long a = addr;
	int r = -1;

	if (what == AGGSYM_ADDR) {
		fmt_symstr(buf, len, ctx, true, pid, addr);
		return;
	}
	if (ctx && user && ctx->usym)
		r = ctx->usym(ctx->arg, pid ? pid : ctx->target, addr, &s);
	else if (ctx && !user && ctx->ksym)
		r = ctx->ksym(ctx->arg, addr, &s);
	if (r != 0 || !s.object) {
		snprintf(buf, len, "0x%llx", a);
		return;
	}
	if (user && strrchr(s.object, '/'))
		s.object = strrchr(s.object, '/') + 1;
	if (what == AGGSYM_MOD)
		snprintf(buf, len, "%s", s.object);
	else if (s.name)
		snprintf(buf, len, "%s`%s", s.object, s.name);
	else
		snprintf(buf, len, "%s`0x%llx", s.object, a);
}

struct merge_ctx {
	const struct fmt_val *kv;
	int nkeys;
};

static struct merge_ctx g_mc;	/* qsort has no argument */

static int by_keys(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;
	int r = agg_keys_cmp(g_mc.kv + (size_t)i * g_mc.nkeys,
			     g_mc.kv + (size_t)j * g_mc.nkeys, g_mc.nkeys);
	return r ? r : (i > j) - (i < j);
}

int aggsym_merge(struct fmt_val *kv, int nkeys, int64_t *vals, size_t nw,
		 const struct agg_desc *desc, int n)
{
	int *ix = malloc((size_t)(n ? n : 1) * sizeof *ix);
	struct fmt_val *k2 = malloc((size_t)(n ? n : 1) * nkeys * sizeof *k2);
	int64_t *v2 = malloc((size_t)(n ? n : 1) * nw * sizeof *v2);
	int m = 0;

	if (!ix || !k2 || !v2) {
		free(ix);
		free(k2);
		free(v2);
		return -1;
	}
	for (int i = 0; i < n; i++)
		ix[i] = i;
	g_mc = (struct merge_ctx){ kv, nkeys };
	qsort(ix, n, sizeof *ix, by_keys);
	for (int i = 0; i < n; i++) {
		const struct fmt_val *k = kv + (size_t)ix[i] * nkeys;
		const int64_t *v = vals + (size_t)ix[i] * nw;

		if (m > 0 && agg_keys_cmp(k2 + (size_t)(m - 1) * nkeys, k, nkeys) == 0) {
			agg_merge(desc, v2 + (size_t)(m - 1) * nw, v);
			continue;
		}
		memcpy(k2 + (size_t)m * nkeys, k, nkeys * sizeof *k);
		memcpy(v2 + (size_t)m * nw, v, nw * sizeof *v);
		m++;
	}
	memcpy(kv, k2, (size_t)m * nkeys * sizeof *kv);
	memcpy(vals, v2, (size_t)m * nw * sizeof *vals);
	free(ix);
	free(k2);
	free(v2);
	return m;
}
