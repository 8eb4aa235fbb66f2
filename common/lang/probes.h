/* probes.h - the probe tables of every provider, and matching against them.
 *
 * A probe is provider:module:function:name.  The syscall provider's table is
 * read from tracefs (events/syscalls/sys_enter_NAME/format, mounted on demand)
 * with the built-in per-architecture table as the fallback; dtrace, proc and
 * profile are static tables; profile-N/tick-N and pid<PID> probes are made on
 * demand when a description names them.
 */
#ifndef DTK_PROBES_H
#define DTK_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum prov_kind {
	PROV_DTRACE,	/* BEGIN, END, ERROR */
	PROV_SYSCALL,	/* syscall::NAME:entry|return */
	PROV_PROC,	/* proc:::exec-success ... */
	PROV_PROFILE,	/* profile:::profile-N, profile:::tick-N */
	PROV_PID,	/* pidNNN:mod:func:entry|return|offset */
	PROV_FBT,	/* fbt:module:function:entry|return (kprobes) */
};

enum dtrace_probe { DP_BEGIN, DP_END, DP_ERROR };

enum proc_probe {
	PP_EXEC, PP_EXEC_SUCCESS, PP_EXEC_FAILURE, PP_EXIT, PP_CREATE, PP_START,
	PP_LWP_CREATE, PP_LWP_START, PP_LWP_EXIT, PP_SIGNAL_SEND,
	PP_SIGNAL_HANDLE, PP_SIGNAL_CLEAR,
};

#define PROBE_MAXARGS 10

struct probe_arg {
	const char *type;	/* C type text as in the format file: "const char *" */
	const char *name;	/* "filename" */
	bool is_string;		/* a NUL-terminated user string (path, name) */
	bool is_user_ptr;	/* points into user memory */
};

struct probe {
	uint32_t id;		/* stable within one run, shown by dtrace -l */
	enum prov_kind kind;
	const struct provider *provider;	/* its operations: provider_of() */
	const char *prov, *mod, *func, *name;
	int sub;		/* syscall number, enum dtrace_probe/proc_probe */
	bool is_return;		/* syscall/pid/fbt return probe */
	uint64_t period_ns;	/* profile/tick */
	bool tick;		/* tick-N: one CPU */
	int pid;		/* pid provider */
	uint64_t uaddr;		/* pid provider: file offset of the probe point */
	const char *path;	/* pid provider: the ELF file */
	/* Syscall entry probes get theirs from tracefs on first use: read
	 * them through probetab_args(), never straight from a probe found
	 * otherwise (every syscall's format costs ~4 ms of start-up). */
	bool args_pending;
	int nargs;
	struct probe_arg args[PROBE_MAXARGS];
};

struct probetab;
struct provider;

/* The table of these providers (provs[k] makes the probes of kind k): the
 * probe table knows providers only through the operations it is given.
 * The table of every provider is the registry's (probetab_open,
 * prov/provider.h). */
struct probetab *probetab_new(const struct provider *const *provs, int nprovs,
			      bool use_tracefs);
void probetab_close(struct probetab *t);

/* p with its arguments (nargs, args[]) filled in: a syscall's are read
 * from its tracefs format the first time they are asked for, or taken
 * from the built-in table where tracefs has no such format. */
const struct probe *probetab_args(struct probetab *t, const struct probe *p);

/* Number of probes and the i-th one (listing order: dtrace, syscall, proc,
 * profile). */
int probetab_count(struct probetab *t);
const struct probe *probetab_get(struct probetab *t, int i);
const struct probe *probetab_by_id(struct probetab *t, uint32_t id);

/* Match a description.  Empty or NULL fields match anything; fields may use
 * the glob characters * ? [...] as in DTrace.  Probes that exist only on
 * demand (profile-97, tick-5s, pid1234::malloc:entry) are created here.
 * Calls fn for each match in id order and returns the number of matches, or
 * -1 with *err set to a message for descriptions that are malformed (a bad
 * profile rate, a pid that does not exist). */
typedef void (*probe_fn)(const struct probe *p, void *arg);
int probetab_match(struct probetab *t, const char *prov, const char *mod,
		   const char *func, const char *name, probe_fn fn, void *arg,
		   char *err, size_t errlen);

/* Glob match as DTrace does it (* ? [a-z] [!x]); exported for tests. */
bool probe_glob(const char *pat, const char *s);

/* Syscall name <-> number for this machine (from tracefs or the built-in
 * table); -1 / NULL if unknown. */
int syscall_nr(struct probetab *t, const char *name);
const char *syscall_name(struct probetab *t, int nr);
int syscall_max(struct probetab *t);	/* highest number + 1 */

/* A -c target held before its exec: its pid probes are made from the
 * command's file (exe, the absolute path it will exec) and the libraries
 * that file needs, not from the held process's current image. */
void probetab_held_target(struct probetab *t, int pid, const char *exe);

/* Whether tracefs was used (for messages and -lv). */
bool probetab_from_tracefs(struct probetab *t);
/* Syscall arguments asked for from now on: from tracefs (the default of
 * probetab_open, prov/provider.h) or from the built-in table. */
void probetab_use_tracefs(struct probetab *t, bool use);

#endif
