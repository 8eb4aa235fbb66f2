/* provider.h - a provider: what the engine needs to know of one kind of
 * probe, behind one set of operations, one file each in common/prov/
 * (dtrace.c, syscall.c, proc.c, profile.c, pid.c, fbt.c) and one line in
 * the registry (registry.c).
 *
 *   point      the attachment point (enum point, codegen.h) of a probe:
 *              clauses on the same point share one BPF program, unless the
 *              provider is per_probe (a program per probe, or per set of pid
 *              probes with the same clauses)
 *   prog_type  the program's BPF_PROG_TYPE_*
 *   arg        r0 = argN of a clause on probe p (the code generator asks
 *              only through this: nothing outside the providers reads a
 *              probe's arguments)
 *   attach     connect a loaded program to its kernel events, keeping the
 *              fds in b->links (bprog_add_link); 0, or -1 with the error set
 *
 * The probe table's side (its static probes, on-demand probes) is still in
 * probes*.c; see README's Layout.
 */
#ifndef DTK_PROVIDER_H
#define DTK_PROVIDER_H

#include <stdbool.h>
#include "ast.h"
#include "probes.h"

struct cg;
struct dtk;
struct bprog;

struct provider {
	enum prov_kind kind;
	const char *name;
	int (*point)(const struct probe *p);
	bool per_probe;
	int prog_type;
	void (*arg)(struct cg *c, const struct probe *p, int i, struct loc loc);
	int (*attach)(struct dtk *d, struct bprog *b);
};

extern const struct provider prov_dtrace, prov_syscall, prov_proc,
	prov_profile, prov_pid, prov_fbt;

/* The provider of a probe. */
const struct provider *provider_of(const struct probe *p);

/* Shared by the providers.  r0 = argN of a function probe (pid, fbt) from
 * the registers of its context (regs.c). */
void regs_func_arg(struct cg *c, const struct probe *p, int i, struct loc loc);
/* Attach b to its raw tracepoint b->tp (load.c). */
int attach_bprog_raw_tp(struct dtk *d, struct bprog *b);
/* Keep a link (or perf event) fd open for b; closes fd and fails with
 * ENOMEM. */
int bprog_add_link(struct bprog *b, int fd);

#endif
