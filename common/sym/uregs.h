/* uregs.h - uregs[]'s subscripts: the R_* names and how many words. */
#ifndef DTK_UREGS_H
#define DTK_UREGS_H
#include <stdbool.h>
#include <stdint.h>

/* R_RAX, R_PC, R_SP ...: the word of the user registers, DTrace's numbers */
bool reg_constant(const char *name, int64_t *v);
/* words of user registers uregs[] may read */
int reg_count(void);
/* How many of them, from the first, the kernel's struct pt_regs holds at
 * the same place (x86_64's ends before fs_base). */
int reg_ptregs_count(void);
#endif
