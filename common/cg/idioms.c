/* idioms.c - the BPF idioms the code generator is written in (idioms.h).
 *
 * Registers as codegen.c's opening comment assigns them: r10 the frame,
 * r9 the program's scratch buffer, r1-r5 a helper's arguments and r0 its
 * result.  The frame's slots are cg.h's FP_*.  Below this file only the
 * state (cgstate.c) and the emitter.
 */
#include <errno.h>
#include "cg.h"

/* ---- maps ---- */

/* Map references are emitted with the map's index as the fd; the loader
 * rewrites them to real fds once the maps exist. */
void ld_map(struct cg *c, int reg, int map)
{
	emit_ld_map_fd(c->e, reg, map);
}

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "4-byte map keys are written as the low half of a word (idioms.h)"
#endif

void map_lookup_fp(struct cg *c, int map, int fp_off)
{
	ld_map(c, R1, map);
	fptr(c, R2, fp_off);
	call(c, BPF_FUNC_map_lookup_elem);
}

void map_lookup_scratch(struct cg *c, int map, int off)
{
	ld_map(c, R1, map);
	sptr(c, R2, off);
	call(c, BPF_FUNC_map_lookup_elem);
}

void map_update_scratch(struct cg *c, int map, int koff, int voff, int flags)
{
	ld_map(c, R1, map);
	sptr(c, R2, koff);
	sptr(c, R3, voff);
	emit_mov_imm(c->e, R4, flags);
	call(c, BPF_FUNC_map_update_elem);
}

void map_delete_scratch(struct cg *c, int map, int koff)
{
	ld_map(c, R1, map);
	sptr(c, R2, koff);
	call(c, BPF_FUNC_map_delete_elem);
}

/* ---- addresses ---- */

void fptr(struct cg *c, int reg, int off)
{
	emit_mov_reg(c->e, reg, R10);
	emit_alu64_imm(c->e, BPF_ADD, reg, off);
}

void sptr(struct cg *c, int reg, int off)
{
	emit_mov_reg(c->e, reg, R9);
	if (off)
		emit_alu64_imm(c->e, BPF_ADD, reg, off);
}

/* ---- constants and integer types ---- */

/* The verifier walks the way straight through a test first and the jump
 * later, and prunes a walk that reaches a point in a state within one it
 * saw there.  So the value in range (an unknown number in [0, max]) goes
 * straight on and the clamped ones (the constants 0 and max, each within
 * it) jump aside and back: those walks end where they rejoin.  The other
 * way round, each constant would be walked to the end of the program as
 * a state of its own, the range a third time. */
void clamp_to(struct cg *c, int reg, bool nonneg, int max)
{
	struct emit *e = c->e;
	int low = emit_label(e), high = emit_label(e), done = emit_label(e);
	if (nonneg)
		emit_jmp_imm(e, BPF_JSLT, reg, 0, low);
	emit_jmp_imm(e, BPF_JGT, reg, max, high);
	emit_ja(e, done);
	if (nonneg) {
		emit_place(e, low);
		emit_mov_imm(e, reg, 0);
		emit_ja(e, done);
	}
	emit_place(e, high);
	emit_mov_imm(e, reg, max);
	emit_place(e, done);
}

/* Without a branch: (r0 < 0) & !(r0 + 4095 < 0), as arithmetic shifts.
 * A test would split the verifier's walk of everything after it in three
 * (-1, below -4095, not negative) wherever arg0 or errno of a return is
 * read. */
void errno_mask(struct cg *c)
{
	struct emit *e = c->e;
	emit_mov_reg(e, R1, R0);
	emit_alu64_imm(e, BPF_ADD, R1, 4095);
	emit_alu64_imm(e, BPF_ARSH, R1, 63);
	emit_alu64_imm(e, BPF_XOR, R1, -1);
	emit_mov_reg(e, R2, R0);
	emit_alu64_imm(e, BPF_ARSH, R2, 63);
	emit_alu64_reg(e, BPF_AND, R1, R2);
}

/* one instruction when k fits in the sign-extended immediate */
void ld_const(struct cg *c, int reg, int64_t k)
{
	if (k == (int32_t)k)
		emit_mov_imm(c->e, reg, (int32_t)k);
	else
		emit_ld_imm64(c->e, reg, (uint64_t)k);
}

/* Make the 64-bit register hold t's value: truncate, then sign- or
 * zero-extend, as a C conversion to t does. */
void normalize_reg(struct cg *c, int reg, const struct type *t)
{
	if (!t || t->k != TY_INT || t->size >= 8)
		return;
	int sh = 64 - 8 * t->size;
	emit_alu64_imm(c->e, BPF_LSH, reg, sh);
	emit_alu64_imm(c->e, t->sign ? BPF_ARSH : BPF_RSH, reg, sh);
}

int size_code(int size)
{
	return size == 1 ? BPF_B : size == 2 ? BPF_H : size == 4 ? BPF_W : BPF_DW;
}

/* ---- helpers and probe reads ---- */

void call(struct cg *c, int helper) { emit_call_helper(c->e, helper); }

/* Through the frame slot FP_K1, zeroed first: a read that faults leaves
 * it 0. */
void kread(struct cg *c, int dstreg, int srcreg, int off, int size)
{
	struct emit *e = c->e;
	emit_st(e, BPF_DW, R10, FP_K1, 0);
	emit_mov_reg(e, R3, srcreg);
	if (off)
		emit_alu64_imm(e, BPF_ADD, R3, off);
	fptr(c, R1, FP_K1);
	emit_mov_imm(e, R2, size);
	call(c, BPF_FUNC_probe_read_kernel);
	emit_ldx(e, size_code(size), dstreg, R10, FP_K1);
}

/* Read r2 bytes (at most max, as the verifier knows) of user memory at
 * r3 into scratch at dst; r0 is probe_read_user's result.  A short read
 * goes through the stack: the kernel's hardened usercopy check is quick
 * for a stack destination and two calls longer for scratch (per-CPU
 * vmalloc memory), which is the most of a short read's cost (dd bs=1
 * under dtruss).  exact: r2 is also at FP_K2 and only the bytes read
 * matter (a record that ends after them): the words that hold them are
 * copied.  Else the stack words are zeroed first and all copied, so that
 * what follows the bytes read is 0, not what the stack held. */
void uread(struct cg *c, int dst, int max, bool exact)
{
	struct emit *e = c->e;
	int direct = emit_label(e), done = emit_label(e);
	int n = max < UBUF_SIZE ? max : UBUF_SIZE;
	int fp = free_frame(c, (n + 7) & ~7);

	if (!fp) {		/* a deep expression: no room */
		sptr(c, R1, dst);
		call(c, BPF_FUNC_probe_read_user);
		return;
	}
	if (max > UBUF_SIZE)
		emit_jmp_imm(e, BPF_JGT, R2, UBUF_SIZE, direct);
	for (int k = 0; k < n && !exact; k += 8)
		emit_st(e, BPF_DW, R10, fp + k, 0);
	fptr(c, R1, fp);
	call(c, BPF_FUNC_probe_read_user);
	if (exact)
		emit_ldx(e, BPF_DW, R2, R10, FP_K2);
	for (int k = 0, step; k < n; k += step) {
		step = n - k >= 8 ? 8 : n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
		emit_ldx(e, size_code(step), R1, R10, fp + k);
		emit_stx(e, size_code(step), R9, R1, dst + k);
		if (exact && k + step < n)
			emit_jmp_imm(e, BPF_JLE, R2, k + step, done);
	}
	if (max > UBUF_SIZE) {
		emit_ja(e, done);
		emit_place(e, direct);
		sptr(c, R1, dst);
		call(c, BPF_FUNC_probe_read_user);
	}
	emit_place(e, done);
}

/* The address waits at FP_K2 for the fault's report. */
void deref(struct cg *c, int reg, int size, bool user, struct loc loc)
{
	struct emit *e = c->e;
	emit_st(e, BPF_DW, R10, FP_K1, 0);
	emit_mov_reg(e, R3, reg);
	emit_stx(e, BPF_DW, R10, R3, FP_K2);
	fptr(c, R1, FP_K1);
	emit_mov_imm(e, R2, size);
	call(c, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, ok);
	emit_ldx(e, BPF_DW, R3, R10, FP_K2);
	fault(c, loc, R3, EFAULT);
	emit_place(e, ok);
	emit_ldx(e, size_code(size), R0, R10, FP_K1);
}

void cached_word(struct cg *c, int reg, int off, void (*make)(struct cg *c))
{
	struct emit *e = c->e;
	int have = emit_label(e);
	emit_ldx(e, BPF_DW, R0, reg, off);
	emit_jmp_imm(e, BPF_JNE, R0, 0, have);
	make(c);
	emit_stx(e, BPF_DW, reg, R0, off);
	emit_place(e, have);
}

static void get_task(struct cg *c)
{
	call(c, BPF_FUNC_get_current_task_btf);
}

static void get_regs(struct cg *c)
{
	call(c, BPF_FUNC_get_current_task_btf);	/* one call: not kept */
	emit_mov_reg(c->e, R1, R0);
	call(c, BPF_FUNC_task_pt_regs);
}

/* r0 = current, a pointer the verifier knows the type of, got once per
 * program run and kept at FP_TASK (gen_program zeroes it first): each
 * helper call is a call and a return, which the kernel's return-stack
 * mitigations make dear.  Clobbers r1-r5.  Only in a program's main
 * function (the subprograms have frames of their own). */
void cur_task(struct cg *c)
{
	if (c->caches_filled) {
		emit_ldx(c->e, BPF_DW, R0, R10, FP_TASK);
		return;
	}
	c->task_cached = true;
	cached_word(c, R10, FP_TASK, get_task);
}

/* r0 = task_pt_regs(current), kept at FP_REGS as cur_task( ) keeps
 * current: in a syscall these are the registers the tracepoint's args[0]
 * points at, but its fields load directly instead of through
 * bpf_probe_read_kernel (~40 ns a read).  Clobbers r1-r5. */
void task_regs(struct cg *c)
{
	if (c->caches_filled) {
		emit_ldx(c->e, BPF_DW, R0, R10, FP_REGS);
		return;
	}
	c->regs_cached = true;
	cached_word(c, R10, FP_REGS, get_regs);
}

void read_into(struct cg *c, int helper, int dst, int size)
{
	sptr(c, R1, dst);
	emit_mov_imm(c->e, R2, size);
	call(c, helper);
}

/* ---- output ---- */

void count_drop(struct cg *c, enum drop_kind k)
{
	struct emit *e = c->e;
	emit_st(e, BPF_DW, R10, FP_K2, k);
	map_lookup_fp(c, c->drops_map, FP_K2);
	int skip = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, skip);
	emit_mov_imm(e, R1, 1);
	emit_xadd(e, BPF_DW, R0, R1, 0);
	emit_place(e, skip);
}

void count_drop_if_failed(struct cg *c, enum drop_kind k)
{
	int ok = emit_label(c->e);
	emit_jmp_imm(c->e, BPF_JEQ, R0, 0, ok);
	count_drop(c, k);
	emit_place(c->e, ok);
}

/* Output the record at scratch off, its size in r3, without waking the
 * consumer: it polls at the switch rate anyway, and a wakeup per record
 * costs more than the record. */
static void ring_submit(struct cg *c, int off)
{
	struct emit *e = c->e;
	ld_map(c, R1, c->ring_map);
	sptr(c, R2, off);
	emit_mov_imm(e, R4, BPF_RB_NO_WAKEUP);
	call(c, BPF_FUNC_ringbuf_output);
	count_drop_if_failed(c, DROP_RINGBUF);
}

/* Wake the consumer if the buffer is a quarter full; else go to done,
 * which the caller places next. */
static void ring_wake_if_full(struct cg *c, int done)
{
	struct emit *e = c->e;
	ld_map(c, R1, c->ring_map);
	emit_mov_imm(e, R2, BPF_RB_AVAIL_DATA);
	call(c, BPF_FUNC_ringbuf_query);
	emit_ld_imm64(e, R1, c->d->opt.bufsize / 4);
	emit_jmp_reg(e, BPF_JLT, R0, R1, done);
	ring_wake(c);
}

static void ring_output_size_in_r3(struct cg *c, int off)
{
	struct emit *e = c->e;
	ring_submit(c, off);
	/* ask how full the buffer is every 32nd record of this CPU only:
	 * a wake-up a few records late is harmless at a quarter full */
	int done = emit_label(e);
	emit_ldx(e, BPF_DW, R0, R9, SCRATCH_NREC);
	emit_alu64_imm(e, BPF_ADD, R0, 1);
	emit_stx(e, BPF_DW, R9, R0, SCRATCH_NREC);
	emit_alu64_imm(e, BPF_AND, R0, 31);
	emit_jmp_imm(e, BPF_JNE, R0, 0, done);
	ring_wake_if_full(c, done);
	emit_place(e, done);
}

void ring_output(struct cg *c, int off, int size)
{
	emit_mov_imm(c->e, R3, size);
	ring_output_size_in_r3(c, off);
}

void ring_output_reg(struct cg *c, int off, int reg)
{
	if (reg != R3)
		emit_mov_reg(c->e, R3, reg);
	ring_output_size_in_r3(c, off);
}

/* A stack record is big: wake the consumer when this record took the
 * buffer past a quarter full, asked after each one, but not at every
 * record above it: a wake-up is an interrupt (a VM exit under a
 * hypervisor), dearer than the record, and a consumer already behind
 * gains nothing from it.  And at once when the scratch word at wake (if
 * >= 0) is not 0. */
void ring_output_var(struct cg *c, int rec, int head, int max, int wake)
{
	struct emit *e = c->e;
	int fits = emit_label(e), done = emit_label(e), now = emit_label(e);
	emit_ldx(e, BPF_DW, R3, R10, FP_K2);
	emit_alu64_imm(e, BPF_ADD, R3, head);
	emit_jmp_imm(e, BPF_JLE, R3, max, fits);
	emit_mov_imm(e, R3, max);
	emit_place(e, fits);
	ring_submit(c, rec);
	if (wake >= 0) {
		emit_ldx(e, BPF_DW, R0, R9, wake);
		emit_jmp_imm(e, BPF_JNE, R0, 0, now);
	}
	ld_map(c, R1, c->ring_map);
	emit_mov_imm(e, R2, BPF_RB_AVAIL_DATA);
	call(c, BPF_FUNC_ringbuf_query);
	emit_ld_imm64(e, R1, c->d->opt.bufsize / 4);
	emit_jmp_reg(e, BPF_JLT, R0, R1, done);
	emit_alu64_imm(e, BPF_ADD, R1, max);
	emit_jmp_reg(e, BPF_JGE, R0, R1, done);
	emit_place(e, now);
	ring_wake(c);
	emit_place(e, done);
}

/* An empty record of size 0 is not allowed and a query cannot wake, so
 * output a tiny wake-up record. */
void ring_wake(struct cg *c)
{
	struct emit *e = c->e;
	ld_map(c, R1, c->ring_map);
	emit_st(e, BPF_DW, R10, FP_K2, 0);
	fptr(c, R2, FP_K2);
	emit_mov_imm(e, R3, 8);
	emit_mov_imm(e, R4, BPF_RB_FORCE_WAKEUP);
	call(c, BPF_FUNC_ringbuf_output);
}

static int action_id(struct cg *c, struct action *a)
{
	/* ids start at 1 so that a zeroed word is never an action */
	return (int)(a - c->p->actions) + 1;
}

/* Write the record header (action id, sub) at scratch offset rec. */
void rec_header(struct cg *c, int rec, struct action *a)
{
	/* the CPU rides in the action word's top byte (REC_CPU): the
	 * consumer assembles each CPU's lines apart (lines.h) */
	call(c, BPF_FUNC_get_smp_processor_id);
	emit_alu64_imm(c->e, BPF_LSH, R0, 24);
	emit_alu64_imm(c->e, BPF_OR, R0, action_id(c, a));
	emit_stx(c->e, BPF_W, R9, R0, rec);
	emit_ldx(c->e, BPF_W, R0, R10, FP_SUB);
	emit_stx(c->e, BPF_W, R9, R0, rec + 4);
}

/* A fault: report it (like DTrace's ERROR) and abandon the clause. */
void fault(struct cg *c, struct loc loc, int addr_reg, int kind)
{
	struct emit *e = c->e;
	struct action *a = new_action(c, ACT_ERROR, loc);
	a->errkind = kind;
	a->pc = e->n;
	a->recsize = 24;
	int rec = salloc(c, 24, loc);
	emit_stx(e, BPF_DW, R9, addr_reg, rec + 8);
	emit_st(e, BPF_DW, R9, rec + 16, c->nactions_in_clause);
	rec_header(c, rec, a);
	add_val(c, a, RV_INT, 8, 8, false);
	ring_output(c, rec, 24);
	emit_ja(e, c->clause_end);
}

/* Copy cap bytes of a string from src (scratch offset) to dst. */
void str_copy(struct cg *c, int dst, int src, int cap)
{
	if (dst == src)
		return;
	sptr(c, R1, dst);
	emit_mov_imm(c->e, R2, cap);
	sptr(c, R3, src);
	call(c, BPF_FUNC_probe_read_kernel);
}

/* r0 = a value kept in stack slot `slot` once per program run: made by
 * make() (into r0) the first time, loaded after that.  The first time is
 * when the scratch word at `flag` is 0, or, for a value that is never 0
 * (flag < 0), when the slot is.  The flag is in scratch, not the frame:
 * the verifier knows nothing of its value, so that a run which made the
 * value and found none (a self-> lookup that missed) and a run which did
 * not make it yet are one state to it, not two, from there to the end of
 * the program.  Where the facts (set: made, zero: not yet) say which,
 * only that code. */
void slot_cached(struct cg *c, int flag, int slot, unsigned set,
			unsigned zero, void (*make)(struct cg *c))
{
	struct emit *e = c->e;
	if (emit_facts(e) & set) {
		emit_ldx(e, BPF_DW, R0, R10, slot);
		return;
	}
	int cached = emit_label(e), done = emit_label(e);
	if (!(emit_facts(e) & zero)) {
		if (flag < 0)
			emit_ldx(e, BPF_DW, R0, R10, slot);
		else
			emit_ldx(e, BPF_DW, R0, R9, flag);
		emit_jmp_imm(e, BPF_JNE, R0, 0, flag < 0 ? done : cached);
	}
	make(c);
	emit_stx(e, BPF_DW, R10, R0, slot);
	if (flag >= 0)
		emit_st(e, BPF_DW, R9, flag, 1);
	if (!(emit_facts(e) & zero) && flag >= 0) {
		emit_ja(e, done);
		emit_place(e, cached);
		emit_ldx(e, BPF_DW, R0, R10, slot);
	}
	emit_place(e, done);
	emit_facts_clear(e, zero);
	emit_facts_set(e, set);
}

void loop_byte(struct cg *c, int idx, int cap, int off, int dst, int stop)
{
	struct emit *e = c->e;
	emit_jmp_imm(e, BPF_JGE, idx, cap, stop);
	emit_ldx(e, BPF_DW, R3, R2, CTX_S);
	emit_alu64_reg(e, BPF_ADD, R3, idx);
	emit_ldx(e, BPF_B, dst, R3, off);
}

void loop_next(struct cg *c, int stop)
{
	struct emit *e = c->e;
	emit_mov_imm(e, R0, 0);
	emit_exit(e);
	emit_place(e, stop);
	emit_mov_imm(e, R0, 1);
	emit_exit(e);
}
