/* codegen_proc.c - what the code generator knows of processes: the proc
 * provider's arguments and filters, psinfo_t/lwpsinfo_t of any task, and
 * cwd walked up the dentry tree.
 */
#include <linux/bpf.h>
#include "builtins.h"
#include "cg.h"
#include "codegen.h"
#include "provider_ops.h"

#define CWD_DEPTH 24	/* components of cwd walked, at most */

/* r0 = raw tracepoint argument i */
void tp_arg(struct cg *c, int i)
{
	emit_ldx(c->e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(c->e, BPF_DW, R0, R1, 8 * i);
}

/* proc provider arguments, from the tracepoint each probe rides:
 *   exec          args[0] the path (execve's first argument)
 *   exec-failure  args[0] -errno (execve's return, as in dtrace-utils)
 *   exit          args[0] CLD_EXITED/CLD_KILLED/CLD_DUMPED from exit_code
 *   create, lwp-create   args[0] the new task (start, lwp-start: none)
 *   signal-send   args[0], args[1] the target task, args[2] the signal
 *   signal-handle/-clear  args[0] the signal */
void proc_arg(struct cg *c, const struct probe *p, int i, struct loc loc)
{
	struct emit *e = c->e;
	switch (p->sub) {
	case PP_EXEC:
		if (i == 0) {
			int at = emit_label(e), done = emit_label(e);
			emit_ldx(e, BPF_W, R0, R10, FP_SUB);
			emit_jmp_imm(e, BPF_JEQ, R0,
				     syscall_nr(c->d->probes, "execveat"), at);
			sys_arg(c, 0, loc);
			emit_ja(e, done);
			emit_place(e, at);
			sys_arg(c, 1, loc);
			emit_place(e, done);
			return;
		}
		break;
	case PP_EXEC_FAILURE:
		if (i == 0) {	/* as dtrace-utils: the return, -errno */
			tp_arg(c, 1);
			return;
		}
		break;
	case PP_EXIT: case PP_LWP_EXIT:
		if (i == 0) {
			/* exit_code: low 7 bits the signal, 0x80 a core */
			int off = kofs(c, "task_struct", "exit_code", loc);
			tp_arg(c, 0);
			kread(c, R0, R0, off, 4);
			int sig = emit_label(e), done = emit_label(e);
			emit_mov_reg(e, R1, R0);
			emit_alu64_imm(e, BPF_AND, R1, 0x7f);
			emit_jmp_imm(e, BPF_JNE, R1, 0, sig);
			emit_mov_imm(e, R0, 1);		/* CLD_EXITED */
			emit_ja(e, done);
			emit_place(e, sig);
			emit_alu64_imm(e, BPF_RSH, R0, 7);
			emit_alu64_imm(e, BPF_AND, R0, 1);
			emit_alu64_imm(e, BPF_ADD, R0, 2);	/* KILLED / DUMPED */
			emit_place(e, done);
			return;
		}
		break;
	case PP_CREATE: case PP_LWP_CREATE:
		if (i <= 1) {
			tp_arg(c, 1);		/* the child */
			return;
		}
		break;
	case PP_SIGNAL_SEND:
		if (i <= 1) {
			tp_arg(c, 2);		/* the target task */
			return;
		}
		if (i == 2) {
			tp_arg(c, 0);
			return;
		}
		break;
	case PP_SIGNAL_HANDLE: case PP_SIGNAL_CLEAR:
		if (i == 0) {
			tp_arg(c, 0);
			return;
		}
		break;
	default:
		break;
	}
	emit_mov_imm(e, R0, 0);
}

/* r0 = task->a->b (each a pointer), then the int at the last offset */
static void task_chain(struct cg *c, const int *offs, int n, int size)
{
	/* a NULL on the way reads as 0: kread zero-fills on a fault */
	for (int i = 0; i < n - 1; i++)
		kread(c, R0, R0, offs[i], 8);
	kread(c, R0, R0, offs[n - 1], size);
}

void gen_psinfo(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct loc l = n->loc;
	switch (n->member.ps) {
	case PS_PR_PID:
		kread(c, R0, R0, kofs(c, "task_struct", "tgid", l), 4);
		break;
	case PS_PR_LWPID:
		kread(c, R0, R0, kofs(c, "task_struct", "pid", l), 4);
		break;
	case PS_PR_PPID: {
		int o[] = { kofs(c, "task_struct", "real_parent", l),
			    kofs(c, "task_struct", "tgid", l) };
		task_chain(c, o, 2, 4);
		break;
	}
	case PS_PR_UID: case PS_PR_EUID: case PS_PR_GID: case PS_PR_EGID: {
		const char *f = n->member.ps == PS_PR_UID ? "uid" : n->member.ps == PS_PR_EUID ?
			"euid" : n->member.ps == PS_PR_GID ? "gid" : "egid";
		int o[] = { kofs(c, "task_struct", "cred", l),
			    kofs(c, "cred", f, l) };
		task_chain(c, o, 2, 4);
		break;
	}
	case PS_PR_SID: case PS_PR_PGID: {
		/* task->signal->pids[PIDTYPE_SID/PGID]->numbers[0].nr */
		int idx = n->member.ps == PS_PR_SID ? 3 : 2;
		int o[] = { kofs(c, "task_struct", "signal", l),
			    kofs(c, "signal_struct", "pids", l) + 8 * idx,
			    kofs(c, "pid", "numbers", l) + kofs(c, "upid", "nr", l) };
		task_chain(c, o, 3, 4);
		break;
	}
	case PS_PR_NLWP: {
		int o[] = { kofs(c, "task_struct", "signal", l),
			    kofs(c, "signal_struct", "nr_threads", l) };
		task_chain(c, o, 2, 4);
		break;
	}
	case PS_PR_PROJID: case PS_PR_TASKID: case PS_PR_ZONEID:
	case PS_PR_CONTRACT: case PS_PR_FLAG: case PS_PR_ONPRO:
		emit_mov_imm(e, R0, 0);
		break;
	case PS_PR_START:
		kread(c, R0, R0, kofs(c, "task_struct", "start_time", l), 8);
		break;
	case PS_PR_ADDR:
		break;
	case PS_PR_DMODEL:
		emit_mov_imm(e, R0, 1);	/* PR_MODEL_LP64 */
		break;
	case PS_PR_PRI:
		kread(c, R0, R0, kofs(c, "task_struct", "prio", l), 4);
		break;
	case PS_PR_NICE:
		kread(c, R0, R0, kofs(c, "task_struct", "static_prio", l), 4);
		emit_alu64_imm(e, BPF_SUB, R0, 120);
		break;
	default:
		FAIL(c, n->loc, "%s is not available on Linux", n->name);
	}
}

/* pr_fname (the task's comm) and pr_psargs (its argv joined by spaces,
 * read from the process's memory) into scratch at dst. */
void gen_psinfo_str(struct cg *c, struct node *n, int dst, int cap)
{
	struct emit *e = c->e;
	struct loc l = n->loc;
	if (n->member.ps == PS_PR_FNAME) {
		emit_mov_reg(e, R3, R0);
		emit_alu64_imm(e, BPF_ADD, R3, kofs(c, "task_struct", "comm", l));
		read_into(c, BPF_FUNC_probe_read_kernel_str, dst, 16);
		return;
	}
	/* mm = task->mm; the argument area [arg_start, arg_end) */
	int mm = kofs(c, "task_struct", "mm", l);
	int as = kofs(c, "mm_struct", "arg_start", l);
	int ae = kofs(c, "mm_struct", "arg_end", l);
	int none = emit_label(e), done = emit_label(e);
	emit_st(e, BPF_B, R9, dst, 0);
	kread(c, R0, R0, mm, 8);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, none);	/* kernel threads */
	emit_stx(e, BPF_DW, R10, R0, FP_K2);
	kread(c, R0, R0, ae, 8);
	emit_mov_reg(e, R1, R0);
	emit_ldx(e, BPF_DW, R0, R10, FP_K2);
	emit_stx(e, BPF_DW, R10, R1, FP_K2);	/* FP_K2 = arg_end */
	kread(c, R0, R0, as, 8);			/* r0 = arg_start */
	emit_ldx(e, BPF_DW, R2, R10, FP_K2);
	emit_alu64_reg(e, BPF_SUB, R2, R0);	/* r2 = length */
	emit_mov_reg(e, R3, R0);
	emit_jmp_imm(e, BPF_JSLE, R2, 0, none);
	int fits = emit_label(e);
	emit_jmp_imm(e, BPF_JLE, R2, cap - 1, fits);
	emit_mov_imm(e, R2, cap - 1);
	emit_place(e, fits);
	emit_stx(e, BPF_DW, R10, R2, FP_K2);
	sptr(c, R1, dst);
	call(c, BPF_FUNC_probe_read_user);
	emit_jmp_imm(e, BPF_JNE, R0, 0, none);
	/* NULs between arguments become spaces; the last one ends it: a
	 * word at a time (SP_SPACES), through bpf_loop, whose callback the
	 * verifier checks once (a loop here it walked once per word: 160
	 * times, a third of execsnoop's start-up, at strsize 1280). */
	emit_ldx(e, BPF_DW, R1, R10, FP_K2);
	emit_alu64_imm(e, BPF_ADD, R1, 7);
	emit_alu64_imm(e, BPF_RSH, R1, 3);		/* words */
	clamp(c, R1, cap / 8);
	sptr(c, R0, dst);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	loop_call(c, SP_SPACES);
	/* terminate at the length (dropping the trailing space) */
	emit_ldx(e, BPF_DW, R2, R10, FP_K2);
	emit_alu64_imm(e, BPF_SUB, R2, 1);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JLT, R2, cap, ok);
	emit_mov_imm(e, R2, cap - 1);
	emit_place(e, ok);
	emit_mov_reg(e, R1, R9);
	emit_alu64_imm(e, BPF_ADD, R1, dst);
	emit_alu64_reg(e, BPF_ADD, R1, R2);
	emit_ldx(e, BPF_B, R3, R1, 0);
	int keep = emit_label(e);
	emit_jmp_imm(e, BPF_JNE, R3, ' ', keep);
	emit_st(e, BPF_B, R1, 0, 0);
	emit_place(e, keep);
	emit_ja(e, done);
	emit_place(e, none);
	emit_st(e, BPF_B, R9, dst, 0);
	emit_place(e, done);
}

/* The bpf_loop callback of pr_psargs: word r1 of the string at CTX_S gets
 * a space in each of its zero bytes.  For a word w those are the bytes
 * with 0x80 in ~(((w & 0x7f..) + 0x7f..) | w | 0x7f..); that >> 2 is 0x20
 * in each of them, or'ed into w.  No branch but the bound. */
void emit_proc_subprogs(struct cg *c)
{
	struct emit *e = c->e;
	if (!c->sp->used[SP_SPACES])
		return;
	emit_place(e, c->sp->label[SP_SPACES]);
	int stop = emit_label(e);
	emit_jmp_imm(e, BPF_JGE, R1, c->d->opt.strsize / 8, stop);
	emit_ldx(e, BPF_DW, R3, R2, CTX_S);
	emit_alu64_imm(e, BPF_LSH, R1, 3);
	emit_alu64_reg(e, BPF_ADD, R3, R1);
	emit_ldx(e, BPF_DW, R4, R3, 0);
	emit_ld_imm64(e, R0, 0x7f7f7f7f7f7f7f7fULL);
	emit_mov_reg(e, R5, R4);
	emit_alu64_reg(e, BPF_AND, R5, R0);
	emit_alu64_reg(e, BPF_ADD, R5, R0);
	emit_alu64_reg(e, BPF_OR, R5, R4);
	emit_alu64_reg(e, BPF_OR, R5, R0);
	emit_alu64_imm(e, BPF_XOR, R5, -1);
	emit_alu64_imm(e, BPF_RSH, R5, 2);
	emit_alu64_reg(e, BPF_OR, R4, R5);
	emit_stx(e, BPF_DW, R3, R4, 0);
	loop_next(c, stop);
}

/* cwd: the current task's working directory, walked up from fs->pwd to the
 * root in the kernel, crossing mount points as d_path does (unrolled: at
 * most CWD_DEPTH components; a deeper path keeps its last ones).  It is
 * the directory at the moment the probe fires, as DTrace's cwd is. */
void gen_cwd(struct cg *c, struct node *n, int dst, int cap)
{
	struct emit *e = c->e;
	struct loc l = n->loc;
	int o_fs = kofs(c, "task_struct", "fs", l);
	int o_pwd = kofs(c, "fs_struct", n->builtin == B_ROOTDIR ? "root" : "pwd", l);
	int o_pdentry = kofs(c, "path", "dentry", l), o_pmnt = kofs(c, "path", "mnt", l);
	int o_parent = kofs(c, "dentry", "d_parent", l);
	int o_name = kofs(c, "dentry", "d_name", l) + kofs(c, "qstr", "name", l);
	int o_mnt = kofs(c, "mount", "mnt", l);
	int o_mroot = kofs(c, "vfsmount", "mnt_root", l);
	int o_mparent = kofs(c, "mount", "mnt_parent", l);
	int o_mpoint = kofs(c, "mount", "mnt_mountpoint", l);
	int pw = 1;
	while (pw < cap)
		pw <<= 1;
	/* scratch: state words, the names found, the path being built */
	int st = salloc(c, 24 + 8 * CWD_DEPTH, l);	/* dentry, mount, count */
	int names = st + 24;
	int buf = salloc(c, 2 * pw, l);
	call(c, BPF_FUNC_get_current_task);
	kread(c, R0, R0, o_fs, 8);
	emit_stx(e, BPF_DW, R9, R0, st + 16);		/* fs, for a moment */
	kread(c, R0, R0, o_pwd + o_pdentry, 8);
	emit_stx(e, BPF_DW, R9, R0, st);
	emit_ldx(e, BPF_DW, R0, R9, st + 16);
	kread(c, R0, R0, o_pwd + o_pmnt, 8);
	emit_alu64_imm(e, BPF_SUB, R0, o_mnt);		/* container_of */
	emit_stx(e, BPF_DW, R9, R0, st + 8);
	emit_st(e, BPF_DW, R9, st + 16, 0);
	int walked = emit_label(e);
	for (int i = 0; i < CWD_DEPTH + 4; i++) {
		int next = emit_label(e), up = emit_label(e);
		/* at the root of its mount: continue from the mount point */
		emit_ldx(e, BPF_DW, R0, R9, st + 8);
		kread(c, R0, R0, o_mnt + o_mroot, 8);
		emit_ldx(e, BPF_DW, R1, R9, st);
		emit_jmp_reg(e, BPF_JNE, R0, R1, up);
		emit_ldx(e, BPF_DW, R0, R9, st + 8);
		kread(c, R0, R0, o_mparent, 8);
		emit_ldx(e, BPF_DW, R1, R9, st + 8);
		emit_jmp_reg(e, BPF_JEQ, R0, R1, walked);	/* the global root */
		emit_stx(e, BPF_DW, R9, R0, st + 8);
		emit_mov_reg(e, R0, R1);
		kread(c, R0, R0, o_mpoint, 8);
		emit_stx(e, BPF_DW, R9, R0, st);
		emit_ja(e, next);
		emit_place(e, up);
		/* a component: remember its name, go to the parent */
		emit_ldx(e, BPF_DW, R0, R9, st);
		kread(c, R0, R0, o_parent, 8);
		emit_ldx(e, BPF_DW, R1, R9, st);
		emit_jmp_reg(e, BPF_JEQ, R0, R1, walked);
		emit_stx(e, BPF_DW, R9, R0, st);
		emit_mov_reg(e, R0, R1);
		kread(c, R0, R0, o_name, 8);
		emit_ldx(e, BPF_DW, R1, R9, st + 16);
		int full = emit_label(e);
		emit_jmp_imm(e, BPF_JGE, R1, CWD_DEPTH, full);
		emit_alu64_imm(e, BPF_LSH, R1, 3);
		emit_alu64_reg(e, BPF_ADD, R1, R9);
		emit_stx(e, BPF_DW, R1, R0, names);
		emit_ldx(e, BPF_DW, R1, R9, st + 16);
		emit_alu64_imm(e, BPF_ADD, R1, 1);
		emit_stx(e, BPF_DW, R9, R1, st + 16);
		emit_place(e, full);
		emit_place(e, next);
	}
	emit_place(e, walked);
	/* build "/a/b/c" from the names, last found first */
	emit_st(e, BPF_B, R9, buf, '/');
	emit_st(e, BPF_B, R9, buf + 1, 0);
	emit_mov_imm(e, R0, 0);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);		/* pos */
	for (int i = CWD_DEPTH - 1; i >= 0; i--) {
		int skip = emit_label(e);
		emit_ldx(e, BPF_DW, R1, R9, st + 16);
		emit_jmp_imm(e, BPF_JLE, R1, i, skip);
		emit_ldx(e, BPF_DW, R2, R10, FP_K2);
		emit_alu64_imm(e, BPF_AND, R2, pw - 1);
		emit_mov_reg(e, R1, R9);
		emit_alu64_imm(e, BPF_ADD, R1, buf);
		emit_alu64_reg(e, BPF_ADD, R1, R2);
		emit_st(e, BPF_B, R1, 0, '/');
		emit_alu64_imm(e, BPF_ADD, R1, 1);
		emit_alu64_imm(e, BPF_ADD, R2, 1);
		emit_alu64_imm(e, BPF_AND, R2, pw - 1);
		emit_stx(e, BPF_DW, R10, R2, FP_K2);
		emit_mov_imm(e, R3, pw);
		emit_alu64_reg(e, BPF_SUB, R3, R2);
		emit_mov_reg(e, R2, R3);			/* room left, 1..pw */
		emit_ldx(e, BPF_DW, R3, R9, names + 8 * i);
		call(c, BPF_FUNC_probe_read_kernel_str);
		emit_jmp_imm(e, BPF_JSLE, R0, 1, skip);
		emit_alu64_imm(e, BPF_SUB, R0, 1);
		emit_ldx(e, BPF_DW, R1, R10, FP_K2);
		emit_alu64_reg(e, BPF_ADD, R1, R0);
		emit_stx(e, BPF_DW, R10, R1, FP_K2);
		emit_place(e, skip);
	}
	str_copy(c, dst, buf, cap);
	emit_st(e, BPF_B, R9, dst + cap - 1, 0);
}

/* start and lwp-start: the new task's first return to user space, from
 * the fork or clone that made it, with 0 (Linux has no tracepoint in a new
 * task before that; dtrace-utils uses a kprobe on schedule_tail); start
 * only where the task leads a new process. */
static void start_filter(struct cg *c, bool procs_only, int skip)
{
	static const char *const calls[] = { "clone", "clone3", "fork", "vfork" };
	struct emit *e = c->e;
	int ok = emit_label(e);
	emit_ldx(e, BPF_W, R0, R10, FP_SUB);
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++) {
		int nr = syscall_nr(c->d->probes, calls[i]);
		if (nr >= 0)
			emit_jmp_imm(e, BPF_JEQ, R0, nr, ok);
	}
	emit_ja(e, skip);
	emit_place(e, ok);
	emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(e, BPF_DW, R0, R1, 8);		/* the return */
	emit_jmp_imm(e, BPF_JNE, R0, 0, skip);
	if (procs_only) {
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_mov_reg(e, R1, R0);
		emit_alu64_imm(e, BPF_LSH, R1, 32);
		emit_alu64_imm(e, BPF_RSH, R1, 32);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		emit_jmp_reg(e, BPF_JNE, R0, R1, skip);
	}
}

/* The proc probes share tracepoints: keep the events each one means.
 * exec rides execve/execveat entry, exec-failure their failing return,
 * create/lwp-create a fork of a process/thread, exit the death of the
 * whole thread group (the tracepoint's group_dead). */
void proc_filter(struct cg *c, struct clause *cl, int skip)
{
	struct emit *e = c->e;
	bool procs = false, lwps = false, exits = false, lwpexits = false;
	bool fails = false, starts = false, lwpstarts = false;
	for (int i = 0; i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(c->d->probes, cl->probes[i]);
		/* its own probes only: the filter is the proc provider's */
		if (provider_of(p)->filter != proc_filter ||
		    probe_point(p) != c->point)
			continue;
		if (p->sub == PP_CREATE)
			procs = true;
		if (p->sub == PP_LWP_CREATE)
			lwps = true;
		fails |= p->sub == PP_EXEC_FAILURE;
		starts |= p->sub == PP_START;
		lwpstarts |= p->sub == PP_LWP_START;
		if (p->sub == PP_EXIT)
			exits = true;
		if (p->sub == PP_LWP_EXIT)
			lwpexits = true;
	}
	if (c->point == PT_PROC_FORK && procs != lwps) {
		/* a new process: the child leads its own thread group */
		tp_arg(c, 1);
		emit_stx(e, BPF_DW, R10, R0, FP_K2);
		kread(c, R0, R0, kofs(c, "task_struct", "pid", cl->loc), 4);
		emit_stx(e, BPF_DW, R10, R0, FP_SUB);
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
		kread(c, R0, R0, kofs(c, "task_struct", "tgid", cl->loc), 4);
		emit_ldx(e, BPF_DW, R1, R10, FP_SUB);
		emit_st(e, BPF_DW, R10, FP_SUB, 0);
		emit_jmp_reg(e, procs ? BPF_JNE : BPF_JEQ, R0, R1, skip);
	}
	if (c->point == PT_PROC_EXIT && exits && !lwpexits) {
		tp_arg(c, 1);
		emit_alu64_imm(e, BPF_AND, R0, 0xff);
		emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
	}
	if (c->point == PT_SYS_ENTER) {
		int ok = emit_label(e);
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_jmp_imm(e, BPF_JEQ, R0, syscall_nr(c->d->probes, "execve"), ok);
		emit_jmp_imm(e, BPF_JEQ, R0, syscall_nr(c->d->probes, "execveat"), ok);
		emit_ja(e, skip);
		emit_place(e, ok);
	}
	if (c->point == PT_SYS_EXIT && (starts || lwpstarts)) {
		if (fails)
			FAIL(c, cl->loc, "a clause may not name exec-failure and "
			     "start or lwp-start: they mean different returns");
		start_filter(c, starts && !lwpstarts, skip);
		return;
	}
	if (c->point == PT_SYS_EXIT) {
		int ok = emit_label(e);
		int ev = syscall_nr(c->d->probes, "execve");
		int eva = syscall_nr(c->d->probes, "execveat");
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_jmp_imm(e, BPF_JEQ, R0, ev, ok);
		emit_jmp_imm(e, BPF_JEQ, R0, eva, ok);
		emit_ja(e, skip);
		emit_place(e, ok);
		emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
		emit_ldx(e, BPF_DW, R0, R1, 8);
		emit_jmp_imm(e, BPF_JSGE, R0, 0, skip);
	}
}
