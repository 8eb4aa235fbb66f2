/* ustack.h - user stacks: the block a record carries (written by the BPF
 * of codegen_stack.c) and unwinding it in user space (ustack.c).
 *
 * The kernel cannot unwind code built without frame pointers, so it copies
 * what an unwinder needs: the thread's user registers (the pt_regs the
 * kernel saved on entry, the prefix that struct user_regs_struct shares
 * with it) and the stack from the stack pointer up: as high as the
 * thread's unwinding reads once user space has said so, ustacksize bytes
 * before that.  User space then unwinds with libunwind's remote API over the
 * DWARF call-frame information (.eh_frame) of the files the process maps,
 * reading memory from the copied stack or from those files, never from the
 * live process, which may have exited by then.
 */
#ifndef DTK_USTACK_H
#define DTK_USTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The block: this head, regs_size bytes of registers, stack_len bytes of
 * stack starting at the stack pointer. */
struct ustack_block {
	uint32_t pid, tid;
	uint32_t regs_size;
	uint32_t stack_len;
	uint64_t mm;			/* the task's address space */
	uint32_t flags;			/* USTACK_LIMITED */
	uint32_t pad;
};
/* The copy stopped at the thread's known top (MR_UTOP), not at
 * ustacksize or the end of the stack. */
#define USTACK_LIMITED	1

/* The stack copy is read a page at a time (a fault at the top of the
 * stack keeps what came before it), so the buffer has a page more than
 * ustacksize asks for. */
#define USTACK_PAGE	4096
#define USTACK_MIN	4096
#define USTACK_MAX	16384
/* A thread's first stacks take ~12 KiB a record until user space has
 * told the kernel how much of its stack unwinding reads (then a few
 * hundred bytes: codegen_stack.c): at the default 4 MiB the ring buffer
 * holds ~300 of those, and a syscall-heavy process overruns it before
 * the consumer answers.  A program with ustack() gets this much unless
 * bufsize is set. */
#define USTACK_BUFSIZE	(64ULL << 20)
/* Bytes copied above the highest word a thread's unwinding read. */
#define USTACK_SLACK	64

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

/* What an unwind read of its block: a register's value, a word of the
 * stack copy (at: its offset from sp), or a word the copy did not hold.
 * The walk is a function of these (and of the process's mappings, whose
 * files do not change), so a block that agrees on all of them unwinds to
 * the same frames: ustack_cache.c keys on it. */
enum { UR_REG, UR_STACK, UR_NOSTACK };
struct ustack_read {
	int kind;
	int64_t at;
	uint64_t val;
};
#define USTACK_LOG	64
struct ustack_log {
	int n;
	bool full;		/* more reads than fit: not to be cached */
	uint32_t need;		/* bytes of stack from sp the walk read */
	bool ended;		/* it reached the outermost frame */
	struct ustack_read r[USTACK_LOG];
};

/* Unwind a block (size bytes, as the record holds it) into at most max
 * frames; returns how many.  *why is set to a reason when the walk stopped
 * early for a reason worth printing (the process exited before its
 * mappings were read), else NULL.  What it read goes to log, if given. */
int ustack_unwind(struct syms *s, const void *block, size_t size,
		  struct ustack_frame *out, int max, const char **why,
		  struct ustack_log *log);
/* The block's process, pc and stack pointer. */
bool ustack_block_key(const void *block, size_t size, int *pid, uint64_t *ip,
		      uint64_t *sp);
/* Does the block hold the values of these reads? */
bool ustack_log_match(const void *block, size_t size,
		      const struct ustack_read *r, int n);

/* A stack unwound once and kept (ustack_cache.c): the next block of the
 * process with the same pc and stack pointer whose reads agree is this
 * stack again, and its text is printed as it was. */
struct ustack_stack {
	uint64_t ip, sp, gen;
	int pid;
	bool valid;			/* may be found again */
	bool fresh;			/* unwound by this call, not found */
	bool ended, short_copy;		/* reached the outermost frame; read
					   past the end of the copy */
	int max, n;			/* asked for, found */
	const char *why;
	struct ustack_frame *f;
	struct ustack_read *log;
	int nlog;
	uint32_t need;
	char *text;			/* as ustack_write prints it */
	size_t tlen;
	int tindent, tn;
};
/* The block's stack, at most max frames: NULL only without memory.  It
 * stays valid until the next call for the same process. */
struct ustack_stack *ustack_get(struct syms *s, const void *block,
				size_t size, int max);
/* Print its first n frames as ustack_print does. */
void ustack_write(FILE *out, struct syms *s, struct ustack_stack *st,
		  int n, int indent);

/* Frames as D prints them: the leading newline, then one a line after
 * indent spaces: module`function+0xoff, module`0xaddr, or 0xaddr.  A frame
 * found by the frame-pointer fallback is marked " [fp]"; a stack cut short
 * for a reason ends with a line saying why. */
void ustack_print(FILE *out, struct syms *s, int pid,
		  const struct ustack_frame *f, int n, int indent,
		  const char *why);

#endif
