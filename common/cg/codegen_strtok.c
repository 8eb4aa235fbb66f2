/* codegen_strtok.c - strtok(s, delims) in BPF, as DTrace has it.
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
	emit_st(c->e, BPF_DW, 10, FP_SEARCH + CTX_LEN, mode);
	emit_mov_imm(e, 1, c->d->opt.strsize);
	loop_call(c, SP_TOKSCAN);
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
		emit_st(e, BPF_DW, 9, set + i, 0);
	sptr(c, 0, b);
	emit_stx(e, BPF_DW, 10, 0, FP_SEARCH + CTX_S);
	sptr(c, 0, set);
	emit_stx(e, BPF_DW, 10, 0, FP_SEARCH + CTX_ARG);
	emit_mov_imm(e, 1, cap);
	loop_call(c, SP_TOKSET);

	emit_st(e, BPF_DW, 10, FP_K1, 0);
	map_lookup_fp(c, state_map(c), FP_K1);
	emit_jmp_imm(e, BPF_JEQ, 0, 0, none);
	emit_stx(e, BPF_DW, 10, 0, FP_K2);
	if (restart) {
		emit_mov_reg(e, 1, 0);
		emit_alu64_imm(e, BPF_ADD, 1, TOK_STR);
		emit_mov_imm(e, 2, cap);
		sptr(c, 3, a);
		call(c, BPF_FUNC_probe_read_kernel_str);
		emit_ldx(e, BPF_DW, 0, 10, FP_K2);
		emit_st(e, BPF_DW, 0, TOK_OFF, 0);
	}
	/* start: past the delimiters; end: at the next one or the NUL */
	emit_stx(e, BPF_DW, 10, 0, FP_SEARCH + CTX_S);
	emit_ldx(e, BPF_DW, 1, 0, TOK_OFF);
	emit_stx(e, BPF_DW, 10, 1, FP_SEARCH + CTX_RES);
	scan(c, 0);
	emit_ldx(e, BPF_DW, 1, 10, FP_SEARCH + CTX_RES);
	emit_stx(e, BPF_DW, 10, 1, FP_K1);
	scan(c, 1);
	/* the next call starts at the delimiter that ended this token,
	 * which its own delimiters may not include */
	emit_ldx(e, BPF_DW, 0, 10, FP_K2);
	emit_ldx(e, BPF_DW, 3, 10, FP_SEARCH + CTX_RES);
	emit_stx(e, BPF_DW, 0, 3, TOK_OFF);
	/* the token: end - start bytes from start */
	emit_ldx(e, BPF_DW, 3, 10, FP_SEARCH + CTX_RES);
	emit_ldx(e, BPF_DW, 1, 10, FP_K1);
	clamp(c, 1, cap - 1);
	emit_alu64_reg(e, BPF_SUB, 3, 1);
	emit_alu64_reg(e, BPF_ADD, 0, 1);
	emit_alu64_imm(e, BPF_ADD, 0, TOK_STR);
	copy_n(c, dst, 0, 3);
	emit_ja(e, done);
	emit_place(e, none);
	emit_st(e, BPF_B, 9, dst, 0);
	emit_place(e, done);
}

/* In a callback whose r4 is a character: r3 = the address of its byte in
 * the delimiter set (a bitmap at the context's CTX_ARG), dst = that byte,
 * r4 = the character's bit in it. */
static void set_byte(struct emit *e, int dst)
{
	emit_mov_reg(e, 5, 4);
	emit_alu64_imm(e, BPF_RSH, 5, 3);
	emit_ldx(e, BPF_DW, 3, 2, CTX_ARG);
	emit_alu64_reg(e, BPF_ADD, 3, 5);
	emit_ldx(e, BPF_B, dst, 3, 0);
	emit_alu64_imm(e, BPF_AND, 4, 7);
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
		emit_jmp_imm(e, BPF_JGE, 1, cap, stop);
		emit_ldx(e, BPF_DW, 3, 2, CTX_S);
		emit_alu64_reg(e, BPF_ADD, 3, 1);
		emit_ldx(e, BPF_B, 4, 3, 0);
		emit_jmp_imm(e, BPF_JEQ, 4, 0, stop);
		set_byte(e, 0);
		emit_mov_imm(e, 1, 1);
		emit_alu64_reg(e, BPF_LSH, 1, 4);
		emit_alu64_reg(e, BPF_OR, 0, 1);
		emit_stx(e, BPF_B, 3, 0, 0);
		emit_mov_imm(e, 0, 0);
		emit_exit(e);
		emit_place(e, stop);
		emit_mov_imm(e, 0, 1);
		emit_exit(e);
	}
	if (c->sp->used[SP_TOKSCAN]) {
		/* advance the position while its character's membership of
		 * the set differs from the mode; stop at the NUL */
		emit_place(e, c->sp->label[SP_TOKSCAN]);
		int stop = emit_label(e);
		emit_ldx(e, BPF_DW, 0, 2, CTX_RES);
		emit_jmp_imm(e, BPF_JGE, 0, cap - 1, stop);
		emit_ldx(e, BPF_DW, 3, 2, CTX_S);
		emit_alu64_reg(e, BPF_ADD, 3, 0);
		emit_ldx(e, BPF_B, 4, 3, TOK_STR);
		emit_jmp_imm(e, BPF_JEQ, 4, 0, stop);
		set_byte(e, 5);
		emit_alu64_reg(e, BPF_RSH, 5, 4);
		emit_alu64_imm(e, BPF_AND, 5, 1);
		emit_ldx(e, BPF_DW, 3, 2, CTX_LEN);
		emit_jmp_reg(e, BPF_JEQ, 5, 3, stop);
		emit_alu64_imm(e, BPF_ADD, 0, 1);
		emit_stx(e, BPF_DW, 2, 0, CTX_RES);
		emit_mov_imm(e, 0, 0);
		emit_exit(e);
		emit_place(e, stop);
		emit_mov_imm(e, 0, 1);
		emit_exit(e);
	}
}
