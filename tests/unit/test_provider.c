/* test_provider.c - the provider interface as the code generator sees it:
 * each provider's program type, and argN read where the architecture table
 * (common/sym/arch.c) says, for probes that cannot be attached here (fbt needs
 * kprobes, refused in the test sandbox) or whose registers cannot be set
 * (profile's interrupted pc).  The probes are added to a table by hand; the
 * programs are generated, never loaded.  Skips without kernel BTF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "check.h"
#include "arch.h"
#include "codegen.h"
#include "dtk_impl.h"
#include "kbtf.h"
#include "generate.h"
#include "probes_impl.h"
#include "prov/provider.h"

static struct kbtf *kb;

/* Does the program load r0 from the context (r1) at pt_regs' reg? */
static bool reads_reg(const struct bprog *b, const struct arch_reg *r)
{
	int off = kbtf_offsetof(kb, "pt_regs", r->field, NULL) + r->add;
	for (int i = 0; i + 1 < b->code.n; i++) {
		const struct bpf_insn *in = &b->code.insn[i];
		if (in->code == (BPF_LDX | BPF_MEM | BPF_DW) && in->src_reg == 1 &&
		    in->off == off)
			return true;
	}
	return false;
}

static void test_fbt(struct probetab *t)
{
	/* as available_filter_functions would list it */
	t->fbt_loaded = true;
	probetab_add(t, PROV_FBT, "fbt", "vmlinux", "dtk_test_fn", "entry");
	probetab_add(t, PROV_FBT, "fbt", "vmlinux", "dtk_test_fn", "return")
		->is_return = true;

	struct dtk *d = generate_with(t, kb, "fbt::dtk_test_fn:entry { trace(arg0); trace(arg2); trace(arg5); }");
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(d->comp.p.nbprogs == 1);
	const struct bprog *b = &d->comp.p.bprogs[0];
	CHECK(b->prog_type == BPF_PROG_TYPE_KPROBE);
	CHECK(b->prov == &prov_fbt);
	/* the function's arguments, not 0 */
	CHECK(reads_reg(b, &arch->func_arg[0]));
	CHECK(reads_reg(b, &arch->func_arg[2]));
	CHECK(reads_reg(b, &arch->func_arg[5]));
	CHECK(!reads_reg(b, &arch->func_arg[1]));
	dtk_close(d);

	d = generate_with(t, kb, "fbt::dtk_test_fn:return { trace(arg1); }");
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(reads_reg(&d->comp.p.bprogs[0], &arch->retval));
	dtk_close(d);
}

static void test_profile(struct probetab *t)
{
	struct dtk *d = generate_with(t, kb, "profile:::profile-97 { trace(arg0); }");
	CHECK(d != NULL);
	if (!d)
		return;
	const struct bprog *b = &d->comp.p.bprogs[0];
	CHECK(b->prog_type == BPF_PROG_TYPE_PERF_EVENT);
	CHECK(b->prov == &prov_profile);
	/* the interrupted pc, kept or not by the mode register's test */
	CHECK(reads_reg(b, &arch->pc));
	CHECK(reads_reg(b, &arch->mode));
	dtk_close(d);
	/* beyond arg1 there is nothing to read */
	d = generate_with(t, kb, "profile:::profile-97 { trace(arg2); }");
	CHECK(d != NULL);
	if (d) {
		CHECK(!reads_reg(&d->comp.p.bprogs[0], &arch->pc));
		dtk_close(d);
	}
}

/* A program's raw tracepoint and its first reads come from the provider of
 * its probes: proc's exec rides syscall's sys_enter with syscall's
 * prologue (the number in FP_SUB, which its records carry), whichever
 * provider's probe comes first. */
static void test_points(struct probetab *t)
{
	struct dtk *d = generate_with(t, kb, "proc:::exec { trace(1); }"
				      " syscall::read:entry { trace(2); }");
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(d->comp.p.nbprogs == 1);
	const struct bprog *b = &d->comp.p.bprogs[0];
	CHECK(b->prov == &prov_proc && b->point == PT_SYS_ENTER);
	CHECK(b->tp && !strcmp(b->tp, "sys_enter") && b->sub_syscall);
	dtk_close(d);

	d = generate_with(t, kb, "syscall::read:return { trace(arg0); }"
			  " proc:::exec-success { trace(3); }");
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(d->comp.p.nbprogs == 2);
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		b = &d->comp.p.bprogs[i];
		/* one call's return rides its own trace event where
		 * tracefs has it, else the raw tracepoint */
		if (b->prov == &prov_syscall)
			CHECK(b->sub_syscall && (b->nevents ?
			      b->nevents == 1 &&
			      b->prog_type == BPF_PROG_TYPE_TRACEPOINT &&
			      !strcmp(b->tp, "syscalls:sys_exit_read") :
			      !strcmp(b->tp, "sys_exit")));
		else
			CHECK(b->prov == &prov_proc &&
			      !strcmp(b->tp, "sched_process_exec") &&
			      !b->sub_syscall);
	}
	dtk_close(d);

	d = generate_with(t, kb, "profile:::profile-97 { trace(1); }");
	CHECK(d && !d->comp.p.bprogs[0].tp && !d->comp.p.bprogs[0].sub_syscall);
	dtk_close(d);

	/* providers naming a point name the same tracepoint */
	for (int pt = 0; pt <= PT_VTIME; pt++) {
		const char *tp = NULL;
		for (int k = 0; k < nproviders; k++) {
			const char *x = providers[k]->tp ? providers[k]->tp(pt) : NULL;
			if (x && tp)
				CHECK(!strcmp(x, tp));
			if (x)
				tp = x;
		}
	}
}

static void test_registry(struct probetab *t)
{
	/* every probe of the table has a provider that generates its argN */
	for (int i = 0; i < probetab_count(t); i++) {
		const struct probe *p = probetab_get(t, i);
		const struct provider *pv = provider_of(p);
		CHECK(pv && pv->kind == p->kind && pv->arg && pv->attach &&
		      pv->point);
		CHECK(!strcmp(pv->name, p->kind == PROV_PID ? "pid" : p->prov));
	}
}

int main(void)
{
	kb = kbtf_open();
	if (!kb) {
		printf("skip: no kernel BTF\n");
		return 0;
	}
	struct probetab *t = probetab_open_opts(false);
	CHECK(t != NULL);
	if (!t)
		return CHECK_DONE();
	test_fbt(t);
	test_profile(t);
	test_points(t);
	test_registry(t);
	probetab_close(t);
	kbtf_close(kb);
	return CHECK_DONE();
}
