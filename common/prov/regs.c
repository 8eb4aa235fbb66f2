/* regs.c - function arguments and return values from the registers of a
 * uprobe or kprobe context (a struct pt_regs), shared by the pid and fbt
 * providers: at entry argN is the Nth argument register of the calling
 * convention; at return arg0 is DTrace's return offset (0 here) and arg1
 * the return value. */
#include <linux/bpf.h>
#include "arch.h"
#include "cg.h"
#include "prov/provider.h"

void regs_func_arg(struct cg *c, const struct probe *p, int i, struct loc loc)
{
	const struct arch_reg *r = p->is_return ? (i == 1 ? &arch->retval : NULL) :
		i < 6 ? &arch->func_arg[i] : NULL;
	if (!r || !r->field) {
		emit_mov_imm(c->e, R0, 0);
		return;
	}
	emit_ldx(c->e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(c->e, BPF_DW, R0, R1, kofs(c, "pt_regs", r->field, loc) + r->add);
}
