/* syms.h - addresses to symbols: processes' mappings, ELF files' function
 * symbols and call-frame tables, and the kernel's symbols.
 *
 * A process's mappings are read from /proc/PID/maps the first time the
 * process is asked about, and again when an address falls outside them (a
 * library loaded since); a process that has exited before that is
 * remembered as gone.  Each file is opened once (mapped read-only) and its
 * .symtab/.dynsym functions sorted by address; .eh_frame_hdr is found for
 * the unwinder.  Kernel symbols come from /proc/kallsyms, read once.
 */
#ifndef DTK_SYMS_H
#define DTK_SYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gelf.h>

struct fmt_sym;

/* What a user of a process's mappings keeps with the process (the
 * unwinder's state), with the function that frees it: syms.c frees it when
 * the mappings change or the process is freed, without knowing the user. */
struct symslot {
	void *p;
	void (*free)(void *p);
};

/* One ELF file. */
struct symfile {
	char *path;
	const unsigned char *data;	/* the whole file, mapped; NULL if unreadable */
	size_t size;
	struct symfunc { uint64_t vaddr, size; const char *name; } *funcs;
	int nfuncs;			/* sorted by vaddr */
	uint64_t ehdr_vaddr;		/* .eh_frame_hdr, 0 if none */
	uint64_t ehdr_size;
	struct symseg { uint64_t vaddr, off, filesz; } *segs;	/* PT_LOAD */
	int nsegs;
	uint64_t dev, ino;		/* stat of the file read */
	struct symfile *next;
};

/* One mapping of a file into a process. */
struct symmap {
	uint64_t start, end, pgoff;
	bool exec;
	struct symfile *file;
};

struct symproc {
	int pid;
	struct symmap *maps;		/* sorted by start */
	int nmaps;
	bool gone;			/* exited, and no mappings known */
	bool exited;			/* /proc/PID/maps is gone: keep what we have */
	uint64_t kmm, kseq;		/* the set of mappings the kernel reported */
	struct symfile *klast;		/* the file of its last kernel mapping */
	struct symslot unw_as;		/* the unwinder's address space (ustack.c) */
	struct symslot ucache;		/* its unwound stacks (ustack_cache.c) */
	uint64_t gen;			/* bumped when the mappings change */
	struct symproc *next;
};

struct syms;

struct syms *syms_new(void);
void syms_free(struct syms *s);

/* The process, its mappings read on first sight (NULL only without memory). */
struct symproc *syms_proc(struct syms *s, int pid);
/* A mapping the kernel reported at an event (struct ustack_maprec): a
 * new set (mm, seq) replaces what was known of the process; path NULL is
 * the previous mapping's file.  The file is used when its device and
 * inode are the mapping's, so a path renamed since is not misread. */
struct symkmap {
	int pid;
	uint64_t mm, seq, start, end, pgoff;	/* pgoff in bytes */
	bool exec;
	uint64_t dev, ino;			/* the kernel's dev_t */
	const char *path;
};
void syms_kernel_map(struct syms *s, const struct symkmap *k);
/* The mapping holding addr, re-reading the mappings once on a miss. */
const struct symmap *syms_map(struct syms *s, int pid, uint64_t addr);
/* The file's virtual address of a mapped address. */
uint64_t symmap_vaddr(const struct symmap *m, uint64_t addr);
/* Load bias: runtime address = file vaddr + bias. */
uint64_t symmap_bias(const struct symmap *m);
/* Read n bytes of the file's contents at a mapped address; 0 or -1. */
int symmap_read(const struct symmap *m, uint64_t addr, void *buf, size_t n);

/* fmt_ctx symbolizers (arg is the struct syms). */
int syms_user(void *arg, int pid, uint64_t addr, struct fmt_sym *out);
int syms_kernel(void *arg, uint64_t addr, struct fmt_sym *out);

/* Every defined function symbol of an ELF file with a size, from .symtab
 * and .dynsym (both: callers dedupe).  name points into elf's data. */
typedef void (*elf_func_cb)(void *arg, const char *name, uint64_t vaddr,
			    uint64_t size);
void elf_functions_each(Elf *elf, elf_func_cb cb, void *arg);

#endif
