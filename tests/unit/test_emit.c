/* test_emit.c - the emitter's encodings, label fixups and disassembly, and
 * (as root) a small emitted program run in the kernel to prove them. */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "emit.h"
#include "check.h"

/* The disassembly of insn[0..n) as one string (caller frees). */
static char *disasm_text(const struct bpf_insn *insn, int n,
			 disasm_map_name map_name, void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bpf_disasm(f, insn, n, map_name, arg);
	fclose(f);
	return text;
}

/* strcmp that shows both texts when they differ */
static int same_text(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return 1;
	printf("--- got:\n%s--- want:\n%s", got, want);
	return 0;
}

static const char *name_of_map(int fd, void *arg)
{
	(void)arg;
	return fd == 5 ? "counts" : NULL;
}

static void test_forward_jumps(void)
{
	struct emit e;
	emit_init(&e);
	int end = emit_label(&e);
	emit_mov_imm(&e, BPF_REG_0, 0);			/* 0 */
	emit_jmp_imm(&e, BPF_JEQ, BPF_REG_1, 0, end);	/* 1 */
	emit_mov_imm(&e, BPF_REG_0, 1);			/* 2 */
	emit_ja(&e, end);				/* 3 */
	emit_mov_imm(&e, BPF_REG_0, 2);			/* 4 */
	emit_place(&e, end);
	emit_exit(&e);					/* 5 */
	CHECK(emit_finish(&e) == 0);
	CHECK(e.n == 6);
	CHECK(e.insn[1].code == (BPF_JMP | BPF_JEQ | BPF_K));
	CHECK(e.insn[1].dst_reg == BPF_REG_1 && e.insn[1].imm == 0);
	CHECK(e.insn[1].off == 3);
	CHECK(e.insn[3].code == (BPF_JMP | BPF_JA) && e.insn[3].off == 1);
	CHECK(e.insn[5].code == (BPF_JMP | BPF_EXIT));
	/* finishing twice patches the same offsets */
	CHECK(emit_finish(&e) == 0 && e.insn[1].off == 3);
	emit_free(&e);
}

static void test_backward_jump_and_call(void)
{
	struct emit e;
	emit_init(&e);
	int loop = emit_label(&e), sub = emit_label(&e);
	emit_mov_imm(&e, BPF_REG_6, 0);				/* 0 */
	emit_place(&e, loop);
	emit_alu64_imm(&e, BPF_ADD, BPF_REG_6, 1);		/* 1 */
	emit_jmp_reg(&e, BPF_JGT, BPF_REG_7, BPF_REG_6, loop);	/* 2 */
	emit_call_label(&e, sub);				/* 3 */
	emit_exit(&e);						/* 4 */
	emit_place(&e, sub);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_1);			/* 5 */
	emit_exit(&e);						/* 6 */
	CHECK(emit_finish(&e) == 0);
	CHECK(e.insn[2].code == (BPF_JMP | BPF_JGT | BPF_X));
	CHECK(e.insn[2].dst_reg == 7 && e.insn[2].src_reg == 6);
	CHECK(e.insn[2].off == -2);
	CHECK(e.insn[3].code == (BPF_JMP | BPF_CALL));
	CHECK(e.insn[3].src_reg == BPF_PSEUDO_CALL);
	CHECK(e.insn[3].imm == 1 && e.insn[3].off == 0);

	char *text = disasm_text(e.insn, e.n, NULL, NULL);
	CHECK(same_text(text,
		"0: (b7) r6 = 0\n"
		"1: (07) r6 += 1\n"
		"2: (2d) if r7 > r6 goto pc-2\n"
		"3: (85) call pc+1\n"
		"4: (95) exit\n"
		"5: (bf) r0 = r1\n"
		"6: (95) exit\n"));
	free(text);
	emit_free(&e);
}

/* What the emitter leaves out: a copy back of the copy just made, the
 * same copy again, a copy to itself, a jump to the next instruction (the
 * labels placed after it move back with it); and what it takes back on
 * request (emit_take_mov) only where no jump can arrive in between. */
static void test_peepholes(void)
{
	struct emit e;
	emit_init(&e);
	int next = emit_label(&e), after = emit_label(&e);
	emit_mov_reg(&e, R6, R0);			/* 0 */
	emit_mov_reg(&e, R0, R6);
	emit_mov_reg(&e, R6, R0);
	emit_mov_reg(&e, R1, R1);
	CHECK(e.n == 1);
	emit_jmp_imm(&e, BPF_JEQ, R0, 0, next);		/* taken back */
	emit_place(&e, after);
	emit_place(&e, next);
	CHECK(e.n == 1 && e.nfix == 0);
	CHECK(e.label_pos[after] == 1 && e.label_pos[next] == 1);
	/* a jump may arrive at the label: the copy back is needed */
	emit_mov_reg(&e, R0, R6);			/* 1 */
	CHECK(e.n == 2);
	CHECK(emit_take_mov(&e, R0, R6) && e.n == 1);
	CHECK(!emit_take_mov(&e, R6, R0) && e.n == 1);
	emit_jmp_imm(&e, BPF_JNE, R6, 7, next);		/* 1, backward */
	emit_exit(&e);					/* 2 */
	CHECK(emit_finish(&e) == 0 && e.n == 3);
	CHECK(e.insn[0].code == (BPF_ALU64 | BPF_MOV | BPF_X));
	CHECK(e.insn[1].off == -1);
	emit_free(&e);

	/* if r1 > 5 goto l; goto far; l: is if r1 <= 5 goto far; l: */
	emit_init(&e);
	int l = emit_label(&e), far = emit_label(&e);
	emit_jmp_imm(&e, BPF_JGT, R1, 5, l);		/* 0 */
	emit_ja(&e, far);
	emit_place(&e, l);
	emit_mov_imm(&e, R0, 0);			/* 1 */
	emit_place(&e, far);
	emit_exit(&e);					/* 2 */
	CHECK(emit_finish(&e) == 0 && e.n == 3);
	CHECK(e.insn[0].code == (BPF_JMP | BPF_JLE | BPF_K) && e.insn[0].off == 1);
	emit_free(&e);
	/* ... but not when a jump may arrive at the goto, nor for jset */
	for (int jset = 0; jset < 2; jset++) {
		emit_init(&e);
		int l2 = emit_label(&e), far2 = emit_label(&e);
		int at_goto = emit_label(&e);
		if (jset)
			emit_jmp_reg(&e, BPF_JSET, R1, R2, l2);	/* 0 */
		else
			emit_jmp_imm(&e, BPF_JEQ, R1, 0, l2);	/* 0 */
		if (!jset)
			emit_place(&e, at_goto);
		emit_ja(&e, far2);				/* 1 */
		emit_place(&e, l2);
		emit_mov_imm(&e, R0, 0);			/* 2 */
		emit_place(&e, far2);
		emit_exit(&e);					/* 3 */
		CHECK(emit_finish(&e) == 0 && e.n == 4);
		CHECK(e.insn[0].off == 1 && e.insn[1].code == (BPF_JMP | BPF_JA));
		CHECK(BPF_OP(e.insn[0].code) == (jset ? BPF_JSET : BPF_JEQ));
		emit_free(&e);
	}
}

static void test_errors(void)
{
	struct emit e;

	emit_init(&e);					/* label never placed */
	int nowhere = emit_label(&e);
	emit_ja(&e, nowhere);
	emit_exit(&e);
	CHECK(emit_finish(&e) == -1);
	emit_free(&e);

	emit_init(&e);					/* label past the end */
	int end = emit_label(&e);
	emit_ja(&e, end);
	emit_exit(&e);
	emit_place(&e, end);
	CHECK(emit_finish(&e) == -1);
	emit_free(&e);

	emit_init(&e);					/* offset over 16 bits */
	int far = emit_label(&e);
	emit_ja(&e, far);
	for (int i = 0; i < 40000; i++)
		emit_mov_imm(&e, BPF_REG_0, i);
	emit_place(&e, far);
	emit_exit(&e);
	CHECK(e.n == 40002 && !e.oom);
	CHECK(emit_finish(&e) == -1);
	emit_free(&e);

	emit_init(&e);					/* allocation failure */
	emit_exit(&e);
	e.oom = 1;
	CHECK(emit_finish(&e) == -1);
	emit_free(&e);
}

static void test_encodings_and_disasm(void)
{
	struct emit e;
	emit_init(&e);
	emit_ld_imm64(&e, BPF_REG_2, 0x1122334455667788ull);	/* 0,1 */
	emit_ld_map_fd(&e, BPF_REG_1, 5);			/* 2,3 */
	emit_ld_map_value(&e, BPF_REG_3, 5, 24);		/* 4,5 */
	emit_call_helper(&e, BPF_FUNC_get_current_pid_tgid);	/* 6 */
	emit_stx(&e, BPF_DW, BPF_REG_10, BPF_REG_1, -8);	/* 7 */
	emit_ldx(&e, BPF_W, BPF_REG_2, BPF_REG_1, 0);		/* 8 */
	emit_xadd(&e, BPF_DW, BPF_REG_1, BPF_REG_2, 0);		/* 9 */
	emit_st(&e, BPF_B, BPF_REG_10, -1, 0);			/* 10 */
	emit_alu32_imm(&e, BPF_AND, BPF_REG_4, 255);		/* 11 */
	emit_alu32_reg(&e, BPF_LSH, BPF_REG_4, BPF_REG_5);	/* 12 */
	emit_alu64_imm(&e, BPF_RSH, BPF_REG_0, 32);		/* 13 */
	emit_alu64_imm(&e, BPF_NEG, BPF_REG_0, 0);		/* 14 */
	emit_ld_map_fd(&e, BPF_REG_1, 9);			/* 15,16 */
	emit_exit(&e);						/* 17 */
	CHECK(emit_finish(&e) == 0);

	CHECK(e.insn[0].code == (BPF_LD | BPF_DW | BPF_IMM));
	CHECK(e.insn[0].src_reg == 0 && e.insn[0].dst_reg == 2);
	CHECK((uint32_t)e.insn[0].imm == 0x55667788u);
	CHECK((uint32_t)e.insn[1].imm == 0x11223344u && e.insn[1].code == 0);
	CHECK(e.insn[2].src_reg == BPF_PSEUDO_MAP_FD && e.insn[2].imm == 5);
	CHECK(e.insn[3].imm == 0);
	CHECK(e.insn[4].src_reg == BPF_PSEUDO_MAP_VALUE && e.insn[4].imm == 5);
	CHECK(e.insn[5].imm == 24);
	CHECK(e.insn[6].imm == BPF_FUNC_get_current_pid_tgid &&
	      e.insn[6].src_reg == 0);
	CHECK(e.insn[9].code == (BPF_STX | BPF_DW | BPF_ATOMIC) &&
	      e.insn[9].imm == BPF_ADD);

	char *text = disasm_text(e.insn, e.n, name_of_map, NULL);
	CHECK(same_text(text,
		"0: (18) r2 = 0x1122334455667788\n"
		"2: (18) r1 = map[fd:5 counts]\n"
		"4: (18) r3 = map[fd:5 counts][0]+24\n"
		"6: (85) call bpf_get_current_pid_tgid#14\n"
		"7: (7b) *(u64 *)(r10 -8) = r1\n"
		"8: (61) r2 = *(u32 *)(r1 +0)\n"
		"9: (db) lock *(u64 *)(r1 +0) += r2\n"
		"10: (72) *(u8 *)(r10 -1) = 0\n"
		"11: (54) w4 &= 255\n"
		"12: (6c) w4 <<= w5\n"
		"13: (77) r0 >>= 32\n"
		"14: (87) r0 = -r0\n"
		"15: (18) r1 = map[fd:9]\n"
		"17: (95) exit\n"));
	free(text);
	emit_free(&e);

	/* a truncated LD_IMM64 and a jump with an immediate */
	struct bpf_insn odd[] = {
		{ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = 0, .imm = -1,
		  .off = 3 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1 },
	};
	text = disasm_text(odd, 2, NULL, NULL);
	CHECK(same_text(text, "0: (55) if r0 != 0xffffffff goto pc+3\n"
			   "1: BUG_ld_18 (second slot missing)\n"));
	free(text);
}

/* Instruction forms the emitter does not produce, as the kernel prints them,
 * and every opcode with odd fields disassembled without a hole. */
static void test_other_forms(void)
{
	struct bpf_insn in[] = {
		{ .code = BPF_ALU64 | BPF_DIV | BPF_X, .dst_reg = 1, .src_reg = 2,
		  .off = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 1, .src_reg = 2,
		  .off = 16 },
		{ .code = BPF_LDX | 0x80 | BPF_B, .dst_reg = 3, .src_reg = 1,
		  .off = -2 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_W, .dst_reg = 1, .src_reg = 2,
		  .imm = BPF_OR | BPF_FETCH },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = 1, .src_reg = 2,
		  .off = 8, .imm = BPF_CMPXCHG },
		{ .code = BPF_ALU | BPF_END | BPF_TO_BE, .dst_reg = 4, .imm = 16 },
		{ .code = BPF_JMP32 | BPF_JSLT | BPF_K, .dst_reg = 5, .imm = 7,
		  .off = -4 },
	};
	char *text = disasm_text(in, 7, NULL, NULL);
	CHECK(same_text(text,
		"0: (3f) r1 s/= r2\n"
		"1: (bf) r1 = (s16)r2\n"
		"2: (91) r3 = *(s8 *)(r1 -2)\n"
		"3: (c3) r2 = atomic_fetch_or((u32 *)(r1 +0), r2)\n"
		"4: (db) r0 = atomic64_cmpxchg((u64 *)(r1 +8), r0, r2)\n"
		"5: (dc) r4 = be16 r4\n"
		"6: (c6) if w5 s< 0x7 goto pc-4\n"));
	free(text);

	static const int32_t imms[] = { 0, -1, BPF_ADD, BPF_ADD | BPF_FETCH,
					BPF_XCHG, BPF_CMPXCHG, 0x50, 0x10000 };
	static const int16_t offs[] = { 0, 1, 8, 16, 32, -1 };
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);
	for (int code = 0; code < 256; code++)
		for (int src = 0; src < 16; src += 3)
			for (size_t i = 0; i < sizeof(imms) / sizeof(imms[0]); i++)
				for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
					struct bpf_insn two[2] = { {
						.code = code, .dst_reg = 15 - src,
						.src_reg = src, .off = offs[o],
						.imm = imms[i] } };
					bpf_disasm(f, two, 2, name_of_map, NULL);
				}
	fclose(f);
	CHECK(len > 0 && strstr(all, "(null)") == NULL);
	free(all);
}

static void test_helper_names(void)
{
	CHECK(strcmp(bpf_helper_name(BPF_FUNC_map_lookup_elem),
		     "bpf_map_lookup_elem") == 0);
	CHECK(strcmp(bpf_helper_name(BPF_FUNC_probe_read_user_str),
		     "bpf_probe_read_user_str") == 0);
	CHECK(strcmp(bpf_helper_name(BPF_FUNC_ringbuf_reserve),
		     "bpf_ringbuf_reserve") == 0);
	CHECK(strcmp(bpf_helper_name(-1), "unknown") == 0);
	CHECK(strcmp(bpf_helper_name(__BPF_FUNC_MAX_ID), "unknown") == 0);
	int missing = 0;
	for (int id = 1; id < __BPF_FUNC_MAX_ID; id++)
		missing += strcmp(bpf_helper_name(id), "unknown") == 0;
	CHECK(missing == 0);
}

/* Our disassembly must match the verifier's own lines (map references
 * aside, which the kernel prints as ids); returns how many do not. */
static int lines_in_log(const struct bpf_insn *insn, int n, const char *log)
{
	char *text = disasm_text(insn, n, NULL, NULL), *save = NULL;
	int missing = 0;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "map[") && !strstr(log, line)) {
			printf("not in the verifier log: %s\n", line);
			missing++;
		}
	}
	free(text);
	return missing;
}

/* Build a program that loops, calls a subprogram, updates a map value via
 * lookup + atomic add and via a direct map-value pointer, and run it. */
static void test_in_kernel(void)
{
	if (geteuid() != 0) {
		printf("skip: in-kernel run needs root\n");
		return;
	}
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "emit_test", 4, 16, 1, NULL);
	if (map < 0) {
		printf("skip: bpf_map_create: %s\n", strerror(errno));
		return;
	}

	struct emit e;
	emit_init(&e);
	int loop = emit_label(&e), out = emit_label(&e), twice = emit_label(&e);
	emit_mov_imm(&e, BPF_REG_6, 0);
	emit_mov_imm(&e, BPF_REG_7, 10);
	emit_place(&e, loop);				/* r6 = 10+9+...+1 */
	emit_alu64_reg(&e, BPF_ADD, BPF_REG_6, BPF_REG_7);
	emit_alu64_imm(&e, BPF_SUB, BPF_REG_7, 1);
	emit_jmp_imm(&e, BPF_JNE, BPF_REG_7, 0, loop);
	emit_mov_reg(&e, BPF_REG_1, BPF_REG_6);
	emit_call_label(&e, twice);			/* r6 = 2 * 55 */
	emit_mov_reg(&e, BPF_REG_6, BPF_REG_0);

	emit_st(&e, BPF_W, BPF_REG_10, -4, 0);		/* key 0 */
	emit_ld_map_fd(&e, BPF_REG_1, map);
	emit_mov_reg(&e, BPF_REG_2, BPF_REG_10);
	emit_alu64_imm(&e, BPF_ADD, BPF_REG_2, -4);
	emit_call_helper(&e, BPF_FUNC_map_lookup_elem);
	emit_jmp_imm(&e, BPF_JEQ, BPF_REG_0, 0, out);
	emit_mov_imm(&e, BPF_REG_1, 7);
	emit_xadd(&e, BPF_DW, BPF_REG_0, BPF_REG_1, 0);	/* value[0] += 7 */
	emit_ld_map_value(&e, BPF_REG_1, map, 8);
	emit_ld_imm64(&e, BPF_REG_2, 0x1122334455667788ull);
	emit_stx(&e, BPF_DW, BPF_REG_1, BPF_REG_2, 0);	/* value[1] = ... */
	emit_place(&e, out);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_6);
	emit_exit(&e);

	emit_place(&e, twice);
	emit_mov_reg(&e, BPF_REG_0, BPF_REG_1);
	emit_alu64_imm(&e, BPF_MUL, BPF_REG_0, 2);
	emit_exit(&e);
	CHECK(emit_finish(&e) == 0);

	/* log level 2 makes the verifier print every instruction it walks */
	static char log[1 << 20];
	LIBBPF_OPTS(bpf_prog_load_opts, lopts, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 2);
	int prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "emit_test", "GPL",
				 e.insn, e.n, &lopts);
	CHECK(prog >= 0);
	if (prog < 0) {
		printf("bpf_prog_load: %s\n%s", strerror(errno), log);
		bpf_disasm(stdout, e.insn, e.n, NULL, NULL);
	} else {
		char pkt[64] = { 0 };
		LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt,
			    .data_size_in = sizeof(pkt), .repeat = 1);
		CHECK(bpf_prog_test_run_opts(prog, &topts) == 0);
		CHECK(topts.retval == 110);
		uint32_t key = 0;
		uint64_t val[2] = { 0, 0 };
		CHECK(bpf_map_lookup_elem(map, &key, val) == 0);
		CHECK(val[0] == 7);
		CHECK(val[1] == 0x1122334455667788ull);
		close(prog);
		CHECK(lines_in_log(e.insn, e.n, log) == 0);
	}
	emit_free(&e);
	close(map);
}

int main(void)
{
	test_forward_jumps();
	test_backward_jump_and_call();
	test_peepholes();
	test_errors();
	test_encodings_and_disasm();
	test_other_forms();
	test_helper_names();
	test_in_kernel();
	return CHECK_DONE();
}
