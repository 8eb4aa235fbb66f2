/* cg.h - the code generator's internals, shared by its files: its state
 * (struct cg), the frame's slots, and what each file offers the others.
 *
 * And the group's header: what common/cg/ offers the groups above it, the
 * providers (which generate their probes' argument reads and filters with
 * struct cg and idioms.h) and the handle (run/), which loads the program
 * (prog.h, its maps' and callbacks' BTF: mapbtf.h, progbtf.h) and reads
 * its records (record.h, codegen.h).  A file above includes this or the
 * headers it includes; the others of cg/ are its own (tests/includes.sh).
 */
#ifndef DTK_CG_H
#define DTK_CG_H

#include "codegen.h"
#include "compile.h"
#include "func.h"
#include "mapbtf.h"
#include "prog.h"
#include "progbtf.h"

/* The frame, top down.  The slots every program may use come first and
 * the spill slots, used only as deep as an expression needs, last: the
 * verifier copies and compares a state's stack as deep as the deepest
 * slot the program touches (its "stack depth"), at every branch and
 * every pruning point, so a frame of 8 slots verifies several times
 * faster than one of 64 (dtruss's return program: 9,000 instructions
 * walked, each state 64 slots deep when FP_TASK was at the bottom). */
#define FP_CTX	(-8)
#define FP_SUB	(-16)
#define FP_K1	(-24)
#define FP_K2	(-32)
/* current and its saved user registers, each got once per program run
 * (0 = not yet): cur_task( ), task_regs( ) */
#define FP_TASK	(-40)
#define FP_REGS	(-48)
/* The packed self-> map's entry for this thread, looked up once per
 * program run (when scratch's SCRATCH_SELFST says so; 0: none). */
#define FP_SELF	(-56)
/* timestamp, read once per program run as DTrace reads it once per probe
 * firing (0 = not yet) */
#define FP_TS	(-72)
/* The bpf_loop context of the string subroutines (codegen_str.c): the
 * string, an argument, a length, the result; and the stack walk's
 * iterator (codegen_stack.c), 8 bytes below it. */
#define FP_SEARCH (-104)
#define FP_ITER	(-112)
/* The value stack's spill slots, downwards from here (vget, vset) */
#define FP_SPILL (-120)
#define NVREGS	3		/* r6, r7, r8 */
#define MAXSPILL 50
/* What the code generator knows of FP_SELF and FP_TS where it emits code (the
 * emitter's facts, emit.h): FACT_x_SET the value is there, FACT_x_ZERO it
 * is not yet (the prologue zeroed the slot).  Code for the other case is
 * not emitted: the verifier would find it dead and remove it, one range at
 * a time, each time over the whole program. */
#define FACT_SELF_SET	0x1u
#define FACT_SELF_ZERO	0x2u
#define FACT_TS_SET	0x4u
#define FACT_TS_ZERO	0x8u
/* A short copyin( ) reads into this many bytes of the frame first, just
 * below the spill slots in use (free_frame, uread) */
#define UBUF_SIZE 64
/* A program is cut after the clause that takes it past this many
 * instructions (gen_program); the tools' own programs stay below it. */
#define PROG_SPLIT_INSNS 8192

struct cg {
	struct compile *d;
	struct prog *p;
	struct bprog *b;
	struct emit *e;
	struct clause *cl;
	int point;
	int depth;			/* value stack depth */
	int soff;			/* scratch bump pointer (temps) */
	int skeep;			/* scratch below this outlives the
					 * statement: copyin( ) buffers live
					 * as long as the clause */
	int sbase;			/* first temp after this-> vars */
	int smax;
	int clause_end;			/* label: abandon the clause */
	int ring_map, drops_map, globals_map, sysnames_map;
	int self_map, self_size;	/* scalar self-> variables, packed */
	int vtime_map;			/* per-thread on-CPU time, -1 if unused */
	int pnames_map;			/* probe names by id (multi-probe programs) */
	int action_base;
	int nactions_in_clause;
	int prog_end;			/* label: the program's return */
	int exit_flag;			/* globals offset of the flag a
					 * conditional exit() sets, -1: none */
	struct subprogs *sp;		/* of the program being generated */
	bool task_cached, regs_cached;	/* FP_TASK, FP_REGS are used */
	bool caches_filled;		/* ... and the prologue filled both */
	bool pid_cached;		/* SCRATCH_PIDTGID is used */
	int pid_init_at;		/* the instruction that zeroes it */
};

#include "idioms.h"

/* the bytes of a string (-x strsize) */
static inline int strsize(const struct cg *c) { return c->d->opt.strsize; }

#define FAIL(c, loc, ...) diag_fail(&(c)->d->diag, (loc), D_UNKNOWN, __VA_ARGS__)

/* The string subroutines that need loops are BPF subprograms. */
enum subprog { SP_STRCMP, SP_STRLEN, SP_LASTCH, SP_RSTRIP, SP_FINDCH,
	       SP_CASE, SP_STRSTR, SP_MEMEQ, SP_STRTOLL, SP_TOKSET, SP_TOKSCAN,
	       SP_SPACES, SP_NSUBPROGS };

struct subprogs {
	int label[SP_NSUBPROGS];
	bool used[SP_NSUBPROGS];
};

/* The files of the generator, each calling only those listed before it
 * (tests/layers.sh): the state, the idioms (idioms.h), the leaves
 * (built-in variables, processes, stacks, stores, strings' building
 * blocks, vtimestamp, syscall arguments), the walker (codegen_expr.c),
 * then the D functions' generators (fn_*.c, reached through their entries
 * in funcs.c), aggregations, and codegen.c's statements and programs. */

/* cgstate.c: scratch buffer and value stack */
int salloc(struct cg *c, int size, struct loc loc);
int vpush(struct cg *c, struct loc loc);
int free_frame(struct cg *c, int n);
void vpop(struct cg *c);
void vget(struct cg *c, int v, int reg);
void vset(struct cg *c, int v, int reg);
void vpop_into(struct cg *c, int v, int reg);	/* vget, then vpop */
/* maps: map_add returns the map's index; sym_keysize sets y->keysize */
int sym_keysize(struct sym *y);
int map_add(struct cg *c, enum map_role role, int type, int ksize, int vsize,
	    int max, const char *name);
/* actions and the values of their records */
struct action *new_action(struct cg *c, enum action_kind k, struct loc loc);
void add_val(struct cg *c, struct action *a, enum recval_kind k, int off,
	     int size, bool sign);
/* a call of a subprogram, kernel struct offsets, string literals */
void call_subprog(struct cg *c, enum subprog sp);
int kofs(struct cg *c, const char *sname, const char *path, struct loc loc);
void store_literal(struct cg *c, int off, const char *s, size_t len);
/* attachment points */
int probe_point(const struct probe *p);	/* enum point of a probe */

/* A clause whose predicate is constantly false (a tool's flag off) never
 * fires: no code, no program, no event for it. */
static inline bool clause_never_fires(const struct clause *cl)
{
	return cl->pred && cl->pred->isconst && cl->pred->cval == 0;
}

/* idioms.c, beyond idioms.h: the record header (action id, sub) at scratch
 * offset rec; a fault reported (like DTrace's ERROR) that abandons the
 * clause; cap bytes of a string copied from scratch src to dst */
void rec_header(struct cg *c, int rec, struct action *a);
void fault(struct cg *c, struct loc loc, int addr_reg, int kind);
void str_copy(struct cg *c, int dst, int src, int cap);

/* codegen_builtin.c: r0 = a built-in variable, argN, timestamp; a probe's
 * names (probefunc & co.) into scratch at dst */
void gen_builtin(struct cg *c, struct node *n);
bool builtin_normal(const struct node *n);	/* r0 needs no normalize_reg */
void gen_arg(struct cg *c, int i, struct loc loc);
void gen_timestamp(struct cg *c);
void probe_string(struct cg *c, struct node *n, int dst);

/* codegen_sysarg.c */
void sys_arg(struct cg *c, int i, struct loc loc);	/* r0 = syscall argument */
void sys_ret(struct cg *c);	/* r0 = its raw return value, at sys_exit */
/* Offsets in the record of a syscall's own trace event (tracefs
 * events/syscalls/sys_{enter,exit}_NAME/format): after the 8 bytes of
 * common fields, int __syscall_nr, then the arguments or long ret. */
#define TP_SYS_NR	8
#define TP_SYS_RET	16

/* codegen_proc.c: r0 = an int member of psinfo_t of the task in r0; a
 * string member into scratch at dst; cwd */
void tp_arg(struct cg *c, int i);		/* r0 = raw tracepoint arg i */
void proc_arg(struct cg *c, const struct probe *p, int i, struct loc loc);
void proc_filter(struct cg *c, struct clause *cl, int skip);
void gen_psinfo(struct cg *c, struct node *n);
void gen_psinfo_str(struct cg *c, struct node *n, int dst, int cap);
void emit_proc_subprogs(struct cg *c);	/* pr_psargs' bpf_loop callback */
void gen_cwd(struct cg *c, struct node *n, int dst, int cap);

/* codegen_vtime.c */
void gen_vtimestamp(struct cg *c, struct loc loc);	/* r0 = vtimestamp */
void gen_vtime_program(struct cg *c);	/* the sched_switch program, if used */

/* codegen_stack.c: r0 = word i of the thread's user registers (the rest
 * in codegen_stack.h) */
void gen_uregs(struct cg *c, int i);

/* codegen_store.c: the store n (p[i] = v, *p = v) of value v at address
 * a (value stack slots); r1 = &a[i] of a declared array (int a[5]), i in
 * r1, a fault when it is out of bounds */
int mem_store(struct cg *c, struct node *n, int a, int v);
void array_elem_at(struct cg *c, struct node *n);

/* codegen_str.c: the building blocks of the string subroutines.
 * r0 = <0, 0, >0: strcmp of the strings at r1 and r2, lim bytes at most */
void str_compare(struct cg *c, int lim);
void clamp(struct cg *c, int reg, int max);	/* reg within [0, max] */
int sp_label(struct cg *c, enum subprog sp);	/* marks sp used */
void loop_call(struct cg *c, enum subprog sp);	/* bpf_loop(r1, sp, ctx) */
void copy_n(struct cg *c, int dst, int r_src, int r_len);
void strlen_at(struct cg *c, int off);		/* r0 = strlen at off */
void find_char(struct cg *c, int off, int r_ch, int r_end, bool last);
void rstrip(struct cg *c, int off, int r_end);
void emit_str_subprogs(struct cg *c);
/* the bpf_loop context words at FP_SEARCH */
#define CTX_S		0
#define CTX_ARG		8
#define CTX_LEN		16
#define CTX_RES		24

/* fn_strtok.c: its loops */
void emit_strtok_subprogs(struct cg *c);

/* codegen_expr.c: the walker.  gen pushes an integer; gen_str leaves a
 * string in scratch (at dst if dst >= 0) and returns its offset */
int gen(struct cg *c, struct node *n);
int gen_str(struct cg *c, struct node *n, int dst);
int gen_addr(struct cg *c, struct node *n);	/* p->m, s.m, *p, p[i]: where */
/* a string key into its slot of a map key (type t, sized by sema) */
void gen_key_str(struct cg *c, struct node *n, const struct type *t, int dst);
/* a map key of keys[] in scratch: its offset */
int gen_key(struct cg *c, struct node **keys, int nkeys, struct type **kt,
	    int keysize, struct loc loc);
/* an integer, pointer or func()/ufunc() key at scratch offset at (ufunc()
 * & co. take 16 bytes: the pid, then the address) */
void gen_key_scalar(struct cg *c, struct node *key, struct type *t, int at);
/* conditions as jumps: cond_jump jumps to label when n is true (when) or
 * false (!when) and falls through otherwise; is_cond says n is ! && || or
 * a comparison, which gen_cond_value pushes as 0/1 */
void cond_jump(struct cg *c, struct node *n, bool when, int label);
bool is_cond(const struct node *n);
int gen_cond_value(struct cg *c, struct node *n);
/* a self-> variable kept in the thread's packed value (codegen( ) lays
 * them out) */
bool self_packed(const struct sym *y);
int str_cap(const struct type *t);	/* a string type's bytes */

/* codegen_agg.c */
void gen_agg(struct cg *c, struct node *n);	/* @a[keys] = f(x) */
void agg_group_maps(struct cg *c);	/* past 64 maps: arrays of maps */

#endif
