/* codegen_expr.c - the expression walker: an expression to the value
 * stack (gen), a string to scratch (gen_str), an object's address
 * (gen_addr), conditions as jumps (cond_jump), and the variables they read
 * and store.  Every other generator calls these; they reach a D function's
 * generator only through its entry (n->fn, cg/funcs.c).
 *
 * Integers are 64-bit in registers and truncated/extended when a narrower
 * type is loaded or cast.  Strings never sit in registers: a string
 * expression is generated into the scratch buffer and named by its offset.
 * Pointers are plain numbers: every dereference goes through
 * bpf_probe_read_{kernel,user}, so a bad address is a reported fault, never
 * a verifier rejection.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>
#include "builtins.h"
#include "cg.h"
#include "codegen.h"
#include "codegen_stack.h"
#include "lex.h"

static void psinfo_task(struct cg *c, struct node *base);
static void gen_str_plus(struct cg *c, struct node *n, int dst);

/* p[i] = v, *p = v, p->m = v: the address and the value, then the store
 * (codegen_store.c) */
static int gen_mem_store(struct cg *c, struct node *n)
{
	int a = gen_addr(c, n->l);	/* p[i], *p, p->m, p->name[i] */
	int v = gen(c, n->r);
	return mem_store(c, n, a, v);
}

/* r1 = &a[i] of a declared array (int a[5]) */
static void array_elem(struct cg *c, struct node *n)
{
	int i = gen(c, n->args[0]);
	vpop_into(c, i, R1);
	array_elem_at(c, n);
}

/* Scalar self-> variables share one task-storage map, a value holding
 * them all (y->off in it): the thread's own slot, found from its task
 * struct (no hash, no key), looked up once per program run (self_ptr), so
 * that a clause reading or writing several of them pays one lookup, not
 * one per variable.  The kernel frees a thread's value when the thread
 * ends.  Storing 0 frees the variable as in D: the value goes when all of
 * its variables are 0. */
bool self_packed(const struct sym *y)
{
	return y->kind == S_SELF && !type_is_string(y->type) &&
	       y->type->size <= 8;
}

/* r0 = bpf_task_storage_get(self map, current, NULL, flags) */
static void self_get(struct cg *c, int flags)
{
	struct emit *e = c->e;
	cur_task(c);
	emit_mov_reg(e, R2, R0);
	ld_map(c, R1, c->self_map);
	emit_mov_imm(e, R3, 0);
	emit_mov_imm(e, R4, flags);
	call(c, BPF_FUNC_task_storage_get);
}

static void self_lookup(struct cg *c)
{
	self_get(c, 0);
}

/* r0 = this thread's value of the packed self map, or 0 */
static void self_ptr(struct cg *c)
{
	slot_cached(c, SCRATCH_SELFST, FP_SELF, FACT_SELF_SET, FACT_SELF_ZERO,
		    self_lookup);
}

/* self->y = value stack entry v, for a packed y */
static void self_store(struct cg *c, struct sym *y, int v, struct loc loc)
{
	(void)loc;
	struct emit *e = c->e;
	int create = emit_label(e), done = emit_label(e);
	self_ptr(c);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, create);
	vget(c, v, R1);
	emit_stx(e, BPF_DW, R0, R1, y->off);
	emit_jmp_imm(e, BPF_JNE, R1, 0, done);
	/* a 0 stored: free the value if nothing else is set (its words
	 * or-ed together and tested once: a test a word would be a branch
	 * a word for the verifier to walk) */
	emit_ldx(e, BPF_DW, R1, R0, 0);
	for (int off = 8; off < c->self_size; off += 8) {
		emit_ldx(e, BPF_DW, R2, R0, off);
		emit_alu64_reg(e, BPF_OR, R1, R2);
	}
	emit_jmp_imm(e, BPF_JNE, R1, 0, done);
	cur_task(c);
	emit_mov_reg(e, R2, R0);
	ld_map(c, R1, c->self_map);
	call(c, BPF_FUNC_task_storage_delete);
	emit_st(e, BPF_DW, R10, FP_SELF, 0);
	emit_ja(e, done);
	/* no value yet: 0 is already what reads give; else make one (the
	 * kernel zeroes it) */
	emit_place(e, create);
	vget(c, v, R1);
	emit_jmp_imm(e, BPF_JEQ, R1, 0, done);
	self_get(c, BPF_LOCAL_STORAGE_GET_F_CREATE);
	int made = emit_label(e);
	emit_jmp_imm(e, BPF_JNE, R0, 0, made);
	count_drop(c, DROP_DYNVAR);
	emit_ja(e, done);
	emit_place(e, made);
	emit_stx(e, BPF_DW, R10, R0, FP_SELF);
	vget(c, v, R1);
	emit_stx(e, BPF_DW, R0, R1, y->off);
	emit_place(e, done);
}

static int var_map(struct cg *c, struct sym *y)
{
	if (y->map >= 0)
		return y->map;
	int vsize = (y->type->size + 7) & ~7;
	if (vsize == 0)
		vsize = 8;
	char name[16];
	snprintf(name, sizeof name, "%.14s", y->name);
	int max;
	switch (y->kind) {
	case S_SELF:
		max = (int)(c->d->opt.dynvarsize / (8 + vsize + 64));
		if (max < 64)
			max = 64;
		y->keysize = 8;
		y->map = map_add(c, MR_SELF, BPF_MAP_TYPE_HASH, 8, vsize, max, name);
		break;
	case S_ASSOC: {
		int ks = sym_keysize(y);
		max = (int)(c->d->opt.dynvarsize / (ks + vsize + 64));
		if (max < 64)
			max = 64;
		y->map = map_add(c, MR_ASSOC, BPF_MAP_TYPE_HASH, ks, vsize, max, name);
		break;
	}
	default:
		break;
	}
	c->p->maps[y->map].sym = y;
	return y->map;
}

/* A string key n into its slot of type t at scratch offset dst, every
 * byte of the slot set: the kernel compares them all.  (sema sized the
 * slot for n: key_str_cap.) */
void gen_key_str(struct cg *c, struct node *n, const struct type *t, int dst)
{
	struct emit *e = c->e;
	int slot = (t->size + 7) & ~7;
	if (t->synth == SYN_SYSNUM) {
		/* the syscall number stands for probefunc's name */
		if (n->kind == N_STR) {
			emit_st(e, BPF_DW, R9, dst,
				syscall_nr(c->d->probes, n->str));
			return;
		}
		if (!c->b->sub_syscall)
			FAIL(c, n->loc, "internal error: probefunc key off a "
			     "syscall probe");
		emit_ldx(e, BPF_W, R0, R10, FP_SUB);
		emit_stx(e, BPF_DW, R9, R0, dst);
		return;
	}
	/* get_current_comm pads its 16 bytes with NULs: nothing to zero */
	bool fills = n->kind == N_IDENT && !n->sym && n->builtin == B_EXECNAME &&
		     slot == 16;
	if (!fills)
		for (int i = 0; i < slot; i += 8)
			emit_st(e, BPF_DW, R9, dst + i, 0);
	gen_str(c, n, dst);
}

/* Build a map key for keys[] in scratch; returns its offset. */
void gen_key_scalar(struct cg *c, struct node *key, struct type *t, int at)
{
	struct emit *e = c->e;
	int v;

	if (t->k == TY_SYMADDR && t->user) {
		/* a user address is named in its process: the pid first */
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_alu64_imm(e, BPF_RSH, R0, 32);
		emit_stx(e, BPF_DW, R9, R0, at);
		at += 8;
	}
	v = gen(c, key);
	vpop_into(c, v, R0);
	emit_stx(e, BPF_DW, R9, R0, at);
}

int gen_key(struct cg *c, struct node **keys, int nkeys, struct type **kt,
		   int keysize, struct loc loc)
{
	struct emit *e = c->e;
	int k = salloc(c, keysize, loc);
	int off = 0;
	for (int i = 0; i < nkeys; i++) {
		struct type *t = kt[i];
		if (type_is_string(t)) {
			gen_key_str(c, keys[i], t, k + off);
		} else if (t->k == TY_STACK && !t->user) {
			for (int j = 0; j < t->size; j += 8)
				emit_st(e, BPF_DW, R9, k + off + j, 0);
			gen_kstack_key(c, t, k + off);
		} else if (t->k == TY_STACK) {
			FAIL(c, keys[i]->loc, "ustack( ) keys are only for "
			     "aggregations");
		} else {
			gen_key_scalar(c, keys[i], t, k + off);
		}
		off += (t->size + 7) & ~7;
	}
	if (nkeys == 0)
		emit_st(e, BPF_DW, R9, k, 0);
	return k;
}

/* r0 = pointer to the variable's storage, or 0 if it has none yet.
 * Global variables always have storage. */
static void var_lookup(struct cg *c, struct node *n, struct sym *y, int *keyoff)
{
	struct emit *e = c->e;
	switch (y->kind) {
	case S_GLOBAL:
		emit_ld_map_value(e, R0, c->globals_map, y->off);
		break;
	case S_THIS:
		sptr(c, R0, y->off);
		break;
	case S_SELF:
		if (self_packed(y)) {
			int none = emit_label(e);
			self_ptr(c);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
			if (y->off)
				emit_alu64_imm(e, BPF_ADD, R0, y->off);
			emit_place(e, none);
			if (keyoff)
				*keyoff = -1;
			break;
		}
		var_map(c, y);
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(e, BPF_DW, R10, R0, FP_K1);
		map_lookup_fp(c, y->map, FP_K1);
		if (keyoff)
			*keyoff = -1;
		break;
	case S_ASSOC: {
		var_map(c, y);
		int k = gen_key(c, n->args, n->nargs, y->keys, y->keysize, n->loc);
		if (keyoff)
			*keyoff = k;
		map_lookup_scratch(c, y->map, k);
		break;
	}
	default:
		FAIL(c, n->loc, "internal error: not a variable");
	}
}

/* r0 = table[i]: an array map the loader fills (0 outside the table) */
static void gen_table(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->sym;
	if (y->map < 0) {
		char name[16];
		snprintf(name, sizeof name, "%.15s", y->name);
		/* one element, the whole table: read through its address
		 * (a direct value load), not a map lookup a call */
		y->map = map_add(c, MR_TABLE, BPF_MAP_TYPE_ARRAY, 4,
				 8 * y->ntable, 1, name);
		c->p->maps[y->map].sym = y;
	}
	int v = gen(c, n->args[0]);
	vpop_into(c, v, R0);
	int none = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, BPF_JGE, R0, y->ntable, none);	/* negatives too */
	emit_alu64_imm(e, BPF_LSH, R0, 3);
	emit_ld_map_value(e, R1, y->map, 0);
	emit_alu64_reg(e, BPF_ADD, R1, R0);
	emit_ldx(e, BPF_DW, R0, R1, 0);
	emit_ja(e, done);
	emit_place(e, none);
	emit_mov_imm(e, R0, 0);
	emit_place(e, done);
}

static void var_read_int(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	struct sym *y = n->sym;
	var_lookup(c, n, y, NULL);
	int sz = y->type->size > 8 || y->type->size == 0 ? 8 : y->type->size;
	if (y->kind == S_THIS || y->kind == S_GLOBAL) {
		/* always there: no test the verifier would only find dead */
		emit_ldx(e, size_code(sz), R0, R0, 0);
		normalize_reg(c, R0, y->type);
		return;
	}
	int none = emit_label(e), done = emit_label(e);
	emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
	emit_ldx(e, size_code(sz), R0, R0, 0);
	normalize_reg(c, R0, y->type);
	emit_ja(e, done);
	emit_place(e, none);
	emit_mov_imm(e, R0, 0);
	emit_place(e, done);
}

/* r2 = a map-backed variable's key: the thread id at FP_K1 (self->, when
 * keyoff < 0) or the key built in scratch */
static void var_key(struct cg *c, int keyoff)
{
	if (keyoff < 0)
		fptr(c, R2, FP_K1);
	else
		sptr(c, R2, keyoff);
}

/* The variable's map entry = the value at scratch valoff; a full map
 * counts a dynamic variable drop, as DTrace reports them. */
static void var_update(struct cg *c, struct sym *y, int keyoff, int valoff)
{
	struct emit *e = c->e;
	ld_map(c, R1, y->map);
	var_key(c, keyoff);
	sptr(c, R3, valoff);
	emit_mov_imm(e, R4, BPF_ANY);
	call(c, BPF_FUNC_map_update_elem);
	count_drop_if_failed(c, DROP_DYNVAR);
}

/* Delete a map-backed (self-> or associative) variable's entry. */
static void var_delete(struct cg *c, struct node *lhs)
{
	struct sym *y = lhs->sym;
	int keyoff = -1;
	var_map(c, y);
	if (y->kind == S_SELF) {
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(c->e, BPF_DW, R10, R0, FP_K1);
	} else {
		keyoff = gen_key(c, lhs->args, lhs->nargs, y->keys, y->keysize,
				 lhs->loc);
	}
	ld_map(c, R1, y->map);
	var_key(c, keyoff);
	call(c, BPF_FUNC_map_delete_elem);
}

/* Store register val_reg (int) or the string at scratch soff into var. */
static void var_store(struct cg *c, struct node *lhs, int v, int soff)
{
	struct emit *e = c->e;
	struct sym *y = lhs->sym;
	bool isstr = type_is_string(y->type);
	int vsize = isstr ? y->type->size : 8;
	if (y->kind == S_GLOBAL && lhs->kind == N_INDEX) {
		array_elem(c, lhs);		/* int a[5]; a[i] = v */
		vget(c, v, R0);
		emit_stx(e, size_code(lhs->type->size), R1, R0, 0);
		return;
	}
	if (y->kind == S_GLOBAL || y->kind == S_THIS) {
		if (isstr) {
			var_lookup(c, lhs, y, NULL);
			emit_mov_reg(e, R1, R0);
			emit_mov_imm(e, R2, vsize);
			sptr(c, R3, soff);
			call(c, BPF_FUNC_probe_read_kernel);
		} else {
			if (y->kind == S_GLOBAL)
				emit_ld_map_value(e, R1, c->globals_map, y->off);
			else
				sptr(c, R1, y->off);
			vget(c, v, R0);
			int sz = y->type->size > 8 || !y->type->size ? 8 : y->type->size;
			emit_stx(e, size_code(sz), R1, R0, 0);
		}
		return;
	}
	if (self_packed(y)) {
		self_store(c, y, v, lhs->loc);
		return;
	}
	/* map-backed: self-> and associative arrays */
	var_map(c, y);
	int keyoff = -1;
	if (y->kind == S_SELF) {
		call(c, BPF_FUNC_get_current_pid_tgid);
		emit_stx(e, BPF_DW, R10, R0, FP_K1);
	} else {
		keyoff = gen_key(c, lhs->args, lhs->nargs, y->keys, y->keysize,
				 lhs->loc);
	}
	int valoff;
	if (isstr) {
		valoff = soff;
	} else {
		valoff = salloc(c, 8, lhs->loc);
		vget(c, v, R0);
		emit_stx(e, BPF_DW, R9, R0, valoff);
		/* assigning 0 frees the variable (D semantics) */
		int keep = emit_label(e), done = emit_label(e);
		emit_jmp_imm(e, BPF_JNE, R0, 0, keep);
		ld_map(c, R1, y->map);
		var_key(c, keyoff);
		call(c, BPF_FUNC_map_delete_elem);
		emit_ja(e, done);
		emit_place(e, keep);
		var_update(c, y, keyoff, valoff);
		emit_place(e, done);
		return;
	}
	var_update(c, y, keyoff, valoff);
}

int str_cap(const struct type *t)
{
	return t->k == TY_ARRAY ? t->size : t->size;
}

/* Generate a string into scratch; returns the offset where it is.  If dst
 * >= 0 the string ends up exactly there. */
int gen_str(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	int cap = c->d->opt.strsize;
	switch (n->kind) {
	case N_STR:
		if (dst < 0)
			dst = salloc(c, n->type->size, n->loc);
		store_literal(c, dst, n->str, n->type->size - 1);
		return dst;
	case N_IDENT:
		if (n->sym && n->sym->kind == S_GLOBAL) {
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			emit_ld_map_value(e, R3, c->globals_map, n->sym->off);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, cap);
			return dst;
		}
		switch (n->builtin) {
		case B_EXECNAME:
			if (dst < 0)
				dst = salloc(c, 16, n->loc);
			sptr(c, R1, dst);
			emit_mov_imm(e, R2, 16);
			call(c, BPF_FUNC_get_current_comm);
			return dst;
		case B_PROBEFUNC: case B_PROBENAME: case B_PROBEMOD: case B_PROBEPROV:
			if (dst < 0)
				dst = salloc(c, 64, n->loc);
			probe_string(c, n, dst);
			return dst;
		case B_CWD: case B_ROOTDIR:
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			gen_cwd(c, n, dst, cap);
			return dst;
		default:
			break;
		}
		break;
	case N_THIS:
		if (dst < 0)
			return n->sym->off;
		str_copy(c, dst, n->sym->off, n->sym->type->size);
		return dst;
	case N_SELF: case N_INDEX:
		if (n->kind == N_INDEX && !(n->sym && n->sym->kind == S_ASSOC))
			break;
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		{
			struct sym *y = n->sym;
			var_lookup(c, n, y, NULL);
			int none = emit_label(e), done = emit_label(e);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, none);
			emit_mov_reg(e, R3, R0);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, y->type->size);
			emit_ja(e, done);
			emit_place(e, none);
			emit_st(e, BPF_B, R9, dst, 0);
			emit_place(e, done);
		}
		return dst;
	case N_CALL:
		if (!n->fn->gen_str)
			FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		n->fn->gen_str(c, n, dst);
		return dst;
	case N_STRINGOF: case N_CAST:
		if (type_is_string(n->l->type))
			return gen_str(c, n->l, dst);
		if (n->l->kind == N_CALL && (n->l->fn->flags & FN_BYTES)) {
			/* stringof(copyin(addr, size)) with a size known only
			 * at run time (dtruss: the bytes read() returned):
			 * the bytes themselves, NULs included, clamped to the
			 * string's capacity less one, then a NUL.  A bad
			 * address reads as "" (probe_read_user zero-fills). */
			struct node **ca = n->l->args;
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			int p = gen(c, ca[0]);
			int s = gen(c, ca[1]);
			vget(c, s, R2);
			clamp_to(c, R2, true, cap - 1);
			emit_stx(e, BPF_DW, R10, R2, FP_K2);
			vpop_into(c, p, R3);
			vpop(c);
			uread(c, dst, ca[1]->isconst && ca[1]->cval >= 0 &&
			      ca[1]->cval < cap - 1 ? (int)ca[1]->cval : cap - 1,
			      true);
			emit_ldx(e, BPF_DW, R2, R10, FP_K2);
			int skip = emit_label(e);
			emit_jmp_imm(e, BPF_JGT, R2, cap - 1, skip);	/* for the verifier */
			sptr(c, R1, dst);
			emit_alu64_reg(e, BPF_ADD, R1, R2);
			emit_st(e, BPF_B, R1, 0, 0);
			emit_place(e, skip);
			return dst;
		}
		{
			/* a kernel char *: read its string */
			if (dst < 0)
				dst = salloc(c, cap, n->loc);
			int v = gen(c, n->l);
			vpop_into(c, v, R3);
			sptr(c, R1, dst);
			emit_mov_imm(e, R2, cap);
			bool user = n->l->type->k == TY_PTR && n->l->type->user;
			emit_stx(e, BPF_DW, R10, R3, FP_K2);
			call(c, user ? BPF_FUNC_probe_read_user_str
				     : BPF_FUNC_probe_read_kernel_str);
			/* an address that cannot be read is DTrace's
			 * invalid address fault (strlen(0)) */
			int ok = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, R0, 0, ok);
			emit_ldx(e, BPF_DW, R3, R10, FP_K2);
			fault(c, n->loc, R3, EFAULT);
			emit_place(e, ok);
			return dst;
		}
	case N_TERNARY: {
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		if (n->c->isconst) {	/* a tool's flag: only one side exists */
			gen_str(c, n->c->cval ? n->l : n->r, dst);
			return dst;
		}
		int els = emit_label(e), done = emit_label(e);
		cond_jump(c, n->c, false, els);
		gen_str(c, n->l, dst);
		emit_ja(e, done);
		emit_place(e, els);
		gen_str(c, n->r, dst);
		emit_place(e, done);
		return dst;
	}
	case N_BINARY:		/* s + i: the checker typed it a string */
		if (dst < 0)
			dst = salloc(c, cap, n->loc);
		gen_str_plus(c, n, dst);
		return dst;
	case N_MEMBER: case N_PTRMEMBER:
		if (n->l->type->k == TY_PTR && n->l->type->elem->synth) {
			int cap2 = n->member.ps == PS_PR_FNAME ? 16 : cap;
			if (dst < 0)
				dst = salloc(c, cap2, n->loc);
			psinfo_task(c, n->l);
			gen_psinfo_str(c, n, dst, cap2);
			return dst;
		}
		if (n->type->k == TY_ARRAY) {
			/* a char array inside a kernel struct */
			if (dst < 0)
				dst = salloc(c, n->type->size + 1, n->loc);
			int v = gen(c, n->l);
			vpop_into(c, v, R3);
			if (n->kind == N_PTRMEMBER && n->member.off)
				emit_alu64_imm(e, BPF_ADD, R3, n->member.off);
			read_into(c, BPF_FUNC_probe_read_kernel, dst, n->type->size);
			emit_st(e, BPF_B, R9, dst + n->type->size, 0);
			return dst;
		}
		break;
	default:
		break;
	}
	FAIL(c, n->loc, "this string expression is not supported yet");
}

static int binop_code(int op, bool sign)
{
	switch (op) {
	case '+': case T_ADD_EQ: return BPF_ADD;
	case '-': case T_SUB_EQ: return BPF_SUB;
	case '*': case T_MUL_EQ: return BPF_MUL;
	case '/': case T_DIV_EQ: return BPF_DIV;
	case '%': case T_MOD_EQ: return BPF_MOD;
	case '&': case T_AND_EQ: return BPF_AND;
	case '|': case T_OR_EQ: return BPF_OR;
	case '^': case T_XOR_EQ: return BPF_XOR;
	case T_SHL: case T_SHL_EQ: return BPF_LSH;
	case T_SHR: case T_SHR_EQ: return sign ? BPF_ARSH : BPF_RSH;
	}
	return -1;
}

/* r0 = r0 op r1 for integer type t, with DTrace's semantics for signed
 * division (BPF only divides unsigned) and a reported error on division by
 * zero. */
static void arith(struct cg *c, int op, const struct type *t, struct loc loc)
{
	struct emit *e = c->e;
	int code = binop_code(op, t->sign);
	if (code == BPF_DIV || code == BPF_MOD) {
		int ok = emit_label(e);
		emit_jmp_imm(e, BPF_JNE, R1, 0, ok);
		emit_mov_imm(e, R3, 0);
		fault(c, loc, R3, EDOM);
		emit_place(e, ok);
		if (t->sign) {
			/* |a| op |b|, then fix the sign as C does */
			emit_mov_reg(e, R2, R0);		/* a */
			emit_mov_reg(e, R3, R1);		/* b */
			int pa = emit_label(e), pb = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, R0, 0, pa);
			emit_alu64_imm(e, BPF_NEG, R0, 0);
			emit_place(e, pa);
			emit_jmp_imm(e, BPF_JSGE, R1, 0, pb);
			emit_alu64_imm(e, BPF_NEG, R1, 0);
			emit_place(e, pb);
			emit_alu64_reg(e, code, R0, R1);
			/* negative if the signs differ, the remainder too:
			 * dtrace-utils computes 19 % -5 as -4 at run time
			 * (dt_cg_arithmetic_op), where C says 4 */
			emit_alu64_reg(e, BPF_XOR, R2, R3);
			int pos = emit_label(e);
			emit_jmp_imm(e, BPF_JSGE, R2, 0, pos);
			emit_alu64_imm(e, BPF_NEG, R0, 0);
			emit_place(e, pos);
		} else {
			emit_alu64_reg(e, code, R0, R1);
		}
	} else {
		emit_alu64_reg(e, code, R0, R1);
	}
	normalize_reg(c, R0, t);
}

/* Whether n's value is one of type t's already, so that storing it needs
 * no truncation: a condition's 0 or 1, or a constant in t's range. */
static bool fits_type(const struct node *n, const struct type *t)
{
	if (!t || t->k != TY_INT || t->size >= 8 || is_cond(n))
		return true;
	if (!n->isconst || !n->type || !type_is_scalar(n->type))
		return false;
	int bits = 8 * t->size - (t->sign ? 1 : 0);
	int64_t lo = t->sign ? -((int64_t)1 << bits) : 0;
	return n->cval >= lo && n->cval < ((int64_t)1 << bits);
}

/* Whether r0 op k, for a constant k, can take k as an immediate: not
 * for division, where arith() checks the signs and zero, nor for shifts
 * the verifier refuses. */
static bool arith_imm_ok(int op, const struct type *t, const struct node *k)
{
	int code = binop_code(op, t->sign);
	if (!k->isconst || !k->type || !type_is_scalar(k->type) ||
	    k->cval != (int32_t)k->cval || code < 0 || code == BPF_DIV ||
	    code == BPF_MOD)
		return false;
	return (code != BPF_LSH && code != BPF_RSH && code != BPF_ARSH) ||
	       (k->cval >= 0 && k->cval < 64);
}

static bool ptr_is_user(const struct type *t)
{
	return t->k == TY_PTR && t->user;
}

/* An array member (p->name) is its address where it is subscripted */
static bool addressable_array(const struct node *n)
{
	return n->type->k == TY_ARRAY && (n->kind == N_PTRMEMBER ||
		n->kind == N_MEMBER || n->kind == N_INDEX);
}

/* Push the address of the object n names in memory: p->m, s.m, *p, p[i]
 * and an array member subscripted (p->name[i]). */
/* r0 = the address of element n (p[i], a[i]); the base's value slot is
 * left pushed (the index's is popped), for the caller to fill or pop. */
static int element_addr(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int es = n->type->size ? n->type->size : 1;
	int v = addressable_array(n->l) ? gen_addr(c, n->l) : gen(c, n->l);
	int i = gen(c, n->args[0]);
	vget(c, i, R1);
	if (es > 1)
		emit_alu64_imm(e, BPF_MUL, R1, es);
	vget(c, v, R0);
	emit_alu64_reg(e, BPF_ADD, R0, R1);
	vpop(c);
	return v;
}

int gen_addr(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	int v;

	switch (n->kind) {
	case N_PTRMEMBER: case N_MEMBER:
		v = n->kind == N_MEMBER ? gen_addr(c, n->l) : gen(c, n->l);
		if (n->member.off) {
			vget(c, v, R0);
			emit_alu64_imm(e, BPF_ADD, R0, n->member.off);
			vset(c, v, R0);
		}
		return v;
	case N_UNARY:
		if (n->op == '*')
			return gen(c, n->l);
		break;
	case N_INDEX:
		v = element_addr(c, n);
		vset(c, v, R0);
		return v;
	default:
		break;
	}
	FAIL(c, n->loc, "this expression has no address in memory");
}

/* ++x, x++, --x, x--: value slot to = the value at from one step on (a
 * pointer's step is its pointee's size), stored back into x */
static void step_store(struct cg *c, struct node *n, int from, int to)
{
	int step = n->type->k == TY_PTR && n->type->elem->size ?
		n->type->elem->size : 1;
	vget(c, from, R0);
	emit_alu64_imm(c->e, n->op == T_INC ? BPF_ADD : BPF_SUB, R0, step);
	normalize_reg(c, R0, n->type);
	vset(c, to, R0);
	var_store(c, n->l, to, -1);
}

int gen(struct cg *c, struct node *n)
{
	struct emit *e = c->e;
	if (n->isconst && n->type && type_is_scalar(n->type)) {
		int v = vpush(c, n->loc);
		ld_const(c, R0, n->cval);
		vset(c, v, R0);
		return v;
	}
	switch (n->kind) {
	case N_INT: {
		int v = vpush(c, n->loc);
		ld_const(c, R0, (int64_t)n->ival);
		vset(c, v, R0);
		return v;
	}
	case N_IDENT: {
		int v;
		if (n->sym && n->sym->kind == S_GLOBAL) {
			var_read_int(c, n);
		} else {
			gen_builtin(c, n);
			if (!builtin_normal(n))
				normalize_reg(c, R0, n->type);
		}
		v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_SELF: case N_THIS: {
		var_read_int(c, n);
		int v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_INDEX: {
		if (n->sym && n->sym->kind == S_TABLE) {
			gen_table(c, n);
		} else if (n->sym && n->sym->kind == S_ASSOC) {
			var_read_int(c, n);
		} else if (n->sym && n->sym->kind == S_GLOBAL) {
			array_elem(c, n);		/* int a[5]; a[i] */
			emit_ldx(e, size_code(n->type->size), R0, R1, 0);
			normalize_reg(c, R0, n->type);
		} else if (n->l->kind == N_IDENT && !n->l->sym &&
			   (n->l->builtin == B_ARGS || n->l->builtin == B_UREGS)) {
			/* the checker made the subscript a constant */
			if (n->l->builtin == B_UREGS)
				gen_uregs(c, (int)n->args[0]->cval);
			else
				gen_arg(c, (int)n->args[0]->cval, n->loc);
			normalize_reg(c, R0, n->type);
		} else {
			/* pointer or array subscript */
			int es = n->type->size ? n->type->size : 1;
			element_addr(c, n);
			vpop(c);
			emit_mov_reg(e, R1, R0);
			deref(c, R1, es > 8 ? 8 : es, ptr_is_user(n->l->type), n->loc);
			normalize_reg(c, R0, n->type);
		}
		int v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_UNARY: {
		if (n->op == T_INC || n->op == T_DEC) {
			int v = gen(c, n->l);
			step_store(c, n, v, v);
			return v;
		}
		if (n->op == '*') {
			int v = gen(c, n->l);
			vget(c, v, R1);
			int sz = n->type->size > 8 || !n->type->size ? 8 : n->type->size;
			deref(c, R1, sz, ptr_is_user(n->l->type), n->loc);
			normalize_reg(c, R0, n->type);
			vset(c, v, R0);
			return v;
		}
		if (is_cond(n))
			return gen_cond_value(c, n);	/* ! */
		int v = gen(c, n->l);
		vget(c, v, R0);
		switch (n->op) {
		case '-': emit_alu64_imm(e, BPF_NEG, R0, 0); break;
		case '~': emit_alu64_imm(e, BPF_XOR, R0, -1); break;
		default: break;
		}
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_POSTFIX: {
		int v = gen(c, n->l);
		int t = vpush(c, n->loc);
		step_store(c, n, v, t);
		vpop(c);
		return v;	/* the old value */
	}
	case N_BINARY: {
		int op = n->op;
		if (is_cond(n))	/* && || and comparisons */
			return gen_cond_value(c, n);
		if (op == T_XOR) {
			int a = gen(c, n->l), b = gen(c, n->r);
			vget(c, a, R0);
			vpop_into(c, b, R1);
			int z1 = emit_label(e), z2 = emit_label(e);
			emit_mov_imm(e, R2, 0);
			emit_jmp_imm(e, BPF_JEQ, R0, 0, z1);
			emit_mov_imm(e, R2, 1);
			emit_place(e, z1);
			emit_mov_imm(e, R3, 0);
			emit_jmp_imm(e, BPF_JEQ, R1, 0, z2);
			emit_mov_imm(e, R3, 1);
			emit_place(e, z2);
			emit_alu64_reg(e, BPF_XOR, R2, R3);
			vset(c, a, R2);
			return a;
		}
		if (n->type->k != TY_PTR && arith_imm_ok(op, n->type, n->r)) {
			int a = gen(c, n->l);
			vget(c, a, R0);
			emit_alu64_imm(e, binop_code(op, n->type->sign), R0,
				       (int32_t)n->r->cval);
			normalize_reg(c, R0, n->type);
			vset(c, a, R0);
			return a;
		}
		int a = gen(c, n->l), b = gen(c, n->r);
		vget(c, a, R0);
		vpop_into(c, b, R1);
		if (n->type->k == TY_PTR) {
			/* pointer arithmetic scales by the pointee's size */
			struct node *pn = n->l->type->k == TY_PTR ? n->l : n->r;
			int es = pn->type->elem->size ? pn->type->elem->size : 1;
			if (es > 1) {
				if (pn == n->l)
					emit_alu64_imm(e, BPF_MUL, R1, es);
				else
					emit_alu64_imm(e, BPF_MUL, R0, es);
			}
			emit_alu64_reg(e, op == '+' ? BPF_ADD : BPF_SUB, R0, R1);
		} else {
			arith(c, op, n->type, n->loc);
		}
		vset(c, a, R0);
		return a;
	}
	case N_ASSIGN: {
		struct node *l = n->l;
		if (n->assign == AS_MEM)
			return gen_mem_store(c, n);
		if (n->assign == AS_FREE) {
			/* string variable = 0: free it */
			var_delete(c, l);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		if (type_is_string(l->type)) {
			int s = gen_str(c, n->r, -1);
			var_store(c, l, -1, s);
			int v = vpush(c, n->loc);
			emit_mov_imm(e, R0, 0);
			vset(c, v, R0);
			return v;
		}
		int v;
		if (n->op == '=') {
			v = gen(c, n->r);
			if (!fits_type(n->r, l->type)) {
				vget(c, v, R0);
				normalize_reg(c, R0, l->type);
				vset(c, v, R0);
			}
		} else if (l->type->k != TY_PTR &&
			   arith_imm_ok(n->op, l->type, n->r)) {
			v = gen(c, l);
			vget(c, v, R0);
			emit_alu64_imm(e, binop_code(n->op, l->type->sign), R0,
				       (int32_t)n->r->cval);
			normalize_reg(c, R0, l->type);
			vset(c, v, R0);
		} else {
			int a = gen(c, l);
			int b = gen(c, n->r);
			vget(c, a, R0);
			vpop_into(c, b, R1);
			if (l->type->k == TY_PTR)
				emit_alu64_reg(e, n->op == T_ADD_EQ ? BPF_ADD : BPF_SUB, R0, R1);
			else
				arith(c, n->op, l->type, n->loc);
			vset(c, a, R0);
			v = a;
		}
		var_store(c, l, v, -1);
		return v;
	}
	case N_TERNARY: {
		if (n->type->k == TY_VOID)	/* a statement (gen_stmt) */
			FAIL(c, n->loc, "a void expression has no value");
		if (n->c->isconst) {
			/* OPT_cpu ? vtimestamp : 0: the other side is never
			 * generated (nor the probes it would need) */
			int v = gen(c, n->c->cval ? n->l : n->r);
			vget(c, v, R0);
			normalize_reg(c, R0, n->type);
			vset(c, v, R0);
			return v;
		}
		int els = emit_label(e), done = emit_label(e);
		cond_jump(c, n->c, false, els);
		int v = gen(c, n->l);
		vpop_into(c, v, R0);
		emit_ja(e, done);
		emit_place(e, els);
		int w = gen(c, n->r);
		vpop_into(c, w, R0);
		emit_place(e, done);
		v = vpush(c, n->loc);
		vset(c, v, R0);
		return v;
	}
	case N_CAST: {
		int v = gen(c, n->l);
		vget(c, v, R0);
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_CALL:
		if (!n->fn->gen)
			FAIL(c, n->loc, "%s( ) is not supported yet", n->name);
		return n->fn->gen(c, n);
	case N_MEMBER: case N_PTRMEMBER: {
		struct type *bt = n->l->type;
		if (bt->k == TY_PTR && bt->elem->synth) {
			psinfo_task(c, n->l);
			gen_psinfo(c, n);
			int v = vpush(c, n->loc);
			vset(c, v, R0);
			return v;
		}
		/* s.m: the member of the struct s is in memory at */
		int v = n->kind == N_MEMBER ? gen_addr(c, n->l) : gen(c, n->l);
		vget(c, v, R1);
		int size = n->type->size > 8 ? 8 : n->type->size;
		int bits = n->member.bit_size, shift = n->member.bit_off;
		if (bits)
			size = 8;
		if (n->member.off)
			emit_alu64_imm(e, BPF_ADD, R1, n->member.off);
		deref(c, R1, size ? size : 8, false, n->loc);
		if (bits) {
			emit_alu64_imm(e, BPF_LSH, R0, 64 - shift - bits);
			emit_alu64_imm(e, BPF_RSH, R0, 64 - bits);
		}
		normalize_reg(c, R0, n->type);
		vset(c, v, R0);
		return v;
	}
	case N_STRINGOF: case N_STR:
		FAIL(c, n->loc, "a string is not a number here");
	default:
		FAIL(c, n->loc, "this expression is not supported yet");
	}
}

/* The task a psinfo_t/lwpsinfo_t expression describes, in r0: curpsinfo
 * is the current task; a proc probe's args[] carry the task the probe is
 * about (the child of create, the target of signal-send). */
static void psinfo_task(struct cg *c, struct node *base)
{
	if (base->kind == N_IDENT && !base->sym &&
	    (base->builtin == B_CURPSINFO || base->builtin == B_CURLWPSINFO)) {
		call(c, BPF_FUNC_get_current_task);
		return;
	}
	int v = gen(c, base);
	vpop_into(c, v, R0);
}

/* s + i (or i + s): the string from its character i on, as a char * moved
 * by i would read it; i is kept within [0, strlen(s)]. */
static void gen_str_plus(struct cg *c, struct node *n, int dst)
{
	struct emit *e = c->e;
	bool left = type_is_string(n->l->type);
	int a = gen_str(c, left ? n->l : n->r, -1);
	strlen_at(c, a);
	int vlen = vpush(c, n->loc);
	vset(c, vlen, R0);
	int vi = gen(c, left ? n->r : n->l);
	int pos = emit_label(e), inrange = emit_label(e);
	vget(c, vlen, R4);			/* r4 = len */
	vget(c, vi, R5);				/* r5 = i */
	vpop(c);
	vpop(c);
	emit_jmp_imm(e, BPF_JSGE, R5, 0, pos);
	emit_mov_imm(e, R5, 0);
	emit_place(e, pos);
	emit_jmp_reg(e, BPF_JSLE, R5, R4, inrange);
	emit_mov_reg(e, R5, R4);
	emit_place(e, inrange);
	emit_mov_reg(e, R3, R4);
	emit_alu64_reg(e, BPF_SUB, R3, R5);	/* count = len - i */
	emit_mov_reg(e, R0, R9);
	emit_alu64_imm(e, BPF_ADD, R0, a);
	clamp(c, R5, c->d->opt.strsize);
	emit_alu64_reg(e, BPF_ADD, R0, R5);
	copy_n(c, dst, R0, R3);
}

/* ---- conditions compiled as jumps ----
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
