/* peep.c - a clean-up pass over a finished BPF program.
 *
 * The code generator works one expression at a time through a value stack
 * (r6-r8, then the frame): it moves every value through r0, materializes a
 * comparison as 0 or 1 before testing it, and loads constants it could
 * know.  This pass removes what that leaves behind, over the whole
 * program, in rounds until nothing changes:
 *
 *   forward, one basic block at a time (what is known is forgotten at each
 *   jump target): a move of a value a register already holds goes;
 *   arithmetic on known constants becomes a move of the result; a test
 *   whose outcome is known becomes a jump or goes; a jump to a test whose
 *   outcome is known on that path goes straight to where the test leads
 *   (so `x = a == b; if (x)` ends as one test);
 *   unreachable instructions go (a subprogram only its dead code called
 *   goes with them);
 *   backward, register liveness: an instruction whose only effect is to
 *   set a register nothing reads goes.
 *
 * Only registers are reasoned about, never memory, and only instructions
 * without side effects are removed, so the program does what it did.  A
 * program with an instruction this pass does not know is left as it is.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "peep.h"

#define LDIMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define OP_JCOND 0xe0		/* may_goto: not known here */
#define ATOMIC_LOAD_ACQ 0x100	/* load-acquire, store-release */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80		/* sign-extending load (linux 6.6) */
#endif
#define MAXHOPS 8
#define NSLOTS 64		/* the 512-byte frame */

static int cls(const struct bpf_insn *in) { return BPF_CLASS(in->code); }
static bool is_jmp(const struct bpf_insn *in)
{
	return cls(in) == BPF_JMP || cls(in) == BPF_JMP32;
}
static bool is_call(const struct bpf_insn *in)
{
	return cls(in) == BPF_JMP && BPF_OP(in->code) == BPF_CALL;
}
static bool is_exit(const struct bpf_insn *in)
{
	return cls(in) == BPF_JMP && BPF_OP(in->code) == BPF_EXIT;
}
static bool is_ja(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_JA);
}
static bool is_cond(const struct bpf_insn *in)
{
	return is_jmp(in) && !is_call(in) && !is_exit(in) && !is_ja(in);
}
static bool is_func_ld(const struct bpf_insn *in)
{
	return in->code == LDIMM64 && in->src_reg == BPF_PSEUDO_FUNC;
}
/* a call's or a callback load's target, -1 if none */
static int sub_target(const struct bpf_insn *in, int i)
{
	if ((is_call(in) && in->src_reg == BPF_PSEUDO_CALL) || is_func_ld(in))
		return i + 1 + in->imm;
	return -1;
}
static int width(const struct bpf_insn *in)
{
	return in->code == LDIMM64 ? 2 : 1;
}
static bool fits32(int64_t v) { return v == (int64_t)(int32_t)v; }

/* Every instruction is one this pass understands. */
static bool known_program(const struct bpf_insn *insn, int n)
{
	for (int i = 0; i < n; i += width(&insn[i])) {
		const struct bpf_insn *in = &insn[i];
		switch (cls(in)) {
		case BPF_LD:
			if (in->code != LDIMM64 || i + 1 >= n)
				return false;
			break;
		case BPF_LDX: case BPF_ST:
			if (BPF_MODE(in->code) != BPF_MEM &&
			    BPF_MODE(in->code) != BPF_MEMSX)
				return false;
			break;
		case BPF_STX:
			if (BPF_MODE(in->code) != BPF_MEM &&
			    !(BPF_MODE(in->code) == BPF_ATOMIC &&
			      in->imm < ATOMIC_LOAD_ACQ))
				return false;
			break;
		case BPF_JMP: case BPF_JMP32:
			if (BPF_OP(in->code) == OP_JCOND ||
			    (cls(in) == BPF_JMP32 && BPF_OP(in->code) == BPF_JA))
				return false;
			if (cls(in) == BPF_JMP32 && (is_call(in) || is_exit(in)))
				return false;
			break;
		default:	/* ALU, ALU64 */
			break;
		}
	}
	return true;
}

/* The argument registers a helper reads, as bits: the helpers dtk calls,
 * and all five for any other. */
static unsigned helper_args(int id)
{
	switch (id) {
	case BPF_FUNC_get_current_pid_tgid: case BPF_FUNC_get_current_task:
	case BPF_FUNC_get_current_task_btf: case BPF_FUNC_ktime_get_ns:
	case BPF_FUNC_get_smp_processor_id: case BPF_FUNC_get_current_uid_gid:
	case BPF_FUNC_get_prandom_u32: case BPF_FUNC_get_current_cgroup_id:
		return 0;
	case BPF_FUNC_task_pt_regs: case BPF_FUNC_get_attach_cookie:
	case BPF_FUNC_send_signal:
		return 0x2;
	case BPF_FUNC_map_lookup_elem: case BPF_FUNC_map_delete_elem:
	case BPF_FUNC_get_current_comm: case BPF_FUNC_ringbuf_query:
	case BPF_FUNC_task_storage_delete:
		return 0x6;
	case BPF_FUNC_probe_read_kernel: case BPF_FUNC_probe_read_kernel_str:
	case BPF_FUNC_probe_read_user: case BPF_FUNC_probe_read_user_str:
	case BPF_FUNC_probe_write_user:
		return 0xe;
	case BPF_FUNC_ringbuf_output: case BPF_FUNC_map_update_elem:
	case BPF_FUNC_loop: case BPF_FUNC_get_stack:
	case BPF_FUNC_task_storage_get:
		return 0x1e;
	default:
		return 0x3e;
	}
}

/* The registers an instruction reads (over-approximated, which is safe)
 * and the one it surely writes (under-approximated, also safe), as bits. */
static void usedef(const struct bpf_insn *in, unsigned *use, unsigned *def)
{
	unsigned u = 0, d = 0, dst = 1u << in->dst_reg, src = 1u << in->src_reg;
	int op = BPF_OP(in->code);
	switch (cls(in)) {
	case BPF_ALU: case BPF_ALU64:
		if (op == BPF_END || op == BPF_NEG) {
			u = dst;
		} else {
			u = op == BPF_MOV ? 0 : dst;
			if (BPF_SRC(in->code) == BPF_X)
				u |= src;
		}
		d = dst;
		break;
	case BPF_LD:
		d = dst;
		break;
	case BPF_LDX:
		u = src;
		d = dst;
		break;
	case BPF_ST:
		u = dst;
		break;
	case BPF_STX:
		u = dst | src;
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			if (in->imm == (BPF_CMPXCHG))
				u |= 1, d = 1;
			else if (in->imm & BPF_FETCH)
				d = src;
		}
		break;
	default:		/* jumps */
		if (is_call(in)) {
			u = in->src_reg == 0 ? helper_args(in->imm) : 0x3e;
			d = 0x3f;		/* r0, and r1-r5 clobbered */
		} else if (is_exit(in)) {
			u = 1;
		} else if (!is_ja(in)) {
			u = dst | (BPF_SRC(in->code) == BPF_X ? src : 0);
		}
		break;
	}
	*use = u;
	*def = d;
}

/* ---- forward: constants and copies within a basic block ---- */

struct regs {
	bool known[11];
	int64_t val[11];
	int vn[11];		/* equal numbers: equal values */
	int from[11];		/* the register it was copied from, or -1 */
	/* the register is base[r] (while it holds value number bvn[r]) plus
	 * boff[r]; base -1: not known to be */
	int base[11], bvn[11];
	int64_t boff[11];
	/* the frame's 8-byte slots (fp - 8 * (k + 1)): a known value, or the
	 * number of a register value they hold (0: none) */
	bool sknown[NSLOTS];
	int64_t sval[NSLOTS];
	int svn[NSLOTS];
};

struct pass {
	struct bpf_insn *insn;
	int n;
	bool *dead;		/* goes at the next compaction */
	bool *leader;		/* a jump lands here */
	unsigned *live;		/* liveness( ) as the forward pass began */
	int nextvn;
	bool changed;
};

static void forget(struct pass *p, struct regs *r, int reg)
{
	r->known[reg] = false;
	r->vn[reg] = ++p->nextvn;
	r->from[reg] = -1;
	r->base[reg] = -1;
}

static void forget_slots(struct regs *r)
{
	memset(r->sknown, 0, sizeof r->sknown);
	memset(r->svn, 0, sizeof r->svn);
}

static void forget_all(struct pass *p, struct regs *r)
{
	for (int i = 0; i < 11; i++)
		forget(p, r, i);
	forget_slots(r);
}

/* The slot of an 8-byte access at fp + off, or -1 (then any slot it
 * touches is forgotten when it is a store) */
static int slot_of(struct regs *r, int off, int size, bool store)
{
	if (off < -8 * NSLOTS || off >= 0)
		return -1;
	int first = (-off - 1) / 8, last = (-(off + size)) / 8;
	if (size == 8 && off % 8 == 0)
		return first;
	if (store)
		for (int k = last < 0 ? 0 : last; k <= first && k < NSLOTS; k++)
			r->sknown[k] = false, r->svn[k] = 0;
	return -1;
}

static int size_bytes(int code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

/* A load or store: what the frame's slots hold.  Returns true if the
 * instruction goes (a load of what its register holds already). */
static bool track_mem(struct pass *p, struct bpf_insn *in, struct regs *r)
{
	int c = cls(in), size = size_bytes(in->code), k;
	if (c == BPF_LDX) {
		int d = in->dst_reg;
		k = in->src_reg == 10 && BPF_MODE(in->code) == BPF_MEM ?
			slot_of(r, in->off, size, false) : -1;
		if (k >= 0 && ((r->svn[k] && r->vn[d] == r->svn[k]) ||
			       (r->sknown[k] && r->known[d] &&
				r->val[d] == r->sval[k])))
			return true;
		forget(p, r, d);
		if (k < 0)
			return false;
		if (r->svn[k])
			r->vn[d] = r->svn[k];
		else
			r->svn[k] = r->vn[d];
		r->known[d] = r->sknown[k];
		r->val[d] = r->sval[k];
		return false;
	}
	if (in->dst_reg != 10 || (c == BPF_STX && BPF_MODE(in->code) != BPF_MEM)) {
		forget_slots(r);	/* through a pointer: maybe the frame */
		return false;
	}
	k = slot_of(r, in->off, size, true);
	if (k < 0)
		return false;
	if (c == BPF_ST) {
		r->sknown[k] = true;
		r->sval[k] = in->imm;
		r->svn[k] = 0;
	} else {
		r->sknown[k] = r->known[in->src_reg];
		r->sval[k] = r->val[in->src_reg];
		r->svn[k] = r->vn[in->src_reg];
	}
	return false;
}

static bool alu64_eval(int op, int64_t a, int64_t b, int64_t *out)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	switch (op) {
	case BPF_ADD: *out = (int64_t)(ua + ub); return true;
	case BPF_SUB: *out = (int64_t)(ua - ub); return true;
	case BPF_MUL: *out = (int64_t)(ua * ub); return true;
	case BPF_AND: *out = a & b; return true;
	case BPF_OR: *out = a | b; return true;
	case BPF_XOR: *out = a ^ b; return true;
	case BPF_LSH: *out = (int64_t)(ua << (ub & 63)); return true;
	case BPF_RSH: *out = (int64_t)(ua >> (ub & 63)); return true;
	case BPF_ARSH: *out = a >> (ub & 63); return true;
	case BPF_NEG: *out = (int64_t)(0 - ua); return true;
	default: return false;
	}
}

/* 1 taken, 0 not, -1 unknown */
static int cond_eval(const struct bpf_insn *in, const struct regs *r)
{
	if (!r->known[in->dst_reg])
		return -1;
	bool x = BPF_SRC(in->code) == BPF_X;
	if (x && !r->known[in->src_reg])
		return -1;
	int64_t a = r->val[in->dst_reg];
	int64_t b = x ? r->val[in->src_reg] : (int64_t)in->imm;
	if (cls(in) == BPF_JMP32) {
		a = (int32_t)a;		/* the signed view; unsigned below */
		b = (int32_t)b;
	}
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	if (cls(in) == BPF_JMP32) {
		ua = (uint32_t)ua;
		ub = (uint32_t)ub;
	}
	switch (BPF_OP(in->code)) {
	case BPF_JEQ: return ua == ub;
	case BPF_JNE: return ua != ub;
	case BPF_JGT: return ua > ub;
	case BPF_JGE: return ua >= ub;
	case BPF_JLT: return ua < ub;
	case BPF_JLE: return ua <= ub;
	case BPF_JSET: return (ua & ub) != 0;
	case BPF_JSGT: return a > b;
	case BPF_JSGE: return a >= b;
	case BPF_JSLT: return a < b;
	case BPF_JSLE: return a <= b;
	default: return -1;
	}
}

static int skip_dead(const struct pass *p, int t)
{
	while (t < p->n && p->dead[t])
		t++;
	return t;
}

/* What an ALU instruction leaves in its register, when it can be known
 * from r: true and *v, else false. */
static bool alu_result(const struct bpf_insn *in, const struct regs *r,
		       int64_t *v)
{
	int op = BPF_OP(in->code), d = in->dst_reg, s = in->src_reg;
	bool x = BPF_SRC(in->code) == BPF_X;
	if (in->off != 0 || (x && !r->known[s]))
		return false;
	int64_t b = x ? r->val[s] : (int64_t)in->imm;
	if (cls(in) == BPF_ALU) {
		if (op != BPF_MOV)
			return false;
		*v = (int64_t)(uint32_t)b;
		return true;
	}
	if (op == BPF_MOV) {
		*v = b;
		return true;
	}
	return r->known[d] && alu64_eval(op, r->val[d], b, v);
}

/* Where a jump from i to t ends up, with the registers as they are at i:
 * through jumps, tests whose way is known, and arithmetic on known values
 * that leaves every register it changes as it was (the sign extension of
 * a 0 or 1 before it is tested).  Only to an instruction already a jump
 * target or not yet visited (which then becomes one): an instruction
 * already passed may have used what its one way in knew. */
static int thread(struct pass *p, int i, int t, const struct regs *r)
{
	struct regs s = *r;
	unsigned changed = 0;
	int best = t;
	for (int hop = 0; hop < MAXHOPS; hop++) {
		int u = skip_dead(p, t);
		if (u >= p->n)
			break;
		const struct bpf_insn *in = &p->insn[u];
		int next, c = cls(in);
		int64_t v;
		if (c == BPF_ALU || c == BPF_ALU64) {
			if (!alu_result(in, &s, &v))
				break;
			s.known[in->dst_reg] = true;
			s.val[in->dst_reg] = v;
			changed |= 1u << in->dst_reg;
			t = u + 1;
			continue;
		}
		if (is_ja(in))
			next = u + 1 + in->off;
		else if (is_cond(in) && cond_eval(in, &s) >= 0)
			next = cond_eval(in, &s) ? u + 1 + in->off : u + 1;
		else
			break;
		if (next <= i && !p->leader[next])
			break;
		t = next;
		/* what the way through changed is as it was, or not read
		 * where it lands */
		bool same = true;
		for (int k = 0; k < 11; k++)
			if ((changed & (1u << k)) &&
			    (!r->known[k] || r->val[k] != s.val[k]) &&
			    (!p->live || (p->live[t] & (1u << k))))
				same = false;
		if (same)
			best = t;
	}
	return best;
}

static void retarget(struct pass *p, int i, int t)
{
	struct bpf_insn *in = &p->insn[i];
	long off = (long)t - (i + 1);
	if (t == i + 1 + in->off || off < INT16_MIN || off > INT16_MAX)
		return;
	if (t > i)
		p->leader[t] = true;
	in->off = (int16_t)off;
	p->changed = true;
}

static void drop(struct pass *p, int i)
{
	p->dead[i] = true;
	if (p->insn[i].code == LDIMM64)
		p->dead[i + 1] = true;
	p->changed = true;
}

static void set_mov_imm(struct bpf_insn *in, int64_t v)
{
	int dst = in->dst_reg;
	*in = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
				 .dst_reg = dst, .imm = (int32_t)v };
}

/* A register a use reads: the one it was copied from while both hold the
 * value (so that the copy may go). */
static int origin(const struct regs *r, int reg)
{
	int o = r->from[reg];
	return o >= 0 && r->vn[o] == r->vn[reg] ? o : reg;
}

static void forward_alu(struct pass *p, int i, struct regs *r)
{
	struct bpf_insn *in = &p->insn[i];
	int op = BPF_OP(in->code), d = in->dst_reg, s = in->src_reg;
	bool x = BPF_SRC(in->code) == BPF_X, is64 = cls(in) == BPF_ALU64;
	if (op == BPF_MOV && in->off == 0) {
		int64_t v = x ? r->val[s] : is64 ? (int64_t)in->imm :
			(int64_t)(uint32_t)in->imm;
		bool known = x ? r->known[s] : true;
		if (x && !is64) {	/* w = w: the low half */
			v = (int64_t)(uint32_t)v;
		} else if (x && (d == s || r->vn[d] == r->vn[s])) {
			drop(p, i);	/* it holds that value already */
			return;
		}
		if (known && r->known[d] && r->val[d] == v) {
			drop(p, i);
			return;
		}
		if (x && is64) {
			r->vn[d] = r->vn[s];
			r->known[d] = r->known[s];
			r->val[d] = r->val[s];
			r->from[d] = origin(r, s);
			r->base[d] = s;
			r->bvn[d] = r->vn[s];
			r->boff[d] = 0;
			if (known && fits32(v)) {	/* s may then go */
				set_mov_imm(in, v);
				p->changed = true;
			}
			return;
		}
		forget(p, r, d);
		r->known[d] = known;
		r->val[d] = v;
		return;
	}
	int64_t v;
	if (is64 && !x && in->off == 0 && !r->known[d] &&
	    (op == BPF_ADD || op == BPF_SUB) && r->base[d] >= 0) {
		/* base + k stays base + k', a new value */
		int b = r->base[d], bvn = r->bvn[d];
		int64_t k = r->boff[d] + (op == BPF_ADD ? in->imm : -(int64_t)in->imm);
		forget(p, r, d);
		r->base[d] = b;
		r->bvn[d] = bvn;
		r->boff[d] = k;
		return;
	}
	if (is64 && in->off == 0 && r->known[d] && (!x || r->known[s]) &&
	    alu64_eval(op, r->val[d], x ? r->val[s] : (int64_t)in->imm, &v)) {
		forget(p, r, d);
		r->known[d] = true;
		r->val[d] = v;
		if (fits32(v)) {
			set_mov_imm(in, v);
			p->changed = true;
		}
		return;
	}
	forget(p, r, d);
}

/* A memory access through a register known to be another plus a
 * constant goes through that other, the constant in its offset (so that
 * the sum may go). */
static int fold_base(struct pass *p, struct bpf_insn *in, int reg,
		     const struct regs *r)
{
	int b = r->base[reg];
	if (b < 0 || b == reg || r->vn[b] != r->bvn[reg])
		return reg;
	int64_t off = in->off + r->boff[reg];
	if (off < INT16_MIN || off > INT16_MAX)
		return reg;
	in->off = (int16_t)off;
	p->changed = true;
	return b;
}

/* Uses of copies read their originals; a known value that fits an
 * immediate is one. */
static void propagate(struct pass *p, struct bpf_insn *in, struct regs *r)
{
	int c = cls(in), op = BPF_OP(in->code);
	bool x = BPF_SRC(in->code) == BPF_X;
	int o;
	if (c == BPF_LDX && BPF_MODE(in->code) == BPF_MEM)
		in->src_reg = (uint8_t)fold_base(p, in, in->src_reg, r);
	if ((c == BPF_STX || c == BPF_ST) && BPF_MODE(in->code) == BPF_MEM)
		in->dst_reg = (uint8_t)fold_base(p, in, in->dst_reg, r);
	switch (c) {
	case BPF_ALU: case BPF_ALU64:
		if (!x || op == BPF_END || op == BPF_NEG || in->off != 0)
			return;
		if (op != BPF_MOV && r->known[in->src_reg] &&
		    (c == BPF_ALU || fits32(r->val[in->src_reg]))) {
			in->code = (uint8_t)(c | op | BPF_K);
			in->imm = (int32_t)r->val[in->src_reg];
			in->src_reg = 0;
			p->changed = true;
			return;
		}
		break;
	case BPF_LDX:
		break;
	case BPF_STX:
		if (BPF_MODE(in->code) != BPF_MEM)
			return;
		o = origin(r, in->dst_reg);
		if (o != in->dst_reg) {
			in->dst_reg = (uint8_t)o;
			p->changed = true;
		}
		break;
	case BPF_ST:
		o = origin(r, in->dst_reg);
		if (o != in->dst_reg) {
			in->dst_reg = (uint8_t)o;
			p->changed = true;
		}
		return;
	default:
		if (!is_cond(in))
			return;
		o = origin(r, in->dst_reg);
		if (o != in->dst_reg) {
			in->dst_reg = (uint8_t)o;
			p->changed = true;
		}
		if (!x)
			return;
		if (r->known[in->src_reg] &&
		    (c == BPF_JMP32 || fits32(r->val[in->src_reg]))) {
			in->code = (uint8_t)(c | op | BPF_K);
			in->imm = (int32_t)r->val[in->src_reg];
			in->src_reg = 0;
			p->changed = true;
			return;
		}
		break;
	}
	o = origin(r, in->src_reg);
	if (o != in->src_reg) {
		in->src_reg = (uint8_t)o;
		p->changed = true;
	}
}

/* "if c goto L; goto M; L:" is "if !c goto M; L:" */
static void invert_over_ja(struct pass *p, int i)
{
	static const struct { int op, inv; } pairs[] = {
		{ BPF_JEQ, BPF_JNE }, { BPF_JNE, BPF_JEQ }, { BPF_JGT, BPF_JLE },
		{ BPF_JLE, BPF_JGT }, { BPF_JGE, BPF_JLT }, { BPF_JLT, BPF_JGE },
		{ BPF_JSGT, BPF_JSLE }, { BPF_JSLE, BPF_JSGT },
		{ BPF_JSGE, BPF_JSLT }, { BPF_JSLT, BPF_JSGE },
	};
	struct bpf_insn *in = &p->insn[i], *ja = &p->insn[i + 1];
	if (in->off != 1 || i + 2 >= p->n || p->dead[i + 1] ||
	    p->leader[i + 1] || !is_ja(ja))
		return;
	long off = (long)ja->off + 1;
	if (off > INT16_MAX || off < INT16_MIN)
		return;
	for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
		if (BPF_OP(in->code) == pairs[k].op) {
			in->code = (uint8_t)((in->code & ~0xf0) | pairs[k].inv);
			in->off = (int16_t)off;
			drop(p, i + 1);
			return;
		}
}

static void forward_scan(struct pass *p);
static unsigned *liveness(const struct pass *p);

static void forward(struct pass *p)
{
	p->live = liveness(p);
	forward_scan(p);
	free(p->live);
	p->live = NULL;
}

static void forward_scan(struct pass *p)
{
	struct regs r;
	forget_all(p, &r);
	for (int i = 0; i < p->n; i += width(&p->insn[i])) {
		struct bpf_insn *in = &p->insn[i];
		if (p->leader[i])
			forget_all(p, &r);
		if (p->dead[i])
			continue;
		int c = cls(in);
		propagate(p, in, &r);
		if (c == BPF_ALU || c == BPF_ALU64) {
			forward_alu(p, i, &r);
		} else if (in->code == LDIMM64) {
			int d = in->dst_reg;
			if (in->src_reg != 0) {
				forget(p, &r, d);
				continue;
			}
			int64_t v = (int64_t)((uint64_t)(uint32_t)in->imm |
					      (uint64_t)in[1].imm << 32);
			if (r.known[d] && r.val[d] == v) {
				drop(p, i);
				continue;
			}
			forget(p, &r, d);
			r.known[d] = true;
			r.val[d] = v;
			if (fits32(v)) {	/* one instruction, not two */
				set_mov_imm(in, v);
				p->dead[i + 1] = true;
				p->changed = true;
			}
		} else if (is_ja(in)) {
			if (in->off == 0)
				drop(p, i);
			else
				retarget(p, i, thread(p, i, i + 1 + in->off, &r));
			forget_all(p, &r);
		} else if (is_cond(in)) {
			invert_over_ja(p, i);
			int k = cond_eval(in, &r);
			if (k == 0 || in->off == 0) {
				drop(p, i);	/* falls through either way */
				continue;
			}
			if (k == 1) {
				in->code = BPF_JMP | BPF_JA;
				in->dst_reg = in->src_reg = 0;
				in->imm = 0;
				p->changed = true;
				retarget(p, i, thread(p, i, i + 1 + in->off, &r));
				forget_all(p, &r);
				continue;
			}
			/* the taken way knows dst == imm after JEQ */
			struct regs t = r;
			bool eq = cls(in) == BPF_JMP && BPF_SRC(in->code) == BPF_K;
			if (eq && BPF_OP(in->code) == BPF_JEQ) {
				t.known[in->dst_reg] = true;
				t.val[in->dst_reg] = in->imm;
			}
			retarget(p, i, thread(p, i, i + 1 + in->off, &t));
			/* and the way on after JNE */
			if (eq && BPF_OP(in->code) == BPF_JNE) {
				r.known[in->dst_reg] = true;
				r.val[in->dst_reg] = in->imm;
			}
		} else if (c == BPF_LDX || c == BPF_ST || c == BPF_STX) {
			if (track_mem(p, in, &r))
				drop(p, i);
			if (c == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC)
				for (int k = 0; k < 10; k++)
					forget(p, &r, k);
		} else {
			unsigned use, def;
			usedef(in, &use, &def);
			if (is_call(in)) {
				def = 0x3f;
				forget_slots(&r);	/* helpers write through pointers */
			}
			for (int k = 0; k < 11; k++)
				if (def & (1u << k))
					forget(p, &r, k);
			if (is_exit(in))
				forget_all(p, &r);
		}
	}
}

static void mark_leaders(struct pass *p)
{
	memset(p->leader, 0, (size_t)p->n);
	p->leader[0] = true;
	for (int i = 0; i < p->n; i += width(&p->insn[i])) {
		const struct bpf_insn *in = &p->insn[i];
		int t = sub_target(in, i);
		if (t >= 0 && t < p->n)
			p->leader[t] = true;
		if (is_ja(in) || is_cond(in)) {
			t = i + 1 + in->off;
			if (t >= 0 && t < p->n)
				p->leader[t] = true;
		}
	}
}

/* ---- unreachable code ---- */

static void unreachable(struct pass *p)
{
	bool *seen = calloc((size_t)p->n, 1);
	int *work = malloc(sizeof *work * (size_t)p->n);
	if (!seen || !work) {
		free(seen);
		free(work);
		return;
	}
	int nw = 0;
	work[nw++] = 0;
	seen[0] = true;
	while (nw) {
		int i = work[--nw];
		const struct bpf_insn *in = &p->insn[i];
		int next[3], nn = 0;
		int t = sub_target(in, i);
		if (t >= 0)
			next[nn++] = t;
		if (is_ja(in)) {
			next[nn++] = i + 1 + in->off;
		} else if (is_cond(in)) {
			next[nn++] = i + 1 + in->off;
			next[nn++] = i + 1;
		} else if (!is_exit(in)) {
			next[nn++] = i + width(in);
		}
		for (int k = 0; k < nn; k++)
			if (next[k] >= 0 && next[k] < p->n && !seen[next[k]]) {
				seen[next[k]] = true;
				work[nw++] = next[k];
			}
	}
	for (int i = 0; i < p->n; i += width(&p->insn[i]))
		if (!seen[i])
			drop(p, i);
	free(seen);
	free(work);
}

/* ---- backward: registers nobody reads ---- */

/* The registers each instruction's execution may read before writing
 * them, from there on (live in), or NULL without memory. */
static unsigned *liveness(const struct pass *p)
{
	int n = p->n;
	unsigned *in_live = calloc((size_t)n + 1, sizeof *in_live);
	bool *second = calloc((size_t)n + 1, 1);
	if (!in_live || !second) {
		free(in_live);
		free(second);
		return NULL;
	}
	for (int i = 0; i < n; i += width(&p->insn[i]))
		if (width(&p->insn[i]) == 2)
			second[i + 1] = true;
	bool again = true;
	while (again) {
		again = false;
		for (int i = n - 1; i >= 0; i--) {
			const struct bpf_insn *in = &p->insn[i];
			if (second[i])
				continue;
			unsigned use, def, out = 0;
			usedef(in, &use, &def);
			if (is_exit(in)) {
				out = 0;
			} else if (is_ja(in)) {
				out = in_live[i + 1 + in->off];
			} else {
				int w = width(in);
				out = i + w < n ? in_live[i + w] : 0;
				if (is_cond(in))
					out |= in_live[i + 1 + in->off];
			}
			unsigned v = use | (out & ~def);
			if (v != in_live[i]) {
				in_live[i] = v;
				again = true;
			}
		}
	}
	free(second);
	return in_live;
}

static void dead_defs(struct pass *p)
{
	int n = p->n;
	unsigned *in_live = liveness(p);
	if (!in_live)
		return;
	for (int i = 0; i < n; i += width(&p->insn[i])) {
		const struct bpf_insn *in = &p->insn[i];
		int c = cls(in);
		bool pure = c == BPF_ALU || c == BPF_ALU64 || c == BPF_LDX ||
			(in->code == LDIMM64 && !is_func_ld(in));
		if (!pure || in->dst_reg == 10)
			continue;
		int w = width(in);
		unsigned out = i + w < n ? in_live[i + w] : 0;
		if (!(out & (1u << in->dst_reg)))
			drop(p, i);
	}
	free(in_live);
}

/* ---- compaction ---- */

static int compact(struct pass *p, int *map, int n0)
{
	int n = p->n;
	int *nw = malloc(sizeof *nw * ((size_t)n + 1));
	if (!nw)
		return n;
	int k = 0;
	for (int i = 0; i < n; i++) {
		nw[i] = k;
		if (!p->dead[i])
			k++;
	}
	nw[n] = k;
	/* the next kept instruction for the dead ones */
	for (int i = n - 1; i >= 0; i--)
		if (p->dead[i])
			nw[i] = nw[i + 1];
	for (int i = 0; i < n; i += width(&p->insn[i])) {
		struct bpf_insn *in = &p->insn[i];
		if (p->dead[i])
			continue;
		int t = sub_target(in, i);
		if (t >= 0)
			in->imm = nw[t] - nw[i] - 1;
		else if (is_ja(in) || is_cond(in))
			in->off = (int16_t)(nw[i + 1 + in->off] - nw[i] - 1);
	}
	k = 0;
	for (int i = 0; i < n; i++)
		if (!p->dead[i])
			p->insn[k++] = p->insn[i];
	if (map)
		for (int i = 0; i <= n0; i++)
			map[i] = nw[map[i]];
	memset(p->dead, 0, (size_t)n);
	free(nw);
	return k;
}

int peep_optimize(struct bpf_insn *insn, int n, int *map)
{
	if (map)
		for (int i = 0; i <= n; i++)
			map[i] = i;
	if (n <= 0 || !known_program(insn, n))
		return n;
	struct pass p = { .insn = insn, .n = n };
	p.dead = calloc((size_t)n, 1);
	p.leader = calloc((size_t)n, 1);
	if (!p.dead || !p.leader) {
		free(p.dead);
		free(p.leader);
		return n;
	}
	int n0 = n;
	for (int round = 0; round < 16; round++) {
		p.changed = false;
		mark_leaders(&p);
		forward(&p);
		p.n = compact(&p, map, n0);
		unreachable(&p);
		p.n = compact(&p, map, n0);
		dead_defs(&p);
		p.n = compact(&p, map, n0);
		if (!p.changed)
			break;
	}
	free(p.dead);
	free(p.leader);
	return p.n;
}
