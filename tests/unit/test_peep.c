/* test_peep.c - peep.c's clean-up: what it removes from programs shaped
 * as the code generator writes them, that jumps, calls and the old-to-new
 * map still say the same, that a program it does not know is left alone,
 * and (as root) that each program returns the same before and after, run
 * in the kernel on packets of several lengths. */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "emit.h"
#include "peep.h"

#define MAXN 64

struct prog {
	struct bpf_insn insn[MAXN];
	int n;
};

static void take(struct prog *p, struct emit *e)
{
	CHECK(emit_finish(e) == 0 && e->n <= MAXN);
	memcpy(p->insn, e->insn, sizeof *e->insn * (size_t)e->n);
	p->n = e->n;
	emit_free(e);
}

static int count_code(const struct prog *p, int cls)
{
	int k = 0;
	for (int i = 0; i < p->n; i++)
		if (BPF_CLASS(p->insn[i].code) == cls &&
		    BPF_OP(p->insn[i].code) != BPF_CALL &&
		    BPF_OP(p->insn[i].code) != BPF_EXIT &&
		    BPF_OP(p->insn[i].code) != BPF_JA)
			k++;
	return k;
}

/* The program's return value on a packet of len bytes, or -1 (not root,
 * or the kernel refused it: then the disassembly is printed). */
static long run(const struct prog *p, int len)
{
	if (geteuid() != 0)
		return -1;
	char log[65536];
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .log_buf = log,
		    .log_size = sizeof log, .log_level = 1);
	log[0] = 0;
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "peep_test", "GPL",
			       p->insn, p->n, &lo);
	if (fd < 0) {
		printf("bpf_prog_load: %s\n%s", strerror(errno), log);
		bpf_disasm(stdout, p->insn, p->n, NULL, NULL);
		return -2;
	}
	char pkt[256] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, to, .data_in = pkt,
		    .data_size_in = (unsigned)len, .repeat = 1);
	long r = bpf_prog_test_run_opts(fd, &to) == 0 ? (long)to.retval : -3;
	close(fd);
	return r;
}

/* Optimize a copy of p; the kernel must give the same answers before and
 * after for each length.  Returns the optimized program. */
static struct prog same_after(const struct prog *p, int *map)
{
	struct prog q = *p;
	q.n = peep_optimize(q.insn, q.n, map);
	CHECK(q.n <= p->n);
	static const int lens[] = { 14, 32, 64, 100 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		long a = run(p, lens[i]), b = run(&q, lens[i]);
		CHECK(a == b);
		if (a != b)
			printf("len %d: %ld before, %ld after\n", lens[i], a, b);
	}
	return q;
}

/* r2 = the packet's length (skb->len, the context's first word: the
 * test run's data less its 14-byte Ethernet header) */
static void load_len(struct emit *e)
{
	emit_ldx(e, BPF_W, BPF_REG_2, BPF_REG_1, 0);
}

/* x = len == 50; if (x) ... as the code generator writes it: the 0/1 made,
 * moved through the value stack, sign-extended, then tested. */
static void test_boolean_test(void)
{
	struct emit e;
	emit_init(&e);
	int t = emit_label(&e), j = emit_label(&e), f = emit_label(&e);
	load_len(&e);
	emit_jmp_imm(&e, BPF_JEQ, BPF_REG_2, 50, t);
	emit_mov_imm(&e, BPF_REG_0, 0);
	emit_ja(&e, j);
	emit_place(&e, t);
	emit_mov_imm(&e, BPF_REG_0, 1);
	emit_place(&e, j);
	emit_mov_reg(&e, BPF_REG_6, BPF_REG_0);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_6);
	emit_alu64_imm(&e, BPF_LSH, BPF_REG_0, 32);
	emit_alu64_imm(&e, BPF_ARSH, BPF_REG_0, 32);
	emit_jmp_imm(&e, BPF_JEQ, BPF_REG_0, 0, f);
	emit_mov_imm(&e, BPF_REG_0, 7);
	emit_exit(&e);
	emit_place(&e, f);
	emit_mov_imm(&e, BPF_REG_0, 9);
	emit_exit(&e);
	struct prog p;
	take(&p, &e);
	struct prog q = same_after(&p, NULL);
	/* one test left, of the length itself */
	CHECK(count_code(&q, BPF_JMP) == 1);
	CHECK(q.n <= 6);
	if (q.n > 6)
		bpf_disasm(stdout, q.insn, q.n, NULL, NULL);
	if (geteuid() == 0) {
		CHECK(run(&q, 64) == 7);
		CHECK(run(&q, 32) == 9);
	}
}

/* Arithmetic on constants, a test on its result, a constant in a register
 * used as an operand: all known, the program is a return of 2. */
static void test_constants(void)
{
	struct emit e;
	emit_init(&e);
	int a = emit_label(&e);
	emit_ld_imm64(&e, BPF_REG_3, 5);
	emit_mov_reg(&e, BPF_REG_4, BPF_REG_3);
	emit_alu64_imm(&e, BPF_ADD, BPF_REG_4, 10);
	emit_mov_imm(&e, BPF_REG_5, 14);
	emit_jmp_reg(&e, BPF_JGT, BPF_REG_4, BPF_REG_5, a);
	emit_mov_imm(&e, BPF_REG_0, 1);
	emit_exit(&e);
	emit_place(&e, a);
	emit_mov_imm(&e, BPF_REG_0, 2);
	emit_exit(&e);
	struct prog p;
	take(&p, &e);
	struct prog q = same_after(&p, NULL);
	CHECK(q.n == 2);
	CHECK(q.insn[0].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
	      q.insn[0].dst_reg == BPF_REG_0 && q.insn[0].imm == 2);
	CHECK(q.insn[1].code == (BPF_JMP | BPF_EXIT));
}

/* Dead instructions around a call to a subprogram and a backward jump:
 * the call and the jumps still reach their targets, the map says where
 * each old instruction went, and a subprogram only dead code called is
 * gone. */
static void test_calls_and_map(void)
{
	struct emit e;
	emit_init(&e);
	int sub = emit_label(&e), dead = emit_label(&e), loop = emit_label(&e);
	int skip = emit_label(&e);
	emit_ldx(&e, BPF_W, BPF_REG_9, BPF_REG_1, 0);	/* 0: the length */
	emit_mov_imm(&e, BPF_REG_7, 0);			/* 1: the sum */
	emit_mov_imm(&e, BPF_REG_8, 3);			/* 2: the count */
	emit_place(&e, loop);
	emit_mov_reg(&e, BPF_REG_6, BPF_REG_8);		/* 3: dead copy */
	emit_mov_reg(&e, BPF_REG_1, BPF_REG_9);		/* 4 */
	emit_call_label(&e, sub);			/* 5: r0 = r1 + 1 */
	emit_alu64_reg(&e, BPF_ADD, BPF_REG_7, BPF_REG_0);	/* 6 */
	emit_alu64_imm(&e, BPF_SUB, BPF_REG_8, 1);	/* 7 */
	emit_jmp_imm(&e, BPF_JNE, BPF_REG_8, 0, loop);	/* 8 */
	emit_mov_imm(&e, BPF_REG_0, 0);			/* 9 */
	emit_jmp_imm(&e, BPF_JEQ, BPF_REG_0, 0, skip);	/* 10: always */
	emit_call_label(&e, dead);			/* 11: never */
	emit_place(&e, skip);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_7);		/* 12 */
	emit_exit(&e);					/* 13 */
	emit_place(&e, sub);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_1);		/* 14 */
	emit_mov_reg(&e, BPF_REG_3, BPF_REG_0);		/* 15: dead */
	emit_alu64_imm(&e, BPF_ADD, BPF_REG_0, 1);	/* 16 */
	emit_exit(&e);					/* 17 */
	emit_place(&e, dead);
	emit_mov_imm(&e, BPF_REG_0, 5);			/* 18 */
	emit_exit(&e);					/* 19 */
	struct prog p;
	take(&p, &e);
	CHECK(p.n == 20);
	int map[MAXN + 1];
	struct prog q = same_after(&p, map);
	CHECK(map[p.n] == q.n);
	/* the subprogram that only dead code called is gone, the other
	 * kept: one call, to an instruction that adds 1 then returns */
	int calls = 0, target = -1;
	for (int i = 0; i < q.n; i++)
		if (q.insn[i].code == (BPF_JMP | BPF_CALL) &&
		    q.insn[i].src_reg == BPF_PSEUDO_CALL) {
			calls++;
			target = i + 1 + q.insn[i].imm;
		}
	CHECK(calls == 1);
	CHECK(target == map[14]);
	CHECK(q.n == 13);	/* 3, 9, 10, 11, 15, 18 and 19 gone */
	/* the loop's jump back lands where the old loop started */
	CHECK(map[3] == map[4] && map[4] == 3);
	if (geteuid() == 0)
		CHECK(run(&q, 64) == 3 * 51);
}

/* A program with an instruction peep.c does not know (a packet load) is
 * left exactly as it is. */
static void test_unknown_left_alone(void)
{
	struct prog p = { .n = 4 };
	p.insn[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X,
				       .dst_reg = BPF_REG_6, .src_reg = BPF_REG_1 };
	p.insn[1] = (struct bpf_insn){ .code = BPF_LD | BPF_ABS | BPF_B };
	p.insn[2] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_X,
				       .dst_reg = BPF_REG_3, .src_reg = BPF_REG_0 };
	p.insn[3] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	struct prog q = p;
	int map[5];
	CHECK(peep_optimize(q.insn, q.n, map) == 4);
	CHECK(memcmp(p.insn, q.insn, sizeof p.insn[0] * 4) == 0);
	CHECK(map[2] == 2 && map[4] == 4);
}

/* A frame slot's value is known after a store (the prologue's zeroed
 * caches): the test of it goes, and the load of what a register already
 * holds goes. */
static void test_frame_slots(void)
{
	struct emit e;
	emit_init(&e);
	int have = emit_label(&e);
	load_len(&e);
	emit_st(&e, BPF_DW, BPF_REG_10, -16, 0);
	emit_stx(&e, BPF_DW, BPF_REG_10, BPF_REG_2, -8);
	emit_ldx(&e, BPF_DW, BPF_REG_0, BPF_REG_10, -16);
	emit_jmp_imm(&e, BPF_JNE, BPF_REG_0, 0, have);
	emit_ldx(&e, BPF_DW, BPF_REG_0, BPF_REG_10, -8);
	emit_alu64_imm(&e, BPF_ADD, BPF_REG_0, 1);
	emit_place(&e, have);
	emit_exit(&e);
	struct prog p;
	take(&p, &e);
	struct prog q = same_after(&p, NULL);
	CHECK(count_code(&q, BPF_JMP) == 0);
	if (geteuid() == 0)
		CHECK(run(&q, 32) == 19);
}

int main(void)
{
	test_boolean_test();
	test_constants();
	test_calls_and_map();
	test_unknown_left_alone();
	test_frame_slots();
	return CHECK_DONE();
}
