/* uregs.c - the R_* names of uregs[] subscripts and the number of them.
 *
 * uregs[R_X] is word R_X of the traced thread's user registers, struct
 * pt_regs as the kernel saved them on entry, whose layout is the C
 * library's struct user_regs_struct on both architectures.  The names and
 * numbers are DTrace's (dtrace-utils' i386/regs.d and arm64/regs.d).
 */
#include <stddef.h>
#include <string.h>
#include <sys/user.h>
#include "uregs.h"

#define W(m) (int)(offsetof(struct user_regs_struct, m) / 8)

static const struct { const char *name; int word; } regs[] = {
#if defined(__x86_64__)
	{ "R_R15", W(r15) }, { "R_R14", W(r14) }, { "R_R13", W(r13) },
	{ "R_R12", W(r12) }, { "R_RBP", W(rbp) }, { "R_RBX", W(rbx) },
	{ "R_R11", W(r11) }, { "R_R10", W(r10) }, { "R_R9", W(r9) },
	{ "R_R8", W(r8) }, { "R_RAX", W(rax) }, { "R_RCX", W(rcx) },
	{ "R_RDX", W(rdx) }, { "R_RSI", W(rsi) }, { "R_RDI", W(rdi) },
	{ "R_ERR", W(orig_rax) }, { "R_RIP", W(rip) }, { "R_CS", W(cs) },
	{ "R_RFL", W(eflags) }, { "R_RSP", W(rsp) }, { "R_SS", W(ss) },
	{ "R_EBX", W(rbx) }, { "R_ECX", W(rcx) }, { "R_EDX", W(rdx) },
	{ "R_ESI", W(rsi) }, { "R_EDI", W(rdi) }, { "R_EBP", W(rbp) },
	{ "R_EAX", W(rax) }, { "R_EIP", W(rip) }, { "R_EFL", W(eflags) },
	{ "R_ESP", W(rsp) }, { "R_PC", W(rip) }, { "R_FP", W(rbp) },
	{ "R_SP", W(rsp) }, { "R_PS", W(eflags) }, { "R_R0", W(rax) },
	{ "R_R1", W(rbx) },
#elif defined(__aarch64__)
	{ "R_X0", 0 }, { "R_X1", 1 }, { "R_X2", 2 }, { "R_X3", 3 },
	{ "R_X4", 4 }, { "R_X5", 5 }, { "R_X6", 6 }, { "R_X7", 7 },
	{ "R_X8", 8 }, { "R_X9", 9 }, { "R_X10", 10 }, { "R_X11", 11 },
	{ "R_X12", 12 }, { "R_X13", 13 }, { "R_X14", 14 }, { "R_X15", 15 },
	{ "R_X16", 16 }, { "R_X17", 17 }, { "R_X18", 18 }, { "R_X19", 19 },
	{ "R_X20", 20 }, { "R_X21", 21 }, { "R_X22", 22 }, { "R_X23", 23 },
	{ "R_X24", 24 }, { "R_X25", 25 }, { "R_X26", 26 }, { "R_X27", 27 },
	{ "R_X28", 28 }, { "R_X29", 29 }, { "R_X30", 30 }, { "R_SP", W(sp) },
	{ "R_PC", W(pc) }, { "R_PSTATE", W(pstate) }, { "R_FP", 29 },
#endif
};

bool reg_constant(const char *name, int64_t *v)
{
	if (strncmp(name, "R_", 2) != 0)
		return false;
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
		if (strcmp(regs[i].name, name) == 0) {
			*v = regs[i].word;
			return true;
		}
	return false;
}

int reg_count(void)
{
	return (int)(sizeof(struct user_regs_struct) / 8);
}

int reg_ptregs_count(void)
{
#if defined(__x86_64__)
	return W(fs_base);
#else
	return reg_count();
#endif
}
