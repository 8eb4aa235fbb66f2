/* provider.h - the providers, one file each in common/prov/ (dtrace.c,
 * syscall.c, proc.c, profile.c, pid.c, fbt.c) behind struct provider (its
 * operations: provider_ops.h), listed by the registry (registry.c); and
 * what their files share.  The group's header: what prov/ offers the
 * handle (run/), which lists, loads and attaches through it.
 */
#ifndef DTK_PROVIDER_H
#define DTK_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include "attach.h"
#include "provider_ops.h"

struct cg;
struct bprog;

/* Every provider, in listing order (dtrace -l). */
extern const struct provider *const providers[];
extern const int nproviders;

extern const struct provider prov_dtrace, prov_syscall, prov_proc,
	prov_profile, prov_pid, prov_fbt;

/* The probe table of every provider (registry.c): reads tracefs (mounting
 * it if needed and allowed), falls back to the built-in syscall table.
 * Never fails for lack of tracefs. */
struct probetab *probetab_open(void);
/* The same, choosing whether tracefs may be read (false: the built-in table
 * only, as on a machine without tracefs; for tests and -x notracefs). */
struct probetab *probetab_open_opts(bool use_tracefs);

/* Shared by the providers.  r0 = argN of a function probe (pid, fbt) from
 * the registers of its context (regs.c). */
void regs_func_arg(struct cg *c, const struct probe *p, int i, struct loc loc);
/* Attach b to its raw tracepoint b->tp (links.c). */
int attach_bprog_raw_tp(struct bprog *b, char *err, size_t errlen);
/* "failed to enable probe P: strerror(e)" into err; -1. */
int attach_failed(char *err, size_t errlen, const struct probe *p, int e);
/* Keep a link (or perf event) fd open for b; closes fd and fails with
 * ENOMEM. */
int bprog_add_link(struct bprog *b, int fd);
/* The same for an fd closed when b is unloaded (b->kept). */
int bprog_add_kept(struct bprog *b, int fd);

#endif
