/* codegen_stack.h - stack(), ustack(), jstack() and the depth variables,
 * as actions and as aggregation keys (codegen_stack.c). */
#ifndef DTK_CODEGEN_STACK_H
#define DTK_CODEGEN_STACK_H

#include "cg.h"

/* stack(n) / ustack(n[, strsize]) / jstack() as a statement. */
void gen_stack_action(struct cg *c, struct node *n);
/* r0 = ustackdepth / stackdepth (the kernel's frame-pointer walk). */
void gen_stackdepth(struct cg *c, bool user, struct loc loc);
/* A kernel stack() key at scratch offset off (t->size bytes). */
void gen_kstack_key(struct cg *c, const struct type *t, int off);
/* A ustack( ) block (struct ustack_block) at scratch offset blk: the most
 * bytes it may take, and the code filling it (returns the scratch offset
 * of the word saying the consumer is to be woken at once). */
int block_max(struct cg *c, struct loc loc);
int gen_ustack_block(struct cg *c, int blk, struct loc loc);

#endif
