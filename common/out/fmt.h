/* fmt.h - D's printf: formats parsed at compile time, records formatted at
 * run time, and trace()'s default layout.
 *
 * Semantics follow DTrace's dt_printf.c:
 *   - conversions: d i u o x X c C s S p a A Y T k e E f g G %, with the
 *     flags - + space # 0 ' (grouping), width (digits, * or ?, which means
 *     16: the width of a 64-bit pointer in hex), precision (.digits or .*).
 *   - length modifiers h hh l ll L z j t are accepted and ignored: an
 *     integer prints at its own size and signedness, as DTrace prints a
 *     plain %d (DTrace itself knows only h l ll L, and requires the exact C
 *     type for them; dtk is lenient).
 *   - %d and %i print an unsigned argument as %u; %x %X %o %u print the
 *     argument's own size (a 4-byte -1 is ffffffff).  %p is hex without 0x
 *     (DTrace prints %p as %llx; %#p gives the 0x).
 *   - %a prints module`symbol+0xoff for a kernel address, %A the same for
 *     a user address (module is the object's basename), both through the
 *     callbacks of struct fmt_ctx; without a symbol, module`0xaddr or 0xaddr.
 *   - %Y prints a walltimestamp (ns since the epoch) as DTrace does from
 *     ctime(3): "2026 Nov 23 10:55:12" (local time, day padded with a
 *     space); %T as RFC 822 ("Mon, 23 Nov 2026 10:55:12 UTC").
 *   - %S (and %C for one char) escape as C would (escape.h, ESC_C), up to
 *     the string's first NUL.
 *   - %e %f %g want a floating-point argument: D on BPF has none, so the
 *     checker rejects them as DTrace's would for an integer.  (DTrace has no
 *     %F; neither has dtk.)
 *   - %@d %@u %@x ... (any conversion after a '@' flag) prints printa()'s
 *     aggregation value; in printf() it is an error.
 * Where dtk departs from DTrace it is to be C-exact: an explicit precision
 * of 0 ("%.0s", "%.0d") is kept (DTrace drops a zero precision).
 */
#ifndef DTK_FMT_H
#define DTK_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What kind of argument a conversion takes. */
enum fmt_argclass {
	FA_NONE,	/* %%: none */
	FA_INT,		/* d i: integer, printed with its own signedness */
	FA_UINT,	/* u o x X: integer, printed unsigned */
	FA_PTR,		/* p: pointer or integer */
	FA_CHAR,	/* c C: integer no wider than int */
	FA_STRING,	/* s S: string or char array */
	FA_FLOAT,	/* e E f g G: float, double or long double */
	FA_SYM,		/* a: kernel address: pointer, integer or sym()/func() */
	FA_USYM,	/* A: usym()/ufunc(), or pointer/integer with -c/-p */
	FA_TIME,	/* Y T: 64-bit integer, ns since the epoch */
	FA_STACK,	/* k: stack() or ustack() */
};

/* Conversion flags */
enum {
	FMT_LEFT = 1,		/* - */
	FMT_PLUS = 2,		/* + */
	FMT_SPACE = 4,		/* ' ' */
	FMT_ALT = 8,		/* # */
	FMT_ZERO = 16,		/* 0 */
	FMT_GROUP = 32,		/* ' */
	FMT_AGG = 64,		/* @ */
	FMT_DYNWIDTH = 128,	/* * */
	FMT_DYNPREC = 256,	/* .* */
};

struct fmt_conv {
	char conv;		/* 'd', 's', 'Y', '%', ... */
	char length[3];		/* "", "h", "hh", "l", "ll", "L", "z", "j", "t" */
	unsigned flags;		/* FMT_* */
	int width;		/* 0 if none (or dynamic) */
	int prec;		/* -1 if none (or dynamic) */
	enum fmt_argclass cls;	/* what the value must be; with FMT_AGG, what
				   the aggregation value must be */
	int index;		/* conversion number in the format, 1-based */
};

/* One piece of a format: literal text followed by at most one conversion. */
struct fmt_item {
	const char *text;	/* points into fmt_spec.fmt; not NUL-terminated */
	size_t textlen;
	bool has_conv;
	struct fmt_conv conv;
};

struct fmt_spec {
	char *fmt;		/* private copy of the format */
	struct fmt_item *items;
	int nitems;
	int nargs;		/* values consumed: conversions (not %% or %@) plus each * */
	int nagg;		/* number of %@ conversions */
};

/* Split a format into items.  0 on success; -1 with a DTrace-worded
 * message in err ("format conversion #2 is undefined: %k").  On success the
 * caller frees the spec with fmt_free(). */
int fmt_parse(const char *fmt, struct fmt_spec *out, char *err, size_t errlen);
void fmt_free(struct fmt_spec *spec);

/* "d", "lld", "@d", "s": the conversion as named in DTrace's messages. */
const char *fmt_conv_name(const struct fmt_conv *c, char *buf, size_t len);

/* --- checking argument types (the checker maps its types onto these) --- */

enum fmt_typeclass {
	FT_INT,		/* any integer type (size, is_signed) */
	FT_PTR,		/* any pointer */
	FT_STRING,	/* string, or a char array */
	FT_FLOAT,
	FT_SYMADDR,	/* sym(), func(), mod() values: kernel addresses */
	FT_USYMADDR,	/* usym(), ufunc(), umod(), uaddr() values */
	FT_STACK,	/* stack(), ustack() */
	FT_OTHER,	/* structs, void, ... */
};

struct fmt_argtype {
	enum fmt_typeclass tc;
	int size;		/* bytes */
	bool is_signed;
	const char *name;	/* for messages: "int", "string", "struct task_struct *" */
};

/* Does an argument of type t suit conversion c?  have_target: a process was
 * given with -c or -p (%A then also takes plain integers and pointers). */
bool fmt_arg_ok(const struct fmt_conv *c, const struct fmt_argtype *t, bool have_target);

/* Check a whole call: func is "printf" or "printa" (or "system"...),
 * args[0..nargs) the types of the values after the format (for printa, of
 * the aggregation's keys), argoff the position of the format among the
 * call's arguments (printf: 1, so the first value is "argument #2").
 * aggtype: for printa, the type the aggregation value has for %@ (uint64_t
 * for count(), int64_t otherwise); NULL for printf.  printf() must use every
 * argument; printa() may leave keys unprinted.  0, or < 0 (enum
 * fmt_checkerr, which the compiler turns into the D error tag) with
 * DTrace's message ("printf( ) argument #2 is incompatible with conversion
 * #1 prototype:\n\tconversion: %d\n\t prototype: char, short, int, long,
 * or long long\n\t  argument: string"). */
enum fmt_checkerr {
	FMT_E_TYPE = -1,	/* a value of the wrong type for its conversion */
	FMT_E_EMPTY = -2,	/* "" */
	FMT_E_AGGCONV = -3,	/* %@ in printf() */
	FMT_E_MISSING = -4,	/* a conversion without a value */
	FMT_E_EXTRA = -5,	/* a value without a conversion */
	FMT_E_DYN_MISSING = -6,	/* a * width or precision without a value */
	FMT_E_DYN_TYPE = -7,	/* a * width or precision that is no int */
};
int fmt_check(const struct fmt_spec *spec, const char *func,
	      const struct fmt_argtype *args, int nargs, int argoff,
	      const struct fmt_argtype *aggtype, bool have_target,
	      char *err, size_t errlen);

/* --- run time -------------------------------------------------------- */

enum fmt_valkind { FV_INT, FV_STR, FV_FLOAT, FV_STACK };

/* A value read out of a record. */
struct fmt_val {
	enum fmt_valkind kind;
	union {
		struct {
			int64_t v;	/* the bits, sign-extended or not */
			uint8_t size;	/* 1, 2, 4 or 8: values print at this size */
			bool is_signed;
			int32_t pid;	/* %A: the process (0: fmt_ctx.target) */
		} i;
		struct {
			const char *p;	/* need not be NUL-terminated ... */
			size_t len;	/* ... the string ends at a NUL or at len */
		} s;
		double f;
		struct {
			const uint64_t *pcs;	/* ends at depth or at a 0 pc */
			int depth;
			int32_t pid;		/* user stacks: the process */
			bool user;
		} stk;
	};
};

#define FMT_INT(val, sz, sgn) ((struct fmt_val){ .kind = FV_INT, \
	.i = { .v = (int64_t)(val), .size = (sz), .is_signed = (sgn) } })
#define FMT_STRN(str, n) ((struct fmt_val){ .kind = FV_STR, .s = { .p = (str), .len = (n) } })
#define FMT_STR(str) FMT_STRN(str, strlen(str))

/* A symbol found for an address: object is the module or file ("kernel",
 * "/usr/lib/x86_64-linux-gnu/libc.so.6"), name NULL if only the object is
 * known, value the symbol's start address. */
struct fmt_sym {
	const char *object;
	const char *name;
	uint64_t value;
};

/* Symbolizers for %a %A and stacks; either may be NULL (addresses print as
 * 0x...).  They return 0 when they found at least the object. */
struct fmt_ctx {
	int (*ksym)(void *arg, uint64_t addr, struct fmt_sym *out);
	int (*usym)(void *arg, int pid, uint64_t addr, struct fmt_sym *out);
	void *arg;
	int target;		/* $target: the pid for %A values without one */
	int stackindent;	/* trace(stack()) and stack keys indent; 0 means DTrace's 14 */
};

/* Format a record: vals are the values in argument order (dynamic widths and
 * precisions included).  Returns the number of values used, or -1 when the
 * values run out or do not suit a conversion (what could be printed is). */
int fmt_print(FILE *out, const struct fmt_spec *spec, const struct fmt_val *vals,
	      int nvals, const struct fmt_ctx *ctx);

/* The same with a printer for %@ conversions (aggfmt_printa uses this):
 * agg is called with the conversion and its resolved width and precision
 * (-1 if none) and prints the aggregation value. */
typedef int (*fmt_agg_printer)(void *arg, FILE *out, const struct fmt_conv *c,
			       int width, int prec);
int fmt_print_agg(FILE *out, const struct fmt_spec *spec, const struct fmt_val *vals,
		  int nvals, const struct fmt_ctx *ctx, fmt_agg_printer agg, void *aggarg);

/* Print one value with one conversion (width 0 / prec -1 for none). */
int fmt_print_conv(FILE *out, const struct fmt_conv *c, int width, int prec,
		   const struct fmt_val *v, const struct fmt_ctx *ctx);

/* "module`name+0x1f", "module`name", "module`0xaddr" or "0xaddr". */
void fmt_symstr(char *buf, size_t len, const struct fmt_ctx *ctx, bool user,
		int pid, uint64_t addr);

/* trace(): DTrace's layout for a traced value.  Integers with their own
 * signedness: quiet "%d"/"%u"; otherwise right-aligned by size, signed
 * " %19d", " %10d", " %5d", " %3d", unsigned " %20u", " %10u", " %5u",
 * " %3u" (dtrace-utils' widths; Solaris printed 16/8 and small values
 * unsigned).
 * Strings: quiet "%s", otherwise "  %-33s".  Anything that is not a
 * printable string (a control byte, a byte past 0x7e, data after the NUL)
 * is shown as a hex dump.  Stacks: one frame a line, indented. */
void fmt_trace(FILE *out, const struct fmt_val *v, bool quiet, const struct fmt_ctx *ctx);

/* DTrace's dt_print_bytes: bytes as a string when they are one (width as
 * in "%*s": -33 for trace(), -50 for aggregation keys), else a hex dump. */
/* DTrace's raw bytes: a header of column numbers, then 16 bytes a line in
 * hex and as characters (rawbytes, tracemem) */
void fmt_hexdump(FILE *out, const unsigned char *c, size_t n);

void fmt_print_bytes(FILE *out, const void *data, size_t n, int width, bool quiet);

/* A stack, as trace(stack()) and aggregation keys print it: a newline,
 * then each frame on its own line after indent spaces. */
void fmt_print_stack(FILE *out, const struct fmt_val *v, int indent, int width,
		     const struct fmt_ctx *ctx);

/* Writes fmt's message into err (when err and errlen are given) and
 * returns -1: the error convention of fmt.c and aggfmt.c. */
int fmt_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
