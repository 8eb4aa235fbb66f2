/* emit.c - building eBPF instruction streams, with labels and fixups.
 *
 * Jumps and bpf-to-bpf calls name a label; the offset is only known once the
 * label is placed, so each one records a fixup that emit_finish() patches.
 * Allocation failures never crash: they set e->oom, further instructions are
 * dropped, and emit_finish() reports the failure.
 */
#include <stdlib.h>
#include <string.h>
#include "emit.h"

void emit_init(struct emit *e)
{
	memset(e, 0, sizeof(*e));
}

void emit_free(struct emit *e)
{
	free(e->insn);
	free(e->label_pos);
	free(e->label_facts);
	free(e->fix);
	memset(e, 0, sizeof(*e));
}

/* Make room for one more element of size elem in *buf (capacity *cap, used
 * n); doubles the capacity.  Returns 0, or -1 and leaves *buf untouched. */
static int grow(void **buf, int *cap, int n, size_t elem)
{
	if (n < *cap)
		return 0;
	int ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*buf, (size_t)ncap * elem);
	if (!p)
		return -1;
	*buf = p;
	*cap = ncap;
	return 0;
}

void emit_insn(struct emit *e, struct bpf_insn i)
{
	if (e->oom || grow((void **)&e->insn, &e->cap, e->n, sizeof(i))) {
		e->oom = 1;
		return;
	}
	e->insn[e->n++] = i;
}

static void put_insn(struct emit *e, uint8_t code, int dst, int src,
		 int16_t off, int32_t imm)
{
	struct bpf_insn i = {
		.code = code, .dst_reg = dst & 0xf, .src_reg = src & 0xf,
		.off = off, .imm = imm,
	};
	emit_insn(e, i);
}

/* labels */

int emit_label(struct emit *e)
{
	int cap = e->labcap;
	if (grow((void **)&e->label_facts, &cap, e->nlabels,
		 sizeof(*e->label_facts)) ||
	    grow((void **)&e->label_pos, &e->labcap, e->nlabels, sizeof(int))) {
		e->oom = 1;
		return -1;
	}
	e->label_pos[e->nlabels] = -1;
	e->label_facts[e->nlabels] = (struct labfacts){ 0, 0 };
	return e->nlabels++;
}

/* Take back the last instruction, a jump (its fixup the last one): the
 * labels placed after it move back with it. */
static void drop_last_jump(struct emit *e)
{
	e->nfix--;
	e->n--;
	for (int i = 0; i < e->nlabels; i++)
		if (e->label_pos[i] == e->n + 1)
			e->label_pos[i] = e->n;
}

/* The jump that is taken when op's is not, or 0 (BPF_JSET has none). */
static int inverse_jump(int op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	}
	return 0;
}

/* At label: "if cc goto label; goto other" is "if !cc goto other", when
 * no other jump arrives at the goto. */
static void fold_jump_over_goto(struct emit *e, int label)
{
	if (e->nfix < 2)
		return;
	struct fixup *jc = &e->fix[e->nfix - 2], *ja = &e->fix[e->nfix - 1];
	if (jc->call || ja->call || jc->label != label ||
	    jc->insn != e->n - 2 || ja->insn != e->n - 1)
		return;
	struct bpf_insn *c = &e->insn[e->n - 2];
	int inv = inverse_jump(BPF_OP(c->code));
	if (e->insn[e->n - 1].code != (BPF_JMP | BPF_JA) ||
	    BPF_CLASS(c->code) != BPF_JMP || !inv)
		return;
	for (int i = 0; i < e->nlabels; i++)
		if (e->label_pos[i] == e->n - 1)
			return;
	c->code = BPF_JMP | BPF_SRC(c->code) | inv;
	jc->label = ja->label;
	drop_last_jump(e);
}

void emit_place(struct emit *e, int label)
{
	if (label < 0 || label >= e->nlabels)
		return;
	fold_jump_over_goto(e, label);
	/* a jump to the very next instruction does nothing */
	while (e->nfix > 0 && !e->fix[e->nfix - 1].call &&
	       e->fix[e->nfix - 1].label == label &&
	       e->fix[e->nfix - 1].insn == e->n - 1)
		drop_last_jump(e);
	e->label_pos[label] = e->n;
	e->placed = e->n;
	/* the facts of every way in (a jump taken back above brought the
	 * facts it had, as the fall-through now does) */
	struct labfacts *l = &e->label_facts[label];
	if (l->in)
		e->facts = e->dead ? l->facts : e->facts & l->facts;
	else if (e->dead)
		e->facts = 0;
	e->dead = 0;
	/* what the code from here on may count on */
	l->facts = e->facts;
	l->in = 1;
}

/* A jump to label leaves with the current facts. */
static void jump_facts(struct emit *e, int label)
{
	if (e->dead || label < 0 || label >= e->nlabels)
		return;
	struct labfacts *l = &e->label_facts[label];
	if (e->label_pos[label] >= 0) {
		/* backward: the code there was made for l->facts */
		if (l->facts & ~e->facts)
			e->facts_wrong = 1;
		return;
	}
	l->facts = l->in ? l->facts & e->facts : e->facts;
	l->in = 1;
}

/* The last instruction, if it is `dst = src` (64-bit) with no label after
 * it, so that whoever runs the next instruction has just run it. */
static const struct bpf_insn *last_mov(const struct emit *e)
{
	if (e->n == 0 || e->placed == e->n)
		return NULL;
	const struct bpf_insn *i = &e->insn[e->n - 1];
	return i->code == (BPF_ALU64 | BPF_MOV | BPF_X) ? i : NULL;
}

bool emit_take_mov(struct emit *e, int dst, int src)
{
	const struct bpf_insn *l = last_mov(e);
	if (!l || l->dst_reg != dst || l->src_reg != src)
		return false;
	e->n--;
	return true;
}

/* The instruction about to be emitted (index e->n) targets label. */
static void add_fixup(struct emit *e, int label, int call)
{
	if (grow((void **)&e->fix, &e->fixcap, e->nfix, sizeof(*e->fix))) {
		e->oom = 1;
		return;
	}
	e->fix[e->nfix++] = (struct fixup){ .insn = e->n, .label = label,
					    .call = call };
}

bool emit_label_used(const struct emit *e, int label)
{
	for (int i = 0; i < e->nfix; i++)
		if (e->fix[i].label == label && !e->fix[i].call)
			return true;
	return false;
}

int emit_finish(struct emit *e)
{
	if (e->oom || e->facts_wrong)
		return -1;
	for (int i = 0; i < e->nfix; i++) {
		struct fixup *f = &e->fix[i];
		if (f->label < 0 || f->label >= e->nlabels || f->insn >= e->n)
			return -1;
		int target = e->label_pos[f->label];
		/* unplaced, or placed after the last instruction */
		if (target < 0 || target >= e->n)
			return -1;
		long rel = (long)target - (f->insn + 1);
		if (f->call) {
			e->insn[f->insn].imm = (int32_t)rel;
		} else {
			if (rel < INT16_MIN || rel > INT16_MAX)
				return -1;
			e->insn[f->insn].off = (int16_t)rel;
		}
	}
	return 0;
}

/* ALU */

void emit_alu64_reg(struct emit *e, int op, int dst, int src)
{
	put_insn(e, BPF_ALU64 | BPF_OP(op) | BPF_X, dst, src, 0, 0);
}

void emit_alu64_imm(struct emit *e, int op, int dst, int32_t imm)
{
	put_insn(e, BPF_ALU64 | BPF_OP(op) | BPF_K, dst, 0, 0, imm);
}

void emit_alu32_reg(struct emit *e, int op, int dst, int src)
{
	put_insn(e, BPF_ALU | BPF_OP(op) | BPF_X, dst, src, 0, 0);
}

void emit_alu32_imm(struct emit *e, int op, int dst, int32_t imm)
{
	put_insn(e, BPF_ALU | BPF_OP(op) | BPF_K, dst, 0, 0, imm);
}

void emit_mov_reg(struct emit *e, int dst, int src)
{
	/* Nothing to do for a copy of a register to itself, to the copy it
	 * was just made from (r6 = r0; r0 = r6) or again: the value stack's
	 * pushes and pops make these all the time. */
	const struct bpf_insn *l = last_mov(e);
	if (dst == src || (l && ((l->dst_reg == src && l->src_reg == dst) ||
				 (l->dst_reg == dst && l->src_reg == src))))
		return;
	emit_alu64_reg(e, BPF_MOV, dst, src);
}

void emit_mov_imm(struct emit *e, int dst, int32_t imm)
{
	emit_alu64_imm(e, BPF_MOV, dst, imm);
}

/* LD_IMM64 takes two slots: the low 32 bits in the first imm, the high 32
 * bits in the second (whose code is 0).  For map references src_reg says
 * how the kernel reads imm: a map fd, or a map fd plus a value offset. */
static void ld_imm64(struct emit *e, int dst, int pseudo, int32_t lo, int32_t hi)
{
	put_insn(e, BPF_LD | BPF_DW | BPF_IMM, dst, pseudo, 0, lo);
	put_insn(e, 0, 0, 0, 0, hi);
}

void emit_ld_imm64(struct emit *e, int dst, uint64_t v)
{
	ld_imm64(e, dst, 0, (int32_t)(uint32_t)v, (int32_t)(uint32_t)(v >> 32));
}

void emit_ld_map_fd(struct emit *e, int dst, int fd)
{
	ld_imm64(e, dst, BPF_PSEUDO_MAP_FD, fd, 0);
}

void emit_ld_map_value(struct emit *e, int dst, int fd, int32_t off)
{
	ld_imm64(e, dst, BPF_PSEUDO_MAP_VALUE, fd, off);
}

/* memory */

void emit_ldx(struct emit *e, int size, int dst, int src, int16_t off)
{
	put_insn(e, BPF_LDX | BPF_SIZE(size) | BPF_MEM, dst, src, off, 0);
}

void emit_stx(struct emit *e, int size, int dst, int src, int16_t off)
{
	put_insn(e, BPF_STX | BPF_SIZE(size) | BPF_MEM, dst, src, off, 0);
}

void emit_st(struct emit *e, int size, int dst, int16_t off, int32_t imm)
{
	put_insn(e, BPF_ST | BPF_SIZE(size) | BPF_MEM, dst, 0, off, imm);
}

void emit_xadd(struct emit *e, int size, int dst, int src, int16_t off)
{
	put_insn(e, BPF_STX | BPF_SIZE(size) | BPF_ATOMIC, dst, src, off, BPF_ADD);
}

/* jumps */

void emit_ja(struct emit *e, int label)
{
	jump_facts(e, label);
	add_fixup(e, label, 0);
	put_insn(e, BPF_JMP | BPF_JA, 0, 0, 0, 0);
	e->dead = 1;
}

void emit_jmp_reg(struct emit *e, int op, int dst, int src, int label)
{
	jump_facts(e, label);
	add_fixup(e, label, 0);
	put_insn(e, BPF_JMP | BPF_OP(op) | BPF_X, dst, src, 0, 0);
}

void emit_jmp_imm(struct emit *e, int op, int dst, int32_t imm, int label)
{
	jump_facts(e, label);
	add_fixup(e, label, 0);
	put_insn(e, BPF_JMP | BPF_OP(op) | BPF_K, dst, 0, 0, imm);
}

void emit_call_helper(struct emit *e, int helper)
{
	put_insn(e, BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}

void emit_ld_func(struct emit *e, int dst, int label)
{
	/* the first slot's imm is patched like a call: relative to the
	 * next instruction */
	add_fixup(e, label, 1);
	put_insn(e, BPF_LD | BPF_IMM | BPF_DW, dst, BPF_PSEUDO_FUNC, 0, 0);
	put_insn(e, 0, 0, 0, 0, 0);
}

void emit_call_label(struct emit *e, int label)
{
	add_fixup(e, label, 1);
	put_insn(e, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0);
}

void emit_exit(struct emit *e)
{
	put_insn(e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	e->dead = 1;
}
