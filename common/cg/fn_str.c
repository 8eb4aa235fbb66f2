/* fn_str.c - D's string subroutines, each its check and then its code
 * (strtok's are fn_strtok.c's); the table is funcs.c.
 *
 * Strings are NUL-terminated buffers in the scratch map.  Loops live in
 * subprograms bounded by strsize (codegen_str.c), so the verifier sees
 * them end; the one nested search (strstr and friends) runs its outer loop
 * through bpf_loop, whose callback the verifier checks once instead of
 * once per position.  Every variable offset is clamped before it is used,
 * and the scratch map keeps 2 * strsize bytes of slack after the last
 * buffer (gen_program) so a bounded read past a short string stays inside
 * it.
 */
#include <errno.h>
#include <linux/bpf.h>
#include "cg.h"
#include "fn.h"
#include "sema.h"

void check_copyinstr(struct sema *s, struct node *n)
{
	want_scalar(s, n, 0);
	if (n->nargs > 1)
		want_int(s, n, 1, "size_t");
	n->type = sema_string(s, 0);
}

/* copyinstr(addr [, max]) */
void gen_copyinstr(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	int v = gen(c, n->args[0]);
	int lim = cap;
	if (n->nargs > 1 && n->args[1]->isconst &&
	    n->args[1]->cval > 0 && n->args[1]->cval < cap)
		lim = (int)n->args[1]->cval + 1;
	vpop_into(c, v, R3);
	emit_stx(e, BPF_DW, R10, R3, FP_K2);
	read_into(c, BPF_FUNC_probe_read_user_str, dst, lim);
	int ok = emit_label(e);
	emit_jmp_imm(e, BPF_JSGE, R0, 0, ok);
	if (c->d->opt.emptyonfault) {
		/* -x emptyonfault (a dtk extension, for tools
		 * that must print every event): "" and go on */
		emit_st(e, BPF_B, R9, dst, 0);
	} else {
		emit_ldx(e, BPF_DW, R3, R10, FP_K2);
		fault(c, n->loc, R3, EFAULT);
	}
	emit_place(e, ok);
}

void check_strlen(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = &t_ulong;
}

/* dst = the string at scratch a from index r0 on, or "" when r0 < 0
 * (strchr, strrchr, strstr) */
static void tail_from(struct cg *c, int dst, int a)
{
	struct emit *e = c->e;
	int none = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, BPF_JSLT, R0, 0, none);
	clamp(c, R0, strsize(c));
	emit_mov_reg(e, R4, R9);
	emit_alu64_imm(e, BPF_ADD, R4, a);
	emit_alu64_reg(e, BPF_ADD, R4, R0);
	emit_mov_imm(e, R5, strsize(c));
	copy_n(c, dst, R4, R5);
	emit_ja(e, done);
	emit_place(e, none);
	emit_st(e, BPF_B, R9, dst, 0);
	emit_place(e, done);
}

/* r0 = position of t in s at or after start (last one if last), -1 */
static void search(struct cg *c, int a, int b, int v_start, bool last)
{
	struct emit *e = c->e;
	int skip = emit_label(e);
	emit_st(e, BPF_DW, R10, FP_SEARCH + 24, -1);
	strlen_at(c, b);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + 16);
	strlen_at(c, a);
	emit_ldx(e, BPF_DW, R1, R10, FP_SEARCH + 16);
	emit_alu64_reg(e, BPF_SUB, R0, R1);		/* positions - 1 */
	emit_jmp_imm(e, BPF_JSLT, R0, 0, skip);
	emit_alu64_imm(e, BPF_ADD, R0, 1);
	/* s + start, and fewer positions */
	emit_mov_reg(e, R1, R9);
	emit_alu64_imm(e, BPF_ADD, R1, a);
	if (v_start >= 0) {
		vget(c, v_start, R2);
		int pos = emit_label(e);
		emit_jmp_imm(e, BPF_JSGE, R2, 0, pos);
		emit_mov_imm(e, R2, 0);
		emit_place(e, pos);
		emit_jmp_reg(e, BPF_JSGE, R2, R0, skip);
		clamp(c, R2, strsize(c));
		emit_alu64_reg(e, BPF_ADD, R1, R2);
		emit_alu64_reg(e, BPF_SUB, R0, R2);
		emit_stx(e, BPF_DW, R10, R2, FP_K2);
	}
	emit_stx(e, BPF_DW, R10, R1, FP_SEARCH);
	sptr(c, R1, b);
	emit_stx(e, BPF_DW, R10, R1, FP_SEARCH + 8);
	emit_mov_reg(e, R1, R0);
	clamp(c, R1, strsize(c));
	emit_ld_func(e, R2, sp_label(c, SP_STRSTR));
	fptr(c, R3, FP_SEARCH);
	/* the callback returns 1 (stop) at a match, or 0 to look further;
	 * for rindex it records every match and never stops early */
	emit_st(e, BPF_DW, R10, FP_SEARCH + 24, last ? -2 : -1);
	emit_mov_imm(e, R4, 0);
	call(c, BPF_FUNC_loop);
	emit_place(e, skip);
	emit_ldx(e, BPF_DW, R0, R10, FP_SEARCH + 24);
	if (last) {
		/* -2 marked "keep looking": no match is -1 */
		int found = emit_label(e);
		emit_jmp_imm(e, BPF_JSGE, R0, 0, found);
		emit_mov_imm(e, R0, -1);
		emit_place(e, found);
	}
	if (v_start >= 0) {
		int none = emit_label(e);
		emit_jmp_imm(e, BPF_JSLT, R0, 0, none);
		emit_ldx(e, BPF_DW, R1, R10, FP_K2);
		emit_alu64_reg(e, BPF_ADD, R0, R1);
		emit_place(e, none);
	}
}

int gen_strlen(struct cg *c, struct node *n)
{
	struct node **a = n->args;

	int s = gen_str(c, a[0], -1);
	sptr(c, R1, s);
	call_subprog(c, SP_STRLEN);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

/* strstr(s, t), strjoin(s, t) */
void check_str_str(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_str(s, n, 1);
	n->type = sema_string(s, 0);
}

/* strstr(s, t): s from the first t, or "" */
void gen_strstr(struct cg *c, struct node *n, int dst)
{
	int a = gen_str(c, n->args[0], -1);
	int b = gen_str(c, n->args[1], -1);
	search(c, a, b, -1, false);
	tail_from(c, dst, a);
}

/* strjoin(a, b) */
void gen_strjoin(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	/* copy a, find its length, append b */
	int a = gen_str(c, n->args[0], -1);
	int b = gen_str(c, n->args[1], -1);
	int tmp = salloc(c, cap, n->loc);
	str_copy(c, tmp, a, str_cap(n->args[0]->type));
	sptr(c, R1, tmp);
	call_subprog(c, SP_STRLEN);
	/* r0 = len(a) < cap; append b at tmp + len */
	emit_alu64_imm(e, BPF_AND, R0, cap - 1 > 0 ? 0x7fff : 0);
	int bad = emit_label(e);
	emit_jmp_imm(e, BPF_JGE, R0, cap, bad);
	emit_mov_reg(e, R1, R9);
	emit_alu64_imm(e, BPF_ADD, R1, tmp);
	emit_alu64_reg(e, BPF_ADD, R1, R0);
	emit_mov_imm(e, R2, cap);
	emit_alu64_reg(e, BPF_SUB, R2, R0);
	sptr(c, R3, b);
	call(c, BPF_FUNC_probe_read_kernel_str);
	emit_place(e, bad);
	str_copy(c, dst, tmp, cap);
	/* keep it terminated when b was cut */
	emit_st(e, BPF_B, R9, dst + cap - 1, 0);
}

/* strchr(s, c), strrchr(s, c) */
void check_strchr(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_int(s, n, 1, "char");
	n->type = sema_string(s, 0);
}

/* strchr(s, ch) / strrchr(s, ch): s from the first/last ch, or "" */
void gen_strchr(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	bool last = n->fn->param == PARAM_LAST;
	int a = gen_str(c, n->args[0], -1);
	int v = gen(c, n->args[1]);
	if (last)
		strlen_at(c, a);
	emit_mov_reg(e, R5, R0);
	vget(c, v, R4);
	find_char(c, a, R4, R5, last);
	vpop(c);
	tail_from(c, dst, a);
}

/* index(s, t[, start]), rindex(s, t[, start]) */
void check_index(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_str(s, n, 1);
	if (n->nargs > 2)
		want_int(s, n, 2, "int");
	n->type = &t_int;
}

/* index(s, t [, start]), rindex(s, t [, start]) */
int gen_index(struct cg *c, struct node *n)
{
	int a = gen_str(c, n->args[0], -1);
	int b = gen_str(c, n->args[1], -1);
	int vs = n->nargs > 2 ? gen(c, n->args[2]) : -1;
	search(c, a, b, vs, n->fn->param == PARAM_LAST);
	if (vs >= 0)
		vpop(c);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

void check_substr(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	want_int(s, n, 1, "int");
	if (n->nargs > 2)
		want_int(s, n, 2, "int");
	n->type = sema_string(s, 0);
}

/* substr(s, i [, n]) as DTrace: a negative i counts from the end, a
 * negative n leaves that many characters off the end. */
void gen_substr(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int a = gen_str(c, n->args[0], -1);
	strlen_at(c, a);
	int vlen = vpush(c, n->loc);
	vset(c, vlen, R0);
	int vi = gen(c, n->args[1]);
	int vn = -1;
	if (n->nargs > 2)
		vn = gen(c, n->args[2]);
	/* r6.. are the value stack; work in r1-r5 after loading */
	vget(c, vlen, R4);			/* r4 = len */
	vget(c, vi, R5);				/* r5 = i */
	int pos = emit_label(e), inrange = emit_label(e);
	emit_jmp_imm(e, BPF_JSGE, R5, 0, pos);
	emit_alu64_reg(e, BPF_ADD, R5, R4);	/* i += len */
	emit_jmp_imm(e, BPF_JSGE, R5, 0, pos);
	emit_mov_imm(e, R5, 0);
	emit_place(e, pos);
	emit_jmp_reg(e, BPF_JSLE, R5, R4, inrange);
	emit_mov_reg(e, R5, R4);			/* i = len: "" */
	emit_place(e, inrange);
	/* r3 = count */
	emit_mov_reg(e, R3, R4);
	emit_alu64_reg(e, BPF_SUB, R3, R5);	/* len - i */
	if (vn >= 0) {
		int neg = emit_label(e), done = emit_label(e);
		vget(c, vn, R0);
		emit_jmp_imm(e, BPF_JSLT, R0, 0, neg);
		emit_jmp_reg(e, BPF_JSGE, R0, R3, done);
		emit_mov_reg(e, R3, R0);
		emit_ja(e, done);
		emit_place(e, neg);
		emit_alu64_reg(e, BPF_ADD, R3, R0);	/* leave -n off the end */
		emit_jmp_imm(e, BPF_JSGE, R3, 0, done);
		emit_mov_imm(e, R3, 0);
		emit_place(e, done);
		vpop(c);
	}
	vpop(c);
	vpop(c);
	/* src = a + i */
	emit_mov_reg(e, R0, R9);
	emit_alu64_imm(e, BPF_ADD, R0, a);
	clamp(c, R5, strsize(c));
	emit_alu64_reg(e, BPF_ADD, R0, R5);
	copy_n(c, dst, R0, R3);
}

/* basename( ), dirname( ), toupper( ), tolower( ), cleanpath( ) */
void check_str(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = sema_string(s, 0);
}

/* basename and dirname as DTrace (and POSIX) define them:
 *	"/usr/lib/"  -> "lib", "/usr"      "usr" -> "usr", "."
 *	"/"          -> "/", "/"           ""    -> ".", "." */
void gen_path_part(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	bool base = n->fn->param == PARAM_BASE;
	int a = gen_str(c, n->args[0], -1);
	int dot = emit_label(e), slash = emit_label(e), done = emit_label(e);
	strlen_at(c, a);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, dot);
	/* end = length without trailing slashes (at least 1) */
	emit_mov_reg(e, R5, R0);
	rstrip(c, a, R5);
	emit_stx(e, BPF_DW, R10, R0, FP_K2);	/* end */
	/* last slash before end */
	emit_mov_reg(e, R5, R0);
	emit_mov_imm(e, R4, '/');
	find_char(c, a, R4, R5, true);
	emit_ldx(e, BPF_DW, R2, R10, FP_K2);
	if (base) {
		/* only slashes: "/" */
		int notroot = emit_label(e);
		emit_jmp_imm(e, BPF_JNE, R2, 1, notroot);
		emit_ldx(e, BPF_B, R3, R9, a);
		emit_jmp_imm(e, BPF_JEQ, R3, '/', slash);
		emit_place(e, notroot);
		/* copy (last, end) */
		emit_alu64_imm(e, BPF_ADD, R0, 1);	/* -1 -> 0 */
		clamp(c, R0, strsize(c));
		emit_alu64_reg(e, BPF_SUB, R2, R0);	/* count */
		emit_mov_reg(e, R4, R9);
		emit_alu64_imm(e, BPF_ADD, R4, a);
		emit_alu64_reg(e, BPF_ADD, R4, R0);
		emit_mov_reg(e, R5, R2);
		copy_n(c, dst, R4, R5);
		emit_ja(e, done);
	} else {
		/* no slash: "."; slash at 0: "/"; else up to it, stripped */
		emit_jmp_imm(e, BPF_JSLT, R0, 0, dot);
		emit_jmp_imm(e, BPF_JEQ, R0, 0, slash);
		emit_mov_reg(e, R5, R0);
		rstrip(c, a, R5);
		emit_mov_reg(e, R5, R0);
		emit_mov_reg(e, R4, R9);
		emit_alu64_imm(e, BPF_ADD, R4, a);
		copy_n(c, dst, R4, R5);
		emit_ja(e, done);
	}
	emit_place(e, slash);
	store_literal(c, dst, "/", 1);
	emit_ja(e, done);
	emit_place(e, dot);
	store_literal(c, dst, ".", 1);
	emit_place(e, done);
}

/* toupper(s), tolower(s) */
void gen_case(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int a = gen_str(c, n->args[0], -1);
	str_copy(c, dst, a, strsize(c));
	emit_mov_imm(e, R4, n->fn->param == PARAM_LOWER);
	emit_stx(e, BPF_DW, R10, R4, FP_SEARCH + CTX_ARG);
	sptr(c, R0, dst);
	emit_stx(e, BPF_DW, R10, R0, FP_SEARCH + CTX_S);
	emit_mov_imm(e, R1, strsize(c));
	loop_call(c, SP_CASE);
}

void check_strtoll(struct sema *s, struct node *n)
{
	want_str(s, n, 0);
	n->type = &t_llong;
}

/* strtoll(s [, base]) */
int gen_strtoll(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int a = gen_str(c, n->args[0], -1);
	int base = 10;
	if (n->nargs > 1) {
		if (!n->args[1]->isconst || n->args[1]->cval < 2 ||
		    n->args[1]->cval > 36)
			FAIL(c, n->loc, "strtoll( ) base must be a constant "
			     "from 2 to 36");
		base = (int)n->args[1]->cval;
	}
	/* sign, then digits until the first that is not one */
	sptr(c, R1, a);
	emit_mov_imm(e, R2, base);
	call_subprog(c, SP_STRTOLL);
	int v = vpush(c, n->loc);
	vset(c, v, R0);
	return v;
}

void check_lltostr(struct sema *s, struct node *n)
{
	want_int(s, n, 0, "int64_t");
	n->type = sema_string(s, 24);
}

/* lltostr(x [, base]) */
void gen_lltostr(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	/* digits written backwards into a 24-byte buffer at fixed
	 * places, then the used tail copied out */
	int base = 10;
	if (n->nargs > 1) {
		if (!n->args[1]->isconst || n->args[1]->cval < 2 ||
		    n->args[1]->cval > 36)
			FAIL(c, n->loc, "lltostr( ) base must be a constant "
			     "from 2 to 36");
		base = (int)n->args[1]->cval;
	}
	int buf = salloc(c, 72, n->loc);
	int v = gen(c, n->args[0]);
	vpop_into(c, v, R0);
	emit_mov_imm(e, R5, 0);			/* negative? */
	int pos = emit_label(e);
	if (base == 10) {
		emit_jmp_imm(e, BPF_JSGE, R0, 0, pos);
		emit_alu64_imm(e, BPF_NEG, R0, 0);
		emit_mov_imm(e, R5, 1);
	}
	emit_place(e, pos);
	emit_st(e, BPF_B, R9, buf + 70, 0);
	emit_mov_imm(e, R4, 70);			/* start of the digits */
	int end = emit_label(e);
	for (int i = 0; i < 66; i++) {
		emit_mov_reg(e, R1, R0);
		emit_alu64_imm(e, BPF_MOD, R1, base);
		emit_alu64_imm(e, BPF_ADD, R1, '0');
		int dig = emit_label(e);
		emit_jmp_imm(e, BPF_JLE, R1, '9', dig);
		emit_alu64_imm(e, BPF_ADD, R1, 'a' - '0' - 10);
		emit_place(e, dig);
		emit_stx(e, BPF_B, R9, R1, buf + 69 - i);
		emit_mov_imm(e, R4, 69 - i);
		emit_alu64_imm(e, BPF_DIV, R0, base);
		emit_jmp_imm(e, BPF_JEQ, R0, 0, end);
	}
	emit_place(e, end);
	int nosign = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R5, 0, nosign);
	emit_alu64_imm(e, BPF_SUB, R4, 1);
	clamp(c, R4, 70);
	emit_mov_reg(e, R1, R9);
	emit_alu64_imm(e, BPF_ADD, R1, buf);
	emit_alu64_reg(e, BPF_ADD, R1, R4);
	emit_st(e, BPF_B, R1, 0, '-');
	emit_place(e, nosign);
	clamp(c, R4, 70);
	emit_mov_imm(e, R5, 71);
	emit_alu64_reg(e, BPF_SUB, R5, R4);
	emit_mov_reg(e, R3, R9);
	emit_alu64_imm(e, BPF_ADD, R3, buf);
	emit_alu64_reg(e, BPF_ADD, R3, R4);
	copy_n(c, dst, R3, R5);
}
