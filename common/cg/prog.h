/* prog.h - what the generator adds to the program being built (struct
 * prog, compile.h): its maps, its BPF programs (one an attachment point,
 * or a probe) and their actions, as the generator makes them and the
 * loader loads them. */
#ifndef DTK_PROG_H
#define DTK_PROG_H

#include <stdbool.h>
#include <stdint.h>
#include "compile.h"
#include "emit.h"
#include "probes.h"
#include "record.h"
#include "symtab.h"

struct provider;
enum map_role {
	MR_RINGBUF, MR_SCRATCH, MR_GLOBALS, MR_SELF, MR_ASSOC, MR_AGG,
	MR_DROPS, MR_SYSFILTER, MR_SYSNAMES, MR_STACK,
	MR_TABLE,	/* a tool's table (dtk_set_table) */
	MR_VTIME,	/* per-thread on-CPU time (codegen_vtime.c) */
	MR_USEEN,	/* address spaces whose mappings were sent (ustack.h) */
	MR_UTOP,	/* (tid, mm) -> how high its stacks' unwinding reads */
	MR_PNAMES,	/* probe id -> provider, module, function, name (64 each) */
	MR_STRTOK,	/* strtok( )'s string and place, per CPU */
	MR_AGGS,	/* aggregation maps of one shape, by slot (agg_group_maps) */
};

struct mapdef {
	enum map_role role;
	int type;			/* BPF_MAP_TYPE_* */
	int ksize, vsize, max;
	int fd;
	char name[16];
	struct sym *sym;
	int outer, slot;		/* in MR_AGGS map outer at slot (-1: not) */
};

struct bprog {
	const struct provider *prov;	/* of its probes: how it attaches */
	const char *tp;			/* raw tracepoint name; for one on
					   trace events, their names (for
					   messages and dumps) */
	int *events, nevents;		/* the tracefs ids of the trace events
					   it rides instead of its raw
					   tracepoint (provider's per_event),
					   as a BPF_PROG_TYPE_TRACEPOINT */
	const struct probe *probe;	/* representative probe */
	const struct probe **probes;	/* every probe it serves: one, or
					   pid probes with the same clauses, told
					   apart by the attach cookie (their id) */
	int nprobes;
	bool uprobe_multi;		/* attached by one link a file (load.c) */
	int prog_type;
	int point;			/* enum point: which attachment point */
	bool sub_syscall;		/* its prologue (provider.h) put the
					   syscall number in FP_SUB: its
					   records' sub is that number */
	struct emit code;
	int fd;
	int *links, nlinks;
	int *kept, nkept;		/* perf events its links hold, closed
					   when it is unloaded, not detached:
					   their release is slow (attach.h) */
	int sysfilter_map;		/* -1 if no syscall filter */
	int first_clause;		/* index in prog->clauses it starts at
					   (a long point is cut: gen_program) */
	int nclauses;			/* clauses compiled into it */
	int *clause_insn, *clause_line;	/* where each clause's code starts,
					   and its D line: verifier errors */
	int scratch_map;
	int scratch_size;
};

#endif
