/* dtk_impl.h - the engine's internal state: options, symbols, the compiled
 * program (maps, BPF programs, record layouts) and the run-time handle.
 * Only common/ includes this; tools use dtk.h.
 */
#ifndef DTK_IMPL_H
#define DTK_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include "ast.h"
#include "diag.h"
#include "dtk.h"
#include "emit.h"
#include "flow.h"
#include "probes.h"
#include "types.h"

/* ---- options (-x, #pragma D option) ---- */
struct options {
	bool quiet, destructive, zdefs, flowindent, rawbytes;
	int strsize;			/* bytes incl. NUL */
	uint64_t bufsize;		/* ring buffer bytes (power of two) */
	uint64_t dynvarsize;		/* bytes for self-> and assoc arrays */
	uint64_t aggsize;		/* bytes for each aggregation */
	uint64_t switchrate_ns;		/* how often the consumer wakes */
	uint64_t aggrate_ns;
	bool aggsortkey, aggsortrev;
	int aggsortpos;
	bool aggsortkeypos;
	int stackframes, ustackframes;
	int ustacksize;			/* bytes of user stack copied */
	int stackindent;
	bool verbose;
	bool emptyonfault;		/* copyinstr() of a bad address: "" */
	bool bufsize_set;		/* bufsize given: not raised for ustack() */
	bool json;			/* oformat=json: JSON Lines (json_out.c) */
	bool errtags;			/* compile errors show their [D_TAG] */
	bool defaultargs;		/* $N past the arguments: 0 or "" */
	bool empty;			/* a program without clauses is fine */
	bool argref;			/* macro arguments may go unused */
	bool pspec;			/* (read by the lexer from the pragma) */
};

/* ---- symbols ---- */
enum sym_kind {
	S_BUILTIN,	/* pid, execname, ... (id: enum builtin) */
	S_GLOBAL,	/* global scalar or string (off in the globals map) */
	S_ASSOC,	/* global associative array (map) */
	S_SELF,		/* self-> variable (map keyed by tid) */
	S_THIS,		/* this-> variable (scratch slot per clause) */
	S_AGG,		/* @aggregation (map) */
	S_INLINE,	/* inline constant or tool-set constant (inl) */
	S_TABLE,	/* a tool-set table of integers (table, ntable) */
	S_TYPEDEF,	/* a type the program named with typedef (type) */
};

struct sym {
	enum sym_kind kind;
	const char *name;
	struct type *type;
	struct type **keys;		/* assoc arrays and aggregations */
	int nkeys;
	int keysize;			/* bytes of the map key */
	const struct func *fn;		/* S_AGG: its aggregating function */
	int off;			/* S_GLOBAL: offset; S_THIS: scratch offset */
	int map;			/* index into prog->maps, -1 if none */
	struct node *inl;		/* S_INLINE value */
	struct loc loc;
	bool declared;
	/* aggregations */
	int aggfn;			/* enum agg_fn */
	int64_t aggarg[4];		/* lquantize lo,hi,step; llquantize b,lo,hi,steps */
	int vsize;			/* aggregation value bytes */
	bool printed;			/* printa'd somewhere: not printed at exit */
	uint64_t normal;		/* normalize() factor, 0 for none */
	const int64_t *table;		/* S_TABLE */
	int ntable;
	struct sym *next;
};

/* ---- compiled program ---- */
struct provider;
enum map_role {
	MR_RINGBUF, MR_SCRATCH, MR_GLOBALS, MR_SELF, MR_ASSOC, MR_AGG,
	MR_DROPS, MR_SYSFILTER, MR_SYSNAMES, MR_STACK,
	MR_TABLE,	/* a tool's table (dtk_set_table) */
	MR_VTIME,	/* per-thread on-CPU time (codegen_vtime.c) */
	MR_USEEN,	/* address spaces whose mappings were sent (ustack.h) */
	MR_PNAMES,	/* probe id -> provider, module, function, name (64 each) */
	MR_STRTOK,	/* strtok( )'s string and place, per CPU */
};

struct mapdef {
	enum map_role role;
	int type;			/* BPF_MAP_TYPE_* */
	int ksize, vsize, max;
	int fd;
	char name[16];
	struct sym *sym;
};

struct bprog {
	const struct provider *prov;	/* of its probes: how it attaches */
	const char *tp;			/* raw tracepoint name */
	const struct probe *probe;	/* representative probe */
	const struct probe **probes;	/* every probe it serves: one, or
					   pid probes with the same clauses, told
					   apart by the attach cookie (their id) */
	int nprobes;
	bool uprobe_multi;		/* attached by one link a file (load.c) */
	int prog_type;
	int point;			/* enum point: which attachment point */
	struct emit code;
	int fd;
	int *links, nlinks;
	int sysfilter_map;		/* -1 if no syscall filter */
	int first_clause;		/* index in prog->clauses it starts at
					   (a long point is cut: gen_program) */
	int nclauses;			/* clauses compiled into it */
	int *clause_insn, *clause_line;	/* where each clause's code starts,
					   and its D line: verifier errors */
	int scratch_map;
	int scratch_size;
};

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
};

/* Every record starts with this header. */
struct rechdr {
	uint32_t action;		/* action id | the CPU << 24 */
	uint32_t sub;			/* syscall number / probe-specific */
};
#define REC_ACTION(h)	((h)->action & 0xffffff)
#define REC_CPU(h)	((int)((h)->action >> 24))

/* One compiled source (-n or -s) */
struct source {
	char *name;
	char *desc;
	int nprobes;
	bool is_spec;			/* a -n probe specifier: no lines */
};

struct prog {
	struct arena *arena;
	struct program **progs;		/* parsed sources */
	int nprogs;
	struct clause **clauses;	/* all clauses in order */
	int nclauses;
	struct sym *syms;		/* all symbols */
	struct mapdef *maps;
	int nmaps;
	struct bprog *bprogs;
	int nbprogs;
	struct action *actions;
	int nactions;
	int globals_size;
	struct source *sources;
	int nsources;
	uint32_t *enabled;		/* probe ids enabled, sorted unique */
	int nenabled;
	bool has_end, has_begin;
	bool uses_sysnames;
	struct fmt_spec **specs;	/* parsed printf formats, to free */
	int nspecs;
};

struct dtk {
	struct options opt;
	struct probetab *probes;
	const struct func *funcs;	/* D's functions (func.h) */
	struct prog p;
	struct diag diag;
	bool compiling_spec;		/* diag is about a -n specifier */
	enum dtk_errkind errkind;
	char errmsg[1024];
	char *errdetail;
	/* inline constants set by the tool */
	struct toolconst { char *name; bool isstr; int64_t ival; char *sval;
			  int64_t *tab; int ntab; } *consts;
	int nconsts;
	char **args;			/* macro args */
	int nargs;
	/* target process */
	pid_t target;
	bool target_created;
	int target_release_fd;
	int target_pidfd;
	int target_status;
	int target_signal;		/* the signal that killed it, or 0 */
	bool target_exited;
	/* run time */
	FILE *out;
	bool loaded, began, finished;
	bool cg_failed;		/* codegen() failed once: dtk_errmsg says why */
	bool blank_at_stop;		/* dtk_set_blank_at_stop */
	volatile sig_atomic_t stopping;
	int out_errno;			/* the first failed write to out */
	struct ring_buffer *rb;
	struct consumer *cons;		/* consume.c's state, while loaded */
	int exit_status;
	bool exit_requested;
	struct kbtf *kbtf;
	int64_t walltime_off;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t *lastdrops;		/* per cpu, as reported */
	int ncpus;
	dtk_record_cb work_cb;		/* dtk_work's callback, for dtk_finish */
	void *work_arg;
	bool header_printed;		/* the CPU ID FUNCTION:NAME line */
	struct flow_state flow;		/* -F: indentation per CPU */
	struct linebuf *lines;		/* per-CPU output assembly (lines.c) */
	struct ustack_ctx *ustk;
	struct syms *syms;		/* stacks and %A: mappings, ELF and kernel symbols */
	struct json_out *jout;		/* oformat=json: firings being assembled */
	/* dtk_open_shared: tables owned by the caller, left open by dtk_close */
	bool borrowed_probes;
	struct kbtf *borrowed_kbtf;
};

/* A handle that borrows a probe table and the kernel BTF (kb may be NULL:
 * then opened on demand and owned) instead of reading tracefs and BTF
 * again.  For the fuzzer, which compiles thousands of inputs a second; the
 * table still grows with on-demand probes (profile-N, pid) the handles name. */
struct dtk *dtk_open_shared(struct probetab *t, struct kbtf *kb, int *errp);

/* compile stages */
void sema_program(struct dtk *d, struct program *pg, struct source *src, int flags);
void sema_finish(struct dtk *d);
void codegen(struct dtk *d);

/* loader (load.c) */
int load_program(struct dtk *d);
void unload_program(struct dtk *d);
int run_test_prog(struct dtk *d, int point);
int run_test_prog_args(struct dtk *d, int which, uint64_t args[8]);
int attach_programs(struct dtk *d);
void detach_programs(struct dtk *d);

/* consumer (consume.c) */
int consume_open(struct dtk *d);
int consume_poll(struct dtk *d, int timeout_ms, dtk_record_cb cb, void *arg);
void consume_close(struct dtk *d);	/* the ring buffer and the state */
int consume_aggs_final(struct dtk *d);
int print_drops(struct dtk *d);

/* errors */
void dtk_seterr(struct dtk *d, enum dtk_errkind k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Has dtk_stop been called (a signal during load)?  Then the error is
 * DTK_ERR_INTR "interrupted": the loader checks between programs and
 * attachments, so that Ctrl-C is honoured at once. */
bool dtk_cancelled(struct dtk *d);

/* options */
int options_set(struct options *o, const char *name, const char *value,
		char *err, size_t errlen);
void options_default(struct options *o);

#endif
