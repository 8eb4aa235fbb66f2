/* types.h - D's types as the checker and code generator see them.
 *
 * Integers carry size and signedness; strings are fixed-capacity buffers
 * (strsize, or less for strings whose length is bounded: execname is 16);
 * pointers remember whether they point into user or kernel memory and, for
 * kernel structs, the BTF type id that field accesses are resolved against.
 * psinfo_t and lwpsinfo_t are synthetic structs whose members the code
 * generator computes from task_struct.
 */
#ifndef DTK_TYPES_H
#define DTK_TYPES_H

#include <stdbool.h>
#include <stdint.h>

enum tkind {
	TY_VOID,
	TY_INT,
	TY_PTR,
	TY_STRING,
	TY_ARRAY,	/* char[N]: a fixed buffer (copyin result, BTF char arrays) */
	TY_STRUCT,	/* a kernel struct/union (btf_id) or a synthetic one */
	TY_STACK,	/* stack()/ustack() value (aggregation keys) */
	TY_SYMADDR,	/* func()/usym() etc. */
};

/* SYN_SYSNUM marks a TY_STRING aggregation/array key slot that holds a
 * syscall number (8 bytes) standing for probefunc's name: decoded in user
 * space, so the kernel hashes 8 bytes, not 64. */
enum synth { SYN_NONE, SYN_PSINFO, SYN_LWPSINFO, SYN_SIGINFO, SYN_SYSNUM };

/* A member of a struct or union the program declared */
struct sou_member {
	const char *name;
	struct type *type;
	const char *tname;	/* its type as written ("uint64_t", "char [5]"),
				   for print() */
	int offset;
};

struct type {
	enum tkind k;
	int size;		/* bytes; TY_STRING: capacity incl. NUL */
	bool sign;
	bool user;		/* TY_PTR: points into user memory */
	struct type *elem;	/* TY_PTR, TY_ARRAY */
	int nelem;		/* TY_ARRAY; TY_STACK: frames */
	int symfn;		/* TY_SYMADDR: the function that named it
				   (enum func_id: func, usym, uaddr...) */
	int btf_id;		/* TY_STRUCT (kernel), 0 if none */
	enum synth synth;	/* TY_STRUCT synthetic kind */
	const char *name;	/* display: "int", "string", "struct task_struct" */
	struct sou_member *members;	/* TY_STRUCT the program declared (btf_id 0) */
	int nmembers;
	int align;		/* TY_STRUCT the program declared */
};

extern struct type t_void, t_char, t_uchar, t_short, t_ushort, t_int, t_uint,
	t_long, t_ulong, t_llong, t_ullong, t_bool;

struct arena;
struct type *type_int(struct arena *a, int size, bool sign);
struct type *type_ptr(struct arena *a, struct type *to, bool user);
struct type *type_array(struct arena *a, struct type *elem, int n);
struct type *type_string(struct arena *a, int cap);

/* Look up a scalar type name ("int", "unsigned long", "uint32_t", "pid_t",
 * "size_t" ...).  NULL if it is not a built-in scalar type. */
struct type *type_by_name(const char *name);

/* A struct or union laid out as C does (each member at its alignment,
 * the size rounded up to the largest); NULL members: declared, not yet
 * defined.  sou_member: the member called name, or NULL. */
struct type *sou_define(struct arena *a, const char *name, bool is_union,
			const char *const *names, struct type *const *types,
			const char *const *tnames, int n);
const struct sou_member *sou_member(const struct type *t, const char *name);

bool type_is_int(const struct type *t);
bool type_is_scalar(const struct type *t);	/* int or pointer */
bool type_is_string(const struct type *t);	/* string or char[N] / char * usable as one */
/* "int", "char *", "string", "struct task_struct *" */
const char *type_str(const struct type *t, char *buf, int len);
/* D's arithmetic conversions (no promotion to int): the type of a op b. */
struct type *type_arith(const struct type *a, const struct type *b);

#endif
