/* profile.c - the profile provider: profile-N (every CPU) and tick-N (one
 * CPU), a program per probe on a perf CPU-clock event.  arg0 is the kernel
 * pc when the sample interrupted the kernel, arg1 the user pc when it
 * interrupted user code (the other is 0), read from the sample's registers
 * as the architecture table (arch.h) places them. */
#include <errno.h>
#include <string.h>
#include <linux/bpf.h>
#include "arch.h"
#include "cg.h"
#include "codegen.h"
#include "prov/attach.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int profile_point(const struct probe *p)
{
	(void)p;
	return PT_PROFILE;
}

static void profile_arg(struct cg *c, const struct probe *p, int i,
			struct loc loc)
{
	struct emit *e = c->e;
	(void)p;
	emit_mov_imm(e, R0, 0);
	if (i > 1)
		return;
	/* bpf_perf_event_data starts with the interrupted registers */
	int pc = kofs(c, "pt_regs", arch->pc.field, loc) + arch->pc.add;
	int mode = kofs(c, "pt_regs", arch->mode.field, loc) + arch->mode.add;
	emit_ldx(e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(e, BPF_DW, R0, R1, pc);
	emit_ldx(e, BPF_DW, R2, R1, mode);
	emit_alu64_imm(e, BPF_AND, R2, (int32_t)arch->mode_mask);
	int user = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, arch->user_if_zero ? BPF_JEQ : BPF_JNE, R2, 0, user);
	if (i == 1)
		emit_mov_imm(e, R0, 0);
	emit_ja(e, done);
	emit_place(e, user);
	if (i == 0)
		emit_mov_imm(e, R0, 0);
	emit_place(e, done);
}

static int profile_attach(struct bprog *b, char *err, size_t errlen)
{
	int fds[1024];
	int r = attach_perf_profile(b->fd, b->probe->period_ns, b->probe->tick,
				    fds, 1024);
	int n = r;
	for (int k = 0; k < n; k++)
		if (bprog_add_link(b, fds[k]) < 0)
			r = -ENOMEM;
	if (r >= 0)
		return 0;
	return attach_failed(err, errlen, b->probe, -r);
}

/* the listed profile probes, as DTrace lists them; others on demand */
static void profile_probes(struct probetab *t, bool use_tracefs)
{
	static const char *listed[] = {
		"profile-97", "profile-199", "profile-499", "profile-997",
		"profile-1999", "profile-4001", "profile-4999",
		"tick-1", "tick-10", "tick-100", "tick-500", "tick-1000",
		"tick-5000", "tick-1s", "tick-10s",
	};
	char err[128];

	(void)use_tracefs;
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
		profile_demand(t, "profile", "", "", listed[i], err, sizeof(err));
}

const struct provider prov_profile = {
	.kind = PROV_PROFILE,
	.name = "profile",
	.point = profile_point,
	.per_probe = true,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.arg = profile_arg,
	.attach = profile_attach,
	.probes = profile_probes,
	.demand = profile_demand,
};
