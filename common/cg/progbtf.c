/* progbtf.c - func_info for programs with callbacks.
 *
 * The verifier only accepts a BPF_PSEUDO_FUNC (a callback's address, as
 * bpf_loop takes) from a program that describes its subprograms in BTF.
 * dtk's subprograms are all `static int f(void)` as far as BTF is
 * concerned: one INT, one FUNC_PROTO, and a FUNC per subprogram start. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/btf.h>
#include "progbtf.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int progbtf_make(const struct bpf_insn *insn, int n, struct progbtf *pb)
{
	pb->btf_fd = -1;
	pb->info = NULL;
	pb->ninfo = 0;
	bool callback = false;
	uint32_t *starts = malloc(sizeof *starts * (n + 1));
	if (!starts)
		return -ENOMEM;
	int ns = 0;
	starts[ns++] = 0;
	for (int i = 0; i < n; i++) {
		bool call = insn[i].code == (BPF_JMP | BPF_CALL) &&
			insn[i].src_reg == BPF_PSEUDO_CALL;
		bool func = insn[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
			insn[i].src_reg == BPF_PSEUDO_FUNC;
		if (func)
			callback = true;
		if (call || func)
			starts[ns++] = (uint32_t)(i + 1 + insn[i].imm);
	}
	if (!callback) {
		free(starts);
		return 0;
	}
	qsort(starts, ns, sizeof *starts, cmp_u32);
	int k = 0;
	for (int i = 0; i < ns; i++)
		if (k == 0 || starts[k - 1] != starts[i])
			starts[k++] = starts[i];
	ns = k;

	/* types: 1 int, 2 int(void), 3.. one FUNC each; strings: "", "int",
	 * "f" (every FUNC may share a name) */
	const char strs[] = "\0int\0f";
	size_t tlen = (sizeof(struct btf_type) + 4) + sizeof(struct btf_type) +
		(size_t)ns * sizeof(struct btf_type);
	size_t size = sizeof(struct btf_header) + tlen + sizeof strs;
	char *buf = calloc(1, size);
	pb->info = calloc(ns, sizeof *pb->info);
	if (!buf || !pb->info) {
		free(buf);
		free(starts);
		return -ENOMEM;
	}
	struct btf_header *h = (struct btf_header *)buf;
	h->magic = BTF_MAGIC;
	h->version = BTF_VERSION;
	h->hdr_len = sizeof *h;
	h->type_off = 0;
	h->type_len = (uint32_t)tlen;
	h->str_off = (uint32_t)tlen;
	h->str_len = sizeof strs;
	char *t = buf + sizeof *h;
	struct btf_type *ti = (struct btf_type *)t;
	ti->name_off = 1;
	ti->info = BTF_KIND_INT << 24;
	ti->size = 4;
	*(uint32_t *)(t + sizeof *ti) = (BTF_INT_SIGNED << 24) | 32;
	t += sizeof *ti + 4;
	struct btf_type *proto = (struct btf_type *)t;
	proto->info = BTF_KIND_FUNC_PROTO << 24;
	proto->type = 1;
	t += sizeof *proto;
	for (int i = 0; i < ns; i++) {
		struct btf_type *f = (struct btf_type *)t;
		f->name_off = 5;
		f->info = BTF_KIND_FUNC << 24;	/* vlen 0: static linkage */
		f->type = 2;
		t += sizeof *f;
		pb->info[i].insn_off = starts[i];
		pb->info[i].type_id = 3 + i;
	}
	memcpy(t, strs, sizeof strs);
	free(starts);
	pb->ninfo = ns;
	pb->btf_fd = bpf_btf_load(buf, size, NULL);
	free(buf);
	if (pb->btf_fd < 0) {
		int err = -errno;
		progbtf_free(pb);
		return err;
	}
	return 0;
}

void progbtf_free(struct progbtf *pb)
{
	if (pb->btf_fd >= 0)
		close(pb->btf_fd);
	pb->btf_fd = -1;
	free(pb->info);
	pb->info = NULL;
	pb->ninfo = 0;
}
