/* fn_strtok.c - strtok(s, delims) in BPF, as DTrace has it: its check,
 * its code and its loops.
 *
 * strtok(s, d) keeps a copy of s and returns its first token (the run of
 * characters after any characters of d, up to the next one of d);
 * strtok(NULL, d) goes on after the last token, with new delimiters if d
 * changed.  No token left is NULL, which dtk's strings spell "".
 *
 * The copy and the place where the next token starts live in a per-CPU map
 * (a probe firing runs on one CPU from start to end, so no other firing sees
 * the state half-updated).  The delimiters become a 256-bit set in scratch,
 * and the string is scanned by bpf_loop callbacks: one test per character
 * instead of one per character and delimiter.
 */
#include <linux/bpf.h>
#include "builtins.h"
#include "cg.h"
#include "fn.h"
#include "sema.h"

/* the state: 8 bytes of offset, then the string (strsize bytes) */
#define TOK_OFF	0
#define TOK_STR	8

static int state_map(struct cg *c)
{
	for (int i = 0; i < c->p->nmaps; i++)
		if (c->p->maps[i].role == MR_STRTOK)
			return i;
	return map_add(c, MR_STRTOK, BPF_MAP_TYPE_PERCPU_ARRAY, 4,
		       TOK_STR + c->d->opt.strsize, 1, "dtk_strtok");
}

/* the token scan's callback context: the state, the set, the mode (0:
 * skip delimiters, 1: skip the others) and the position */
static void scan(struct cg *c, int mode)
{
	struct emit *e = c->e;
	emit_st(c->e, BPF_DW, R10, FP_SEARCH + CTX_LEN, mode);
	emit_mov_imm(e, R1, c->d->opt.strsize);
	loop_call(c, SP_TOKSCAN);
}

void check_strtok(struct sema *s, struct node *n)
{
	struct node *a = n->args[0];

	/* NULL goes on with the string of the last strtok( ) */
	sema_want(s, n, 0, type_is_string(a->type) ||
		  (a->type->k == TY_PTR && a->isconst && a->cval == 0),
		  "string");
	want_str(s, n, 1);
	n->type = sema_string(s, 0);
}

void gen_strtok(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	struct node *s = n->args[0];
	bool restart = !(s->isconst && s->type->k == TY_PTR);	/* not NULL */
	int cap = c->d->opt.strsize;
	int a = restart ? gen_str(c, s, -1) : -1;
	int b = gen_str(c, n->args[1], -1);
	int set = salloc(c, 32, n->loc);
	int none = emit_label(e), done = emit_label(e);

	for (int i = 0; i < 32; i += 8)
		emit_st(e, BPF_DW, R9, set + i, 0);
	sptr(c, R0, b);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	sptr(c, R0, set);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_ARG);
	emit_mov_imm(e, R1, cap);
	loop_call(c, SP_TOKSET);

	emit_st(e, BPF_DW, R10, FP_K1, 0);
	map_lookup_fp(c, state_map(c), FP_K1);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);
	if (restart) {
		emit_mov_reg(e, R1, R0);
		emit_alu64_imm(e, BPF_ADD, R1, TOK_STR);
		emit_mov_imm(e, R2, cap);
		sptr(c, R3, a);
		call(c, BPF_FUNC_probe_read_kernel_str);
		emit_ldx(e, BPF_DW, R0, R10, FP_K2);
		emit_st(e, BPF_DW, R0, TOK_OFF, 0);
	}
	/* start: past the delimiters; end: at the next one or the NUL */
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	emit_ldx(e, BPF_DW, R1, R0, TOK_OFF);
	emit_stx(e, BPF_DW, R10, R1, FP_SEARCH + CTX_RES);
	scan(c, 0);
	emit_ldx(e, BPF_DW, R1, R10, FP_SEARCH + CTX_RES);
	emit_stx(e, BPF_DW, R10, R1, FP_K1);
	scan(c, 1);
	/* the next call starts at the delimiter that ended this token,
	 * which its own delimiters may not include */
	emit_ldx(e, BPF_DW, R0, R10, FP_K2);
	emit_ldx(e, BPF_DW, R3, R10, FP_SEARCH + CTX_RES);
	emit_stx(e, BPF_DW, R0, R3, TOK_OFF);
	/* the token: end - start bytes from start */
	emit_ldx(e, BPF_DW, R3, R10, FP_SEARCH + CTX_RES);
	emit_ldx(e, BPF_DW, R1, R10, FP_K1);
	clamp(c, R1, cap - 1);
	emit_alu64_reg(e, BPF_SUB, R3, R1);
	emit_alu64_reg(e, BPF_ADD, R0, R1);
	emit_alu64_imm(e, BPF_ADD, R0, TOK_STR);
	copy_n(c, dst, R0, R3);
	emit_ja(e, done);
	emit_place(e, none);
	emit_st(e, BPF_B, R9, dst, 0);
	emit_place(e, done);
}

/* In a callback whose r4 is a character: r3 = the address of its byte in
 * the delimiter set (a bitmap at the context's CTX_ARG), dst = that byte,
 * r4 = the character's bit in it. */
static void set_byte(struct emit *e, int dst)
{
	emit_mov_reg(e, R5, R4);
	emit_alu64_imm(e, BPF_RSH, R5, 3);
	emit_ldx(e, BPF_DW, R3, R2, CTX_ARG);
	emit_alu64_reg(e, BPF_ADD, R3, R5);
	emit_ldx(e, BPF_B, dst, R3, 0);
	emit_alu64_imm(e, BPF_AND, R4, 7);
}

void emit_strtok_subprogs(struct cg *c)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;

	/* bpf_loop callbacks: r1 = the iteration, r2 = the context */
	if (c->sp->used[SP_TOKSET]) {
		/* add delimiter i to the set */
		emit_place(e, c->sp->label[SP_TOKSET]);
		int stop = emit_label(e);
		loop_byte(c, R1, cap, 0, R4, stop);
		emit_jmp_imm(e, BPF_JEQ, R4, 0, stop);
		set_byte(e, R0);
		emit_mov_imm(e, R1, 1);
		emit_alu64_reg(e, BPF_LSH, R1, R4);
		emit_alu64_reg(e, BPF_OR, R0, R1);
		emit_stx(e, BPF_B, R3, R0, 0);
		loop_next(c, stop);
	}
	if (c->sp->used[SP_TOKSCAN]) {
		/* advance the position while its character's membership of
		 * the set differs from the mode; stop at the NUL */
		emit_place(e, c->sp->label[SP_TOKSCAN]);
		int stop = emit_label(e);
		emit_ldx(e, BPF_DW, R0, R2, CTX_RES);
		loop_byte(c, R0, cap - 1, TOK_STR, R4, stop);
		emit_jmp_imm(e, BPF_JEQ, R4, 0, stop);
		set_byte(e, R5);
		emit_alu64_reg(e, BPF_RSH, R5, R4);
		emit_alu64_imm(e, BPF_AND, R5, 1);
		emit_ldx(e, BPF_DW, R3, R2, CTX_LEN);
		emit_jmp_reg(e, BPF_JEQ, R5, R3, stop);
		emit_alu64_imm(e, BPF_ADD, R0, 1);
		emit_stx(e, BPF_DW, R2, R0, CTX_RES);
		loop_next(c, stop);
	}
}
