/* proc.c - the proc provider: process and thread life and signals, each
 * probe riding the raw tracepoint that sees the event (exec on sys_enter
 * and sys_exit with the syscall provider, the others on the sched_process_*
 * and signal_* tracepoints).  Its arguments and the filters that tell its
 * probes apart on a shared tracepoint are in codegen_proc.c. */
#include <linux/bpf.h>
#include "cg.h"
#include "codegen.h"
#include "prov/provider.h"

static int proc_point(const struct probe *p)
{
	switch (p->sub) {
	case PP_EXEC: return PT_SYS_ENTER;
	case PP_EXEC_FAILURE: return PT_SYS_EXIT;
	case PP_EXEC_SUCCESS: return PT_PROC_EXEC;
	case PP_EXIT: case PP_LWP_EXIT: return PT_PROC_EXIT;
	case PP_CREATE: case PP_LWP_CREATE: case PP_START:
	case PP_LWP_START: return PT_PROC_FORK;
	case PP_SIGNAL_SEND: return PT_SIG_GENERATE;
	default: return PT_SIG_DELIVER;
	}
}

const struct provider prov_proc = {
	.kind = PROV_PROC,
	.name = "proc",
	.point = proc_point,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.arg = proc_arg,
	.attach = attach_bprog_raw_tp,
};
