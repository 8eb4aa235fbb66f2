/* consume_stack.c - stack records: stack() and ustack() printed as DTrace
 * prints them, and the events of @[ustack()] aggregations, unwound here and
 * added into the aggregation's per-CPU map (as CPU 0's share), so that
 * printa() and the print at exit read them like any other aggregation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "aggfmt.h"
#include "consume_stack.h"
#include "fmt.h"
#include "syms.h"
#include "ustack.h"

struct syms *dtk_syms(struct dtk *d)
{
	if (!d->syms)
		d->syms = syms_new();
	return d->syms;
}

/* Tell the kernel how much of this thread's stack its unwinding needs
 * (codegen_stack.c, gen_ustack_block): as high as this walk of a whole
 * copy read, when it reached the outermost frame; and make it copy the
 * whole again (top 0) when a walk wanted more than a copy cut at the top
 * held.  Neither happens twice in a row, so it costs a system call a
 * thread, not an event. */
void stack_extent(struct dtk *d, const char *blk, size_t size,
		  const struct ustack_stack *st)
{
	struct ustack_block b;
	int fd = -1;
	if (size < sizeof(b))
		return;
	memcpy(&b, blk, sizeof(b));
	for (int i = 0; i < d->comp.p.nmaps; i++)
		if (d->comp.p.maps[i].role == MR_UTOP)
			fd = d->comp.p.maps[i].fd;
	struct { uint32_t tid, pad; uint64_t mm; } key = { b.tid, 0, b.mm };
	if (fd < 0 || !b.mm)
		return;
	uint64_t top = 0;
	if (b.flags & USTACK_LIMITED) {
		if (st->short_copy)
			bpf_map_update_elem(fd, &key, &top, BPF_ANY);
	} else if (st->ended && !st->short_copy) {
		top = st->sp + st->need + USTACK_SLACK;
		bpf_map_update_elem(fd, &key, &top, BPF_ANY);
	}
}

static int indent_of(struct dtk *d)
{
	return d->comp.opt.stackindent > 0 ? d->comp.opt.stackindent : 14;
}

void print_stack_record(struct dtk *d, FILE *out, const struct action *a,
			const char *rec, size_t size)
{
	if (a->nvals < 1)
		return;
	const struct recval *rv = &a->vals[0];
	if (a->kind == ACT_STACK) {
		int64_t bytes;
		if (size < 16)
			return;
		memcpy(&bytes, rec + 8, 8);
		if (bytes < 0)
			bytes = 0;
		if ((size_t)bytes > size - 16)
			bytes = (int64_t)(size - 16);
		int n = (int)(bytes / 8);
		if (n > rv->size)
			n = rv->size;
		uint64_t *pcs = calloc((size_t)n + 1, 8);
		if (!pcs)
			return;
		memcpy(pcs, rec + 16, (size_t)n * 8);
		struct fmt_ctx fc = { .ksym = syms_kernel, .arg = dtk_syms(d) };
		struct fmt_val v = { .kind = FV_STACK,
				     .stk = { .pcs = pcs, .depth = n } };
		fmt_print_stack(out, &v, indent_of(d), 0, &fc);
		free(pcs);
		return;
	}
	if ((size_t)rv->off > size)
		return;
	int max = rv->size > 0 ? rv->size : 1;
	struct ustack_stack *st = ustack_get(dtk_syms(d), rec + rv->off,
					     size - rv->off, max);
	if (!st)
		return;
	stack_extent(d, rec + rv->off, size - rv->off, st);
	ustack_write(out, dtk_syms(d), st, max, indent_of(d));
}

void ustack_maps_record(struct dtk *d, const void *data, size_t size)
{
	struct ustack_maprec r;
	char path[USTACK_NAMES * USTACK_NAMELEN + 1] = "";
	if (size < USTACK_MAPREC_HEAD)
		return;
	memset(&r, 0, sizeof(r));
	memcpy(&r, data, size < sizeof(r) ? size : sizeof(r));
	if (r.nnames > USTACK_NAMES ||
	    size < USTACK_MAPREC_HEAD + (size_t)r.nnames * USTACK_NAMELEN)
		return;
	/* leaf first, up to the root "/" */
	size_t len = 0;
	for (int i = (int)r.nnames - 1; i >= 0; i--) {
		const char *nm = r.names[i];
		size_t n = strnlen(nm, USTACK_NAMELEN);
		if (n == 0 || (n == 1 && nm[0] == '/'))
			continue;
		if (len + 1 + n >= sizeof(path))
			return;
		path[len++] = '/';
		memcpy(path + len, nm, n);
		len += n;
		path[len] = '\0';
	}
	syms_kernel_map(dtk_syms(d), &(struct symkmap){
		.pid = (int)r.pid, .mm = r.mm, .seq = r.seq, .start = r.start, .end = r.end,
		.pgoff = r.pgoff * (uint64_t)sysconf(_SC_PAGESIZE),
		.exec = (r.flags & 0x4) != 0,		/* VM_EXEC */
		.dev = r.dev, .ino = r.ino, .path = r.nnames ? path : NULL });
}

int dtk_record_ustack(struct dtk *d, const struct dtk_record *r, FILE *out)
{
	const struct rechdr *h = r->data;
	if (r->size < sizeof(*h) || REC_ACTION(h) == 0 ||
	    REC_ACTION(h) > (uint32_t)d->comp.p.nactions)
		return -1;
	const struct action *a = &d->comp.p.actions[REC_ACTION(h) - 1];
	if (a->kind != ACT_USTACK && a->kind != ACT_STACK)
		return -1;
	print_stack_record(d, out, a, r->data, r->size);
	return 0;
}

/* The formatting context of the handle: its target and symbols. */
struct fmt_ctx fctx(struct dtk *d)
{
	struct fmt_ctx f = { .target = d->comp.target,
			     .stackindent = d->comp.opt.stackindent,
			     .ksym = syms_kernel, .usym = syms_user,
			     .arg = dtk_syms(d) };
	return f;
}

