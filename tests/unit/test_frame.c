/* test_frame.c - the stack frame of generated programs (cg.h's layout).
 * The verifier copies and compares each state's stack as deep as the
 * deepest slot a program touches, at every branch and pruning point, so
 * the slots every program uses sit at the top of the frame and the spill
 * slots below them are touched only by expressions that need them; and a
 * map key is written to the frame as a whole 8-byte word, so that states
 * that differ only in an old key still compare equal.  Programs are
 * generated from the built-in syscall table, never loaded; skips without
 * kernel BTF. */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "check.h"
#include "cg.h"
#include "codegen.h"
#include "dtk_impl.h"
#include "kbtf.h"
#include "generate.h"
#include "probes_impl.h"
#include "prov/provider.h"

static struct kbtf *kb;
static struct probetab *tab;

/* The deepest frame offset a program reads, writes or points at
 * (r10 + off loads and stores, and rN = r10; rN += off), and how many
 * stores into the frame are narrower than 8 bytes. */
static void frame_use(const struct bprog *b, int *deepest, int *narrow)
{
	*deepest = 0;
	*narrow = 0;
	for (int i = 0; i < b->code.n; i++) {
		const struct bpf_insn *in = &b->code.insn[i];
		int cls = BPF_CLASS(in->code), off = 0;
		if ((cls == BPF_LDX && in->src_reg == 10) ||
		    ((cls == BPF_ST || cls == BPF_STX) && in->dst_reg == 10))
			off = in->off;
		if ((cls == BPF_ST || cls == BPF_STX) && in->dst_reg == 10 &&
		    BPF_MODE(in->code) == BPF_MEM && BPF_SIZE(in->code) != BPF_DW)
			(*narrow)++;
		if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X) && in->src_reg == 10 &&
		    i + 1 < b->code.n &&
		    in[1].code == (BPF_ALU64 | BPF_ADD | BPF_K) &&
		    in[1].dst_reg == in->dst_reg)
			off = in[1].imm;
		if (off < *deepest)
			*deepest = off;
	}
}

/* Every program of text: deepest frame offset no lower than floor, and no
 * narrow store into the frame. */
static void check_frame(const char *text, int floor)
{
	struct dtk *d = generate_with(tab, kb, text);
	CHECK(d != NULL);
	if (!d)
		return;
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		int deepest, narrow;
		frame_use(&d->comp.p.bprogs[i], &deepest, &narrow);
		CHECK(deepest >= floor);
		CHECK(narrow == 0);
		if (deepest < floor || narrow)
			printf("# %s: program %d reaches fp%d, %d narrow stores\n",
			       text, i, deepest, narrow);
	}
	dtk_close(d);
}

/* The value stack spills below the fixed slots only when an expression
 * is deeper than the registers: a deep one does reach them (which is what
 * makes the checks above able to fail). */
static void test_spills_below(void)
{
	struct dtk *d = generate_with(tab, kb, "syscall::read:entry { trace(arg0 + (arg1 + "
		"(arg2 + (arg3 + (arg4 + (arg5 + (arg0 + arg1))))))); }");
	CHECK(d != NULL);
	if (!d)
		return;
	int deepest, narrow;
	frame_use(&d->comp.p.bprogs[0], &deepest, &narrow);
	CHECK(deepest <= FP_SPILL);
	dtk_close(d);
}

int main(void)
{
	kb = kbtf_open();
	if (!kb) {
		printf("skip: no kernel BTF\n");
		return 0;
	}
	tab = probetab_open_opts(false);
	CHECK(tab != NULL);
	if (!tab)
		return CHECK_DONE();
	/* the per-run caches: current, its registers, self->, timestamp */
	check_frame("syscall::read:entry { self->ts = timestamp; self->fd = arg0; }"
		    "syscall::read:return /self->ts/ { printf(\"%d %d %d\", "
		    "self->fd, timestamp - self->ts, uregs[0]); self->ts = 0; }",
		    FP_TS);
	/* keys: an aggregation's, a table's, a syscall filter's, drops */
	check_frame("syscall::open*:entry, syscall::read:entry "
		    "{ @[execname, probefunc] = count(); printf(\"%s\", "
		    "copyinstr(arg0)); }", FP_TS);
	check_frame("syscall:::return /pid == 1/ { @c[probefunc] = sum(arg0); }",
		    FP_TS);
	test_spills_below();
	probetab_close(tab);
	kbtf_close(kb);
	return CHECK_DONE();
}
