/* provider_ops.h - a provider: what the engine needs to know of one kind of
 * probe, behind one set of operations, one file each in common/prov/
 * (dtrace.c, syscall.c, proc.c, profile.c, pid.c, fbt.c) and one line in
 * the registry (prov/registry.c, prov/provider.h).  The operations are
 * defined here, in the language's group, because groups below prov/ call
 * them: the probe table (probes.c) and the checker here, the generator
 * (cg/); the table is handed the providers and knows them only through
 * these.  The loader (run/load.c) attaches through them.
 *
 *   point      the attachment point (enum point, codegen.h) of a probe:
 *              clauses on the same point share one BPF program, unless the
 *              provider is per_probe (a program per probe, or per set of pid
 *              probes with the same clauses)
 *   by_cookie  per_probe, but its probes with the same clauses share one
 *              program, which tells them apart by the attach cookie
 *   tp         the raw tracepoint of point (enum point), NULL if it is
 *              none: every provider whose probes ride a tracepoint names
 *              it (proc's exec names syscall's sys_enter)
 *   prologue   the code a program on b->point starts with, before the
 *              clauses (r1 is the context): what every clause's filter
 *              and the consumer read of the firing.  syscall's puts the
 *              syscall number in FP_SUB (b->sub_syscall, so the consumer
 *              finds a record's probe by it) and ends a firing that is no
 *              system call; a provider riding another's point has the
 *              same one there.  NULL for none
 *   per_event  when every clause on b's point names a few of the
 *              provider's probes (syscall::open:entry), b may ride those
 *              probes' own trace events instead of the point's raw
 *              tracepoint, which fires for all of them: it then sets
 *              b->events and b->prog_type (and its prologue and arguments
 *              read the trace event's record).  Called before b's code is
 *              generated; NULL when never
 *   prog_type  the program's BPF_PROG_TYPE_*
 *   arg        r0 = argN of a clause on probe p (the code generator asks
 *              only through this: nothing outside the providers reads a
 *              probe's arguments)
 *   filter     in a program shared with other probes (a point, or a set of
 *              them), jump to skip unless the probe that fired is one of
 *              the clause's; NULL when a program serves the clause only
 *   attach     connect a loaded program to its kernel events, keeping the
 *              fds in b->links (bprog_add_link); 0, or -1 with the reason
 *              in err (the handle's DTK_ERR_ATTACH)
 *
 * and on the probe table's side (probes.c asks each provider in turn):
 *
 *   probes     make its static probes when the table is built
 *   demand     make the probes a description names, if they exist only
 *              on demand (profile-N, pid1234::malloc:entry, fbt's list);
 *              0, or -1 with err for a malformed description
 *   mod_match  match the module field its own way (pid: "libc", "a.out")
 *   named_only its probes match only descriptions that name the provider
 *   args       fill in the arguments of a probe it made with args_pending,
 *              when they are first asked for (probetab_args)
 *   free       free its caches when the table goes
 * The tables themselves may stay in probes_*.c (pid's ELF reading, fbt's
 * function list, profile's rates).
 *
 * and on the checker's and the consumer's side:
 *
 *   syscall    the system call a probe stands for (its number), or -1: the
 *              loader's syscall filter, the consumer's probe of a record
 *              from a shared sys_enter/sys_exit program, dtrace -lv;
 *              NULL when none of its probes does
 *   args_exact args[i] past a probe's arguments is an error (syscall's, and
 *              BEGIN/END's); NULL when never
 *   same_args  a clause's probes of this provider have the same args[]
 *              types, so args[] is typed from the first of them even in a
 *              clause with several (proc)
 */
#ifndef DTK_PROVIDER_OPS_H
#define DTK_PROVIDER_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "probes.h"

struct cg;
struct bprog;
struct clause;

struct provider {
	enum prov_kind kind;
	const char *name;
	int (*point)(const struct probe *p);
	bool per_probe;
	bool by_cookie;
	const char *(*tp)(int point);
	void (*prologue)(struct cg *c, struct bprog *b);
	void (*per_event)(struct cg *c, struct bprog *b);
	int prog_type;
	void (*arg)(struct cg *c, const struct probe *p, int i, struct loc loc);
	void (*filter)(struct cg *c, struct clause *cl, int skip);
	int (*attach)(struct bprog *b, char *err, size_t errlen);

	void (*probes)(struct probetab *t, bool use_tracefs);
	int (*demand)(struct probetab *t, const char *prov, const char *mod,
		      const char *func, const char *name, char *err,
		      size_t errlen);
	bool (*mod_match)(struct probetab *t, const char *pat,
			  const struct probe *p);
	bool named_only;
	void (*args)(struct probetab *t, struct probe *p);
	void (*free)(struct probetab *t);

	int (*syscall)(const struct probe *p);
	bool (*args_exact)(const struct probe *p);
	bool same_args;
};

/* The provider of a probe. */
static inline const struct provider *provider_of(const struct probe *p)
{
	return p->provider;
}

/* The system call probe p stands for, or -1. */
static inline int probe_syscall(const struct probe *p)
{
	const struct provider *v = provider_of(p);
	return v->syscall ? v->syscall(p) : -1;
}

/* Is args[i] past p's arguments an error (rather than a plain value)? */
static inline bool probe_args_exact(const struct probe *p)
{
	const struct provider *v = provider_of(p);
	return v->args_exact && v->args_exact(p);
}

#endif
