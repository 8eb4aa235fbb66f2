/* codegen_stack.h - stack(), ustack(), jstack() and the depth variables,
 * as actions and as aggregation keys (codegen_stack.c), and the record
 * helpers of codegen.c they build on. */
#ifndef DTK_CODEGEN_STACK_H
#define DTK_CODEGEN_STACK_H

#include "cg.h"

/* codegen.c's record helpers */
struct action *new_action(struct cg *c, enum action_kind k, struct loc loc);
void add_val(struct cg *c, struct action *a, enum recval_kind k, int off,
	     int size, bool sign);
void rec_header(struct cg *c, int rec, struct action *a);
int map_add(struct cg *c, enum map_role role, int type, int ksize,
	    int vsize, int max, const char *name);

/* stack(n) / ustack(n[, strsize]) / jstack() as a statement. */
void gen_stack_action(struct cg *c, struct node *n);
/* r0 = ustackdepth / stackdepth (the kernel's frame-pointer walk). */
void gen_stackdepth(struct cg *c, bool user, struct loc loc);
/* A kernel stack() key at scratch offset off (t->size bytes). */
void gen_kstack_key(struct cg *c, const struct type *t, int off);
/* Does the aggregation have a ustack() key?  Then each event is sent to
 * user space, which unwinds it and aggregates (gen_agg_ustack). */
bool agg_has_ustack(const struct sym *y);
void gen_agg_ustack(struct cg *c, struct node *n);

#endif
