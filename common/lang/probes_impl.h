/* probes_impl.h - the probe table's insides, shared by probes*.c only. */
#ifndef DTK_PROBES_IMPL_H
#define DTK_PROBES_IMPL_H

#include <stddef.h>
#include "ast.h"
#include "probes.h"

struct elfsyms;			/* probes_pid.c: one ELF file's functions */

struct pidexe {			/* a traced process's main executable */
	struct pidexe *next;
	int pid;
	const char *exe;
	bool held;		/* -c: forked, not yet exec'd (probetab_held_target) */
};

struct sysname {
	const char *name;
	int nr;
	int idx;	/* in systab */
};

struct probetab {
	const struct provider *const *provs;	/* by enum prov_kind */
	int nprovs;
	struct arena *arena;	/* every probe and string of the table */
	struct probe **v;	/* by id - 1; probes never move */
	int n, cap;
	struct probe **hash;	/* "prov:mod:func:name" -> probe */
	unsigned hcap, hcount;

	bool from_tracefs;
	bool use_tracefs;	/* syscall arguments: read formats lazily */
	int sysdir;		/* events/syscalls: -1 unopened, -2 none */
	const char **sysname_by_nr;	/* [syscall_max] */
	int sysmax;
	struct sysname *sys_by_name;	/* sorted by name */
	int nsys;

	bool fbt_loaded;
	struct elfsyms *elfs;		/* cache of ELF symbol tables, by path */
	struct pidexe *pidexes;
};

/* Add a probe (strings copied into the table); its id is the next one. */
struct probe *probetab_add(struct probetab *t, enum prov_kind kind,
			   const char *prov, const char *mod, const char *func,
			   const char *name);
/* The probe with exactly these fields, or NULL. */
struct probe *probetab_find(struct probetab *t, const char *prov,
			    const char *mod, const char *func, const char *name);

/* One of a probe's arguments, as dtrace -lv shows it. */
void probe_set_arg(struct probe *p, const char *type, const char *name);
/* A system call of the table by name, or NULL. */
const struct sysname *probetab_sysname(struct probetab *t, const char *name);
/* The syscall provider's probes (probes_syscall.c), and an entry probe's
 * arguments when first asked for: from tracefs when use_tracefs and it is
 * readable, else the built-in table. */
void syscall_probes(struct probetab *t, bool use_tracefs);
void syscall_args(struct probetab *t, struct probe *p);
/* The tracefs id of syscall probe p's own trace event
 * (syscalls:sys_enter_NAME, sys_exit_NAME), or -1 where there is none; its
 * name into name. */
int syscall_event_id(struct probetab *t, const struct probe *p, char *name,
		     size_t len);
bool probe_names_provider(const char *prov, const char *name);

/* An empty pattern matches anything. */
bool probe_field_match(const char *pat, const char *s);
bool probe_has_glob(const char *s);

/* On-demand providers: make the probes a description names, if any.
 * 0 on success (also when the description is not theirs), -1 with err. */
int profile_demand(struct probetab *t, const char *prov, const char *mod,
		   const char *func, const char *name, char *err, size_t errlen);
int pid_demand(struct probetab *t, const char *prov, const char *mod,
	       const char *func, const char *name, char *err, size_t errlen);
void pid_cache_free(struct probetab *t);
/* pid probes answer to their module's basename, its name without the .so
 * version ("libc"), its path, and "a.out" for the main executable. */
bool pid_module_matches(struct probetab *t, const char *pat,
			const struct probe *p);
/* fbt: read available_filter_functions once, when a description asks. */
void fbt_load(struct probetab *t);

#endif
