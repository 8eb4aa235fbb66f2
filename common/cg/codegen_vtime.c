/* codegen_vtime.c - vtimestamp: a thread's on-CPU nanoseconds.
 *
 * The scheduler's own sums (se.sum_exec_runtime, se.exec_start) run on its
 * task clock, which leaves out interrupt and steal time and is not ktime:
 * mixing the two was off by a tenth of a second on a busy VM.  So when a
 * program uses vtimestamp the compiler adds a program on sched_switch that
 * keeps, per thread, the on-CPU time accumulated in ktime and when the
 * thread last went on a CPU; vtimestamp is then acc + (now - on).  A thread
 * not yet seen switching (it was running when tracing began) starts from
 * the scheduler's sum.
 */
#include <linux/bpf.h>
#include "cg.h"
#include "codegen.h"

/* map value: [0] accumulated ns, [8] ktime it went on a CPU (0: off) */
#define VT_ACC	0
#define VT_ON	8

static int vtime_map(struct cg *c)
{
	if (c->vtime_map < 0)
		c->vtime_map = map_add(c, MR_VTIME, BPF_MAP_TYPE_LRU_HASH, 4, 16,
				       65536, "dtk_vtime");
	return c->vtime_map;
}

/* r0 = vtimestamp of the current thread */
void gen_vtimestamp(struct cg *c, struct loc loc)
{
	struct emit *e = c->e;
	int sum = kofs(c, "task_struct", "se.sum_exec_runtime", loc);
	int have = emit_label(e), done = emit_label(e);
	call(c, BPF_FUNC_get_current_pid_tgid);
	emit_stx(e, BPF_DW, R10, R0, FP_K1);
	map_lookup_fp(c, vtime_map(c), FP_K1);
	emit_jmp_imm(e, BPF_JNE, R0, 0, have);
	call(c, BPF_FUNC_get_current_task);
	kread(c, R0, R0, sum, 8);
	emit_ja(e, done);
	emit_place(e, have);
	emit_ldx(e, BPF_DW, R1, R0, VT_ACC);
	emit_stx(e, BPF_DW, R10, R1, FP_K1);
	emit_ldx(e, BPF_DW, R1, R0, VT_ON);
	emit_stx(e, BPF_DW, R10, R1, FP_K2);
	call(c, BPF_FUNC_ktime_get_ns);
	emit_ldx(e, BPF_DW, R1, R10, FP_K2);
	int off = emit_label(e);
	/* off a CPU (cannot be, for the running thread): no delta */
	emit_jmp_imm(e, BPF_JNE, R1, 0, off);
	emit_mov_reg(e, R1, R0);
	emit_place(e, off);
	emit_alu64_reg(e, BPF_SUB, R0, R1);
	emit_ldx(e, BPF_DW, R1, R10, FP_K1);
	emit_alu64_reg(e, BPF_ADD, R0, R1);
	emit_place(e, done);
}

/* The sched_switch(preempt, prev, next, prev_state) program. */
static void gen_switch(struct cg *c, struct bprog *b)
{
	struct emit *e = &b->code;
	c->e = e;
	emit_init(e);
	int pidoff = kofs(c, "task_struct", "pid", (struct loc){0});
	int sum = kofs(c, "task_struct", "se.sum_exec_runtime", (struct loc){0});
	emit_mov_reg(e, R6, R1);				/* ctx */
	call(c, BPF_FUNC_ktime_get_ns);
	emit_mov_reg(e, R7, R0);				/* now */
	/* prev: add the time since it went on */
	emit_ldx(e, BPF_DW, R0, R6, 8);
	kread(c, R0, R0, pidoff, 4);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);	/* kread uses FP_K1 */
	map_lookup_fp(c, vtime_map(c), FP_K2);
	int next = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, next);
	emit_ldx(e, BPF_DW, R1, R0, VT_ON);
	emit_jmp_imm(e, BPF_JEQ, R1, 0, next);
	emit_mov_reg(e, R2, R7);
	emit_alu64_reg(e, BPF_SUB, R2, R1);
	emit_ldx(e, BPF_DW, R1, R0, VT_ACC);
	emit_alu64_reg(e, BPF_ADD, R1, R2);
	emit_stx(e, BPF_DW, R0, R1, VT_ACC);
	emit_st(e, BPF_DW, R0, VT_ON, 0);
	emit_place(e, next);
	/* next: note when it went on, starting it from the scheduler's sum */
	emit_ldx(e, BPF_DW, R0, R6, 16);
	emit_mov_reg(e, R8, R0);				/* next task */
	kread(c, R0, R0, pidoff, 4);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);	/* kread uses FP_K1 */
	map_lookup_fp(c, vtime_map(c), FP_K2);
	int found = emit_label(e), out = emit_label(e);
	emit_jmp_imm(e, BPF_JNE, R0, 0, found);
	kread(c, R0, R8, sum, 8);
	/* the new value [acc, on] at FP_SPILL - 8 */
	emit_stx(e, BPF_DW, R10, R0, FP_SPILL - 8);
	emit_stx(e, BPF_DW, R10, R7, FP_SPILL);
	ld_map(c, R1, vtime_map(c));
	fptr(c, R2, FP_K2);
	fptr(c, R3, FP_SPILL - 8);
	emit_mov_imm(e, R4, BPF_ANY);
	call(c, BPF_FUNC_map_update_elem);
	emit_ja(e, out);
	emit_place(e, found);
	emit_stx(e, BPF_DW, R0, R7, VT_ON);
	emit_place(e, out);
	emit_mov_imm(e, R0, 0);
	emit_exit(e);
	if (emit_finish(e) < 0 || e->oom)
		FAIL(c, (struct loc){0}, "internal error: vtimestamp program");
}

void gen_vtime_program(struct cg *c)
{
	if (c->vtime_map < 0)
		return;
	struct prog *p = c->p;
	p->bprogs = arena_push(p->arena, p->bprogs, &p->nbprogs, sizeof *p->bprogs);
	struct bprog *b = &p->bprogs[p->nbprogs - 1];
	b->point = PT_VTIME;
	b->tp = "sched_switch";
	b->prov = NULL;	/* the engine's own: attached to b->tp (load.c) */
	b->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	b->fd = -1;
	b->sysfilter_map = -1;
	b->scratch_map = -1;
	gen_switch(c, b);
}
