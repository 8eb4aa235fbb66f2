/* arch.c - the per-architecture tables of arch.h. */
#include "arch.h"

const struct arch arch_x86_64 = {
	.name = "x86_64",
	.func_arg = { { "di", 0 }, { "si", 0 }, { "dx", 0 }, { "cx", 0 },
		      { "r8", 0 }, { "r9", 0 } },
	/* the kernel's convention: r10 carries the fourth argument */
	.sys_arg = { { "di", 0 }, { "si", 0 }, { "dx", 0 }, { "r10", 0 },
		     { "r8", 0 }, { "r9", 0 } },
	.retval = { "ax", 0 },
	.pc = { "ip", 0 },
	.sysnr = { "orig_ax", 0 },
	.mode = { "cs", 0 },		/* the privilege level: 3 in user mode */
	.mode_mask = 3,
	.user_if_zero = false,
};

const struct arch arch_aarch64 = {
	.name = "aarch64",
	.func_arg = { { "regs", 0 }, { "regs", 8 }, { "regs", 16 },
		      { "regs", 24 }, { "regs", 32 }, { "regs", 40 } },
	/* x0 is overwritten by the return value: the kernel keeps the
	 * first argument apart in orig_x0 */
	.sys_arg = { { "orig_x0", 0 }, { "regs", 8 }, { "regs", 16 },
		     { "regs", 24 }, { "regs", 32 }, { "regs", 40 } },
	.retval = { "regs", 0 },
	.pc = { "pc", 0 },
	.sysnr = { "syscallno", 0 },
	.mode = { "pstate", 0 },	/* PSR_MODE_MASK: EL0t (0) is user */
	.mode_mask = 0xf,
	.user_if_zero = true,
};

#if defined(__x86_64__)
const struct arch *const arch = &arch_x86_64;
#elif defined(__aarch64__)
const struct arch *const arch = &arch_aarch64;
#else
#error "dtk knows the registers of x86_64 and aarch64 only (common/sym/arch.c)"
#endif
