/* arch.h - what the code generator must know of the machine: where in a
 * struct pt_regs the calling convention, the system call convention and the
 * CPU keep their values.  One table per architecture (arch.c); the code
 * asks for the host's, `arch`.
 *
 * A register is a field of the kernel's struct pt_regs, found in the
 * kernel's BTF by name, plus a byte offset for arrays (aarch64's regs[]). */
#ifndef DTK_ARCH_H
#define DTK_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct arch_reg {
	const char *field;	/* NULL: the architecture has no such register */
	int add;		/* bytes past the field's start */
};

struct arch {
	const char *name;
	/* a function's first six integer arguments at its entry (uprobes,
	 * kprobes: the context is the traced task's struct pt_regs) */
	struct arch_reg func_arg[6];
	/* a system call's six arguments in the saved user registers */
	struct arch_reg sys_arg[6];
	struct arch_reg retval;		/* a function's return value */
	struct arch_reg pc;		/* the instruction pointer */
	struct arch_reg sysnr;		/* the system call number, at its return */
	/* user mode when (mode & mode_mask) != 0, or == 0 if user_if_zero */
	struct arch_reg mode;
	uint64_t mode_mask;
	bool user_if_zero;
};

extern const struct arch arch_x86_64, arch_aarch64;
extern const struct arch *const arch;	/* this machine's */

#endif
