/* fbt.c - the fbt provider: kernel function entry and return through
 * kprobes, a program per probe.  Arguments as for the pid provider
 * (regs.c): the context is the kernel's struct pt_regs at the function. */
#include <linux/bpf.h>
#include <string.h>
#include "cg.h"
#include "codegen.h"
#include "prov/attach.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int fbt_point(const struct probe *p)
{
	(void)p;
	return PT_FBT;
}

static int fbt_attach(struct bprog *b, char *err, size_t errlen)
{
	const struct probe *p = b->probe;
	int r = attach_kprobe(b->fd, p->func, 0, p->is_return);
	if (r >= 0)
		return bprog_add_link(b, r) < 0 ? -1 : 0;
	snprintf(err, errlen, "failed to enable fbt:%s:%s:%s: kprobes "
		 "are not available on this kernel (%s)", p->mod, p->func,
		 p->name, strerror(-r));
	return -1;
}

/* The kernel's functions, read once a description names fbt. */
static int fbt_demand(struct probetab *t, const char *prov, const char *mod,
		      const char *func, const char *name, char *err,
		      size_t errlen)
{
	(void)mod, (void)func, (void)name, (void)err, (void)errlen;
	if (probe_names_provider(prov, "fbt"))
		fbt_load(t);
	return 0;
}

const struct provider prov_fbt = {
	.kind = PROV_FBT,
	.name = "fbt",
	.point = fbt_point,
	.per_probe = true,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.arg = regs_func_arg,
	.attach = fbt_attach,
	.demand = fbt_demand,
	.named_only = true,
};
