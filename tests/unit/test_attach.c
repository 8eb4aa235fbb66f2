/* test_attach.c - the attach functions, with a hand-assembled program that
 * counts its runs in an array map (the engine's programs come from the
 * compiler; this one exists only here).  Skips without root or BPF. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "check.h"
#include "probes.h"
#include "prov/attach.h"
#include "prov/provider.h"

/* map[0] += 1; return 0 */
static int load_counter(enum bpf_prog_type type, int map_fd)
{
	struct bpf_insn insns[] = {
		/* r1 = map (ld_imm64 with a map fd) */
		{ BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map_fd },
		{ 0, 0, 0, 0, 0 },
		/* *(u32 *)(r10 - 4) = 0; r2 = r10 - 4 */
		{ BPF_ST | BPF_W | BPF_MEM, 10, 0, -4, 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0 },
		{ BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4 },
		{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem },
		/* if r0 == 0 goto out */
		{ BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0 },
		/* r1 = 1; lock *(u64 *)(r0 + 0) += r1 */
		{ BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 1 },
		{ BPF_STX | BPF_DW | BPF_ATOMIC, 0, 1, 0, BPF_ADD },
		/* out: r0 = 0; exit */
		{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 },
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
	};

	return bpf_prog_load(type, "dtk_test", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), NULL);
}

static uint64_t counter(int map_fd)
{
	uint32_t key = 0;
	uint64_t v = 0;

	bpf_map_lookup_elem(map_fd, &key, &v);
	return v;
}

static void reset(int map_fd)
{
	uint32_t key = 0;
	uint64_t v = 0;

	bpf_map_update_elem(map_fd, &key, &v, BPF_ANY);
}

__attribute__((noinline)) int probe_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

static void test_raw_tp(int map_fd)
{
	int prog = load_counter(BPF_PROG_TYPE_RAW_TRACEPOINT, map_fd), fd;

	CHECK(prog >= 0);
	reset(map_fd);
	fd = attach_raw_tp(prog, "sys_enter");
	CHECK(fd >= 0);
	for (int i = 0; i < 10; i++)
		getppid();
	CHECK(counter(map_fd) >= 10);
	close(fd);
	CHECK(attach_raw_tp(prog, "no_such_tracepoint") < 0);
	close(prog);
}

static void test_profile(int map_fd)
{
	int prog = load_counter(BPF_PROG_TYPE_PERF_EVENT, map_fd), fds[1024];
	int n, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	volatile unsigned long spin = 0;

	CHECK(prog >= 0);
	reset(map_fd);
	n = attach_perf_profile(prog, 1000000, false, fds, 1024);
	CHECK(n == ncpu);
	for (int i = 0; i < 50000000; i++)
		spin++;
	CHECK(counter(map_fd) > 0);
	for (int i = 0; i < n; i++)
		close(fds[i]);

	n = attach_perf_profile(prog, 1000000, true, fds, 1024);
	CHECK(n == 1);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	CHECK(attach_perf_profile(prog, 1000000, false, fds, 0) < 0);
	close(prog);
}

static void test_uprobe(int map_fd)
{
	int prog = load_counter(BPF_PROG_TYPE_KPROBE, map_fd), fd;
	struct probetab *t = probetab_open();
	const struct probe *p = NULL;
	char prov[32];

	snprintf(prov, sizeof(prov), "pid%d", getpid());
	CHECK(prog >= 0);
	for (int i = 0; i < 2; i++) {
		bool ret = i == 1;

		CHECK(probetab_match(t, prov, "a.out", "probe_target",
				     ret ? "return" : "entry", NULL, NULL,
				     NULL, 0) == 1);
		for (int j = probetab_count(t) - 1; j >= 0; j--) {
			p = probetab_get(t, j);
			if (p->kind == PROV_PID &&
			    !strcmp(p->func, "probe_target"))
				break;
		}
		reset(map_fd);
		fd = attach_uprobe(prog, p->path, p->uaddr, ret, getpid());
		CHECK(fd >= 0);
		for (int k = 0; k < 5; k++)
			probe_target(k);
		CHECK(counter(map_fd) == 5);
		close(fd);
		probe_target(0);
		CHECK(counter(map_fd) == 5);	/* detached */
	}
	CHECK(attach_uprobe(prog, "/no/such/file", 0, false, -1) < 0);

	/* kprobes: an fd, or -errno the caller turns into a message */
	fd = attach_kprobe(prog, "vfs_read", 0, false);
	if (fd >= 0)
		close(fd);
	else
		printf("kprobe: %s (fbt unavailable here)\n", strerror(-fd));
	CHECK(fd >= 0 || (fd < 0 && fd > -4096));
	probetab_close(t);
	close(prog);
}

int main(void)
{
	int map_fd;

	if (geteuid() != 0) {
		printf("skip: not root\n");
		return CHECK_DONE();
	}
	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "dtk_test", 4, 8, 1, NULL);
	if (map_fd < 0) {
		printf("skip: BPF unavailable (%s)\n", strerror(errno));
		return CHECK_DONE();
	}
	test_raw_tp(map_fd);
	test_profile(map_fd);
	test_uprobe(map_fd);
	close(map_fd);
	return CHECK_DONE();
}
