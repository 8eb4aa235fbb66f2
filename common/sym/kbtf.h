/* kbtf.h - the running kernel's types, from its BTF.
 *
 * The compiler runs on the traced host, so kernel struct offsets (task_struct,
 * mm_struct, fs_struct, ...) are read from /sys/kernel/btf/vmlinux at compile
 * time and baked into the program: no CO-RE relocation step.  Parsing the
 * BTF costs a few milliseconds, so callers open it only when a program needs
 * it and keep the handle.
 *
 * Type ids are BTF ids (0 is void).  "Resolved" below means typedefs and
 * const/volatile/restrict/type_tag qualifiers stripped.
 */
#ifndef DTK_KBTF_H
#define DTK_KBTF_H

#include <stdbool.h>
#include <stddef.h>

struct kbtf;

/* NULL with errno set when the kernel has no BTF. */
struct kbtf *kbtf_open(void);			/* this kernel's vmlinux BTF */
struct kbtf *kbtf_open_file(const char *path);	/* raw BTF or ELF with .BTF */
void kbtf_close(struct kbtf *kb);

/* Type id of `struct name` (or `union name`), -1 if none.  A leading
 * "struct " or "union " in name is accepted. */
int kbtf_find_struct(struct kbtf *kb, const char *name);
/* Type id of the named type of BTF kind (BTF_KIND_TYPEDEF, BTF_KIND_FUNC,
 * BTF_KIND_ENUM, ... from <linux/btf.h>), -1 if none. */
int kbtf_find_by_name(struct kbtf *kb, int kind, const char *name);
int kbtf_find_typedef(struct kbtf *kb, const char *name);
bool kbtf_has_func(struct kbtf *kb, const char *name);

struct kbtf_member {
	int offset;		/* bytes from the start of the outer struct */
	int size;		/* bytes of the member's (resolved) type */
	int type_id;		/* resolved type */
	int decl_type_id;	/* as declared: keeps the typedef name */
	/* Bitfields (bit_size > 0): load `size` bytes at `offset`, shift right
	 * by bit_offset - 8 * offset, keep bit_size bits (little endian). */
	int bit_offset;		/* bits from the start of the outer struct */
	int bit_size;		/* 0: not a bitfield */
};

/* A member of struct/union struct_id, found through anonymous struct and
 * union members as C does.  0, or -1 if there is no such member. */
int kbtf_member(struct kbtf *kb, int struct_id, const char *member,
		struct kbtf_member *out);
/* A '.' path of members within one struct ("se.sum_exec_runtime",
 * "pwd.dentry"; no "->": pointers are not followed).  out describes the
 * last member with its offset from the start of struct_id.  0 or -1. */
int kbtf_path(struct kbtf *kb, int struct_id, const char *path,
	      struct kbtf_member *out);
/* The workhorse of the built-ins: byte offset of path in `struct sname`,
 * -1 on failure; *size (may be NULL) gets the last member's size. */
int kbtf_offsetof(struct kbtf *kb, const char *sname, const char *path,
		  int *size);

enum kbtf_kind {
	KB_VOID, KB_INT, KB_PTR, KB_STRUCT, KB_UNION, KB_ARRAY, KB_ENUM,
	KB_FUNC_PTR, KB_OTHER,
};

struct kbtf_type {
	enum kbtf_kind kind;
	int id;			/* the resolved type's id */
	int size;		/* bytes (pointers: 8; arrays: the whole array) */
	bool is_signed;		/* ints and enums */
	bool is_char;		/* a char-sized int declared as char: strings */
	int elem_id;		/* KB_PTR: pointee, KB_ARRAY: element (declared) */
	int nelem;		/* KB_ARRAY */
	const char *name;	/* typedef name if there was one, else the
				 * type's own name; "" when anonymous */
};

/* Describe type id (resolving typedefs and qualifiers).  0 or -1. */
int kbtf_type(struct kbtf *kb, int id, struct kbtf_type *out);
/* C text for type id, e.g. "struct task_struct *", "char[16]", "pid_t".
 * Returns the length it needed (as snprintf), -1 on a bad id. */
int kbtf_type_name(struct kbtf *kb, int id, char *buf, size_t len);

#endif
