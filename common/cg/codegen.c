/* codegen.c - checked D to eBPF instructions.
 *
 * One BPF program per attachment point (enum point), holding every clause
 * with a probe there in source order, each behind its probe filter and its
 * predicate; a point past PROG_SPLIT_INSNS continues in a second program
 * attached after the first (the verifier's time is quadratic in a
 * program's size).  Providers whose programs serve one probe (per_probe)
 * get one a probe, except pid probes with the same clauses, which share
 * one and tell the probe apart by the attach cookie.  What depends on the
 * kind of probe (its point and raw tracepoint, program type, what a
 * program reads of the firing first, argN, filter, attachment) is asked
 * of its provider (lang/provider_ops.h).  Registers (R0..R10, emit.h):
 *
 *	R10	frame pointer		R9	this program's scratch buffer
 *	R6-R8	the value stack (deeper values spill to the frame)
 *	R0-R5	temporaries of one operation and helper arguments
 *
 * This file is the top of the generator: statements, clauses and
 * programs.  Expressions and conditions are the walker's
 * (codegen_expr.c), a D function's code its row's in funcs.c (fn_*.c),
 * the few-instruction BPF idioms everything is written in (map lookups,
 * stack slots, probe reads, ring buffer output) idioms.c's; cg.h lists
 * the files in their order.
 *
 * Frame (cg.h's FP_*): fp-8 ctx, fp-16 the probe's "sub" (syscall
 * number, or the probe's id in a program of many pid probes), fp-24 a map
 * key or value word, fp-32 a second one, then the per-run caches, and the
 * spill slots last, so that a program is only as deep as it needs.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "cg.h"
#include "provider_ops.h"
#include "codegen.h"
#include "peep.h"

/* The subprograms the program calls, after it */
static void emit_subprogs(struct cg *c)
{
	struct emit *e = c->e;
	emit_str_subprogs(c);
	emit_strtok_subprogs(c);
	emit_proc_subprogs(c);
	if (c->sp->used[SP_STRLEN]) {
		/* r1 = s; r0 = bytes before the NUL (at most strsize - 1).
		 * Not a loop: copying the string onto itself with
		 * bpf_probe_read_kernel_str returns its length, and a loop
		 * would cost the verifier one path step per byte. */
		emit_place(e, c->sp->label[SP_STRLEN]);
		emit_mov_reg(e, R3, R1);
		emit_mov_imm(e, R2, c->d->opt.strsize);
		call(c, BPF_FUNC_probe_read_kernel_str);
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JSGT, R0, 0, ok);
		emit_mov_imm(e, R0, 1);
		emit_place(e, ok);
		emit_alu64_imm(e, BPF_SUB, R0, 1);
		emit_exit(e);
	}
}

/* ---- statements ---- */

static void gen_stmt(struct cg *c, struct node *n);

static void gen_action(struct cg *c, struct node *n)
{
	if (!n->fn->act)
		FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
	n->fn->act(c, n);
	c->nactions_in_clause++;
}

/* c ? printf(...) : 1 as a statement: the side taken, as statements */
static void void_ternary(struct cg *c, struct node *n)
{
	if (n->c->isconst) {	/* OPT_x ? printf(...) : 1, OPT_x a constant */
		gen_stmt(c, n->c->cval ? n->l : n->r);
		return;
	}
	int els = emit_label(c->e), done = emit_label(c->e);
	cond_jump(c, n->c, false, els);
	gen_stmt(c, n->l);
	emit_ja(c->e, done);
	emit_place(c->e, els);
	gen_stmt(c, n->r);
	emit_place(c->e, done);
}

static void gen_stmt(struct cg *c, struct node *n)
{
	int save = c->soff;
	switch (n->kind) {
	case N_EMPTY:
		break;
	case N_BLOCK:
		for (int i = 0; i < n->nargs; i++)
			gen_stmt(c, n->args[i]);
		break;
	case N_IF: {
		if (n->c->isconst) {	/* a tool's flag: only one side exists */
			struct node *taken = n->c->cval ? n->l : n->r;
			if (taken)
				gen_stmt(c, taken);
			break;
		}
		int els = emit_label(c->e), done = emit_label(c->e);
		cond_jump(c, n->c, false, els);
		if (n->l)
			gen_stmt(c, n->l);
		emit_ja(c->e, done);
		emit_place(c->e, els);
		if (n->r)
			gen_stmt(c, n->r);
		emit_place(c->e, done);
		break;
	}
	case N_EXPR_STMT:
		gen_stmt(c, n->l);
		break;
	case N_CALL:
		if ((n->type && n->type->k == TY_VOID) ||
		    (n->fn->flags & FN_STACK)) {
			gen_action(c, n);
			break;
		}
		/* fall through */
	default:
		if (n->kind == N_ASSIGN && n->l->kind == N_AGG) {
			gen_agg(c, n);
			break;
		}
		if (n->kind == N_TERNARY && n->type->k == TY_VOID) {
			void_ternary(c, n);
			break;
		}
		if (type_is_string(n->type) && n->kind != N_ASSIGN) {
			gen_str(c, n, -1);
			break;
		}
		gen(c, n);
		vpop(c);
		break;
	}
	c->soff = save > c->skeep ? save : c->skeep;
}

/* ---- aggregations ---- */

/* ---- clauses and programs ---- */

/* Does the clause record anything?  As in DTrace, an empty clause traces
 * the probe, and so does one with a data-recording action; a clause that
 * only sets variables or aggregates prints nothing when it fires. */
static bool node_traces(const struct node *n)
{
	if (!n)
		return false;
	if (n->kind == N_CALL && (n->fn->flags & FN_TRACES))
		return (n->type && n->type->k == TY_VOID) ||
			(n->fn->flags & FN_STACK);
	if (n->kind == N_ASSIGN && n->l->kind == N_AGG)
		return false;
	if (node_traces(n->l) || node_traces(n->r) || node_traces(n->c))
		return true;
	for (int i = 0; i < n->nargs; i++)
		if (node_traces(n->args[i]))
			return true;
	return false;
}

static bool clause_traces(const struct clause *cl)
{
	if (cl->nstmts == 0)
		return true;
	for (int i = 0; i < cl->nstmts; i++)
		if (node_traces(cl->stmts[i]))
			return true;
	return false;
}

/* Where a clause calls exit(): 0 nowhere, 1 as one of its statements
 * (it always exits when it runs), 2 inside an if. */
static int stmt_exits(const struct node *n, bool nested)
{
	if (!n)
		return 0;
	switch (n->kind) {
	case N_EXPR_STMT:
		return n->l->kind == N_CALL && n->l->fn &&
			(n->l->fn->flags & FN_EXITS) ? 1 + nested : 0;
	case N_BLOCK: {
		int k = 0;
		for (int i = 0; i < n->nargs && k < 2; i++) {
			int s = stmt_exits(n->args[i], nested);
			k = s > k ? s : k;
		}
		return k;
	}
	case N_IF: {
		int l = stmt_exits(n->l, true), r = stmt_exits(n->r, true);
		return l > r ? l : r;
	}
	default:
		return 0;
	}
}

static int clause_exits(const struct clause *cl)
{
	int k = 0;
	for (int i = 0; i < cl->nstmts && k < 2; i++) {
		int s = stmt_exits(cl->stmts[i], false);
		k = s > k ? s : k;
	}
	return k;
}

static bool clause_here(struct cg *c, struct bprog *b, struct clause *cl);

/* After exit( ), DTrace runs no more clauses of the firing (its activity
 * state is DRAINING): but for END's and ERROR's, which run while it
 * drains.  After a clause that always exits, the program returns; after
 * one that may, it returns if the flag exit( ) sets is up.  The last clause
 * of a program needs neither.  Returns true when nothing after the clause
 * can run (it has no predicate and cannot fault): the verifier refuses
 * code that cannot be reached, so no more clauses are generated.  (A
 * program cut in two by PROG_SPLIT_INSNS runs its second part regardless.) */
static bool exit_skip(struct cg *c, struct clause *cl)
{
	if (c->point == PT_END || c->point == PT_ERROR)
		return false;
	int k = clause_exits(cl);
	if (!k)
		return false;
	bool later = false;
	for (int i = cl->id + 1; i < c->p->nclauses && !later; i++)
		later = clause_here(c, c->b, c->p->clauses[i]);
	if (!later)
		return false;
	if (k == 1) {
		if (!emit_label_used(c->e, c->clause_end))
			return true;
		emit_ja(c->e, c->prog_end);
		return false;
	}
	emit_ld_map_value(c->e, R1, c->globals_map, c->exit_flag);
	emit_ldx(c->e, BPF_DW, R1, R1, 0);
	emit_jmp_imm(c->e, BPF_JNE, R1, 0, c->prog_end);
	return false;
}

/* Returns true when no later clause of the program can run (exit_skip) */
static bool gen_clause(struct cg *c, struct clause *cl)
{
	struct emit *e = c->e;
	c->cl = cl;
	c->clause_end = emit_label(e);
	c->nactions_in_clause = 0;
	c->soff = c->sbase;
	c->skeep = 0;
	/* the clause's probes on this point are one provider's, whose
	 * filter skips the clause for the others sharing the point */
	const struct provider *pv = NULL;
	for (int i = 0; i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(c->d->probes, cl->probes[i]);
		const struct provider *q = provider_of(p);
		if (probe_point(p) != c->point || q == pv)
			continue;
		if (pv)
			FAIL(c, cl->loc, "a clause may not mix %s and %s probes "
			     "on the same attachment point", pv->name, q->name);
		pv = q;
	}
	if (pv && pv->filter)
		pv->filter(c, cl, c->clause_end);
	if (cl->pred)
		cond_jump(c, cl->pred, false, c->clause_end);
	bool json = c->d->opt.json;
	if ((!c->d->opt.quiet || json) && clause_traces(cl)) {
		/* the default output's "CPU ID FUNCTION:NAME" line; for
		 * oformat=json (quiet or not) the start of a firing's object,
		 * with its timestamp (the one D's timestamp reads) */
		struct action *a = new_action(c, ACT_PROBE, cl->loc);
		int size = json ? 24 : 16;
		int rec = salloc(c, size, cl->loc);
		call(c, BPF_FUNC_get_smp_processor_id);
		emit_stx(e, BPF_DW, R9, R0, rec + 8);
		if (json) {
			gen_timestamp(c);
			emit_stx(e, BPF_DW, R9, R0, rec + 16);
		}
		rec_header(c, rec, a);
		add_val(c, a, RV_INT, 8, 4, false);
		a->recsize = size;
		ring_output(c, rec, size);
	}
	for (int i = 0; i < cl->nstmts; i++)
		gen_stmt(c, cl->stmts[i]);
	bool last = clause_exits(cl) == 1 && exit_skip(c, cl);
	emit_place(e, c->clause_end);
	if (clause_exits(cl) == 2)
		exit_skip(c, cl);
	return last;
}

/* Does clause cl run in b's program? */
static bool clause_here(struct cg *c, struct bprog *b, struct clause *cl)
{
	if (clause_never_fires(cl))
		return false;
	for (int j = 0; j < cl->nprobes; j++) {
		const struct probe *p = probetab_by_id(c->d->probes,
						       cl->probes[j]);
		if (probe_point(p) != b->point)
			continue;
		/* per-probe points: only this program's probe */
		if (provider_of(p)->per_probe && p != b->probe)
			continue;
		return true;
	}
	return false;
}

/* The program's clean-up (peep.c); the clauses' first instructions
 * follow it.  Without memory for the map the program stays as it is. */
static void peep_program(struct bprog *b);

/* Zero the stack slots the program's caches use, first thing: done at the
 * end because only then is it known which are used.  Jumps and calls are
 * relative, so nothing else moves. */
static void zero_caches(struct cg *c, struct bprog *b)
{
	struct emit *e = &b->code;
	int slots[2], n = 0;
	if (c->task_cached)
		slots[n++] = FP_TASK;
	if (c->regs_cached)
		slots[n++] = FP_REGS;
	for (int k = 0; k < n; k++) {
		emit_st(e, BPF_DW, R10, slots[k], 0);
		if (e->oom)
			return;
		memmove(e->insn + 1, e->insn, sizeof *e->insn * (size_t)(e->n - 1));
		e->insn[0] = (struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_DW,
			.dst_reg = R10, .off = (int16_t)slots[k] };
		for (int i = 0; i < b->nclauses; i++)
			b->clause_insn[i]++;
	}
}

static void peep_program(struct bprog *b)
{
	int *map = malloc(sizeof *map * ((size_t)b->code.n + 1));
	if (!map)
		return;
	b->code.n = peep_optimize(b->code.insn, b->code.n, map);
	for (int i = 0; i < b->nclauses; i++)
		b->clause_insn[i] = map[b->clause_insn[i]];
	free(map);
}

/* Generate b's program from its first clause on; returns the clause where
 * a continuation program must start, or -1 when every clause was placed. */
static int gen_program(struct cg *c, struct bprog *b)
{
	int next;
	struct emit *e = &b->code;
	struct subprogs sp = { 0 };
	c->sp = &sp;
	c->b = b;
	c->e = e;
	c->point = b->point;
	c->depth = 0;
	c->smax = c->sbase;
	c->sysnames_map = -1;
	c->task_cached = c->regs_cached = c->pid_cached = false;
	c->caches_filled = false;
	emit_init(e);
	/* prologue: save ctx, find the scratch buffer */
	emit_stx(e, BPF_DW, R10, R1, FP_CTX);
	emit_st(e, BPF_DW, R10, FP_SUB, 0);
	emit_st(e, BPF_DW, R10, FP_TS, 0);
	emit_facts_set(e, FACT_TS_ZERO);
	if (c->self_map >= 0) {
		emit_st(e, BPF_DW, R10, FP_SELF, 0);
		emit_facts_set(e, FACT_SELF_ZERO);
	}
	if (b->nprobes > 1) {
		/* the probe that fired: its id, the link's cookie for it */
		call(c, BPF_FUNC_get_attach_cookie);
		emit_stx(e, BPF_DW, R10, R0, FP_SUB);
	}
	/* what the provider reads of the firing first (r1 still the
	 * context): the syscall number of a syscall program */
	b->sub_syscall = false;
	if (b->prov && b->prov->prologue)
		b->prov->prologue(c, b);
	emit_st(e, BPF_DW, R10, FP_K1, 0);
	map_lookup_fp(c, b->scratch_map, FP_K1);
	int have = emit_label(e);
	emit_jmp_imm(e, BPF_JNE, R0, 0, have);
	emit_exit(e);
	emit_place(e, have);
	emit_mov_reg(e, R9, R0);
	if (c->self_map >= 0)
		emit_st(e, BPF_DW, R9, SCRATCH_SELFST, 0);
	c->pid_init_at = e->n;
	emit_st(e, BPF_DW, R9, SCRATCH_PIDTGID, 0);
	int i;
	c->prog_end = emit_label(e);
	for (i = b->first_clause; i < c->p->nclauses; i++) {
		struct clause *cl = c->p->clauses[i];
		if (!clause_here(c, b, cl))
			continue;
		b->clause_insn = arena_push(c->p->arena, b->clause_insn,
					    &b->nclauses, sizeof *b->clause_insn);
		b->nclauses--;
		b->clause_line = arena_push(c->p->arena, b->clause_line,
					    &b->nclauses, sizeof *b->clause_line);
		b->clause_insn[b->nclauses - 1] = e->n;
		b->clause_line[b->nclauses - 1] = cl->loc.line;
		if (gen_clause(c, cl)) {
			i = c->p->nclauses;	/* it always exits */
			break;
		}
		/* The verifier patches every inlined helper call by moving
		 * the whole program (bpf_patch_insn_single): its time grows
		 * with the square of a program's size.  A long program is cut
		 * after a clause and the rest goes to another program on the
		 * same point, attached after it, so clauses still run in
		 * order and loading stays linear in the clauses. */
		if (e->n >= PROG_SPLIT_INSNS && i + 1 < c->p->nclauses) {
			i++;
			break;
		}
	}
	next = i < c->p->nclauses ? i : -1;
	emit_place(e, c->prog_end);
	emit_mov_imm(e, R0, 0);
	emit_exit(e);
	c->cl = NULL;
	emit_subprogs(c);
	if (emit_finish(e) < 0 || e->oom) {
		FAIL(c, (struct loc){0}, "internal error: the program could not "
		     "be assembled (too large?)");
	} else {
		if (!c->pid_cached)	/* a no-op, which peep_program drops */
			e->insn[c->pid_init_at] = (struct bpf_insn){
				.code = BPF_ALU64 | BPF_MOV | BPF_X };
		zero_caches(c, b);
		peep_program(b);
	}
	b->scratch_size = c->smax;
	/* slack after the last buffer: bounded string loops may read up to
	 * two strsize past a string's start */
	c->p->maps[b->scratch_map].vsize = c->smax + 2 * c->d->opt.strsize;
	c->sp = NULL;
	return next;
}

/* The clauses naming each pid probe, by probe id: pid probes with the same
 * clauses share one program (attached to all of them at once, see
 * attach_pid in load.c), which tells them apart by the attach cookie. */
struct pidsig {
	int *cl;
	int n;
};

static bool same_clauses(const struct pidsig *a, const struct pidsig *b)
{
	return a->n == b->n && !memcmp(a->cl, b->cl, a->n * sizeof *a->cl);
}

static struct bprog *bprog_for(struct cg *c, int pt, const struct probe *p,
			       const struct pidsig *sig)
{
	struct prog *pr = c->p;
	for (int i = 0; i < pr->nbprogs; i++) {
		struct bprog *b = &pr->bprogs[i];
		if (b->point != pt)
			continue;
		if (provider_of(p)->by_cookie && b->probe != p &&
		    b->probe->is_return == p->is_return &&
		    same_clauses(&sig[b->probe->id], &sig[p->id])) {
			for (int k = 0; k < b->nprobes; k++)
				if (b->probes[k] == p)
					return b;
			b->probes = arena_push(pr->arena, b->probes, &b->nprobes,
					       sizeof *b->probes);
			b->probes[b->nprobes - 1] = p;
			return b;
		}
		if (provider_of(p)->per_probe && b->probe != p)
			continue;
		return b;
	}
	pr->bprogs = arena_push(pr->arena, pr->bprogs, &pr->nbprogs,
				sizeof *pr->bprogs);
	struct bprog *b = &pr->bprogs[pr->nbprogs - 1];
	b->point = pt;
	b->probe = p;
	b->probes = arena_push(pr->arena, NULL, &b->nprobes, sizeof *b->probes);
	b->probes[0] = p;
	b->fd = -1;
	b->sysfilter_map = -1;
	b->prov = provider_of(p);
	b->tp = b->prov->tp ? b->prov->tp(pt) : NULL;
	b->prog_type = b->prov->prog_type;
	return b;
}

void codegen(struct compile *d)
{
	struct prog *p = &d->p;
	struct cg c = { .d = d, .p = p, .sysnames_map = -1, .vtime_map = -1,
			.pnames_map = -1 };
	c.ring_map = map_add(&c, MR_RINGBUF, BPF_MAP_TYPE_RINGBUF, 0, 0,
			     (int)d->opt.bufsize, "dtk_ring");
	c.drops_map = map_add(&c, MR_DROPS, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8,
			      DROP_NKINDS, "dtk_drops");
	/* globals: one array element holding every global scalar/string */
	int goff = 0;
	for (struct sym *y = p->syms; y; y = y->next)
		if (y->kind == S_GLOBAL) {
			int sz = type_is_string(y->type) ||
				y->type->k == TY_ARRAY ? y->type->size : 8;
			y->off = goff;
			goff += (sz + 7) & ~7;
		}
	/* the flag of exit( ) called where a clause may not reach it */
	c.exit_flag = -1;
	for (int i = 0; i < p->nclauses && c.exit_flag < 0; i++)
		if (clause_exits(p->clauses[i]) == 2) {
			c.exit_flag = goff;
			goff += 8;
		}
	p->globals_size = goff < 8 ? 8 : goff;
	c.globals_map = map_add(&c, MR_GLOBALS, BPF_MAP_TYPE_ARRAY, 4,
				p->globals_size, 1, "dtk_globals");
	/* this-> variables: the first part of every scratch buffer */
	int toff = SCRATCH_BASE;
	for (struct sym *y = p->syms; y; y = y->next)
		if (y->kind == S_THIS) {
			int sz = type_is_string(y->type) ? y->type->size : 8;
			y->off = toff;
			toff += (sz + 7) & ~7;
		}
	c.sbase = toff;
	/* scalar self-> variables: one map, one value of them all */
	c.self_map = -1;
	for (struct sym *y = p->syms; y; y = y->next)
		if (self_packed(y)) {
			y->off = c.self_size;
			c.self_size += 8;
		}
	if (c.self_size) {
		c.self_map = map_add(&c, MR_SELF, BPF_MAP_TYPE_TASK_STORAGE, 4,
				     c.self_size, 0, "dtk_self");
		for (struct sym *y = p->syms; y; y = y->next)
			if (self_packed(y))
				y->map = c.self_map;
	}
	agg_group_maps(&c);
	/* one program per attachment point; pid probes with the same
	 * clauses share one */
	int nids = probetab_count(d->probes) + 1;
	struct pidsig *sig = arena_alloc(p->arena, nids * sizeof *sig);
	memset(sig, 0, nids * sizeof *sig);
	for (int i = 0; i < p->nclauses; i++) {
		struct clause *cl = p->clauses[i];
		for (int j = 0; j < cl->nprobes; j++) {
			const struct probe *pr = probetab_by_id(d->probes, cl->probes[j]);
			struct pidsig *ps = &sig[pr->id];
			if (provider_of(pr)->by_cookie &&
			    (!ps->n || ps->cl[ps->n - 1] != i)) {
				ps->cl = arena_push(p->arena, ps->cl, &ps->n,
						    sizeof *ps->cl);
				ps->cl[ps->n - 1] = i;
			}
		}
	}
	for (int i = 0; i < p->nclauses; i++) {
		struct clause *cl = p->clauses[i];
		if (clause_never_fires(cl))
			continue;
		for (int j = 0; j < cl->nprobes; j++) {
			const struct probe *pr = probetab_by_id(d->probes, cl->probes[j]);
			int pt = probe_point(pr);
			if (pt == PT_BEGIN)
				p->has_begin = true;
			if (pt == PT_END)
				p->has_end = true;
			bprog_for(&c, pt, pr, sig);
		}
	}
	for (int i = 0; i < p->nbprogs; i++) {
		struct bprog *b = &p->bprogs[i];
		char name[24];
		snprintf(name, sizeof name, "dtk_scr%d", i % 1000);
		b->scratch_map = map_add(&c, MR_SCRATCH, BPF_MAP_TYPE_PERCPU_ARRAY,
					 4, 64, 1, name);
		if (b->first_clause == 0 && b->prov && b->prov->per_event)
			b->prov->per_event(&c, b);
		int next = gen_program(&c, b);
		if (c.sysnames_map >= 0)
			b->sysfilter_map = c.sysnames_map;
		if (next >= 0) {
			/* the rest of this point's clauses: a program of its
			 * own (and, as the loop goes on, its scratch map) */
			struct bprog cont = *b;
			cont.first_clause = next;
			cont.nclauses = 0;
			cont.clause_insn = cont.clause_line = NULL;
			memset(&cont.code, 0, sizeof cont.code);
			p->bprogs = arena_push(p->arena, p->bprogs, &p->nbprogs,
					       sizeof *p->bprogs);
			p->bprogs[p->nbprogs - 1] = cont;
		}
	}
	gen_vtime_program(&c);
}
