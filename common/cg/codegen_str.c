/* codegen_str.c - the building blocks of D's string subroutines
 * (fn_str.c): clamping, copying, comparing, finding a character, and the
 * loops, which are BPF subprograms (emit_str_subprogs) bounded by strsize
 * so the verifier sees them end; a loop of many steps runs through
 * bpf_loop (loop_call), whose callback the verifier checks once.
 */
#include <linux/bpf.h>
#include "cg.h"

/* Keep reg within [0, max] (unsigned: negatives become max). */
void clamp(struct cg *c, int reg, int max)
{
	clamp_to(c, reg, false, max);
}

int sp_label(struct cg *c, enum subprog sp)
{
	if (!c->sp->used[sp]) {
		c->sp->used[sp] = true;
		c->sp->label[sp] = emit_label(c->e);
	}
	return c->sp->label[sp];
}

/* bpf_loop(r1 iterations, callback sp, the search context): the verifier
 * checks a callback once, where it would walk a loop once per byte. */
void loop_call(struct cg *c, enum subprog sp)
{
	struct emit *e = c->e;
	clamp(c, R1, strsize(c));
	emit_ld_func(e, R2, sp_label(c, sp));
	fptr(c, R3, FP_SEARCH);
	emit_mov_imm(e, R4, 0);
	call(c, BPF_FUNC_loop);
}


/* r0 = a[i] - b[i] at the first difference or NUL of the strings at the
 * addresses in r1 and r2, looking at lim bytes at most.  The byte loop runs
 * through bpf_loop: a plain loop costs the verifier one state per byte and
 * per comparison, and a clause comparing a dozen strings under ternaries
 * went past its limit of 8192 jumps. */
void str_compare(struct cg *c, int lim)
{
	struct emit *e = c->e;
	emit_stx(e, BPF_DW, R10, R1, FP_SEARCH + CTX_S);
	emit_stx(e, BPF_DW, R10, R2, FP_SEARCH + CTX_ARG);
	emit_st(e, BPF_DW, R10, FP_SEARCH + CTX_RES, 0);
	emit_mov_imm(e, R1, lim);
	loop_call(c, SP_STRCMP);
	emit_ldx(e, BPF_DW, R0, R10, FP_SEARCH + CTX_RES);
}


/* Copy len (register r_len, clamped here) bytes from the address in
 * register r_src to scratch dst and terminate.  Clobbers r1-r5. */
void copy_n(struct cg *c, int dst, int r_src, int r_len)
{
	struct emit *e = c->e;
	int cap = strsize(c);
	emit_mov_reg(e, R2, r_len);	/* first: r_len may be r3 */
	emit_mov_reg(e, R3, r_src);
	clamp(c, R2, cap - 1);
	emit_stx(e, BPF_DW, R10, R2, FP_K1);
	sptr(c, R1, dst);
	call(c, BPF_FUNC_probe_read_kernel);
	emit_ldx(e, BPF_DW, R2, R10, FP_K1);
	clamp(c, R2, cap - 1);
	sptr(c, R1, dst);
	emit_alu64_reg(e, BPF_ADD, R1, R2);
	emit_st(e, BPF_B, R1, 0, 0);
}

/* ---- subprograms ---- */

void emit_str_subprogs(struct cg *c)
{
	struct emit *e = c->e;
	int cap = strsize(c);
	/* bpf_loop callbacks: r1 = the iteration, r2 = the context;
	 * return 1 to stop, 0 to go on */
	if (c->sp->used[SP_LASTCH] || c->sp->used[SP_FINDCH]) {
		for (int last = 0; last < 2; last++) {
			enum subprog sp = last ? SP_LASTCH : SP_FINDCH;
			if (!c->sp->used[sp])
				continue;
			emit_place(e, c->sp->label[sp]);
			int stop = emit_label(e), go = emit_label(e);
			loop_byte(c, R1, cap, 0, R3, stop);
			emit_ldx(e, BPF_DW, R4, R2, CTX_ARG);
			int nx = emit_label(e);
			emit_jmp_reg(e, BPF_JNE, R3, R4, nx);
			emit_stx(e, BPF_DW, R2, R1, CTX_RES);
			if (!last)
				emit_ja(e, stop);
			emit_place(e, nx);
			if (!last)
				emit_jmp_imm(e, BPF_JEQ, R3, 0, stop);
			emit_ja(e, go);
			emit_place(e, stop);
			emit_mov_imm(e, R0, 1);
			emit_exit(e);
			emit_place(e, go);
			emit_mov_imm(e, R0, 0);
			emit_exit(e);
		}
	}
	if (c->sp->used[SP_STRCMP]) {
		emit_place(e, c->sp->label[SP_STRCMP]);
		int stop = emit_label(e), diff = emit_label(e);
		loop_byte(c, R1, cap, 0, R3, stop);
		emit_ldx(e, BPF_DW, R4, R2, CTX_ARG);
		emit_alu64_reg(e, BPF_ADD, R4, R1);
		emit_ldx(e, BPF_B, R4, R4, 0);
		emit_jmp_reg(e, BPF_JNE, R3, R4, diff);
		emit_jmp_imm(e, BPF_JEQ, R3, 0, stop);
		emit_mov_imm(e, R0, 0);
		emit_exit(e);
		emit_place(e, diff);
		emit_alu64_reg(e, BPF_SUB, R3, R4);
		emit_stx(e, BPF_DW, R2, R3, CTX_RES);
		emit_place(e, stop);
		emit_mov_imm(e, R0, 1);
		emit_exit(e);
	}
	if (c->sp->used[SP_RSTRIP]) {
		/* the result word holds the end: drop one '/' per round */
		emit_place(e, c->sp->label[SP_RSTRIP]);
		int stop = emit_label(e);
		emit_ldx(e, BPF_DW, R0, R2, CTX_RES);
		emit_jmp_imm(e, BPF_JLE, R0, 1, stop);
		emit_jmp_imm(e, BPF_JGT, R0, cap, stop);
		emit_ldx(e, BPF_DW, R3, R2, CTX_S);
		emit_alu64_reg(e, BPF_ADD, R3, R0);
		emit_ldx(e, BPF_B, R3, R3, -1);
		emit_jmp_imm(e, BPF_JNE, R3, '/', stop);
		emit_alu64_imm(e, BPF_SUB, R0, 1);
		emit_stx(e, BPF_DW, R2, R0, CTX_RES);
		loop_next(c, stop);
	}
	if (c->sp->used[SP_CASE]) {
		/* arg 1: lower, 0: upper; in place up to the NUL */
		emit_place(e, c->sp->label[SP_CASE]);
		int stop = emit_label(e), nx = emit_label(e), lower = emit_label(e);
		loop_byte(c, R1, cap, 0, R5, stop);
		emit_jmp_imm(e, BPF_JEQ, R5, 0, stop);
		emit_ldx(e, BPF_DW, R4, R2, CTX_ARG);
		emit_jmp_imm(e, BPF_JNE, R4, 0, lower);
		emit_jmp_imm(e, BPF_JLT, R5, 'a', nx);
		emit_jmp_imm(e, BPF_JGT, R5, 'z', nx);
		emit_alu64_imm(e, BPF_SUB, R5, 'a' - 'A');
		emit_stx(e, BPF_B, R3, R5, 0);
		emit_ja(e, nx);
		emit_place(e, lower);
		emit_jmp_imm(e, BPF_JLT, R5, 'A', nx);
		emit_jmp_imm(e, BPF_JGT, R5, 'Z', nx);
		emit_alu64_imm(e, BPF_ADD, R5, 'a' - 'A');
		emit_stx(e, BPF_B, R3, R5, 0);
		emit_place(e, nx);
		loop_next(c, stop);
	}
	if (c->sp->used[SP_STRTOLL]) {
		/* r1 = s, r2 = base: r0 = value (leading blanks, sign) */
		emit_place(e, c->sp->label[SP_STRTOLL]);
		int blank = emit_label(e), sign = emit_label(e), loop = emit_label(e);
		int out = emit_label(e), dig = emit_label(e), pos = emit_label(e);
		int minus = emit_label(e);
		emit_mov_imm(e, R0, 0);
		emit_mov_imm(e, R3, 1);			/* sign */
		emit_mov_imm(e, R4, 0);
		emit_place(e, blank);
		emit_jmp_imm(e, BPF_JGE, R4, cap, out);
		emit_ldx(e, BPF_B, R5, R1, 0);
		emit_jmp_imm(e, BPF_JEQ, R5, ' ', sign);
		emit_jmp_imm(e, BPF_JNE, R5, '\t', minus);
		emit_place(e, sign);
		emit_alu64_imm(e, BPF_ADD, R1, 1);
		emit_alu64_imm(e, BPF_ADD, R4, 1);
		emit_ja(e, blank);
		emit_place(e, minus);
		emit_jmp_imm(e, BPF_JEQ, R5, '+', pos);
		emit_jmp_imm(e, BPF_JNE, R5, '-', loop);
		emit_mov_imm(e, R3, -1);
		emit_place(e, pos);
		emit_alu64_imm(e, BPF_ADD, R1, 1);
		emit_alu64_imm(e, BPF_ADD, R4, 1);
		emit_place(e, loop);
		emit_jmp_imm(e, BPF_JGE, R4, cap, out);
		emit_ldx(e, BPF_B, R5, R1, 0);
		/* digit value in r5, or out */
		int alpha = emit_label(e), upper = emit_label(e);
		emit_jmp_imm(e, BPF_JLT, R5, '0', out);
		emit_jmp_imm(e, BPF_JGT, R5, '9', alpha);
		emit_alu64_imm(e, BPF_SUB, R5, '0');
		emit_ja(e, dig);
		emit_place(e, alpha);
		emit_jmp_imm(e, BPF_JLT, R5, 'A', out);
		emit_jmp_imm(e, BPF_JGT, R5, 'Z', upper);
		emit_alu64_imm(e, BPF_SUB, R5, 'A' - 10);
		emit_ja(e, dig);
		emit_place(e, upper);
		emit_jmp_imm(e, BPF_JLT, R5, 'a', out);
		emit_jmp_imm(e, BPF_JGT, R5, 'z', out);
		emit_alu64_imm(e, BPF_SUB, R5, 'a' - 10);
		emit_place(e, dig);
		emit_jmp_reg(e, BPF_JGE, R5, R2, out);
		emit_alu64_reg(e, BPF_MUL, R0, R2);
		emit_alu64_reg(e, BPF_ADD, R0, R5);
		emit_alu64_imm(e, BPF_ADD, R1, 1);
		emit_alu64_imm(e, BPF_ADD, R4, 1);
		emit_ja(e, loop);
		emit_place(e, out);
		emit_alu64_reg(e, BPF_MUL, R0, R3);
		emit_exit(e);
	}
	if (c->sp->used[SP_STRSTR]) {
		/* bpf_loop callback: r1 = position, r2 = the search context.
		 * Compares t with s + position; at a match records it and
		 * stops, unless the result slot says to keep the last.  The
		 * comparison is a bpf_loop of its own: a loop here would be
		 * walked byte by byte for every state the verifier enters
		 * the callback with, and two strstr( )s in a clause went past
		 * its million instructions. */
		emit_place(e, c->sp->label[SP_STRSTR]);
		int match = emit_label(e), miss = emit_label(e);
		int keep = emit_label(e);
		emit_jmp_imm(e, BPF_JGE, R1, cap, miss);
		/* r6-r8 outlive the helper call: the position, the
		 * context, and the length of t, whose word holds the
		 * position (then -1 at a difference) while SP_MEMEQ runs:
		 * the program's stack has no room for another context */
		emit_mov_reg(e, R6, R1);
		emit_mov_reg(e, R7, R2);
		emit_ldx(e, BPF_DW, R8, R2, 16);
		emit_stx(e, BPF_DW, R2, R1, 16);
		emit_mov_reg(e, R1, R8);
		clamp(c, R1, cap);
		emit_ld_func(e, R2, sp_label(c, SP_MEMEQ));
		emit_mov_reg(e, R3, R7);
		emit_mov_imm(e, R4, 0);
		call(c, BPF_FUNC_loop);
		emit_ldx(e, BPF_DW, R0, R7, 16);
		emit_stx(e, BPF_DW, R7, R8, 16);
		emit_mov_reg(e, R1, R6);
		emit_mov_reg(e, R2, R7);
		emit_jmp_imm(e, BPF_JEQ, R0, -1, miss);
		emit_place(e, match);
		emit_ldx(e, BPF_DW, R6, R2, 24);
		emit_stx(e, BPF_DW, R2, R1, 24);
		emit_jmp_imm(e, BPF_JEQ, R6, -1, keep);
		/* rindex: a later match may follow; mark found as >= 0 */
		emit_mov_imm(e, R0, 0);
		emit_exit(e);
		emit_place(e, keep);
		emit_mov_imm(e, R0, 1);
		emit_exit(e);
		emit_place(e, miss);
		emit_mov_imm(e, R0, 0);
		emit_exit(e);
	}
	if (c->sp->used[SP_MEMEQ]) {
		/* byte i of t (context word 8) and of s (word 0) from the
		 * position in word 16: at a difference word 16 = -1, stop */
		emit_place(e, c->sp->label[SP_MEMEQ]);
		int stop = emit_label(e), differ = emit_label(e);
		emit_jmp_imm(e, BPF_JGE, R1, cap, stop);
		emit_ldx(e, BPF_DW, R5, R2, 16);
		emit_jmp_imm(e, BPF_JGE, R5, cap, stop);
		emit_ldx(e, BPF_DW, R3, R2, 0);
		emit_alu64_reg(e, BPF_ADD, R3, R5);
		emit_alu64_reg(e, BPF_ADD, R3, R1);
		emit_ldx(e, BPF_B, R3, R3, 0);
		emit_ldx(e, BPF_DW, R4, R2, 8);
		emit_alu64_reg(e, BPF_ADD, R4, R1);
		emit_ldx(e, BPF_B, R4, R4, 0);
		emit_jmp_reg(e, BPF_JNE, R3, R4, differ);
		emit_mov_imm(e, R0, 0);
		emit_exit(e);
		emit_place(e, differ);
		emit_st(e, BPF_DW, R2, 16, -1);
		emit_place(e, stop);
		emit_mov_imm(e, R0, 1);
		emit_exit(e);
	}
}

/* r0 = strlen of the string at scratch offset off */
void strlen_at(struct cg *c, int off)
{
	sptr(c, R1, off);
	call_subprog(c, SP_STRLEN);
}

/* r0 = index of the first (last: last before end in r2) ch (register
 * r_ch) in the string at scratch off, or -1.  r_end is read for last. */
void find_char(struct cg *c, int off, int r_ch, int r_end, bool last)
{
	struct emit *e = c->e;
	emit_stx(e, BPF_DW, R10, r_ch, FP_SEARCH + CTX_ARG);
	if (last)
		emit_mov_reg(e, R1, r_end);
	else
		emit_mov_imm(e, R1, strsize(c));
	sptr(c, R0, off);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	emit_st(e, BPF_DW, R10, FP_SEARCH + CTX_RES, -1);
	loop_call(c, last ? SP_LASTCH : SP_FINDCH);
	emit_ldx(e, BPF_DW, R0, R10, FP_SEARCH + CTX_RES);
}

/* r0 = end (register r_end) less trailing slashes, at least 1 */
void rstrip(struct cg *c, int off, int r_end)
{
	struct emit *e = c->e;
	emit_stx(e, BPF_DW, R10, r_end, FP_SEARCH + CTX_RES);
	sptr(c, R0, off);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	emit_mov_reg(e, R1, r_end);
	loop_call(c, SP_RSTRIP);
	emit_ldx(e, BPF_DW, R0, R10, FP_SEARCH + CTX_RES);
}
