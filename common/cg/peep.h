/* peep.h - a clean-up pass over a finished BPF program (peep.c). */
#ifndef DTK_PEEP_H
#define DTK_PEEP_H

#include <linux/bpf.h>

/* Rewrite insn[0..n) in place into an equivalent program with fewer
 * instructions; returns the new count.  If map is not NULL (n + 1
 * entries), map[i] becomes the new index of old instruction i (of the
 * instruction that now stands where it was, if it went), map[n] the new
 * count.  A program with an instruction the pass does not know is left
 * as it is. */
int peep_optimize(struct bpf_insn *insn, int n, int *map);

#endif
