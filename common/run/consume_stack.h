/* consume_stack.h - the consumer's stack records (consume_stack.c). */
#ifndef DTK_CONSUME_STACK_H
#define DTK_CONSUME_STACK_H

#include <stdio.h>
#include "aggfmt.h"
#include "dtk_impl.h"

/* The handle's symbolizer, made on first use. */
struct syms *dtk_syms(struct dtk *d);
/* A stack() or ustack() record: the frames, DTrace's layout. */
void print_stack_record(struct dtk *d, FILE *out, const struct action *a,
			const char *rec, size_t size);
/* An event of an aggregation keyed by ustack(): unwind, then add it. */
void ustack_agg_event(struct dtk *d, const struct action *a, const char *rec,
		      size_t size);
/* A mapping the kernel sent for a process's stacks (struct ustack_maprec). */
void ustack_maps_record(struct dtk *d, const void *rec, size_t size);
/* consume.c */
void agg_desc_of(const struct sym *y, struct agg_desc *ad);

#endif
