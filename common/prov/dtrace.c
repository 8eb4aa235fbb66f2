/* dtrace.c - the dtrace provider: BEGIN, END and ERROR.  Their programs are
 * never attached: the consumer runs them (bpf_prog_test_run, load.c), ERROR
 * with DTrace's arguments in its context (arg1 the probe ID, arg2 the
 * action's index, arg4 the fault, arg5 the address). */
#include <string.h>
#include <linux/bpf.h>
#include "cg.h"
#include "codegen.h"
#include "probes_impl.h"
#include "prov/provider.h"

static int dtrace_point(const struct probe *p)
{
	return p->sub == DP_BEGIN ? PT_BEGIN : p->sub == DP_END ? PT_END : PT_ERROR;
}

static void dtrace_arg(struct cg *c, const struct probe *p, int i,
		       struct loc loc)
{
	(void)loc;
	if (p->sub != DP_ERROR || i >= 8) {
		emit_mov_imm(c->e, R0, 0);
		return;
	}
	emit_ldx(c->e, BPF_DW, R1, R10, FP_CTX);
	emit_ldx(c->e, BPF_DW, R0, R1, 8 * i);
}

static int dtrace_attach(struct bprog *b, char *err, size_t errlen)
{
	(void)b, (void)err, (void)errlen;
	return 0;
}

static void dtrace_probes(struct probetab *t, bool use_tracefs)
{
	static const char *names[] = { "BEGIN", "END", "ERROR" };

	(void)use_tracefs;
	for (int i = 0; i < 3; i++)
		probetab_add(t, PROV_DTRACE, "dtrace", "", "", names[i])->sub = i;
}

/* BEGIN and END have no arguments; ERROR's are arg0..arg5 only, whatever
 * its args[] says. */
static bool dtrace_args_exact(const struct probe *p)
{
	return strcmp(p->name, "ERROR") != 0;
}

const struct provider prov_dtrace = {
	.kind = PROV_DTRACE,
	.name = "dtrace",
	.point = dtrace_point,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.arg = dtrace_arg,
	.attach = dtrace_attach,
	.probes = dtrace_probes,
	.args_exact = dtrace_args_exact,
};
