/* compile.h - the compile's state: what the checker (sema.c) and the
 * generator (cg/) read and build, apart from the run's.  The handle
 * (struct dtk, run/dtk_impl.h) embeds one and hands it to sema_program()
 * and codegen(); neither sees the handle.
 *
 * struct prog is the program being built: the checker adds the parsed
 * sources, their clauses, symbols and printf formats; the generator its
 * maps, BPF programs and actions (their types in cg/prog.h).
 */
#ifndef DTK_COMPILE_H
#define DTK_COMPILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "diag.h"
#include "options.h"
#include "probes.h"

struct arena;
struct program;
struct clause;
struct sym;
struct mapdef;
struct bprog;
struct action;
struct fmt_spec;
struct func;
struct kbtf;

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

/* An inline constant a tool sets (dtk_set_int, _str, _table). */
struct toolconst {
	char *name;
	bool isstr;
	int64_t ival;
	char *sval;
	int64_t *tab;
	int ntab;
};

struct compile {
	struct options opt;
	struct probetab *probes;
	const struct func *funcs;	/* D's functions (func.h, cg/funcs.c) */
	struct prog p;
	struct diag diag;		/* the first error, and the way out */
	struct toolconst *consts;	/* inline constants set by the tool */
	int nconsts;
	char **args;			/* macro args: $0, $1... */
	int nargs;
	pid_t target;			/* $target: the -c or -p process, or 0 */
	struct kbtf *kbtf;		/* opened when first needed (sema_kbtf) */
	int64_t walltime_off;		/* CLOCK_REALTIME - CLOCK_MONOTONIC */
};

/* The stages: check a parsed program into c->p (diag_fail on an error);
 * then, once every source is in, generate its BPF (cg/codegen.c). */
void sema_program(struct compile *d, struct program *pg, struct source *src,
		  int flags);
void codegen(struct compile *d);
/* The kernel's BTF, opened on first use. */
struct kbtf *sema_kbtf(struct compile *d);

#endif
