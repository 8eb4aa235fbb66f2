/* codegen_builtin.c - D's built-in variables: pid, tid, timestamp, argN
 * (asked of the probe's provider), errno, probefunc & co., ...  Each reads
 * the kernel's helpers or the program's context into r0 (or a string into
 * scratch); none contains an expression.
 */
#include <linux/bpf.h>
#include <string.h>
#include "builtins.h"
#include "cg.h"
#include "codegen.h"
#include "codegen_stack.h"
#include "provider_ops.h"

/* r0 = bpf_get_current_pid_tgid(), got once per program run and kept in
 * scratch at SCRATCH_PIDTGID (gen_program zeroes it first; only the idle
 * task's is 0, got again each time): a firing's pid and tid cost one
 * call.  Clobbers r1-r5. */
static void get_pid_tgid(struct cg *c)
{
	call(c, BPF_FUNC_get_current_pid_tgid);
}

static void cur_pid_tgid(struct cg *c)
{
	c->pid_cached = true;
	cached_word(c, R9, SCRATCH_PIDTGID, get_pid_tgid);
}

static void ktime(struct cg *c)
{
	call(c, BPF_FUNC_ktime_get_ns);
}

/* r0 = timestamp: one per program run, as DTrace reads it once a firing */
void gen_timestamp(struct cg *c)
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
void gen_arg(struct cg *c, int i, struct loc loc)
{
	const struct probe *p = clause_probe(c);
	if (!p) {
		emit_mov_imm(c->e, R0, 0);
		return;
	}
	provider_of(p)->arg(c, p, i, loc);
}

/* Does gen_builtin leave r0 as its type says, with no normalize_reg
 * needed?  The ids and numbers below are loaded zero-extended and are
 * never above INT_MAX (pids, tids, syscall numbers, CPUs, an errno up to
 * 4095), so sign- and zero-extension give the same word. */
bool builtin_normal(const struct node *n)
{
	switch (n->builtin) {
	case B_PID: case B_TID: case B_UID: case B_GID: case B_EPID: case B_ID:
	case B_CPU: case B_ERRNO:
		return true;
	default:
		return false;
	}
}

void gen_builtin(struct cg *c, struct node *n)
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
		gen_timestamp(c);
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
			sys_ret(c);
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
void probe_string(struct cg *c, struct node *n, int dst)
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
