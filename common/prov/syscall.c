/* syscall.c - the syscall provider: every system call's entry and return,
 * from the raw tracepoints sys_enter and sys_exit (one program each for all
 * the clauses; each clause tests the syscall number, codegen.c), or where
 * the clauses name only a few calls, from those calls' own trace events.
 * Its arguments are the saved user registers (arch.h); at return arg0 and
 * arg1 are the return value, -1 for a failed call as in DTrace (errno says
 * why). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "arch.h"
#include "cg.h"
#include "codegen.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int syscall_point(const struct probe *p)
{
	return p->is_return ? PT_SYS_EXIT : PT_SYS_ENTER;
}

static const char *syscall_tp(int pt)
{
	return pt == PT_SYS_ENTER ? "sys_enter" : pt == PT_SYS_EXIT ?
		"sys_exit" : NULL;
}

/* The syscall number into FP_SUB, for the clauses' filters (syscall_filter,
 * proc's) and the consumer; a firing with -1 (a ptrace'd task's call that
 * is not one) ends here. */
static void syscall_prologue(struct cg *c, struct bprog *b)
{
	struct emit *e = c->e;
	if (b->nevents) {
		/* the number in the trace event's record: always a call */
		emit_ldx(e, BPF_W, R0, R1, TP_SYS_NR);
		emit_stx(e, BPF_DW, R10, R0, FP_SUB);
		b->sub_syscall = true;
		return;
	}
	if (b->point == PT_SYS_ENTER) {
		emit_ldx(e, BPF_DW, R0, R1, 8);		/* args[1]: id */
		emit_stx(e, BPF_DW, R10, R0, FP_SUB);
	} else {
		/* the number is in the saved registers */
		int off = kofs(c, "pt_regs", arch->sysnr.field,
			       (struct loc){0}) + arch->sysnr.add;
		/* current and its registers, kept: every path past here
		 * has them, later reads load them */
		call(c, BPF_FUNC_get_current_task_btf);
		emit_stx(e, BPF_DW, R10, R0, FP_TASK);
		emit_mov_reg(e, R1, R0);
		call(c, BPF_FUNC_task_pt_regs);
		emit_stx(e, BPF_DW, R10, R0, FP_REGS);
		c->caches_filled = true;
		emit_ldx(e, BPF_DW, R0, R0, off);
		emit_stx(e, BPF_DW, R10, R0, FP_SUB);
	}
	int ok = emit_label(e), out = emit_label(e);
	emit_ldx(e, BPF_DW, R0, R10, FP_SUB);
	emit_jmp_imm(e, BPF_JSGE, R0, 0, ok);
	emit_place(e, out);
	emit_mov_imm(e, R0, 0);
	emit_exit(e);
	emit_place(e, ok);
	b->sub_syscall = true;
}

static void syscall_arg(struct cg *c, const struct probe *p, int i,
			struct loc loc)
{
	struct emit *e = c->e;
	if (!p->is_return) {
		sys_arg(c, i, loc);
		return;
	}
	if (i > 1) {
		emit_mov_imm(e, R0, 0);
		return;
	}
	/* DTrace's convention: a failed call returns -1 and errno says
	 * why (the kernel's raw value is -errno) */
	sys_ret(c);
	errno_mask(c);
	emit_alu64_reg(e, BPF_OR, R0, R1);	/* -1 where -errno */
}

/* The number of distinct syscall probes of clause cl on this point. */
static int distinct_calls(struct cg *c, struct clause *cl)
{
	int n = 0;
	for (int i = 0; i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(c->d->probes, cl->probes[i]);
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = cl->probes[j] == cl->probes[i];
		n += !seen && probe_point(p) == c->point &&
			p->kind == PROV_SYSCALL;
	}
	return n;
}

/* Emit the probe filter of a clause in a syscall program: jump to skip
 * unless the syscall number in FP_SUB is one of the clause's. */
static void syscall_filter(struct cg *c, struct clause *cl, int skip)
{
	struct emit *e = c->e;
	int n = 0, total = 0;
	for (int i = 0; i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(c->d->probes, cl->probes[i]);
		if (probe_point(p) == c->point && p->kind == PROV_SYSCALL)
			n++;
	}
	for (int i = 0; i < probetab_count(c->d->probes); i++) {
		const struct probe *p = probetab_get(c->d->probes, i);
		if (p->kind == PROV_SYSCALL && probe_point(p) == c->point)
			total++;
	}
	if (n == total)
		return;		/* every syscall */
	if (n == c->b->nevents && distinct_calls(c, cl) == n)
		return;		/* every call whose trace event b rides */
	emit_ldx(e, BPF_W, R0, R10, FP_SUB);
	if (n <= 8) {
		int in = emit_label(e);
		for (int i = 0; i < cl->nprobes; i++) {
			const struct probe *p = probetab_by_id(c->d->probes,
							       cl->probes[i]);
			if (probe_point(p) == c->point && p->kind == PROV_SYSCALL)
				emit_jmp_imm(e, BPF_JEQ, R0, p->sub, in);
		}
		emit_ja(e, skip);
		emit_place(e, in);
		return;
	}
	/* a bitmap of this clause's syscalls: array map indexed by number */
	int max = syscall_max(c->d->probes) + 1;
	char name[24];
	snprintf(name, sizeof name, "sysf%d", cl->id % 100000);
	int m = map_add(c, MR_SYSFILTER, BPF_MAP_TYPE_ARRAY, 4, 1, max, name);
	/* the loader fills it from the clause's probes */
	c->p->maps[m].sym = (struct sym *)cl;
	c->p->maps[m].max = max;
	emit_stx(e, BPF_DW, R10, R0, FP_K1);
	map_lookup_fp(c, m, FP_K1);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
	emit_ldx(e, BPF_B, R0, R0, 0);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
}

/* The sys_enter and sys_exit raw tracepoints run a program on every
 * system call of every process.  When the clauses on b's point name only
 * one or two calls (dtruss's exec, syscall::openat:entry), b rides those
 * calls' own trace events instead (syscalls:sys_enter_NAME): the kernel
 * runs it for them alone, after testing a bitmap of the calls with an
 * event enabled, and every other call costs next to nothing.
 *
 * The price is paid at exit: the kernel frees a trace event's perf event
 * only after an RCU-tasks-trace and an RCU grace period, one event at a
 * time under its event_mutex (perf_trace_event_unreg), about 60 ms each
 * here.  So a D program rides at most PER_EVENT_MAX events in all, and the
 * raw tracepoint stays where a point's clauses name more calls, proc's
 * exec rides the same point, or a call has no trace event (no tracefs, or
 * none in this kernel). */
#define PER_EVENT_MAX 2

static void syscall_per_event(struct cg *c, struct bprog *b)
{
	struct probetab *t = c->d->probes;
	const struct probe *ps[PER_EVENT_MAX];
	int n = 0, max = PER_EVENT_MAX;
	for (int i = 0; i < c->p->nbprogs; i++)
		max -= c->p->bprogs[i].nevents;
	for (int i = 0; i < c->p->nclauses; i++) {
		struct clause *cl = c->p->clauses[i];
		if (clause_never_fires(cl))
			continue;
		for (int j = 0; j < cl->nprobes; j++) {
			const struct probe *p = probetab_by_id(t, cl->probes[j]);
			if (probe_point(p) != b->point)
				continue;
			if (p->kind != PROV_SYSCALL)
				return;
			int k = 0;
			while (k < n && ps[k] != p)
				k++;
			if (k < n)
				continue;
			if (n == max)
				return;
			ps[n++] = p;
		}
	}
	if (!n)
		return;
	int *ids = arena_alloc(c->p->arena, n * sizeof *ids);
	char names[PER_EVENT_MAX * 48] = "syscalls:", name[40];
	for (int k = 0; k < n; k++) {
		ids[k] = syscall_event_id(t, ps[k], name, sizeof name);
		if (ids[k] < 0)
			return;
		if (k)
			strcat(names, ",");
		strcat(names, name);
	}
	b->events = ids;
	b->nevents = n;
	b->prog_type = BPF_PROG_TYPE_TRACEPOINT;
	b->tp = arena_strdup(c->p->arena, names);
}

static int syscall_attach(struct bprog *b, char *err, size_t errlen)
{
	if (!b->nevents)
		return attach_bprog_raw_tp(b, err, errlen);
	for (int i = 0; i < b->nevents; i++) {
		int kept, r = attach_trace_event(b->fd, b->events[i], &kept);
		if (r < 0)
			return attach_failed(err, errlen, b->probe, -r);
		if (bprog_add_link(b, r) < 0 ||
		    (kept >= 0 && bprog_add_kept(b, kept) < 0))
			return attach_failed(err, errlen, b->probe, ENOMEM);
	}
	return 0;
}

static int syscall_number(const struct probe *p)
{
	return p->sub;
}

static bool syscall_args_exact(const struct probe *p)
{
	(void)p;
	return true;
}

const struct provider prov_syscall = {
	.kind = PROV_SYSCALL,
	.name = "syscall",
	.point = syscall_point,
	.tp = syscall_tp,
	.prologue = syscall_prologue,
	.per_event = syscall_per_event,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.arg = syscall_arg,
	.filter = syscall_filter,
	.attach = syscall_attach,
	.probes = syscall_probes,
	.args = syscall_args,
	.syscall = syscall_number,
	.args_exact = syscall_args_exact,
};
