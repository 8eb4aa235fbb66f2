/* emit.h - building eBPF instruction streams, with labels.
 *
 * The code generator appends instructions to a buffer; forward jumps name a
 * label that is placed later, and emit_finish() patches every jump offset.
 * BPF-to-BPF calls to subprograms work the same way (the call's imm is the
 * relative offset of the subprogram's label).  Map references are emitted as
 * BPF_LD_IMM64 with src_reg BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE and the
 * map's fd in imm.
 */
#ifndef DTK_EMIT_H
#define DTK_EMIT_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The registers: the kernel's BPF_REG_0 .. BPF_REG_10 under short names.
 * R0 is a helper's result, R1-R5 its arguments (clobbered by a call),
 * R6-R9 survive calls, R10 is the read-only frame pointer. */
enum {
	R0 = BPF_REG_0, R1 = BPF_REG_1, R2 = BPF_REG_2, R3 = BPF_REG_3,
	R4 = BPF_REG_4, R5 = BPF_REG_5, R6 = BPF_REG_6, R7 = BPF_REG_7,
	R8 = BPF_REG_8, R9 = BPF_REG_9, R10 = BPF_REG_10
};

struct emit {
	struct bpf_insn *insn;
	int n, cap;
	int *label_pos;		/* instruction index of each label, -1 if unplaced */
	int nlabels, labcap;
	/* Facts: bits the code generator gives a meaning to (a value it keeps
	 * in a stack slot is there...), carried along the control flow so
	 * that it emits no code the verifier would find dead and remove, one
	 * instruction range at a time, over the whole program each time. */
	unsigned facts;		/* hold when the next instruction runs */
	int dead;		/* no way into the next instruction yet */
	struct labfacts { unsigned facts; int in; } *label_facts;
	int facts_wrong;	/* a backward jump brought fewer than assumed */
	struct fixup { int insn; int label; int call; } *fix;
	int nfix, fixcap;
	int oom;		/* allocation failed: emit_finish reports it */
	int placed;		/* where a label was last placed */
};

void emit_init(struct emit *e);
void emit_free(struct emit *e);
void emit_insn(struct emit *e, struct bpf_insn i);

/* labels */
int emit_label(struct emit *e);			/* new, unplaced */
void emit_place(struct emit *e, int label);	/* at the next instruction */
bool emit_label_used(const struct emit *e, int label);	/* jumped to yet? */
/* Facts: every way into a label (each jump to it, and the instruction
 * before it when control falls through) brings the facts it had; placing
 * the label keeps those common to all.  A label nothing jumps to after a
 * jump or an exit (a subprogram, a callback: reached by calls) has none.
 * emit_facts_set/clear change them for the next instruction onward. */
static inline unsigned emit_facts(const struct emit *e) { return e->facts; }
static inline void emit_facts_set(struct emit *e, unsigned f) { e->facts |= f; }
static inline void emit_facts_clear(struct emit *e, unsigned f) { e->facts &= ~f; }
/* resolve jumps/calls; returns 0, or -1 if a label was never placed, an
 * offset does not fit, or a backward jump brought fewer facts than the
 * code at its label was made for */
int emit_finish(struct emit *e);
/* Take back the last instruction if it is `dst = src` (64-bit) and no
 * label was placed after it: for a copy whose destination is read once,
 * right away, and never again. */
bool emit_take_mov(struct emit *e, int dst, int src);

/* ALU: op is BPF_ADD, BPF_SUB, ... */
void emit_alu64_reg(struct emit *e, int op, int dst, int src);
void emit_alu64_imm(struct emit *e, int op, int dst, int32_t imm);
void emit_alu32_reg(struct emit *e, int op, int dst, int src);
void emit_alu32_imm(struct emit *e, int op, int dst, int32_t imm);
void emit_mov_reg(struct emit *e, int dst, int src);
void emit_mov_imm(struct emit *e, int dst, int32_t imm);
void emit_ld_imm64(struct emit *e, int dst, uint64_t v);	/* 2 insns */
void emit_ld_map_fd(struct emit *e, int dst, int fd);		/* 2 insns */
void emit_ld_map_value(struct emit *e, int dst, int fd, int32_t off);

/* memory: size is BPF_B, BPF_H, BPF_W, BPF_DW */
void emit_ldx(struct emit *e, int size, int dst, int src, int16_t off);
void emit_stx(struct emit *e, int size, int dst, int src, int16_t off);
void emit_st(struct emit *e, int size, int dst, int16_t off, int32_t imm);
/* atomic add (BPF_ATOMIC | BPF_ADD), size BPF_W or BPF_DW */
void emit_xadd(struct emit *e, int size, int dst, int src, int16_t off);

/* jumps to labels: op is BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JSGT, ... */
void emit_ja(struct emit *e, int label);
void emit_jmp_reg(struct emit *e, int op, int dst, int src, int label);
void emit_jmp_imm(struct emit *e, int op, int dst, int32_t imm, int label);

void emit_call_helper(struct emit *e, int helper);	/* BPF_FUNC_... */
void emit_call_label(struct emit *e, int label);	/* bpf-to-bpf */
/* dst = address of the subprogram at label (BPF_PSEUDO_FUNC), for helpers
 * that take a callback such as bpf_loop; 2 insns */
void emit_ld_func(struct emit *e, int dst, int label);
void emit_exit(struct emit *e);

/* Disassembly, one instruction per line ("  12: r1 = *(u64 *)(r10 -8)"),
 * as bpftool and the verifier log print it.  map_name may be NULL; it turns
 * a map fd into a name for the LD_IMM64 lines. */
typedef const char *(*disasm_map_name)(int fd, void *arg);
void bpf_disasm(FILE *out, const struct bpf_insn *insn, int n,
		disasm_map_name map_name, void *arg);
const char *bpf_helper_name(int helper);

#endif
