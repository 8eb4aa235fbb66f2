/* ustack.h - user stacks: the block a record carries (written by the BPF
 * of codegen_stack.c) and unwinding it in user space (ustack.c).
 *
 * The kernel cannot unwind code built without frame pointers, so it copies
 * what an unwinder needs: the thread's user registers (the pt_regs the
 * kernel saved on entry, the prefix that struct user_regs_struct shares
 * with it) and ustacksize bytes or more of stack from the stack pointer
 * up.  User space then unwinds with libunwind's remote API over the
 * DWARF call-frame information (.eh_frame) of the files the process maps,
 * reading memory from the copied stack or from those files, never from the
 * live process, which may have exited by then.
 */
#ifndef DTK_USTACK_H
#define DTK_USTACK_H

#include <stddef.h>
#include <stdint.h>

/* The block: this head, regs_size bytes of registers, stack_len bytes of
 * stack starting at the stack pointer. */
struct ustack_block {
	uint32_t pid, tid;
	uint32_t regs_size;
	uint32_t stack_len;
};

/* The stack copy is read a page at a time (a fault at the top of the
 * stack keeps what came before it), so the buffer has a page more than
 * ustacksize asks for. */
#define USTACK_PAGE	4096
#define USTACK_MIN	4096
#define USTACK_MAX	16384

/* One unwound frame. */
struct ustack_frame {
	uint64_t pc;
	int how;		/* enum ustack_how */
};

enum ustack_how {
	UH_REGS,		/* the first frame: the registers' pc */
	UH_CFI,			/* from DWARF call-frame information */
	UH_FP,			/* from the frame-pointer chain: no CFI there */
};

struct syms;

/* Unwind a block (size bytes, as the record holds it) into at most max
 * frames; returns how many.  *why is set to a reason when the walk stopped
 * early for a reason worth printing (the process exited before its
 * mappings were read), else NULL. */
int ustack_unwind(struct syms *s, const void *block, size_t size,
		  struct ustack_frame *out, int max, const char **why);

/* Frames as D prints them: the leading newline, then one a line after
 * indent spaces: module`function+0xoff, module`0xaddr, or 0xaddr.  A frame
 * found by the frame-pointer fallback is marked " [fp]"; a stack cut short
 * for a reason ends with a line saying why. */
#include <stdio.h>
void ustack_print(FILE *out, struct syms *s, int pid,
		  const struct ustack_frame *f, int n, int indent,
		  const char *why);

#endif
