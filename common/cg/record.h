/* record.h - the record wire format between the generator and the
 * consumer: each action a program can take sends a record of a fixed layout
 * (struct action: its values' kinds, offsets and sizes) after a header
 * naming the action and the CPU.  codegen.c writes them, consume.c and
 * record.c read them. */
#ifndef DTK_RECORD_H
#define DTK_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "ast.h"

struct sym;
/* A value carried by a record: how the consumer decodes it. */
enum recval_kind {
	RV_INT,		/* size/sign */
	RV_STR,		/* NUL-terminated, size bytes max */
	RV_PROBEFUNC, RV_PROBENAME, RV_PROBEMOD, RV_PROBEPROV, /* u32 sub */
	RV_STACK, RV_USTACK, RV_SYM, RV_USYM,
	RV_BUF,		/* raw bytes (tracemem) */
};

struct recval {
	enum recval_kind kind;
	int off, size;
	bool sign;
};

enum action_kind {
	ACT_PROBE,	/* a clause fired (non-quiet header line) */
	ACT_PRINTF, ACT_TRACE, ACT_PRINTA, ACT_EXIT, ACT_CLEAR, ACT_TRUNC,
	ACT_NORMALIZE, ACT_DENORMALIZE, ACT_STACK, ACT_USTACK, ACT_SYSTEM,
	ACT_ERROR,	/* a fault in a probe */
	ACT_SETOPT, ACT_TRACEMEM,
	ACT_PRINT,	/* print(p): the address, then the object (print_type.c) */
	ACT_USTACK_AGG,	/* an event of @[ustack()]: unwound and aggregated in user space */
	ACT_USTACK_MAPS, /* a mapping of a process, for its stacks (ustack.h) */
};

struct fmt_spec;

struct action {
	enum action_kind kind;
	int clause;			/* index into prog->clauses */
	int prog;			/* bprog index */
	int recsize;			/* bytes, header included */
	struct recval *vals;
	int nvals;
	const struct fmt_spec *fmt;		/* printf/printa/system */
	const char *fmtstr;
	struct sym *agg;		/* printa/clear/trunc/normalize */
	struct sym **aggs;		/* printa of several aggregations */
	int naggs;
	struct loc loc;
	int errkind;			/* ACT_ERROR: enum fault */
	int pc;				/* ACT_ERROR: its instruction in the
					 * program (the report's first) */
	const struct type *ptype;	/* ACT_PRINT: what the pointer points to */
};

/* Every record starts with this header. */
struct rechdr {
	uint32_t action;		/* action id | the CPU << 24 */
	uint32_t sub;			/* syscall number / probe-specific */
};
#define REC_ACTION(h)	((h)->action & 0xffffff)
#define REC_CPU(h)	((int)((h)->action >> 24))

#endif
