/* codegen_sysarg.c - a system call's arguments at its entry, from the
 * saved user registers (arch.h): the syscall provider's argN and the
 * arguments of an exec the proc provider reads; and its return value. */
#include <linux/bpf.h>
#include "arch.h"
#include "cg.h"

/* Syscall argument i at entry: read from the saved pt_regs. */
void sys_arg(struct cg *c, int i, struct loc loc)
{
	const struct arch_reg *r = i < 6 ? &arch->sys_arg[i] : NULL;
	if (!r || !r->field) {
		emit_mov_imm(c->e, R0, 0);
		return;
	}
	int off = kofs(c, "pt_regs", r->field, loc) + r->add;
	/* the same registers as args[0] points at, loaded directly */
	task_regs(c);
	emit_ldx(c->e, BPF_DW, R0, R0, off);
}

/* r0 = the raw return value (-errno for a failed call) in a sys_exit
 * program: the raw tracepoint's args[1], or in a program on the call's own
 * trace event (syscalls:sys_exit_NAME) its record's ret, after the common
 * fields and the int __syscall_nr. */
void sys_ret(struct cg *c)
{
	emit_ldx(c->e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(c->e, BPF_DW, R0, R1, c->b->nevents ? TP_SYS_RET : 8);
}
