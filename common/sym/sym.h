/* sym.h - the machine's and its processes' facts: what common/sym/ offers
 * the groups above it.  A file there includes this, or the headers named
 * here (tests/includes.sh checks); systab_<arch>.h are systab.c's own.
 *
 *   arch.h     the machine: pt_regs, argument and return registers
 *   kbtf.h     the running kernel's types (BTF)
 *   syms.h     addresses to symbols: mappings, ELF files, the kernel's
 *   systab.h   the built-in syscall table
 *   tracefs.h  tracefs and its event formats
 *   uregs.h    uregs[]'s names
 *   ustack.h   user stacks: the block a record carries, unwinding it
 */
#ifndef DTK_SYM_H
#define DTK_SYM_H

#include "arch.h"
#include "kbtf.h"
#include "syms.h"
#include "systab.h"
#include "tracefs.h"
#include "uregs.h"
#include "ustack.h"

#endif
