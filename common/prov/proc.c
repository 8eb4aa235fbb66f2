/* proc.c - the proc provider: process and thread life and signals, each
 * probe riding the raw tracepoint that sees the event (exec on sys_enter
 * and sys_exit with the syscall provider, start and lwp-start on sys_exit
 * too, the others on the sched_process_* and signal_* tracepoints).  Its arguments and the filters that tell its
 * probes apart on a shared tracepoint are in codegen_proc.c. */
#include <linux/bpf.h>
#include "cg.h"
#include "codegen.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int proc_point(const struct probe *p)
{
	switch (p->sub) {
	case PP_EXEC: return PT_SYS_ENTER;
	/* start and lwp-start fire in the new task, as it first returns to
	 * user space: from its fork or clone, with 0 */
	case PP_EXEC_FAILURE: case PP_START: case PP_LWP_START:
		return PT_SYS_EXIT;
	case PP_EXEC_SUCCESS: return PT_PROC_EXEC;
	case PP_EXIT: case PP_LWP_EXIT: return PT_PROC_EXIT;
	case PP_CREATE: case PP_LWP_CREATE: return PT_PROC_FORK;
	case PP_SIGNAL_SEND: return PT_SIG_GENERATE;
	default: return PT_SIG_DELIVER;
	}
}

static const char *proc_tp(int pt)
{
	switch (pt) {
	case PT_PROC_EXEC: return "sched_process_exec";
	case PT_PROC_FORK: return "sched_process_fork";
	case PT_PROC_EXIT: return "sched_process_exit";
	case PT_SIG_GENERATE: return "signal_generate";
	case PT_SIG_DELIVER: return "signal_deliver";
	default: return prov_syscall.tp(pt);	/* exec & co. */
	}
}

/* On syscall's points, syscall's prologue: the filters of exec,
 * exec-failure, start and lwp-start test the syscall number. */
static void proc_prologue(struct cg *c, struct bprog *b)
{
	if (prov_syscall.tp(b->point))
		prov_syscall.prologue(c, b);
}

static void proc_probes(struct probetab *t, bool use_tracefs)
{
	(void)use_tracefs;
	static const struct {
		const char *name;
		int nargs;
		const char *type[3], *argname[3];
	} procs[] = {
		[PP_EXEC] = { "exec", 1, { "string" }, { "path" } },
		[PP_EXEC_SUCCESS] = { "exec-success", 0, { 0 }, { 0 } },
		[PP_EXEC_FAILURE] = { "exec-failure", 1, { "int" }, { "errno" } },
		[PP_EXIT] = { "exit", 1, { "int" }, { "reason" } },
		[PP_CREATE] = { "create", 1, { "psinfo_t *" }, { "child" } },
		[PP_START] = { "start", 0, { 0 }, { 0 } },
		[PP_LWP_CREATE] = { "lwp-create", 2,
			{ "lwpsinfo_t *", "psinfo_t *" }, { "lwp", "proc" } },
		[PP_LWP_START] = { "lwp-start", 0, { 0 }, { 0 } },
		[PP_LWP_EXIT] = { "lwp-exit", 0, { 0 }, { 0 } },
		[PP_SIGNAL_SEND] = { "signal-send", 3,
			{ "lwpsinfo_t *", "psinfo_t *", "int" },
			{ "lwp", "proc", "sig" } },
		[PP_SIGNAL_HANDLE] = { "signal-handle", 3,
			{ "int", "siginfo_t *", "void (*)(void)" },
			{ "sig", "info", "handler" } },
		[PP_SIGNAL_CLEAR] = { "signal-clear", 1, { "int" }, { "sig" } },
	};

	for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		struct probe *p = probetab_add(t, PROV_PROC, "proc", "", "",
					       procs[i].name);

		p->sub = i;
		for (int j = 0; j < procs[i].nargs; j++)
			probe_set_arg(p, procs[i].type[j], procs[i].argname[j]);
	}
}

const struct provider prov_proc = {
	.kind = PROV_PROC,
	.name = "proc",
	.point = proc_point,
	.tp = proc_tp,
	.prologue = proc_prologue,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.arg = proc_arg,
	.filter = proc_filter,
	.attach = attach_bprog_raw_tp,
	.probes = proc_probes,
	.same_args = true,
};
