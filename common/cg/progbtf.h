/* progbtf.h - the minimal BTF a program needs when it passes a callback
 * (bpf_loop): the kernel then wants func_info, a BTF FUNC for every
 * subprogram. */
#ifndef DTK_PROGBTF_H
#define DTK_PROGBTF_H

#include <linux/bpf.h>
#include <stdint.h>

struct progbtf {
	int btf_fd;			/* -1 when the program needs none */
	struct bpf_func_info *info;
	int ninfo;
};

/* Build and load it if insn[] takes a function's address; 0 or -errno. */
int progbtf_make(const struct bpf_insn *insn, int n, struct progbtf *pb);
void progbtf_free(struct progbtf *pb);

#endif
