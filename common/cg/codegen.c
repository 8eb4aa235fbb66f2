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
 * of its provider (prov/provider.h).  Registers (R0..R10, emit.h):
 *
 *	R10	frame pointer		R9	this program's scratch buffer
 *	R6-R8	the value stack (deeper values spill to the frame)
 *	R0-R5	temporaries of one operation and helper arguments
 *
 * Conditions compile to jumps (codegen_cond.c); the few-instruction BPF
 * idioms everything is written in (map lookups, stack slots, probe
 * reads, ring buffer output) are in idioms.c.
 *
 * Frame (cg.h's FP_*): fp-8 ctx, fp-16 the probe's "sub" (syscall
 * number, or the probe's id in a program of many pid probes), fp-24 a map
 * key or value word, fp-32 a second one, then the per-run caches, and the
 * spill slots last, so that a program is only as deep as it needs.
 *
 * Integers are 64-bit in registers and truncated/extended when a narrower
 * type is loaded or cast.  Strings never sit in registers: a string
 * expression is generated into the scratch buffer and named by its offset.
 * Pointers are plain numbers: every dereference goes through
 * bpf_probe_read_{kernel,user}, so a bad address is a reported fault, never
 * a verifier rejection.
 */
#include <stddef.h>
#include <sys/user.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "aggfmt.h"
#include "builtins.h"
#include "arch.h"
#include "cg.h"
#include "provider_ops.h"
#include "codegen.h"
#include "peep.h"
#include "codegen_stack.h"
#include "fmt.h"
#include "kbtf.h"
#include "lex.h"

/* ---- maps ---- */

int map_add(struct cg *c, enum map_role role, int type, int ksize,
	    int vsize, int max, const char *name)
{
	struct prog *p = c->p;
	p->maps = arena_push(p->arena, p->maps, &p->nmaps, sizeof *p->maps);
	struct mapdef *m = &p->maps[p->nmaps - 1];
	m->role = role;
	m->type = type;
	m->ksize = ksize;
	m->vsize = vsize;
	m->max = max;
	m->fd = -1;
	m->outer = -1;
	snprintf(m->name, sizeof m->name, "%s", name);
	return p->nmaps - 1;
}

/* ---- scratch ---- */

int salloc(struct cg *c, int size, struct loc loc)
{
	int off = c->soff;
	c->soff += (size + 7) & ~7;
	if (c->soff + 2 * c->d->opt.strsize > SCRATCH_MAX)	/* + slack */
		FAIL(c, loc, "clause needs more than %d bytes of scratch space "
		     "(lower strsize)", SCRATCH_MAX);
	if (c->soff > c->smax)
		c->smax = c->soff;
	return off;
}

/* ---- the value stack ---- */

int vpush(struct cg *c, struct loc loc)
{
	if (c->depth >= NVREGS + MAXSPILL)
		FAIL(c, loc, "expression is too complex");
	return c->depth++;
}

void vpop(struct cg *c) { c->depth--; }

static int spill_off(int v) { return FP_SPILL - 8 * (v - NVREGS); }

/* The frame offset of n bytes no value is spilled into while the value
 * stack is as deep as now (the slots below the deepest in use), or 0 if
 * the frame has not that many left.  For a buffer used and done with
 * before the next value is pushed. */
int free_frame(struct cg *c, int n)
{
	int top = c->depth > NVREGS ? c->depth : NVREGS;
	int low = spill_off(top) + 8 - n;
	return low >= spill_off(NVREGS + MAXSPILL - 1) ? low : 0;
}

void vget(struct cg *c, int v, int reg)
{
	if (v < NVREGS) {
		if (reg != R6 + v)
			emit_mov_reg(c->e, reg, R6 + v);
	} else {
		emit_ldx(c->e, BPF_DW, reg, R10, spill_off(v));
	}
}

void vset(struct cg *c, int v, int reg)
{
	if (v < NVREGS) {
		if (reg != R6 + v)
			emit_mov_reg(c->e, R6 + v, reg);
	} else {
		emit_stx(c->e, BPF_DW, R10, reg, spill_off(v));
	}
}

/* reg = the value on top, popped.  When it was just copied from r0, the
 * copy is taken back: nothing reads a popped value's register. */
void vpop_into(struct cg *c, int v, int reg)
{
	if (v == c->depth - 1 && v < NVREGS &&
	    emit_take_mov(c->e, R6 + v, R0))
		emit_mov_reg(c->e, reg, R0);
	else
		vget(c, v, reg);
	vpop(c);
}

/* ---- actions ---- */

struct action *new_action(struct cg *c, enum action_kind k, struct loc loc)
{
	struct prog *p = c->p;
	p->actions = arena_push(p->arena, p->actions, &p->nactions,
				sizeof *p->actions);
	struct action *a = &p->actions[p->nactions - 1];
	a->kind = k;
	a->clause = c->cl ? c->cl->id : -1;
	a->prog = (int)(c->b - p->bprogs);
	a->loc = loc;
	return a;
}

static int action_id(struct cg *c, struct action *a)
{
	/* ids start at 1 so that a zeroed word is never an action */
	return (int)(a - c->p->actions) + 1;
}

void add_val(struct cg *c, struct action *a, enum recval_kind k, int off,
		    int size, bool sign)
{
	a->vals = arena_push(c->p->arena, a->vals, &a->nvals, sizeof *a->vals);
	struct recval *v = &a->vals[a->nvals - 1];
	v->kind = k;
	v->off = off;
	v->size = size;
	v->sign = sign;
}

/* Write the record header (action id, sub) at scratch offset rec. */
void rec_header(struct cg *c, int rec, struct action *a)
{
	/* the CPU rides in the action word's top byte (REC_CPU): the
	 * consumer assembles each CPU's lines apart (lines.h) */
	call(c, BPF_FUNC_get_smp_processor_id);
	emit_alu64_imm(c->e, BPF_LSH, R0, 24);
	emit_alu64_imm(c->e, BPF_OR, R0, action_id(c, a));
	emit_stx(c->e, BPF_W, R9, R0, rec);
	emit_ldx(c->e, BPF_W, R0, R10, FP_SUB);
	emit_stx(c->e, BPF_W, R9, R0, rec + 4);
}

/* ---- forward ---- */

static void gen_stmt(struct cg *c, struct node *n);

/* A fault: report it (like DTrace's ERROR) and abandon the clause. */
void fault(struct cg *c, struct loc loc, int addr_reg, int kind)
{
	struct emit *e = c->e;
	struct action *a = new_action(c, ACT_ERROR, loc);
	a->errkind = kind;
	a->pc = e->n;
	a->recsize = 24;
	int rec = salloc(c, 24, loc);
	emit_stx(e, BPF_DW, R9, addr_reg, rec + 8);
	emit_st(e, BPF_DW, R9, rec + 16, c->nactions_in_clause);
	rec_header(c, rec, a);
	add_val(c, a, RV_INT, 8, 8, false);
	ring_output(c, rec, 24);
	emit_ja(e, c->clause_end);
}

/* ---- built-in variables ---- */

/* x86_64's pt_regs is laid out as the user ABI's struct user_regs_struct
 * (the kernel saves the registers in the order it declares): a syscall's
 * or a uprobe's registers need no kernel BTF, whose loading (several MB
 * read and parsed) would be most of a small tool's start-up. */
static int pt_regs_ofs(const char *f)
{
#if defined(__x86_64__)
	static const struct { const char *f; int off; } r[] = {
#define R(k, u) { #k, (int)offsetof(struct user_regs_struct, u) }
		R(r15, r15), R(r14, r14), R(r13, r13), R(r12, r12), R(bp, rbp),
		R(bx, rbx), R(r11, r11), R(r10, r10), R(r9, r9), R(r8, r8),
		R(ax, rax), R(cx, rcx), R(dx, rdx), R(si, rsi), R(di, rdi),
		R(orig_ax, orig_rax), R(ip, rip), R(cs, cs), R(flags, eflags),
		R(sp, rsp), R(ss, ss),
#undef R
	};
	for (size_t i = 0; i < sizeof r / sizeof *r; i++)
		if (!strcmp(r[i].f, f))
			return r[i].off;
#else
	(void)f;
#endif
	return -1;
}

int kofs(struct cg *c, const char *sname, const char *path, struct loc loc)
{
	int ro = strcmp(sname, "pt_regs") ? -1 : pt_regs_ofs(path);
	if (ro >= 0)
		return ro;
	struct kbtf *kb = sema_kbtf(c->d);
	int off = kb ? kbtf_offsetof(kb, sname, path, NULL) : -1;
	if (off < 0)
		FAIL(c, loc, "kernel field %s.%s not found in kernel BTF", sname,
		     path);
	return off;
}

/* r0 = bpf_get_current_pid_tgid(), got once per program run and kept in
 * scratch at SCRATCH_PIDTGID (gen_program zeroes it first; only the idle
 * task's is 0, got again each time): a firing's pid and tid cost one
 * call.  Clobbers r1-r5. */
static void cur_pid_tgid(struct cg *c)
{
	struct emit *e = c->e;
	int have = emit_label(e);
	c->pid_cached = true;
	emit_ldx(e, BPF_DW, R0, R9, SCRATCH_PIDTGID);
	emit_jmp_imm(e, BPF_JNE, R0, 0, have);
	call(c, BPF_FUNC_get_current_pid_tgid);
	emit_stx(e, BPF_DW, R9, R0, SCRATCH_PIDTGID);
	emit_place(e, have);
}

/* r0 = a value kept in stack slot `slot` once per program run: made by
 * make() (into r0) the first time, loaded after that.  The first time is
 * when the scratch word at `flag` is 0, or, for a value that is never 0
 * (flag < 0), when the slot is.  The flag is in scratch, not the frame:
 * the verifier knows nothing of its value, so that a run which made the
 * value and found none (a self-> lookup that missed) and a run which did
 * not make it yet are one state to it, not two, from there to the end of
 * the program.  Where the facts (set: made, zero: not yet) say which,
 * only that code. */
static void slot_cached(struct cg *c, int flag, int slot, unsigned set,
			unsigned zero, void (*make)(struct cg *c))
{
	struct emit *e = c->e;
	if (emit_facts(e) & set) {
		emit_ldx(e, BPF_DW, R0, R10, slot);
		return;
	}
	int cached = emit_label(e), done = emit_label(e);
	if (!(emit_facts(e) & zero)) {
		if (flag < 0)
			emit_ldx(e, BPF_DW, R0, R10, slot);
		else
			emit_ldx(e, BPF_DW, R0, R9, flag);
		emit_jmp_imm(e, BPF_JNE, R0, 0, flag < 0 ? done : cached);
	}
	make(c);
	emit_stx(e, BPF_DW, R10, R0, slot);
	if (flag >= 0)
		emit_st(e, BPF_DW, R9, flag, 1);
	if (!(emit_facts(e) & zero) && flag >= 0) {
		emit_ja(e, done);
		emit_place(e, cached);
		emit_ldx(e, BPF_DW, R0, R10, slot);
	}
	emit_place(e, done);
	emit_facts_clear(e, zero);
	emit_facts_set(e, set);
}

static void ktime(struct cg *c)
{
	call(c, BPF_FUNC_ktime_get_ns);
}

/* r0 = timestamp: one per program run, as DTrace reads it once a firing */
static void timestamp(struct cg *c)
{
	slot_cached(c, -1, FP_TS, FACT_TS_SET, FACT_TS_ZERO, ktime);
}

/* The probe whose arguments a clause reads at this program's point: the
 * program's own for providers with a program per probe, else the clause's
 * first probe on the point (a syscall or a proc probe on sys_enter). */
static const struct probe *clause_probe(struct cg *c)
{
	if (c->b->probe && provider_of(c->b->probe)->per_probe)
		return c->b->probe;
	for (int i = 0; c->cl && i < c->cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(c->d->probes, c->cl->probes[i]);
		if (probe_point(p) == c->point)
			return p;
	}
	return c->b->probe;
}

/* argN: as the probe's provider reads it */
static void gen_arg(struct cg *c, int i, struct loc loc)
{
	const struct probe *p = clause_probe(c);
	if (!p) {
		emit_mov_imm(c->e, R0, 0);
		return;
	}
	provider_of(p)->arg(c, p, i, loc);
}

static void gen_builtin(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	switch (n->builtin) {
	case B_PID:
		cur_pid_tgid(c);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		break;
	case B_TID:
		cur_pid_tgid(c);
		emit_alu64_imm(e, BPF_LSH, R0, 32);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		break;
	case B_UID:
		call(c, BPF_FUNC_get_current_uid_gid);
		emit_alu64_imm(e, BPF_LSH, R0, 32);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		break;
	case B_GID:
		call(c, BPF_FUNC_get_current_uid_gid);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		break;
	case B_PPID: {
		int rp = kofs(c, "task_struct", "real_parent", n->loc);
		int tg = kofs(c, "task_struct", "tgid", n->loc);
		call(c, BPF_FUNC_get_current_task);
		kread(c, R0, R0, rp, 8);
		kread(c, R0, R0, tg, 4);
		break;
	}
	case B_TIMESTAMP:
		timestamp(c);
		break;
	case B_WALLTIMESTAMP:
		call(c, BPF_FUNC_ktime_get_ns);
		emit_ld_imm64(e, R1, (uint64_t)c->d->walltime_off);
		emit_alu64_reg(e, BPF_ADD, R0, R1);
		break;
	case B_VTIMESTAMP:
		gen_vtimestamp(c, n->loc);
		break;
	case B_CPU:
		call(c, BPF_FUNC_get_smp_processor_id);
		break;
	case B_CGROUP:
		call(c, BPF_FUNC_get_current_cgroup_id);
		break;
	case B_ERRNO:
		if (c->point == PT_SYS_EXIT) {
			emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
			emit_ldx(e, BPF_DW, R0, R1, 8);
			errno_mask(c);
			emit_alu64_imm(e, BPF_NEG, R0, 0);
			emit_alu64_reg(e, BPF_AND, R0, R1);	/* 0 unless -errno */
		} else {
			emit_mov_imm(e, R0, 0);
		}
		break;
	case B_ARG0: case B_ARG1: case B_ARG2: case B_ARG3: case B_ARG4:
	case B_ARG5: case B_ARG6: case B_ARG7: case B_ARG8: case B_ARG9:
		gen_arg(c, n->builtin - B_ARG0, n->loc);
		break;
	case B_CURTHREAD:
		call(c, BPF_FUNC_get_current_task);
		break;
	case B_CURPSINFO: case B_CURLWPSINFO:
		/* psinfo is computed member by member from the task */
		call(c, BPF_FUNC_get_current_task);
		break;
	case B_EPID: case B_ID:
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		break;
	case B_USTACKDEPTH: case B_STACKDEPTH:
		gen_stackdepth(c, n->builtin == B_USTACKDEPTH, n->loc);
		break;
	case B_IPL:
		emit_mov_imm(e, R0, 0);
		break;
	case B_CALLER: case B_UCALLER:
		emit_mov_imm(e, R0, 0);
		break;
	default:
		FAIL(c, n->loc, "%s is not available in this context", n->name);
	}
}

/* ---- variables ---- */

/* Scalar self-> variables share one task-storage map, a value holding
 * them all (y->off in it): the thread's own slot, found from its task
 * struct (no hash, no key), looked up once per program run (self_ptr), so
 * that a clause reading or writing several of them pays one lookup, not
 * one per variable.  The kernel frees a thread's value when the thread
 * ends.  Storing 0 frees the variable as in D: the value goes when all of
 * its variables are 0. */
static bool self_packed(const struct sym *y)
{
	return y->kind == S_SELF && !type_is_string(y->type) &&
	       y->type->size <= 8;
}

/* r0 = bpf_task_storage_get(self map, current, NULL, flags) */
static void self_get(struct cg *c, int flags)
{
	struct emit *e = c->e;
	cur_task(c);
	emit_mov_reg(e, R2, R0);
	ld_map(c, R1, c->self_map);
	emit_mov_imm(e, R3, 0);
	emit_mov_imm(e, R4, flags);
	call(c, BPF_FUNC_task_storage_get);
}

static void self_lookup(struct cg *c)
{
	self_get(c, 0);
}

/* r0 = this thread's value of the packed self map, or 0 */
static void self_ptr(struct cg *c)
{
	slot_cached(c, SCRATCH_SELFST, FP_SELF, FACT_SELF_SET, FACT_SELF_ZERO,
		    self_lookup);
}

/* self->y = value stack entry v, for a packed y */
static void self_store(struct cg *c, struct sym *y, int v, struct loc loc)
{
	(void)loc;
	struct emit *e = c->e;
	int create = emit_label(e), done = emit_label(e);
	self_ptr(c);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, create);
	vget(c, v, R1);
	emit_stx(e, BPF_DW, R0, R1, y->off);
	emit_jmp_imm(e, BPF_JNE, R1, 0, done);
	/* a 0 stored: free the value if nothing else is set (its words
	 * or-ed together and tested once: a test a word would be a branch
	 * a word for the verifier to walk) */
	emit_ldx(e, BPF_DW, R1, R0, 0);
	for (int off = 8; off < c->self_size; off += 8) {
		emit_ldx(e, BPF_DW, R2, R0, off);
		emit_alu64_reg(e, BPF_OR, R1, R2);
	}
	emit_jmp_imm(e, BPF_JNE, R1, 0, done);
	cur_task(c);
	emit_mov_reg(e, R2, R0);
	ld_map(c, R1, c->self_map);
	call(c, BPF_FUNC_task_storage_delete);
	emit_st(e, BPF_DW, R10, FP_SELF, 0);
	emit_ja(e, done);
	/* no value yet: 0 is already what reads give; else make one (the
	 * kernel zeroes it) */
	emit_place(e, create);
	vget(c, v, R1);
	emit_jmp_imm(e, BPF_JEQ, R1, 0, done);
	self_get(c, BPF_LOCAL_STORAGE_GET_F_CREATE);
	int made = emit_label(e);
	emit_jmp_imm(e, BPF_JNE, R0, 0, made);
	count_drop(c, DROP_DYNVAR);
	emit_ja(e, done);
	emit_place(e, made);
	emit_stx(e, BPF_DW, R10, R0, FP_SELF);
	vget(c, v, R1);
	emit_stx(e, BPF_DW, R0, R1, y->off);
	emit_place(e, done);
}

static int var_map(struct cg *c, struct sym *y)
{
	if (y->map >= 0)
		return y->map;
	int vsize = (y->type->size + 7) & ~7;
	if (vsize == 0)
		vsize = 8;
	char name[16];
	snprintf(name, sizeof name, "%.14s", y->name);
	int max;
	switch (y->kind) {
	case S_SELF:
		max = (int)(c->d->opt.dynvarsize / (8 + vsize + 64));
		if (max < 64)
			max = 64;
		y->keysize = 8;
		y->map = map_add(c, MR_SELF, BPF_MAP_TYPE_HASH, 8, vsize, max, name);
		break;
	case S_ASSOC: {
		int ks = 0;
		for (int i = 0; i < y->nkeys; i++)
			ks += (y->keys[i]->size + 7) & ~7;
		if (ks == 0)
			ks = 8;
		y->keysize = ks;
		max = (int)(c->d->opt.dynvarsize / (ks + vsize + 64));
		if (max < 64)
			max = 64;
		y->map = map_add(c, MR_ASSOC, BPF_MAP_TYPE_HASH, ks, vsize, max, name);
		break;
	}
	default:
		break;
	}
	c->p->maps[y->map].sym = y;
	return y->map;
}

/* A string key n into its slot of type t at scratch offset dst, every
 * byte of the slot set: the kernel compares them all.  (sema sized the
 * slot for n: key_str_cap.) */
void gen_key_str(struct cg *c, struct node *n, const struct type *t, int dst)
{
	struct emit *e = c->e;
	int slot = (t->size + 7) & ~7;
	if (t->synth == SYN_SYSNUM) {
		/* the syscall number stands for probefunc's name */
		if (n->kind == N_STR) {
			emit_st(e, BPF_DW, R9, dst,
				syscall_nr(c->d->probes, n->str));
			return;
		}
		if (!c->b->sub_syscall)
			FAIL(c, n->loc, "internal error: probefunc key off a "
			     "syscall probe");
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_stx(e, BPF_DW, R9, R0, dst);
		return;
	}
	/* get_current_comm pads its 16 bytes with NULs: nothing to zero */
	bool fills = n->kind == N_IDENT && !n->sym && n->builtin == B_EXECNAME &&
		     slot == 16;
	if (!fills)
		for (int i = 0; i < slot; i += 8)
			emit_st(e, BPF_DW, R9, dst + i, 0);
	gen_str(c, n, dst);
}

/* Build a map key for keys[] in scratch; returns its offset. */
void gen_key_scalar(struct cg *c, struct node *key, struct type *t, int at)
{
	struct emit *e = c->e;
	int v;

	if (t->k == TY_SYMADDR && t->user) {
		/* a user address is named in its process: the pid first */
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		emit_stx(e, BPF_DW, R9, R0, at);
		at += 8;
	}
	v = gen(c, key);
	vpop_into(c, v, R0);
	emit_stx(e, BPF_DW, R9, R0, at);
}

int gen_key(struct cg *c, struct node **keys, int nkeys, struct type **kt,
		   int keysize, struct loc loc)
{
	struct emit *e = c->e;
	int k = salloc(c, keysize, loc);
	int off = 0;
	for (int i = 0; i < nkeys; i++) {
		struct type *t = kt[i];
		if (type_is_string(t)) {
			gen_key_str(c, keys[i], t, k + off);
		} else if (t->k == TY_STACK && !t->user) {
			for (int j = 0; j < t->size; j += 8)
				emit_st(e, BPF_DW, R9, k + off + j, 0);
			gen_kstack_key(c, t, k + off);
		} else if (t->k == TY_STACK) {
			FAIL(c, keys[i]->loc, "ustack( ) keys are only for "
			     "aggregations");
		} else {
			gen_key_scalar(c, keys[i], t, k + off);
		}
		off += (t->size + 7) & ~7;
	}
	if (nkeys == 0)
		emit_st(e, BPF_DW, R9, k, 0);
	return k;
}

/* r0 = pointer to the variable's storage, or 0 if it has none yet.
 * Global variables always have storage. */
static void var_lookup(struct cg *c, struct node *n, struct sym *y, int *keyoff)
{
	struct emit *e = c->e;
	switch (y->kind) {
	case S_GLOBAL:
		emit_ld_map_value(e, R0, c->globals_map, y->off);
		break;
	case S_THIS:
		sptr(c, R0, y->off);
		break;
	case S_SELF:
		if (self_packed(y)) {
			int none = emit_label(e);
			self_ptr(c);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
			if (y->off)
				emit_alu64_imm(e, BPF_ADD, R0, y->off);
			emit_place(e, none);
			if (keyoff)
				*keyoff = -1;
			break;
		}
		var_map(c, y);
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(e, BPF_DW, R10, R0, FP_K1);
		map_lookup_fp(c, y->map, FP_K1);
		if (keyoff)
			*keyoff = -1;
		break;
	case S_ASSOC: {
		var_map(c, y);
		int k = gen_key(c, n->args, n->nargs, y->keys, y->keysize, n->loc);
		if (keyoff)
			*keyoff = k;
		map_lookup_scratch(c, y->map, k);
		break;
	}
	default:
		FAIL(c, n->loc, "internal error: not a variable");
	}
}

/* r0 = table[i]: an array map the loader fills (0 outside the table) */
static void gen_table(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->sym;
	if (y->map < 0) {
		char name[16];
		snprintf(name, sizeof name, "%.15s", y->name);
		/* one element, the whole table: read through its address
		 * (a direct value load), not a map lookup a call */
		y->map = map_add(c, MR_TABLE, BPF_MAP_TYPE_ARRAY, 4,
				 8 * y->ntable, 1, name);
		c->p->maps[y->map].sym = y;
	}
	int v = gen(c, n->args[0]);
	vpop_into(c, v, R0);
	int none = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, BPF_JGE, R0, y->ntable, none);	/* negatives too */
	emit_alu64_imm(e, BPF_LSH, R0, 3);
	emit_ld_map_value(e, R1, y->map, 0);
	emit_alu64_reg(e, BPF_ADD, R1, R0);
	emit_ldx(e, BPF_DW, R0, R1, 0);
	emit_ja(e, done);
	emit_place(e, none);
	emit_mov_imm(e, R0, 0);
	emit_place(e, done);
}

static void var_read_int(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->sym;
	var_lookup(c, n, y, NULL);
	int sz = y->type->size > 8 || y->type->size == 0 ? 8 : y->type->size;
	if (y->kind == S_THIS || y->kind == S_GLOBAL) {
		/* always there: no test the verifier would only find dead */
		emit_ldx(e, size_code(sz), R0, R0, 0);
		normalize_reg(c, R0, y->type);
		return;
	}
	int none = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
	emit_ldx(e, size_code(sz), R0, R0, 0);
	normalize_reg(c, R0, y->type);
	emit_ja(e, done);
	emit_place(e, none);
	emit_mov_imm(e, R0, 0);
	emit_place(e, done);
}

/* r2 = a map-backed variable's key: the thread id at FP_K1 (self->, when
 * keyoff < 0) or the key built in scratch */
static void var_key(struct cg *c, int keyoff)
{
	if (keyoff < 0)
		fptr(c, R2, FP_K1);
	else
		sptr(c, R2, keyoff);
}

/* The variable's map entry = the value at scratch valoff; a full map
 * counts a dynamic variable drop, as DTrace reports them. */
static void var_update(struct cg *c, struct sym *y, int keyoff, int valoff)
{
	struct emit *e = c->e;
	ld_map(c, R1, y->map);
	var_key(c, keyoff);
	sptr(c, R3, valoff);
	emit_mov_imm(e, R4, BPF_ANY);
	call(c, BPF_FUNC_map_update_elem);
	count_drop_if_failed(c, DROP_DYNVAR);
}

/* Delete a map-backed (self-> or associative) variable's entry. */
static void var_delete(struct cg *c, struct node *lhs)
{
	struct sym *y = lhs->sym;
	int keyoff = -1;
	var_map(c, y);
	if (y->kind == S_SELF) {
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(c->e, BPF_DW, R10, R0, FP_K1);
	} else {
		keyoff = gen_key(c, lhs->args, lhs->nargs, y->keys, y->keysize,
				 lhs->loc);
	}
	ld_map(c, R1, y->map);
	var_key(c, keyoff);
	call(c, BPF_FUNC_map_delete_elem);
}

/* Store register val_reg (int) or the string at scratch soff into var. */
static void var_store(struct cg *c, struct node *lhs, int v, int soff)
{
	struct emit *e = c->e;
	struct sym *y = lhs->sym;
	bool isstr = type_is_string(y->type);
	int vsize = isstr ? y->type->size : 8;
	if (y->kind == S_GLOBAL && lhs->kind == N_INDEX) {
		array_elem(c, lhs);		/* int a[5]; a[i] = v */
		vget(c, v, R0);
		emit_stx(e, size_code(lhs->type->size), R1, R0, 0);
		return;
	}
	if (y->kind == S_GLOBAL || y->kind == S_THIS) {
		if (isstr) {
			var_lookup(c, lhs, y, NULL);
			emit_mov_reg(e, R1, R0);
			emit_mov_imm(e, R2, vsize);
			sptr(c, R3, soff);
			call(c, BPF_FUNC_probe_read_kernel);
		} else {
			if (y->kind == S_GLOBAL)
				emit_ld_map_value(e, R1, c->globals_map, y->off);
			else
				sptr(c, R1, y->off);
			vget(c, v, R0);
			int sz = y->type->size > 8 || !y->type->size ? 8 : y->type->size;
			emit_stx(e, size_code(sz), R1, R0, 0);
		}
		return;
	}
	if (self_packed(y)) {
		self_store(c, y, v, lhs->loc);
		return;
	}
	/* map-backed: self-> and associative arrays */
	var_map(c, y);
	int keyoff = -1;
	if (y->kind == S_SELF) {
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(e, BPF_DW, R10, R0, FP_K1);
	} else {
		keyoff = gen_key(c, lhs->args, lhs->nargs, y->keys, y->keysize,
				 lhs->loc);
	}
	int valoff;
	if (isstr) {
		valoff = soff;
	} else {
		valoff = salloc(c, 8, lhs->loc);
		vget(c, v, R0);
		emit_stx(e, BPF_DW, R9, R0, valoff);
		/* assigning 0 frees the variable (D semantics) */
		int keep = emit_label(e), done = emit_label(e);
		emit_jmp_imm(e, BPF_JNE, R0, 0, keep);
		ld_map(c, R1, y->map);
		var_key(c, keyoff);
		call(c, BPF_FUNC_map_delete_elem);
		emit_ja(e, done);
		emit_place(e, keep);
		var_update(c, y, keyoff, valoff);
		emit_place(e, done);
		return;
	}
	var_update(c, y, keyoff, valoff);
}

/* ---- strings ---- */

static int str_cap(const struct type *t)
{
	return t->k == TY_ARRAY ? t->size : t->size;
}

/* Copy cap bytes of a string from src (scratch offset) to dst. */
void str_copy(struct cg *c, int dst, int src, int cap)
{
	if (dst == src)
		return;
	sptr(c, R1, dst);
	emit_mov_imm(c->e, R2, cap);
	sptr(c, R3, src);
	call(c, BPF_FUNC_probe_read_kernel);
}

void store_literal(struct cg *c, int off, const char *s, size_t len)
{
	struct emit *e = c->e;
	size_t n = len + 1;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t w = 0;
		for (size_t j = 0; j < 4 && i + j < len; j++)
			w |= (uint32_t)(unsigned char)s[i + j] << (8 * j);
		emit_st(e, BPF_W, R9, off + (int)i, (int32_t)w);
	}
}

void call_subprog(struct cg *c, enum subprog sp)
{
	if (!c->sp->used[sp]) {
		c->sp->used[sp] = true;
		c->sp->label[sp] = emit_label(c->e);
	}
	emit_call_label(c->e, c->sp->label[sp]);
}

/* The 64-byte name at byte off of map's value for the key FP_SUB (the
 * syscall number, or the probe's id), into scratch at dst; "" if none. */
static void name_from_map(struct cg *c, int map, int off, int dst)
{
	struct emit *e = c->e;
	emit_st(e, BPF_DW, R9, dst, 0);
	emit_ldx(e, BPF_W, R0, R10, FP_SUB);
	emit_stx(e, BPF_DW, R10, R0, FP_K1);
	map_lookup_fp(c, map, FP_K1);
	int none = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
	sptr(c, R1, dst);
	emit_mov_imm(e, R2, 64);
	emit_mov_reg(e, R3, R0);
	if (off)
		emit_alu64_imm(e, BPF_ADD, R3, off);
	call(c, BPF_FUNC_probe_read_kernel);
	emit_place(e, none);
}

/* probefunc & co. where they depend on the syscall: from the names map */
static void probe_string(struct cg *c, struct node *n, int dst)
{
	if (n->builtin == B_PROBEFUNC && c->b->sub_syscall) {
		if (c->sysnames_map < 0) {
			c->sysnames_map = map_add(c, MR_SYSNAMES, BPF_MAP_TYPE_ARRAY,
						  4, 64,
						  syscall_max(c->d->probes) + 1,
						  "sysnames");
			c->p->uses_sysnames = true;
		}
		name_from_map(c, c->sysnames_map, 0, dst);
		return;
	}
	if (c->b->nprobes > 1) {
		/* one program for many pid probes, told apart by the attach
		 * cookie in FP_SUB (the probe's id): names from a map */
		if (c->pnames_map < 0) {
			int max = 0;
			for (int i = 0; i < c->p->nbprogs; i++)
				if (c->p->bprogs[i].nprobes > 1)
					max += c->p->bprogs[i].nprobes;
			c->pnames_map = map_add(c, MR_PNAMES, BPF_MAP_TYPE_HASH, 4,
						4 * 64, max, "dtk_pnames");
		}
		int which = n->builtin == B_PROBEPROV ? 0 : n->builtin == B_PROBEMOD ? 1 :
			n->builtin == B_PROBEFUNC ? 2 : 3;
		name_from_map(c, c->pnames_map, 64 * which, dst);
		return;
	}
	/* a program serves one probe here: its names are constants */
	const struct probe *p = c->b->probe;
	const char *v = !p ? "" : n->builtin == B_PROBEPROV ? p->prov :
		n->builtin == B_PROBEMOD ? p->mod : n->builtin == B_PROBEFUNC ? p->func : p->name;
	if (c->b->sub_syscall && n->builtin == B_PROBENAME)
		v = c->point == PT_SYS_ENTER ? "entry" : "return";
	if (c->b->sub_syscall && n->builtin == B_PROBEPROV)
		v = "syscall";
	if (c->b->sub_syscall && n->builtin == B_PROBEMOD)
		v = "";
	/* the names are strings of 64 (sema), key slots too */
	store_literal(c, dst, v, strnlen(v, 63));
}

/* copyinstr(addr [, max]) */
void gen_copyinstr(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	int v = gen(c, n->args[0]);
	int lim = cap;
	if (n->nargs > 1 && n->args[1]->isconst &&
	    n->args[1]->cval > 0 && n->args[1]->cval < cap)
		lim = (int)n->args[1]->cval + 1;
	vpop_into(c, v, R3);
	emit_stx(e, BPF_DW, R10, R3, FP_K2);
	read_into(c, BPF_FUNC_probe_read_user_str, dst, lim);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JSGE, R0, 0, ok);
	if (c->d->opt.emptyonfault) {
		/* -x emptyonfault (a dtk extension, for tools
		 * that must print every event): "" and go on */
		emit_st(e, BPF_B, R9, dst, 0);
	} else {
		emit_ldx(e, BPF_DW, R3, R10, FP_K2);
		fault(c, n->loc, R3, EFAULT);
	}
	emit_place(e, ok);
}

/* strjoin(a, b) */
void gen_strjoin(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	/* copy a, find its length, append b */
	int a = gen_str(c, n->args[0], -1);
	int b = gen_str(c, n->args[1], -1);
	int tmp = salloc(c, cap, n->loc);
	str_copy(c, tmp, a, str_cap(n->args[0]->type));
	sptr(c, R1, tmp);
	call_subprog(c, SP_STRLEN);
	/* r0 = len(a) < cap; append b at tmp + len */
	emit_alu64_imm(e, BPF_AND, R0, cap - 1 > 0 ? 0x7fff : 0);
	int bad = emit_label(e);
	emit_jmp_imm(e, BPF_JGE, R0, cap, bad);
	emit_mov_reg(e, R1, R9);
	emit_alu64_imm(e, BPF_ADD, R1, tmp);
	emit_alu64_reg(e, BPF_ADD, R1, R0);
	emit_mov_imm(e, R2, cap);
	emit_alu64_reg(e, BPF_SUB, R2, R0);
	sptr(c, R3, b);
	call(c, BPF_FUNC_probe_read_kernel_str);
	emit_place(e, bad);
	str_copy(c, dst, tmp, cap);
	/* keep it terminated when b was cut */
	emit_st(e, BPF_B, R9, dst + cap - 1, 0);
}

/* Generate a string into scratch; returns the offset where it is.  If dst
 * >= 0 the string ends up exactly there. */
int gen_str(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	switch (n->kind) {
	case N_STR:
		if (dst < 0)
			dst = salloc(c, n->type->size, n->loc);
		store_literal(c, dst, n->str, n->type->size - 1);
		return dst;
	case N_IDENT:
		if (n->sym && n->sym->kind == S_GLOBAL) {
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			emit_ld_map_value(e, R3, c->globals_map, n->sym->off);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, cap);
			return dst;
		}
		switch (n->builtin) {
		case B_EXECNAME:
			if (dst < 0)
				dst = salloc(c, 16, n->loc);
			sptr(c, R1, dst);
			emit_mov_imm(e, R2, 16);
			call(c, BPF_FUNC_get_current_comm);
			return dst;
		case B_PROBEFUNC: case B_PROBENAME: case B_PROBEMOD: case B_PROBEPROV:
			if (dst < 0)
				dst = salloc(c, 64, n->loc);
			probe_string(c, n, dst);
			return dst;
		case B_CWD: case B_ROOTDIR:
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			gen_cwd(c, n, dst, cap);
			return dst;
		default:
			break;
		}
		break;
	case N_THIS:
		if (dst < 0)
			return n->sym->off;
		str_copy(c, dst, n->sym->off, n->sym->type->size);
		return dst;
	case N_SELF: case N_INDEX:
		if (n->kind == N_INDEX && !(n->sym && n->sym->kind == S_ASSOC))
			break;
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		{
			struct sym *y = n->sym;
			var_lookup(c, n, y, NULL);
			int none = emit_label(e), done = emit_label(e);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
			emit_mov_reg(e, R3, R0);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, y->type->size);
			emit_ja(e, done);
			emit_place(e, none);
			emit_st(e, BPF_B, R9, dst, 0);
			emit_place(e, done);
		}
		return dst;
	case N_CALL:
		if (!n->fn->gen_str)
			FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		n->fn->gen_str(c, n, dst);
		return dst;
	case N_STRINGOF: case N_CAST:
		if (type_is_string(n->l->type))
			return gen_str(c, n->l, dst);
		if (n->l->kind == N_CALL && n->l->fn->id == F_COPYIN) {
			/* stringof(copyin(addr, size)) with a size known only
			 * at run time (dtruss: the bytes read() returned):
			 * the bytes themselves, NULs included, clamped to the
			 * string's capacity less one, then a NUL.  A bad
			 * address reads as "" (probe_read_user zero-fills). */
			struct node **ca = n->l->args;
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			int p = gen(c, ca[0]);
			int s = gen(c, ca[1]);
			vget(c, s, R2);
			clamp_to(c, R2, true, cap - 1);
			emit_stx(e, BPF_DW, R10, R2, FP_K2);
			vpop_into(c, p, R3);
			vpop(c);
			uread(c, dst, ca[1]->isconst && ca[1]->cval >= 0 &&
			      ca[1]->cval < cap - 1 ? (int)ca[1]->cval : cap - 1,
			      true);
			emit_ldx(e, BPF_DW, R2, R10, FP_K2);
			int skip = emit_label(e);
			emit_jmp_imm(e, BPF_JGT, R2, cap - 1, skip);	/* for the verifier */
			sptr(c, R1, dst);
			emit_alu64_reg(e, BPF_ADD, R1, R2);
			emit_st(e, BPF_B, R1, 0, 0);
			emit_place(e, skip);
			return dst;
		}
		{
			/* a kernel char *: read its string */
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			int v = gen(c, n->l);
			vpop_into(c, v, R3);
			sptr(c, R1, dst);
			emit_mov_imm(e, R2, cap);
			bool user = n->l->type->k == TY_PTR && n->l->type->user;
			emit_stx(e, BPF_DW, 10, 3, FP_K2);
			call(c, user ? BPF_FUNC_probe_read_user_str
				     : BPF_FUNC_probe_read_kernel_str);
			/* an address that cannot be read is DTrace's
			 * invalid address fault (strlen(0)) */
			int ok = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, 0, 0, ok);
			emit_ldx(e, BPF_DW, 3, 10, FP_K2);
			fault(c, n->loc, 3, EFAULT);
			emit_place(e, ok);
			return dst;
		}
	case N_TERNARY: {
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		if (n->c->isconst) {	/* a tool's flag: only one side exists */
			gen_str(c, n->c->cval ? n->l : n->r, dst);
			return dst;
		}
		int els = emit_label(e), done = emit_label(e);
		cond_jump(c, n->c, false, els);
		gen_str(c, n->l, dst);
		emit_ja(e, done);
		emit_place(e, els);
		gen_str(c, n->r, dst);
		emit_place(e, done);
		return dst;
	}
	case N_BINARY:		/* s + i: the checker typed it a string */
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		gen_str_plus(c, n, dst);
		return dst;
	case N_MEMBER: case N_PTRMEMBER:
		if (n->l->type->k == TY_PTR && n->l->type->elem->synth) {
			int cap2 = n->member.ps == PS_PR_FNAME ? 16 : cap;
			if (dst < 0)
				dst = salloc(c, cap2, n->loc);
			gen_psinfo_str(c, n, dst, cap2);
			return dst;
		}
		if (n->type->k == TY_ARRAY) {
			/* a char array inside a kernel struct */
			if (dst < 0)
				dst = salloc(c, n->type->size + 1, n->loc);
			int v = gen(c, n->l);
			vpop_into(c, v, R3);
			if (n->kind == N_PTRMEMBER && n->member.off)
				emit_alu64_imm(e, BPF_ADD, R3, n->member.off);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, n->type->size);
			emit_st(e, BPF_B, R9, dst + n->type->size, 0);
			return dst;
		}
		break;
	default:
		break;
	}
	FAIL(c, n->loc, "this string expression is not supported yet");
}

static void emit_subprogs(struct cg *c)
{
	struct emit *e = c->e;
	emit_str_subprogs(c);
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

/* ---- expressions ---- */

static int binop_code(int op, bool sign)
{
	switch (op) {
	case '+': case T_ADD_EQ: return BPF_ADD;
	case '-': case T_SUB_EQ: return BPF_SUB;
	case '*': case T_MUL_EQ: return BPF_MUL;
	case '/': case T_DIV_EQ: return BPF_DIV;
	case '%': case T_MOD_EQ: return BPF_MOD;
	case '&': case T_AND_EQ: return BPF_AND;
	case '|': case T_OR_EQ: return BPF_OR;
	case '^': case T_XOR_EQ: return BPF_XOR;
	case T_SHL: case T_SHL_EQ: return BPF_LSH;
	case T_SHR: case T_SHR_EQ: return sign ? BPF_ARSH : BPF_RSH;
	}
	return -1;
}

/* r0 = r0 op r1 for integer type t, with DTrace's semantics for signed
 * division (BPF only divides unsigned) and a reported error on division by
 * zero. */
static void arith(struct cg *c, int op, const struct type *t, struct loc loc)
{
	struct emit *e = c->e;
	int code = binop_code(op, t->sign);
	if (code == BPF_DIV || code == BPF_MOD) {
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JNE, R1, 0, ok);
		emit_mov_imm(e, R3, 0);
		fault(c, loc, R3, EDOM);
		emit_place(e, ok);
		if (t->sign) {
			/* |a| op |b|, then fix the sign as C does */
			emit_mov_reg(e, R2, R0);		/* a */
			emit_mov_reg(e, R3, R1);		/* b */
			int pa = emit_label(e), pb = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, R0, 0, pa);
			emit_alu64_imm(e, BPF_NEG, R0, 0);
			emit_place(e, pa);
			emit_jmp_imm(e, BPF_JSGE, R1, 0, pb);
			emit_alu64_imm(e, BPF_NEG, R1, 0);
			emit_place(e, pb);
			emit_alu64_reg(e, code, R0, R1);
			/* negative if the signs differ, the remainder too:
			 * dtrace-utils computes 19 % -5 as -4 at run time
			 * (dt_cg_arithmetic_op), where C says 4 */
			emit_alu64_reg(e, BPF_XOR, R2, R3);
			int pos = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, R2, 0, pos);
			emit_alu64_imm(e, BPF_NEG, R0, 0);
			emit_place(e, pos);
		} else {
			emit_alu64_reg(e, code, R0, R1);
		}
	} else {
		emit_alu64_reg(e, code, R0, R1);
	}
	normalize_reg(c, R0, t);
}

/* Whether r0 op k, for a constant k, can take k as an immediate: not
 * for division, where arith() checks the signs and zero, nor for shifts
 * the verifier refuses. */
static bool arith_imm_ok(int op, const struct type *t, const struct node *k)
{
	int code = binop_code(op, t->sign);
	if (!k->isconst || !k->type || !type_is_scalar(k->type) ||
	    k->cval != (int32_t)k->cval || code < 0 || code == BPF_DIV ||
	    code == BPF_MOD)
		return false;
	return (code != BPF_LSH && code != BPF_RSH && code != BPF_ARSH) ||
	       (k->cval >= 0 && k->cval < 64);
}

static bool ptr_is_user(const struct type *t)
{
	return t->k == TY_PTR && t->user;
}

/* An array member (p->name) is its address where it is subscripted */
static bool addressable_array(const struct node *n)
{
	return n->type->k == TY_ARRAY && (n->kind == N_PTRMEMBER ||
		n->kind == N_MEMBER || n->kind == N_INDEX);
}

/* Push the address of the object n names in memory: p->m, s.m, *p, p[i]
 * and an array member subscripted (p->name[i]). */
int gen_addr(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int v;

	switch (n->kind) {
	case N_PTRMEMBER: case N_MEMBER:
		v = n->kind == N_MEMBER ? gen_addr(c, n->l) : gen(c, n->l);
		if (n->member.off) {
			vget(c, v, 0);
			emit_alu64_imm(e, BPF_ADD, 0, n->member.off);
			vset(c, v, 0);
		}
		return v;
	case N_UNARY:
		if (n->op == '*')
			return gen(c, n->l);
		break;
	case N_INDEX: {
		int es = n->type->size ? n->type->size : 1;
		v = addressable_array(n->l) ? gen_addr(c, n->l) : gen(c, n->l);
		int i = gen(c, n->args[0]);
		vget(c, i, 1);
		if (es > 1)
			emit_alu64_imm(e, BPF_MUL, 1, es);
		vget(c, v, 0);
		emit_alu64_reg(e, BPF_ADD, 0, 1);
		vpop(c);
		vset(c, v, 0);
		return v;
	}
	default:
		break;
	}
	FAIL(c, n->loc, "this expression has no address in memory");
}

int gen_copyin(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	/* copy into scratch; the value is the buffer's kernel
	 * address (a pointer others dereference through
	 * probe_read_kernel) */
	/* a size known only at run time gets a buffer of
	 * strsize bytes: a larger one is out of scratch */
	int sz = a[1]->isconst ? (int)a[1]->cval : c->d->opt.strsize;
	int buf = salloc(c, sz, n->loc);
	c->skeep = c->soff;
	int v = gen(c, a[0]);
	if (!a[1]->isconst) {
		int w = gen(c, a[1]);
		vpop_into(c, w, R2);
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JLE, R2, sz, ok);
		emit_mov_reg(e, R3, R2);
		fault(c, n->loc, R3, ENOSPC);
		emit_place(e, ok);
	} else {
		emit_mov_imm(e, R2, sz);
	}
	vget(c, v, R3);
	emit_stx(e, BPF_DW, R10, R3, FP_K2);
	int ok = emit_label(e);
	uread(c, buf, sz, false);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, ok);
	emit_ldx(e, BPF_DW, R3, R10, FP_K2);
	fault(c, n->loc, R3, EFAULT);
	emit_place(e, ok);
	sptr(c, R0, buf);
	vset(c, v, R0);
	return v;
}

int gen_strlen(struct cg *c, struct node *n)
{
	struct node **a = n->args;

	int s = gen_str(c, a[0], -1);
	sptr(c, R1, s);
	call_subprog(c, SP_STRLEN);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

int gen_progenyof(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	/* walk up to 32 parents from the current task */
	int v = gen(c, a[0]);
	int rp = kofs(c, "task_struct", "real_parent", n->loc);
	int tg = kofs(c, "task_struct", "tgid", n->loc);
	call(c, BPF_FUNC_get_current_task);
	int res = vpush(c, n->loc);
	emit_mov_imm(e, R1, 0);
	vset(c, res, R1);
	int yes = emit_label(e), done = emit_label(e);
	for (int i = 0; i < 32; i++) {
		emit_stx(e, BPF_DW, R10, R0, FP_K2);
		kread(c, R1, R0, tg, 4);
		vget(c, v, R2);
		emit_jmp_reg(e, BPF_JEQ, R1, R2, yes);
		emit_jmp_imm(e, BPF_JEQ, R1, 1, done);	/* init */
		emit_jmp_imm(e, BPF_JEQ, R1, 0, done);
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
		kread(c, R0, R0, rp, 8);
		emit_jmp_imm(e, BPF_JEQ, R0, 0, done);
	}
	emit_ja(e, done);
	emit_place(e, yes);
	emit_mov_imm(e, R1, 1);
	vset(c, res, R1);
	emit_place(e, done);
	vpop_into(c, res, R0);
	vset(c, v, R0);
	return v;
}

int gen_rand(struct cg *c, struct node *n)
{
	call(c, BPF_FUNC_get_prandom_u32);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

int gen_byteorder(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	int v = gen(c, a[0]);
	vget(c, v, R0);
	int bits = n->fn->id == F_HTONS || n->fn->id == F_NTOHS ? 16 :
		n->fn->id == F_HTONL || n->fn->id == F_NTOHL ? 32 : 64;
	emit_insn(e, (struct bpf_insn){ .code = BPF_ALU | BPF_END | BPF_TO_BE,
				       .dst_reg = 0, .imm = bits });
	vset(c, v, R0);
	return v;
}

int gen_devpart(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct node **a = n->args;

	int v = gen(c, a[0]);
	vget(c, v, R0);
	/* Linux's kernel dev_t: major in the top 12 bits */
	if (n->fn->id == F_GETMAJOR)
		emit_alu64_imm(e, BPF_RSH, R0, 20);
	else
		emit_alu64_imm(e, BPF_AND, R0, (1 << 20) - 1);
	vset(c, v, R0);
	return v;
}

int gen_symaddr(struct cg *c, struct node *n)
{
	struct node **a = n->args;

	return gen(c, a[0]);
}

int gen(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	if (n->isconst && n->type && type_is_scalar(n->type)) {
		int v = vpush(c, n->loc);
		ld_const(c, R0, n->cval);
		vset(c, v, R0);
		return v;
	}
	switch (n->kind) {
	case N_INT: {
		int v = vpush(c, n->loc);
		ld_const(c, R0, (int64_t)n->ival);
		vset(c, v, R0);
		return v;
	}
	case N_IDENT: {
		int v;
		if (n->sym && n->sym->kind == S_GLOBAL) {
			var_read_int(c, n);
		} else {
			gen_builtin(c, n);
			normalize_reg(c, R0, n->type);
		}
		v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_SELF: case N_THIS: {
		var_read_int(c, n);
		int v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_INDEX: {
		if (n->sym && n->sym->kind == S_TABLE) {
			gen_table(c, n);
		} else if (n->sym && n->sym->kind == S_ASSOC) {
			var_read_int(c, n);
		} else if (n->sym && n->sym->kind == S_GLOBAL) {
			array_elem(c, n);		/* int a[5]; a[i] */
			emit_ldx(e, size_code(n->type->size), R0, R1, 0);
			normalize_reg(c, R0, n->type);
		} else if (n->l->kind == N_IDENT && !n->l->sym &&
			   (n->l->builtin == B_ARGS || n->l->builtin == B_UREGS)) {
			/* the checker made the subscript a constant */
			if (n->l->builtin == B_UREGS)
				gen_uregs(c, (int)n->args[0]->cval);
			else
				gen_arg(c, (int)n->args[0]->cval, n->loc);
			normalize_reg(c, R0, n->type);
		} else {
			/* pointer or array subscript */
			int b = addressable_array(n->l) ? gen_addr(c, n->l)
							: gen(c, n->l);
			int i = gen(c, n->args[0]);
			int es = n->type->size ? n->type->size : 1;
			vget(c, i, R1);
			if (es > 1)
				emit_alu64_imm(e, BPF_MUL, R1, es);
			vget(c, b, R0);
			emit_alu64_reg(e, BPF_ADD, R0, R1);
			vpop(c);
			vpop(c);
			emit_mov_reg(e, R1, R0);
			deref(c, R1, es > 8 ? 8 : es, ptr_is_user(n->l->type), n->loc);
			normalize_reg(c, R0, n->type);
		}
		int v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_UNARY: {
		if (n->op == T_INC || n->op == T_DEC) {
			int v = gen(c, n->l);
			vget(c, v, R0);
			int step = n->type->k == TY_PTR && n->type->elem->size ?
				n->type->elem->size : 1;
			emit_alu64_imm(e, n->op == T_INC ? BPF_ADD : BPF_SUB, R0, step);
			normalize_reg(c, R0, n->type);
			vset(c, v, R0);
			var_store(c, n->l, v, -1);
			return v;
		}
		if (n->op == '*') {
			int v = gen(c, n->l);
			vget(c, v, R1);
			int sz = n->type->size > 8 || !n->type->size ? 8 : n->type->size;
			deref(c, R1, sz, ptr_is_user(n->l->type), n->loc);
			normalize_reg(c, R0, n->type);
			vset(c, v, R0);
			return v;
		}
		if (is_cond(n))
			return gen_cond_value(c, n);	/* ! */
		int v = gen(c, n->l);
		vget(c, v, R0);
		switch (n->op) {
		case '-': emit_alu64_imm(e, BPF_NEG, R0, 0); break;
		case '~': emit_alu64_imm(e, BPF_XOR, R0, -1); break;
		default: break;
		}
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_POSTFIX: {
		int v = gen(c, n->l);
		int t = vpush(c, n->loc);
		vget(c, v, R0);
		int step = n->type->k == TY_PTR && n->type->elem->size ?
			n->type->elem->size : 1;
		emit_alu64_imm(e, n->op == T_INC ? BPF_ADD : BPF_SUB, R0, step);
		normalize_reg(c, R0, n->type);
		vset(c, t, R0);
		var_store(c, n->l, t, -1);
		vpop(c);
		return v;	/* the old value */
	}
	case N_BINARY: {
		int op = n->op;
		if (is_cond(n))	/* && || and comparisons */
			return gen_cond_value(c, n);
		if (op == T_XOR) {
			int a = gen(c, n->l), b = gen(c, n->r);
			vget(c, a, R0);
			vpop_into(c, b, R1);
			int z1 = emit_label(e), z2 = emit_label(e);
			emit_mov_imm(e, R2, 0);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, z1);
			emit_mov_imm(e, R2, 1);
			emit_place(e, z1);
			emit_mov_imm(e, R3, 0);
			emit_jmp_imm(e, BPF_JEQ, R1, 0, z2);
			emit_mov_imm(e, R3, 1);
			emit_place(e, z2);
			emit_alu64_reg(e, BPF_XOR, R2, R3);
			vset(c, a, R2);
			return a;
		}
		if (n->type->k != TY_PTR && arith_imm_ok(op, n->type, n->r)) {
			int a = gen(c, n->l);
			vget(c, a, R0);
			emit_alu64_imm(e, binop_code(op, n->type->sign), R0,
				       (int32_t)n->r->cval);
			normalize_reg(c, R0, n->type);
			vset(c, a, R0);
			return a;
		}
		int a = gen(c, n->l), b = gen(c, n->r);
		vget(c, a, R0);
		vpop_into(c, b, R1);
		if (n->type->k == TY_PTR) {
			/* pointer arithmetic scales by the pointee's size */
			struct node *pn = n->l->type->k == TY_PTR ? n->l : n->r;
			int es = pn->type->elem->size ? pn->type->elem->size : 1;
			if (es > 1) {
				if (pn == n->l)
					emit_alu64_imm(e, BPF_MUL, R1, es);
				else
					emit_alu64_imm(e, BPF_MUL, R0, es);
			}
			emit_alu64_reg(e, op == '+' ? BPF_ADD : BPF_SUB, R0, R1);
		} else {
			arith(c, op, n->type, n->loc);
		}
		vset(c, a, R0);
		return a;
	}
	case N_ASSIGN: {
		struct node *l = n->l;
		if (n->assign == AS_MEM)
			return gen_mem_store(c, n);
		if (n->assign == AS_FREE) {
			/* string variable = 0: free it */
			var_delete(c, l);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		if (type_is_string(l->type)) {
			int s = gen_str(c, n->r, -1);
			var_store(c, l, -1, s);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		int v;
		if (n->op == '=') {
			v = gen(c, n->r);
			vget(c, v, R0);
			normalize_reg(c, R0, l->type);
			vset(c, v, R0);
		} else if (l->type->k != TY_PTR &&
			   arith_imm_ok(n->op, l->type, n->r)) {
			v = gen(c, l);
			vget(c, v, R0);
			emit_alu64_imm(e, binop_code(n->op, l->type->sign), R0,
				       (int32_t)n->r->cval);
			normalize_reg(c, R0, l->type);
			vset(c, v, R0);
		} else {
			int a = gen(c, l);
			int b = gen(c, n->r);
			vget(c, a, R0);
			vpop_into(c, b, R1);
			if (l->type->k == TY_PTR)
				emit_alu64_reg(e, n->op == T_ADD_EQ ? BPF_ADD : BPF_SUB, R0, R1);
			else
				arith(c, n->op, l->type, n->loc);
			vset(c, a, R0);
			v = a;
		}
		var_store(c, l, v, -1);
		return v;
	}
	case N_TERNARY: {
		if (n->type->k == TY_VOID && n->c->isconst) {
			/* OPT_x ? printf(...) : 1; with OPT_x a constant */
			gen_stmt(c, n->c->cval ? n->l : n->r);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		if (n->c->isconst) {
			/* OPT_cpu ? vtimestamp : 0: the other side is never
			 * generated (nor the probes it would need) */
			int v = gen(c, n->c->cval ? n->l : n->r);
			vget(c, v, R0);
			normalize_reg(c, R0, n->type);
			vset(c, v, R0);
			return v;
		}
		int els = emit_label(e), done = emit_label(e);
		cond_jump(c, n->c, false, els);
		if (n->type->k == TY_VOID) {
			gen_stmt(c, n->l);
			emit_ja(e, done);
			emit_place(e, els);
			gen_stmt(c, n->r);
			emit_place(e, done);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		int v = gen(c, n->l);
		vpop_into(c, v, R0);
		emit_ja(e, done);
		emit_place(e, els);
		int w = gen(c, n->r);
		vpop_into(c, w, R0);
		emit_place(e, done);
		v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_CAST: {
		int v = gen(c, n->l);
		vget(c, v, R0);
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_CALL:
		if (!n->fn->gen)
			FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
		return n->fn->gen(c, n);
	case N_MEMBER: case N_PTRMEMBER: {
		struct type *bt = n->l->type;
		if (bt->k == TY_PTR && bt->elem->synth) {
			gen_psinfo(c, n);
			int v = vpush(c, n->loc);
			vset(c, v, R0);
			return v;
		}
		/* s.m: the member of the struct s is in memory at */
		int v = n->kind == N_MEMBER ? gen_addr(c, n->l) : gen(c, n->l);
		vget(c, v, R1);
		int size = n->type->size > 8 ? 8 : n->type->size;
		int bits = n->member.bit_size, shift = n->member.bit_off;
		if (bits)
			size = 8;
		if (n->member.off)
			emit_alu64_imm(e, BPF_ADD, R1, n->member.off);
		deref(c, R1, size ? size : 8, false, n->loc);
		if (bits) {
			emit_alu64_imm(e, BPF_LSH, R0, 64 - shift - bits);
			emit_alu64_imm(e, BPF_RSH, R0, 64 - bits);
		}
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_STRINGOF: case N_STR:
		FAIL(c, n->loc, "a string is not a number here");
	default:
		FAIL(c, n->loc, "this expression is not supported yet");
	}
}

/* ---- actions ---- */

/* Store a value of a record: ints 8 bytes, strings their capacity.  The
 * action is passed by index: generating the value may add actions (a
 * copyinstr fault's ERROR record), which moves the array. */
#define ACTION(c, ai) (&(c)->p->actions[ai])
/* probefunc in a syscall program travels as the syscall's number */
static bool probefunc_number(struct cg *c, const struct node *n)
{
	return n->kind == N_IDENT && !n->sym && c->b->sub_syscall &&
		n->builtin == B_PROBEFUNC;
}

static int rec_value(struct cg *c, int ai, int rec, int off, struct node *n)
{
	struct emit *e = c->e;
	struct type *t = n->type;
	if (probefunc_number(c, n)) {
		/* the syscall number stands for the name: the consumer
		 * prints it */
		add_val(c, ACTION(c, ai), RV_PROBEFUNC, off, 8, false);
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_stx(e, BPF_DW, R9, R0, rec + off);
		return off + 8;
	}
	if (type_is_string(t)) {
		int cap = t->size;
		if (cap > c->d->opt.strsize)
			cap = c->d->opt.strsize;
		gen_str(c, n, rec + off);
		add_val(c, ACTION(c, ai), RV_STR, off, cap, false);
		return off + ((cap + 7) & ~7);
	}
	if (t->k == TY_STACK)
		FAIL(c, n->loc, "stack( ) values are not supported here yet");
	int v = gen(c, n);
	vpop_into(c, v, R0);
	emit_stx(e, BPF_DW, R9, R0, rec + off);
	int kind = RV_INT;
	if (t->k == TY_SYMADDR)
		kind = t->user ? RV_USYM : RV_SYM;
	add_val(c, ACTION(c, ai), kind, off, t->k == TY_INT ? t->size : 8,
		t->k == TY_INT && t->sign);
	return off + 8;
}

/* Bytes a value takes in a record. */
static bool rec_is_str(struct cg *c, struct node *n)
{
	return type_is_string(n->type) && !probefunc_number(c, n);
}

static int rec_slot(struct cg *c, struct node *n)
{
	struct type *t = n->type;
	if (!rec_is_str(c, n))
		return 8;
	int cap = t->size > c->d->opt.strsize ? c->d->opt.strsize : t->size;
	return (cap + 7) & ~7;
}

/* stringof(copyin(p, n)): raw bytes whose length is not the string's */
static bool raw_bytes(const struct node *n)
{
	return (n->kind == N_STRINGOF || n->kind == N_CAST) &&
		n->l->kind == N_CALL && n->l->fn->id == F_COPYIN;
}

/* Output a record of the values vals[] for action ai.  Integers are laid
 * out first and strings after them, the largest last, so that the record
 * can end where that last string does: a path of 20 bytes sends 20 bytes,
 * not strsize.  The values keep their argument order in the action. */
static void gen_record(struct cg *c, int ai, struct node **vals, int nvals,
		       struct loc loc)
{
	struct emit *e = c->e;
	int off[64], order[64], n = 0, last = -1;
	if (nvals > 64)
		FAIL(c, loc, "too many values in one action (at most 64)");
	for (int i = 0; i < nvals; i++)
		if (!rec_is_str(c, vals[i]))
			order[n++] = i;
	for (int i = 0; i < nvals; i++)
		if (rec_is_str(c, vals[i]) &&
		    (last < 0 || rec_slot(c, vals[i]) >= rec_slot(c, vals[last])))
			last = i;
	for (int i = 0; i < nvals; i++)
		if (rec_is_str(c, vals[i]) && i != last)
			order[n++] = i;
	if (last >= 0)
		order[n++] = last;
	int size = 8;
	for (int k = 0; k < n; k++) {
		off[order[k]] = size;
		size += rec_slot(c, vals[order[k]]);
	}
	int rec = salloc(c, size, loc);
	for (int i = 0; i < nvals; i++)
		rec_value(c, ai, rec, off[i], vals[i]);
	struct action *a = ACTION(c, ai);
	rec_header(c, rec, a);
	a->recsize = size;
	bool raw = last >= 0 && raw_bytes(vals[last]);
	if (last < 0 || (raw && last != nvals - 1)) {
		ring_output(c, rec, size);
		return;
	}
	if (raw) {
		/* raw bytes made last: their length (clamped below the
		 * slot's size) is still at FP_K2, where gen_str left it; the
		 * record ends after them (dtruss: a 1-byte read sends 1 byte,
		 * not the whole slot) */
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
	} else {
		/* cut the record after the last string's NUL */
		sptr(c, R1, rec + off[last]);
		call_subprog(c, SP_STRLEN);
	}
	emit_alu64_imm(e, BPF_ADD, R0, off[last] + 1);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLE, R0, size, ok);
	emit_mov_imm(e, R0, size);
	emit_place(e, ok);
	ring_output_reg(c, rec, R0);
}

static void gen_printf(struct cg *c, struct node *n, enum action_kind k)
{
	struct action *a = new_action(c, k, n->loc);
	a->fmt = n->args[0]->fmt;
	a->fmtstr = n->args[0]->str;
	gen_record(c, (int)(a - c->p->actions), n->args + 1, n->nargs - 1,
		   n->loc);
}

static void gen_simple_record(struct cg *c, struct node *n, enum action_kind k,
			      struct node **vals, int nvals)
{
	struct action *a = new_action(c, k, n->loc);
	gen_record(c, (int)(a - c->p->actions), vals, nvals, n->loc);
}


void act_printf(struct cg *c, struct node *n)
{
	gen_printf(c, n, ACT_PRINTF);
}

void act_system(struct cg *c, struct node *n)
{
	gen_printf(c, n, ACT_SYSTEM);
}

void act_trace(struct cg *c, struct node *n)
{
	/* trace(ustack()) prints as ustack() does */
	if (n->nargs == 1 && n->args[0]->kind == N_CALL &&
	    n->args[0]->type && n->args[0]->type->k == TY_STACK) {
		gen_stack_action(c, n->args[0]);
		return;
	}
	gen_simple_record(c, n, ACT_TRACE, n->args, 1);
}

void act_exit(struct cg *c, struct node *n)
{
	gen_simple_record(c, n, ACT_EXIT, n->args, 1);
	if (c->exit_flag >= 0) {	/* for exit_skip( ) */
		emit_ld_map_value(c->e, R1, c->globals_map, c->exit_flag);
		emit_st(c->e, BPF_DW, R1, 0, 1);
	}
	/* the consumer would otherwise see exit() only at its next
	 * switchrate poll, up to 100 ms later */
	ring_wake(c);
}

void act_printa(struct cg *c, struct node *n)
{
	int first = n->args[0]->kind == N_STR ? 1 : 0;
	struct action *a = new_action(c, ACT_PRINTA, n->loc);
	if (first) {
		a->fmt = n->args[0]->fmt;
		a->fmtstr = n->args[0]->str;
	}
	a->naggs = n->nargs - first;
	a->aggs = arena_alloc(c->p->arena, sizeof *a->aggs * a->naggs);
	for (int i = first; i < n->nargs; i++)
		a->aggs[i - first] = n->args[i]->sym;
	a->agg = a->aggs[0];
	int rec = salloc(c, 8, n->loc);
	rec_header(c, rec, a);
	a->recsize = 8;
	ring_output(c, rec, 8);
}

void act_agg(struct cg *c, struct node *n)
{
	enum action_kind k = n->fn->id == F_CLEAR ? ACT_CLEAR :
		n->fn->id == F_TRUNC ? ACT_TRUNC : n->fn->id == F_NORMALIZE ?
		ACT_NORMALIZE : ACT_DENORMALIZE;
	struct action *a = new_action(c, k, n->loc);
	a->agg = n->args[0]->sym;
	int size = n->nargs > 1 ? 16 : 8;
	int rec = salloc(c, size, n->loc);
	if (n->nargs > 1) {
		int v = gen(c, n->args[1]);
		vpop_into(c, v, R0);
		emit_stx(c->e, BPF_DW, R9, R0, rec + 8);
		add_val(c, a, RV_INT, 8, 8, true);
	}
	rec_header(c, rec, a);
	a->recsize = size;
	ring_output(c, rec, size);
}

void act_setopt(struct cg *c, struct node *n)
{
	struct action *a = new_action(c, ACT_SETOPT, n->loc);
	a->fmtstr = n->args[0]->str;
	int rec = salloc(c, 8, n->loc);
	rec_header(c, rec, a);
	a->recsize = 8;
	ring_output(c, rec, 8);
}

void act_raise(struct cg *c, struct node *n)
{
	int v = gen(c, n->args[0]);
	vpop_into(c, v, R1);
	call(c, BPF_FUNC_send_signal);
}

void act_stop(struct cg *c, struct node *n)
{
	(void)n;
	emit_mov_imm(c->e, R1, 19);	/* SIGSTOP */
	call(c, BPF_FUNC_send_signal);
}

void act_copyout(struct cg *c, struct node *n)
{
	/* copyout(buf, addr, n) / copyoutstr(str, addr, n) */
	int src;
	if (n->fn->id == F_COPYOUTSTR) {
		src = gen_str(c, n->args[0], -1);
	} else {
		int v = gen(c, n->args[0]);
		vpop_into(c, v, R0);
		emit_stx(c->e, BPF_DW, R10, R0, FP_K2);
		src = -1;
	}
	int a = gen(c, n->args[1]);
	int l = gen(c, n->args[2]);
	vget(c, l, R3);
	vpop_into(c, a, R1);
	vpop(c);
	if (src >= 0)
		sptr(c, R2, src);
	else
		emit_ldx(c->e, BPF_DW, R2, R10, FP_K2);
	/* size must be bounded for the verifier */
	emit_alu64_imm(c->e, BPF_AND, R3, 4095);
	call(c, BPF_FUNC_probe_write_user);
}

static void gen_action(struct cg *c, struct node *n)
{
	if (!n->fn->act)
		FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
	n->fn->act(c, n);
	c->nactions_in_clause++;
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
			int v = gen(c, n);
			(void)v;
			vpop(c);
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

int probe_point(const struct probe *p)
{
	return provider_of(p)->point(p);
}

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
			n->l->fn->id == F_EXIT ? 1 + nested : 0;
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
			timestamp(c);
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
	/* a predicate that is constantly false (a tool's flag off): the
	 * clause can never fire, so it is not generated */
	if (cl->pred && cl->pred->isconst && cl->pred->cval == 0)
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
		emit_st(e, BPF_DW, 10, slots[k], 0);
		if (e->oom)
			return;
		memmove(e->insn + 1, e->insn, sizeof *e->insn * (size_t)(e->n - 1));
		e->insn[0] = (struct bpf_insn){ .code = BPF_ST | BPF_MEM | BPF_DW,
			.dst_reg = 10, .off = (int16_t)slots[k] };
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
		/* a constantly false predicate (a tool's flag off): no program
		 * for it alone, nothing to load or attach */
		if (cl->pred && cl->pred->isconst && cl->pred->cval == 0)
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
