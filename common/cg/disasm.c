/* disasm.c - eBPF instructions as text, in the verifier log's syntax.
 *
 * Lines read exactly as the kernel's verifier (kernel/bpf/disasm.c) prints
 * them, "12: (bf) r1 = r6", so a dump from `dtrace -S` can be laid next to a
 * verifier complaint.  The one difference: LD_IMM64 map references show the
 * map's fd and name ("r1 = map[fd:5 counts]") where the kernel shows an id.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include "emit.h"

/* Newer instruction forms, spelled out where an older <linux/bpf.h> lacks
 * them. */
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80		/* ldx with sign extension */
#endif
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0		/* may_goto */
#endif

/* Every helper the installed <linux/bpf.h> knows.  The header puts the
 * commas between the FN(name) entries; the ... swallows the extra arguments
 * some header versions pass along. */
#define HELPER_NAME(x, ...) [BPF_FUNC_ ## x] = "bpf_" #x
static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

#define NELEM(a) (int)(sizeof(a) / sizeof((a)[0]))

const char *bpf_helper_name(int helper)
{
	if (helper >= 0 && helper < NELEM(helper_names) && helper_names[helper])
		return helper_names[helper];
	return "unknown";
}

static const char *const alu_op[16] = {
	[BPF_ADD >> 4] = "+=",  [BPF_SUB >> 4] = "-=",  [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=",  [BPF_OR >> 4] = "|=",   [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_MOD >> 4] = "%=",
	[BPF_XOR >> 4] = "^=",  [BPF_MOV >> 4] = "=",   [BPF_ARSH >> 4] = "s>>=",
};

static const char *const jmp_op[16] = {
	[BPF_JEQ >> 4] = "==",  [BPF_JGT >> 4] = ">",   [BPF_JGE >> 4] = ">=",
	[BPF_JSET >> 4] = "&",  [BPF_JNE >> 4] = "!=",  [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<",  [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

static const char *const atomic_op[16] = {
	[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
	[BPF_OR >> 4] = "or",   [BPF_XOR >> 4] = "xor",
};

static const char *mem_type(int code, bool sign)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:  return sign ? "s8" : "u8";
	case BPF_H:  return sign ? "s16" : "u16";
	case BPF_W:  return sign ? "s32" : "u32";
	default:     return sign ? "s64" : "u64";
	}
}

struct line {
	char *buf;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void say(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->buf, l->len, fmt, ap);
	va_end(ap);
}

static void alu(struct line *l, const struct bpf_insn *in)
{
	bool is64 = BPF_CLASS(in->code) == BPF_ALU64;
	char r = is64 ? 'r' : 'w';
	int op = BPF_OP(in->code);
	const char *sym = alu_op[op >> 4];

	if (op == BPF_END) {
		if (is64)
			say(l, "(%02x) r%d = bswap%d r%d", in->code, in->dst_reg,
			    in->imm, in->dst_reg);
		else
			say(l, "(%02x) r%d = %s%d r%d", in->code, in->dst_reg,
			    BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le",
			    in->imm, in->dst_reg);
		return;
	}
	if (op == BPF_NEG) {
		say(l, "(%02x) %c%d = -%c%d", in->code, r, in->dst_reg, r,
		    in->dst_reg);
		return;
	}
	if (!sym) {
		say(l, "BUG_alu_%02x", in->code);
		return;
	}
	/* off == 1 turns div/mod signed; off 8/16/32 turns mov into movsx */
	if ((op == BPF_DIV || op == BPF_MOD) && in->off == 1)
		sym = op == BPF_DIV ? "s/=" : "s%=";
	if (BPF_SRC(in->code) == BPF_K) {
		say(l, "(%02x) %c%d %s %d", in->code, r, in->dst_reg, sym,
		    in->imm);
		return;
	}
	const char *cast = "";
	if (op == BPF_MOV && in->off == 8)
		cast = "(s8)";
	else if (op == BPF_MOV && in->off == 16)
		cast = "(s16)";
	else if (op == BPF_MOV && in->off == 32)
		cast = "(s32)";
	say(l, "(%02x) %c%d %s %s%c%d", in->code, r, in->dst_reg, sym, cast, r,
	    in->src_reg);
}

static void stx(struct line *l, const struct bpf_insn *in)
{
	const char *ty = mem_type(in->code, false);
	const char *bits = BPF_SIZE(in->code) == BPF_DW ? "64" : "";

	if (BPF_MODE(in->code) == BPF_MEM) {
		say(l, "(%02x) *(%s *)(r%d %+d) = r%d", in->code, ty,
		    in->dst_reg, in->off, in->src_reg);
		return;
	}
	if (BPF_MODE(in->code) != BPF_ATOMIC) {
		say(l, "BUG_%02x", in->code);
		return;
	}
	int aop = in->imm & ~BPF_FETCH;
	if (in->imm == BPF_XCHG)
		say(l, "(%02x) r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
		    in->code, in->src_reg, bits, ty, in->dst_reg, in->off,
		    in->src_reg);
	else if (in->imm == BPF_CMPXCHG)
		say(l, "(%02x) r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
		    in->code, bits, ty, in->dst_reg, in->off, in->src_reg);
	else if (aop >= 0 && aop < 256 && !(aop & 0xf) && atomic_op[aop >> 4] &&
		 !(in->imm & BPF_FETCH))
		say(l, "(%02x) lock *(%s *)(r%d %+d) %s r%d", in->code, ty,
		    in->dst_reg, in->off, alu_op[aop >> 4], in->src_reg);
	else if (aop >= 0 && aop < 256 && !(aop & 0xf) && atomic_op[aop >> 4])
		say(l, "(%02x) r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
		    in->code, in->src_reg, bits, atomic_op[aop >> 4], ty,
		    in->dst_reg, in->off, in->src_reg);
	else
		say(l, "BUG_%02x", in->code);
}

/* The 64-bit immediate of LD_IMM64 (two slots). */
static void ld_imm64(struct line *l, const struct bpf_insn *in,
		     disasm_map_name map_name, void *arg)
{
	uint64_t v = (uint64_t)(uint32_t)in[1].imm << 32 | (uint32_t)in[0].imm;
	const char *name = NULL;

	if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE)
		name = map_name ? map_name(in->imm, arg) : NULL;

	char map[96];
	if (name)
		snprintf(map, sizeof(map), "map[fd:%d %s]", in->imm, name);
	else
		snprintf(map, sizeof(map), "map[fd:%d]", in->imm);

	switch (in->src_reg) {
	case BPF_PSEUDO_MAP_FD:
		say(l, "(%02x) r%d = %s", in->code, in->dst_reg, map);
		break;
	case BPF_PSEUDO_MAP_VALUE:
		say(l, "(%02x) r%d = %s[0]+%d", in->code, in->dst_reg, map,
		    in[1].imm);
		break;
	case BPF_PSEUDO_FUNC:
		say(l, "(%02x) r%d = subprog[%+d]", in->code, in->dst_reg,
		    in->imm);
		break;
	default:
		say(l, "(%02x) r%d = 0x%llx", in->code, in->dst_reg,
		    (unsigned long long)v);
	}
}

static void jmp(struct line *l, const struct bpf_insn *in)
{
	bool is32 = BPF_CLASS(in->code) == BPF_JMP32;
	char r = is32 ? 'w' : 'r';
	int op = BPF_OP(in->code);

	if (op == BPF_CALL && !is32) {
		if (in->src_reg == BPF_PSEUDO_CALL)
			say(l, "(%02x) call pc%+d", in->code, in->imm);
		else if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
			say(l, "(%02x) call kernel-function#%d", in->code, in->imm);
		else
			say(l, "(%02x) call %s#%d", in->code,
			    bpf_helper_name(in->imm), in->imm);
	} else if (op == BPF_EXIT && !is32) {
		say(l, "(%02x) exit", in->code);
	} else if (op == BPF_JA) {
		if (is32)	/* gotol: the long jump keeps its offset in imm */
			say(l, "(%02x) gotol pc%+d", in->code, in->imm);
		else
			say(l, "(%02x) goto pc%+d", in->code, in->off);
	} else if (op == BPF_JCOND && !is32) {
		say(l, "(%02x) may_goto pc%+d", in->code, in->off);
	} else if (!jmp_op[op >> 4]) {
		say(l, "BUG_jmp_%02x", in->code);
	} else if (BPF_SRC(in->code) == BPF_X) {
		say(l, "(%02x) if %c%d %s %c%d goto pc%+d", in->code, r,
		    in->dst_reg, jmp_op[op >> 4], r, in->src_reg, in->off);
	} else {
		say(l, "(%02x) if %c%d %s 0x%x goto pc%+d", in->code, r,
		    in->dst_reg, jmp_op[op >> 4], (uint32_t)in->imm, in->off);
	}
}

/* Formats in[0] (and in[1] for LD_IMM64) into l; returns the slots used. */
static int format_insn(struct line *l, const struct bpf_insn *in, int avail,
		       disasm_map_name map_name, void *arg)
{
	int mode = BPF_MODE(in->code);

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		alu(l, in);
		break;
	case BPF_STX:
		stx(l, in);
		break;
	case BPF_ST:
		if (mode == BPF_MEM)
			say(l, "(%02x) *(%s *)(r%d %+d) = %d", in->code,
			    mem_type(in->code, false), in->dst_reg, in->off,
			    in->imm);
		else
			say(l, "BUG_st_%02x", in->code);
		break;
	case BPF_LDX:
		if (mode == BPF_MEM || mode == BPF_MEMSX)
			say(l, "(%02x) r%d = *(%s *)(r%d %+d)", in->code,
			    in->dst_reg, mem_type(in->code, mode == BPF_MEMSX),
			    in->src_reg, in->off);
		else
			say(l, "BUG_ldx_%02x", in->code);
		break;
	case BPF_LD:
		if (mode == BPF_IMM && BPF_SIZE(in->code) == BPF_DW) {
			if (avail < 2) {
				say(l, "BUG_ld_%02x (second slot missing)", in->code);
				break;
			}
			ld_imm64(l, in, map_name, arg);
			return 2;
		}
		if (mode == BPF_ABS)
			say(l, "(%02x) r0 = *(%s *)skb[%d]", in->code,
			    mem_type(in->code, false), in->imm);
		else if (mode == BPF_IND)
			say(l, "(%02x) r0 = *(%s *)skb[r%d + %d]", in->code,
			    mem_type(in->code, false), in->src_reg, in->imm);
		else
			say(l, "BUG_ld_%02x", in->code);
		break;
	default:	/* BPF_JMP, BPF_JMP32 */
		jmp(l, in);
	}
	return 1;
}

void bpf_disasm(FILE *out, const struct bpf_insn *insn, int n,
		disasm_map_name map_name, void *arg)
{
	char buf[256];
	struct line l = { buf, sizeof(buf) };

	for (int i = 0; i < n; ) {
		int used = format_insn(&l, &insn[i], n - i, map_name, arg);
		fprintf(out, "%d: %s\n", i, buf);
		i += used;
	}
}
