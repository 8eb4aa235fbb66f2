/* idioms.h - the BPF idioms the code generator is written in
 * (idioms.c): maps, stack slots and scratch, constants and integer
 * types, helper calls, probe reads and output to the ring buffer.  Each
 * is a few instructions every part of code generation needs the same
 * way; cg.h includes this after struct cg.
 */
#ifndef DTK_IDIOMS_H
#define DTK_IDIOMS_H

#include "codegen.h"

/* maps: reg = the map (by index: the loader puts the fd in) */
void ld_map(struct cg *c, int reg, int map);
/* r0 = the value of map for the key at a stack slot / scratch offset.  A
 * key of 4 bytes is written to its slot as the whole 8-byte word (the key
 * is its low half: both targets are little-endian): a slot written in part
 * is a different kind of slot to the verifier, which then cannot prune a
 * state against one whose slot was written whole. */
void map_lookup_fp(struct cg *c, int map, int fp_off);
void map_lookup_scratch(struct cg *c, int map, int off);
/* r0 = map_update_elem(map, key at scratch koff, value at scratch voff,
 * flags) / map_delete_elem(map, key at scratch koff) */
void map_update_scratch(struct cg *c, int map, int koff, int voff, int flags);
void map_delete_scratch(struct cg *c, int map, int koff);

/* addresses: reg = fp + off (a stack slot), reg = scratch + off */
void fptr(struct cg *c, int reg, int off);
void sptr(struct cg *c, int reg, int off);
void uread(struct cg *c, int dst, int max, bool exact);

/* constants and integer types */
void ld_const(struct cg *c, int reg, int64_t k);	/* reg = k */
/* reg within [0, max] (nonneg: a negative reg becomes 0; else reg is
 * taken as unsigned), the value in range on the way straight through */
void clamp_to(struct cg *c, int reg, bool nonneg, int max);
/* r1 = all ones when r0, a system call's raw return value, is -errno
 * (-4095 .. -1), else 0; clobbers r2 */
void errno_mask(struct cg *c);
void normalize_reg(struct cg *c, int reg, const struct type *t);
int size_code(int size);			/* BPF_B .. BPF_DW */

/* helpers */
void call(struct cg *c, int helper);

/* r0 = a value kept in stack slot `slot` once per program run: made by
 * make() (into r0) the first time, when the scratch word at `flag` is 0
 * (flag < 0, for a value that is never 0: when the slot is), loaded after
 * that; set and zero are the emitter's facts (cg.h's FACT_*) saying which
 * it is */
void slot_cached(struct cg *c, int flag, int slot, unsigned set,
		 unsigned zero, void (*make)(struct cg *c));

/* probe reads: dstreg = size bytes at srcreg + off in the kernel (a
 * fault reads 0); r0 = size bytes at the address in reg, kernel or user
 * (a fault is reported and ends the clause); r0 = task_pt_regs(current),
 * kept for the program run like current (cur_task) */
void kread(struct cg *c, int dstreg, int srcreg, int off, int size);
void deref(struct cg *c, int reg, int size, bool user, struct loc loc);
void task_regs(struct cg *c);
/* r0 = the word at reg+off (the frame, or scratch by r9), made by make( )
 * and kept there when it is still 0: a value got once per program run.
 * Clobbers r1-r5. */
void cached_word(struct cg *c, int reg, int off, void (*make)(struct cg *c));
void cur_task(struct cg *c);			/* r0 = current, BTF-typed */
/* r0 = helper(scratch + dst, size, r3): one of the bpf_probe_read_*
 * family reading size bytes at the address in r3 into scratch at dst */
void read_into(struct cg *c, int helper, int dst, int size);

/* output: the record in scratch at off, of size bytes, in register reg
 * (bounded by the caller), or at FP_K2 plus head and at most max (then
 * waking the consumer at once if the scratch word at wake, if >= 0, is
 * not 0); a record that does not fit is counted as a drop */
void ring_output(struct cg *c, int off, int size);
void ring_output_reg(struct cg *c, int off, int reg);
void ring_output_var(struct cg *c, int rec, int head, int max, int wake);
void ring_wake(struct cg *c);			/* wake the consumer now */
void count_drop(struct cg *c, enum drop_kind k);
/* after a helper whose r0 is 0 on success: count a drop if it failed */
void count_drop_if_failed(struct cg *c, enum drop_kind k);

/* In a bpf_loop callback over the string at the context's CTX_S (r2 the
 * context): go to stop unless register idx < cap, else dst = the string's
 * byte at idx + off, r3 its address. */
void loop_byte(struct cg *c, int idx, int cap, int off, int dst, int stop);
/* A bpf_loop callback's end: return 0 (go on) here, 1 (stop) at stop. */
void loop_next(struct cg *c, int stop);

#endif
