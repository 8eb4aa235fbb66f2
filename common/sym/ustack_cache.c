/* ustack_cache.c - a stack unwound once per place it is taken from.
 *
 * A loop that takes a stack at the same call takes the same one each
 * time: the same pc, the same stack pointer, the same return addresses
 * on the stack.  Only the words the unwinder read decide its frames (the
 * log of ustack.h), so a block that agrees on them is that stack again:
 * it is found by (pc, sp) in a small table of the process, checked
 * against the log, and its frames and printed text are reused.  Any
 * change of the process's mappings (gen) makes every entry a miss.
 */
#include <stdlib.h>
#include <string.h>
#include "syms.h"
#include "ustack.h"

/* A power of two: enough for the places a process takes stacks from in
 * a loop, small enough for system-wide tracing (~30 KiB a process). */
#define UC_SLOTS 256

struct ucache {
	struct ustack_stack e[UC_SLOTS];
};

static void ent_clear(struct ustack_stack *st)
{
	free(st->f);
	free(st->log);
	free(st->text);
	memset(st, 0, sizeof(*st));
}

static void cache_free(void *cache)
{
	struct ucache *c = cache;
	if (!c)
		return;
	for (int i = 0; i < UC_SLOTS; i++)
		ent_clear(&c->e[i]);
	free(c);
}

static unsigned slot_of(uint64_t ip, uint64_t sp)
{
	uint64_t h = (ip ^ (sp * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	return (unsigned)(h >> 40) & (UC_SLOTS - 1);
}

/* Is the entry this block's stack with at least max frames (or all)? */
static bool hit(const struct ustack_stack *st, const struct symproc *p,
		uint64_t ip, uint64_t sp, int max, const void *block, size_t size)
{
	return st->valid && st->ip == ip && st->sp == sp && st->gen == p->gen &&
		(st->max >= max || st->n < st->max) &&
		ustack_log_match(block, size, st->log, st->nlog);
}

struct ustack_stack *ustack_get(struct syms *s, const void *block,
				size_t size, int max)
{
	int pid;
	uint64_t ip, sp;
	if (max < 1)
		max = 1;
	if (!ustack_block_key(block, size, &pid, &ip, &sp))
		pid = 0, ip = sp = 0;
	struct symproc *p = syms_proc(s, pid);
	if (!p)
		return NULL;
	if (!p->ucache.p) {
		struct ucache *c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		p->ucache = (struct symslot){ c, cache_free };
	}
	struct ustack_stack *st = &((struct ucache *)p->ucache.p)->e[slot_of(ip, sp)];
	if (hit(st, p, ip, sp, max, block, size)) {
		st->fresh = false;
		return st;
	}

	ent_clear(st);
	struct ustack_log *log = malloc(sizeof(*log));
	st->f = calloc((size_t)max, sizeof(*st->f));
	if (!log || !st->f) {
		free(log);
		ent_clear(st);
		return NULL;
	}
	log->n = 0;
	log->full = false;
	log->need = 0;
	log->ended = false;
	uint64_t gen = p->gen;
	st->n = ustack_unwind(s, block, size, st->f, max, &st->why, log);
	if (st->n < max) {		/* keep only what was found */
		void *f = realloc(st->f, (size_t)(st->n ? st->n : 1) * sizeof(*st->f));
		if (f)
			st->f = f;
	}
	st->ip = ip;
	st->sp = sp;
	st->pid = pid;
	st->max = max;
	st->need = log->need;
	st->fresh = true;
	st->ended = log->ended && !log->full;
	for (int i = 0; i < log->n; i++)
		if (log->r[i].kind == UR_NOSTACK)
			st->short_copy = true;
	st->gen = p->gen;
	/* mappings re-read during the walk: not to be trusted again */
	st->valid = !log->full && gen == p->gen &&
		(st->log = malloc((size_t)log->n * sizeof(*st->log) + 1)) != NULL;
	if (st->valid) {
		memcpy(st->log, log->r, (size_t)log->n * sizeof(*st->log));
		st->nlog = log->n;
	}
	free(log);
	return st;
}

void ustack_write(FILE *out, struct syms *s, struct ustack_stack *st,
		  int n, int indent)
{
	if (n > st->n)
		n = st->n;
	if (!st->text || st->tn != n || st->tindent != indent) {
		free(st->text);
		st->text = NULL;
		FILE *m = open_memstream(&st->text, &st->tlen);
		if (!m) {
			ustack_print(out, s, st->pid, st->f, n, indent, st->why);
			return;
		}
		ustack_print(m, s, st->pid, st->f, n, indent, st->why);
		if (fclose(m) != 0) {
			free(st->text);
			st->text = NULL;
			ustack_print(out, s, st->pid, st->f, n, indent, st->why);
			return;
		}
		st->tn = n;
		st->tindent = indent;
	}
	fwrite(st->text, 1, st->tlen, out);
}
