/* codegen_cond.c - conditions compiled as jumps.
 *
 * A condition in a test position (a predicate, if, ?:, and the operands of
 * &&, || and !) never becomes a 0/1 value: cond_jump() emits the jumps that
 * go to a label when the condition is true (or false) and falls through
 * otherwise.  This is lcode.c's true and false jump lists, with the
 * emitter's labels as the lists: every jump to a label is patched when
 * emit_finish() places it.  `a && b` jumps to the false label from both
 * sides, `!a` swaps the labels, a comparison is one conditional jump, with
 * an immediate when one side is a constant that fits in 32 bits.
 *
 * A condition used as a value (x = a < b) is the same jumps around two
 * moves.
 */
#include <stdint.h>
#include "cg.h"
#include "lex.h"

/* The comparison's operand type, as the checker decided it. */
static bool cmp_signed(const struct node *n)
{
	return n->cmptype ? n->cmptype->sign : true;
}

static bool is_cmp(int op)
{
	return op == T_EQ || op == T_NE || op == '<' || op == '>' ||
	       op == T_LE || op == T_GE;
}

/* The jump taken when `a op b` holds. */
static int cmp_jump(int op, bool sign)
{
	switch (op) {
	case T_EQ: return BPF_JEQ;
	case T_NE: return BPF_JNE;
	case '<': return sign ? BPF_JSLT : BPF_JLT;
	case '>': return sign ? BPF_JSGT : BPF_JGT;
	case T_LE: return sign ? BPF_JSLE : BPF_JLE;
	case T_GE: return sign ? BPF_JSGE : BPF_JGE;
	}
	return BPF_JEQ;
}

/* a op b is b op' a */
static int cmp_mirror(int op)
{
	switch (op) {
	case '<': return '>';
	case '>': return '<';
	case T_LE: return T_GE;
	case T_GE: return T_LE;
	}
	return op;
}

/* !(a op b) is a op' b: integers have no unordered values */
static int cmp_negate(int op)
{
	switch (op) {
	case T_EQ: return T_NE;
	case T_NE: return T_EQ;
	case '<': return T_GE;
	case '>': return T_LE;
	case T_LE: return '>';
	case T_GE: return '<';
	}
	return op;
}

/* A constant a jump can take as its immediate (sign-extended to 64 bits,
 * which is the constant's own value for signed and unsigned jumps alike). */
static bool imm_const(const struct node *n)
{
	return n->isconst && n->type && type_is_scalar(n->type) &&
	       n->cval == (int32_t)n->cval;
}

/* The register that holds value v: its own, or tmp loaded from its spill
 * slot. */
static int vreg(struct cg *c, int v, int tmp)
{
	if (v < NVREGS)
		return R6 + v;
	vget(c, v, tmp);
	return tmp;
}

/* Jump to label if a condition known now to be v is when, as a
 * conditional jump on the constant all the same: the verifier refuses
 * code its check of the program's shape finds unreachable, such as the
 * rest of a clause after `x && 0` jumped over it, or the else branch
 * whose only way in was a jump never emitted. */
static void const_jump(struct cg *c, bool v, bool when, int label)
{
	emit_mov_imm(c->e, R0, v);
	emit_jmp_imm(c->e, when ? BPF_JNE : BPF_JEQ, R0, 0, label);
}

/* The register holding v for one read before v is popped: r0 itself when
 * v was just copied from r0. */
static int vtake(struct cg *c, int v, int tmp)
{
	if (v < NVREGS && emit_take_mov(c->e, R6 + v, R0))
		return R0;
	return vreg(c, v, tmp);
}

/* Compare two strings: r0 = <0, 0, >0. */
static void gen_strcmp(struct cg *c, struct node *l, struct node *r)
{
	int a = gen_str(c, l, -1);
	int b = gen_str(c, r, -1);
	sptr(c, R1, a);
	sptr(c, R2, b);
	int cap = c->d->opt.strsize;
	int ca = l->type->size, cb = r->type->size;
	int lim = ca < cb ? ca : cb;
	if (lim > cap)
		lim = cap;
	str_compare(c, lim);
}

/* s == "literal": jump to ne at the first word that differs, fall through
 * when equal.  The words run up to and including the literal's NUL, 8
 * bytes at a time, with no loop and no helper. */
static void streq_lit(struct cg *c, struct node *s, struct node *lit, int ne)
{
	struct emit *e = c->e;
	int n = (int)lit->len + 1;
	if (s->type->size < n) {	/* the string cannot be that long */
		const_jump(c, true, true, ne);
		return;
	}
	int a = gen_str(c, s, -1);
	for (int got = 0; got < n;) {
		int rem = n - got;
		/* never past the literal's NUL: the buffer may end there */
		int sz = rem >= 8 ? BPF_DW : rem >= 4 ? BPF_W : rem >= 2 ? BPF_H : BPF_B;
		int bytes = sz == BPF_DW ? 8 : sz == BPF_W ? 4 : sz == BPF_H ? 2 : 1;
		uint64_t w = 0;
		for (int j = 0; j < bytes; j++) {
			unsigned char ch = got + j < (int)lit->len ?
				(unsigned char)lit->str[got + j] : 0;
			w |= (uint64_t)ch << (8 * j);
		}
		emit_ldx(e, sz, R1, R9, a + got);
		if (w <= INT32_MAX) {
			emit_jmp_imm(e, BPF_JNE, R1, (int32_t)w, ne);
		} else {
			emit_ld_imm64(e, R2, w);
			emit_jmp_reg(e, BPF_JNE, R1, R2, ne);
		}
		got += bytes;
	}
}

/* Jump to label when `l op r` is `when`, strings compared as strings. */
static void cmp_jumps(struct cg *c, struct node *n, bool when, int label)
{
	struct emit *e = c->e;
	int op = when ? n->op : cmp_negate(n->op);
	struct node *l = n->l, *r = n->r;
	int save = c->soff;

	if (type_is_string(l->type)) {
		if ((op == T_EQ || op == T_NE) &&
		    (r->kind == N_STR || l->kind == N_STR)) {
			struct node *lit = r->kind == N_STR ? r : l;
			struct node *s = lit == r ? l : r;
			if (op == T_NE) {
				streq_lit(c, s, lit, label);
			} else {
				int ne = emit_label(e);
				streq_lit(c, s, lit, ne);
				emit_ja(e, label);
				emit_place(e, ne);
			}
		} else {
			gen_strcmp(c, l, r);
			emit_jmp_imm(e, cmp_jump(op, true), R0, 0, label);
		}
		c->soff = save;
		return;
	}
	bool sign = cmp_signed(n);
	if (imm_const(l) && !imm_const(r)) {
		struct node *t = l;
		l = r;
		r = t;
		op = cmp_mirror(op);
	}
	int a = gen(c, l);
	if (imm_const(r)) {
		emit_jmp_imm(e, cmp_jump(op, sign), vtake(c, a, R0),
			     (int32_t)r->cval, label);
	} else {
		int b = gen(c, r);
		int rb = vtake(c, b, R1);
		int ra = vreg(c, a, rb == R0 ? R1 : R0);
		emit_jmp_reg(e, cmp_jump(op, sign), ra, rb, label);
		vpop(c);
	}
	vpop(c);
}

/* c ? l : r tests as l or r does when its value is one of theirs, not
 * narrowed to a type where a nonzero value could become 0. */
static bool ternary_tests(const struct node *n)
{
	const struct type *t = n->type, *l = n->l->type, *r = n->r->type;
	return t && l && r && type_is_scalar(t) && type_is_scalar(l) &&
	       type_is_scalar(r) && l->size <= t->size && r->size <= t->size;
}

static bool is_const(const struct node *n)
{
	return n->isconst && n->type && type_is_scalar(n->type);
}

void cond_jump(struct cg *c, struct node *n, bool when, int label)
{
	struct emit *e = c->e;
	if (is_const(n)) {
		const_jump(c, n->cval != 0, when, label);
		return;
	}
	if (n->kind == N_UNARY && n->op == '!') {
		cond_jump(c, n->l, !when, label);
		return;
	}
	if (n->kind == N_BINARY && (n->op == T_AND || n->op == T_OR)) {
		/* && jumps out when false from either side, || when true;
		 * the other way round, the left side skips the right */
		bool out = n->op == T_OR;
		if (is_const(n->l)) {	/* a tool's flag */
			if ((n->l->cval != 0) == out)	/* decides it */
				const_jump(c, out, when, label);
			else
				cond_jump(c, n->r, when, label);
			return;
		}
		if (when == out) {
			cond_jump(c, n->l, when, label);
			cond_jump(c, n->r, when, label);
		} else {
			int skip = emit_label(e);
			cond_jump(c, n->l, out, skip);
			cond_jump(c, n->r, when, label);
			emit_place(e, skip);
		}
		return;
	}
	if (n->kind == N_BINARY && is_cmp(n->op)) {
		cmp_jumps(c, n, when, label);
		return;
	}
	if (n->kind == N_TERNARY && ternary_tests(n)) {
		if (n->c->isconst) {
			cond_jump(c, n->c->cval ? n->l : n->r, when, label);
			return;
		}
		int els = emit_label(e), done = emit_label(e);
		cond_jump(c, n->c, false, els);
		cond_jump(c, n->l, when, label);
		emit_ja(e, done);
		emit_place(e, els);
		cond_jump(c, n->r, when, label);
		emit_place(e, done);
		return;
	}
	int v = gen(c, n);
	emit_jmp_imm(e, when ? BPF_JNE : BPF_JEQ, vtake(c, v, R0), 0, label);
	vpop(c);
}

bool is_cond(const struct node *n)
{
	return (n->kind == N_UNARY && n->op == '!') ||
	       (n->kind == N_BINARY &&
		(n->op == T_AND || n->op == T_OR || is_cmp(n->op)));
}

int gen_cond_value(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int done = emit_label(e);
	if (c->depth == 0) {
		/* r6 = 1 before the test, which runs above it */
		int v = vpush(c, n->loc);
		emit_mov_imm(e, R6, 1);
		cond_jump(c, n, true, done);
		emit_mov_imm(e, R6, 0);
		emit_place(e, done);
		return v;
	}
	int yes = emit_label(e);
	cond_jump(c, n, true, yes);
	int v = vpush(c, n->loc);
	int r = v < NVREGS ? R6 + v : R0;
	emit_mov_imm(e, r, 0);
	emit_ja(e, done);
	emit_place(e, yes);
	emit_mov_imm(e, r, 1);
	emit_place(e, done);
	vset(c, v, r);
	return v;
}
