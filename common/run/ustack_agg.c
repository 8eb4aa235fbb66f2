/* ustack_agg.c - the events of @[ustack()] aggregations.
 *
 * The kernel cannot make a user stack key (it cannot unwind code without
 * frame pointers), so each event comes here: its block is unwound (once
 * per distinct stack, ustack_cache.c), the key's stack slots filled with
 * the process and its pcs, and the event added to a sum kept here per
 * key.  Writing each event into the map would take two system calls an
 * event; ustack_agg_flush adds the sums into the aggregation's per-CPU
 * map (as CPU 0's share) once per key and batch instead, before any
 * record that may read the map (printa, trunc, clear...) and after each
 * batch, so what printa() and the print at exit read is the same.
 */
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "aggfmt.h"
#include "consume_stack.h"
#include "ustack.h"

#define UP_BUCKETS	1024
#define UP_MAX		8192	/* keys held before a flush */

struct upend {
	struct upend *next;
	const struct sym *y;
	uint64_t hash;
	int64_t *val;			/* agg_nwords() words */
	char key[];			/* y->keysize bytes */
};

struct uptab {
	struct upend *b[UP_BUCKETS];
	int n;
};

static uint64_t hash_key(const struct sym *y, const char *key, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)y;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	return h;
}

/* The pending value of the key, made empty on first sight. */
static int64_t *pending(struct dtk *d, const struct sym *y,
			const struct agg_desc *ad, const char *key)
{
	struct uptab *t = d->upend;
	size_t ks = (size_t)y->keysize;
	if (!t && !(t = d->upend = calloc(1, sizeof(*t))))
		return NULL;
	uint64_t h = hash_key(y, key, ks);
	struct upend **b = &t->b[h % UP_BUCKETS];
	for (struct upend *e = *b; e; e = e->next)
		if (e->hash == h && e->y == y && !memcmp(e->key, key, ks))
			return e->val;
	struct upend *e = calloc(1, sizeof(*e) + ks);
	int64_t *v = calloc(agg_nwords(ad) + 1, sizeof(int64_t));
	if (!e || !v) {
		free(e);
		free(v);
		return NULL;
	}
	e->y = y;
	e->hash = h;
	e->val = v;
	memcpy(e->key, key, ks);
	agg_init(ad, v);
	e->next = *b;
	*b = e;
	t->n++;
	return v;
}

static void add_to_map(struct dtk *d, const struct upend *e)
{
	const struct sym *y = e->y;
	struct agg_desc ad;
	agg_desc_of(y, &ad);
	int ncpu = libbpf_num_possible_cpus();
	size_t vs = (size_t)((y->vsize + 7) & ~7);
	int fd = d->comp.p.maps[y->map].fd;
	int64_t *pc = calloc((size_t)ncpu, vs);
	if (!pc)
		return;
	if (bpf_map_lookup_elem(fd, e->key, pc) < 0)
		for (int c = 0; c < ncpu; c++)
			agg_init(&ad, (int64_t *)((char *)pc + c * vs));
	agg_merge(&ad, pc, e->val);
	if (bpf_map_update_elem(fd, e->key, pc, BPF_ANY) < 0) {
		fflush(d->out);
		fprintf(stderr, "dtrace: 1 aggregation drop on CPU 0\n");
	}
	free(pc);
}

static void drain(struct dtk *d, bool write)
{
	struct uptab *t = d->upend;
	if (!t)
		return;
	for (int i = 0; i < UP_BUCKETS; i++) {
		struct upend *e = t->b[i];
		while (e) {
			struct upend *next = e->next;
			if (write)
				add_to_map(d, e);
			free(e->val);
			free(e);
			e = next;
		}
	}
	free(t);
	d->upend = NULL;
}

void ustack_agg_flush(struct dtk *d)
{
	drain(d, true);
}

void ustack_agg_discard(struct dtk *d)
{
	drain(d, false);
}

void ustack_agg_event(struct dtk *d, const struct action *a, const char *rec,
		      size_t size)
{
	struct sym *y = a->agg;
	if (!y || y->map < 0 || a->nvals < 1)
		return;
	const struct recval *blk = &a->vals[a->nvals - 1];
	int head = blk->off, ks = y->keysize;
	if ((size_t)head > size || 24 + ks > head)
		return;
	int64_t x, incr;
	memcpy(&x, rec + 8, 8);
	memcpy(&incr, rec + 16, 8);
	char *key = calloc(1, (size_t)ks);
	if (!key)
		return;
	memcpy(key, rec + 24, (size_t)ks);
	struct ustack_stack *st = ustack_get(dtk_syms(d), rec + head,
					     size - head, 127);
	if (!st)
		goto out;
	stack_extent(d, rec + head, size - head, st);
	/* each ustack key: the process, then its pcs (0 past the last) */
	for (int i = 0; i < a->nvals - 1; i++) {
		const struct recval *rv = &a->vals[i];
		char *k = key + (rv->off - 24);
		uint64_t pid = (uint64_t)st->pid;
		memcpy(k, &pid, 8);
		for (int j = 0; j < st->n && j < rv->size; j++)
			memcpy(k + 8 + 8 * j, &st->f[j].pc, 8);
	}
	struct agg_desc ad;
	agg_desc_of(y, &ad);
	if (d->upend && ((struct uptab *)d->upend)->n >= UP_MAX)
		ustack_agg_flush(d);
	int64_t *v = pending(d, y, &ad, key);
	if (v)
		agg_add(&ad, v, x, incr);
	else {
		fflush(d->out);
		fprintf(stderr, "dtrace: 1 aggregation drop on CPU 0\n");
	}
out:
	free(key);
}
