/* codegen_agg.c - aggregations in the kernel: @name[keys] = f(x).
 *
 * Each aggregation is a per-CPU hash map keyed by its keys; its value is
 * the int64 words of aggfmt.h's layout for the function, updated in place
 * (one CPU's copy: no atomics) by the function's code (fn_agg.c), and
 * merged in user space when printed.
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

static int agg_map(struct cg *c, struct sym *y)
{
	if (y->map >= 0)
		return y->map;
	int ks = sym_keysize(y);
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
