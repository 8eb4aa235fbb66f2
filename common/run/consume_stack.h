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
/* Tell the kernel how much stack the block's thread needs copied. */
struct ustack_stack;
void stack_extent(struct dtk *d, const char *blk, size_t size,
		  const struct ustack_stack *st);
/* An event of an aggregation keyed by ustack(): unwind, then add it
 * (ustack_agg.c); the sums are kept here and written into the
 * aggregation's map by ustack_agg_flush, which the consumer calls before
 * any other record and after each batch, so printa() sees them all. */
void ustack_agg_event(struct dtk *d, const struct action *a, const char *rec,
		      size_t size);
void ustack_agg_flush(struct dtk *d);
/* The sums dropped unwritten: the handle is closing. */
void ustack_agg_discard(struct dtk *d);
/* A mapping the kernel sent for a process's stacks (struct ustack_maprec). */
void ustack_maps_record(struct dtk *d, const void *rec, size_t size);
/* consume.c */
void agg_desc_of(const struct sym *y, struct agg_desc *ad);

#endif
