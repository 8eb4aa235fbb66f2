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
/* A record with a user stack is ~12 KiB: at the default 4 MiB the ring
 * buffer holds ~300 and a syscall-heavy process overruns it between two
 * polls.  A program with ustack() gets this much unless bufsize is set. */
#define USTACK_BUFSIZE	(64ULL << 20)

/* The process's mappings, sent by the kernel (codegen_stack.c) the first
 * time an address space (pid, mm) with its number of mappings (seq:
 * mm->map_count, which a library's mmap changes) takes a user stack: a
 * set of records, one per
 * file-backed mapping, in address order, the file's path as the dentry
 * names from the leaf up (mount points crossed) when the file differs
 * from the previous record's, else nnames 0.
 *
 * Why in the kernel: the ring buffer is drained every poll, but a process
 * that exits a millisecond after its syscall beats the consumer to
 * /proc/PID/maps, and then its frames cannot be symbolized or unwound.
 * At the event the mappings are there: bpf_iter_task_vma walks them
 * (6.4 and later; without it user space falls back to /proc at first
 * sight).  An LRU map of seen (pid, mm, seq) keeps it to once per
 * layout: a new set replaces the last one in user space (an exec makes a
 * new mm, a dlopen() a new seq); a record the ring buffer refused forgets
 * the layout, so a later event sends it again.  The cost is a set of
 * ~25 records per layout a process shows, most at its start-up. */
#define USTACK_NAMES	12
#define USTACK_NAMELEN	64
struct ustack_maprec {
	uint32_t action, sub;		/* struct rechdr */
	uint32_t pid, nnames;
	uint64_t mm, seq;
	uint64_t start, end, pgoff, flags;	/* pgoff in pages */
	uint64_t dev, ino;		/* the kernel's dev_t (major << 20 | minor) */
	char names[USTACK_NAMES][USTACK_NAMELEN];
};
#define USTACK_MAPREC_HEAD	offsetof(struct ustack_maprec, names)

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
