/* record.c - a record's values as the consumer reads them (record.h):
 * for printing (decode_vals), for tools that format their own lines
 * (dtk_record_values in dtk.h), and an aggregation's layout from its
 * symbol (agg_desc_of). */
#include <string.h>
#include "aggfmt.h"
#include "builtins.h"
#include "consume_stack.h"
#include "dtk_impl.h"
#include "fmt.h"
#include "func.h"
#include "json_out.h"
#include "probes.h"

int decode_vals(struct dtk *d, const struct action *a, const char *rec,
		       size_t size, struct fmt_val *vals, int max)
{
	int n = 0;
	for (int i = 0; i < a->nvals && n < max; i++) {
		const struct recval *rv = &a->vals[i];
		if ((size_t)(rv->off + (rv->kind == RV_STR ? 1 : 8)) > size)
			break;
		switch (rv->kind) {
		case RV_STR: {
			size_t len = size - rv->off < (size_t)rv->size ?
				size - rv->off : (size_t)rv->size;
			vals[n++] = FMT_STRN(rec + rv->off, strnlen(rec + rv->off, len));
			break;
		}
		case RV_PROBEFUNC: {
			uint64_t nr;
			memcpy(&nr, rec + rv->off, 8);
			const char *nm = syscall_name(d->comp.probes, (int)nr);
			vals[n++] = FMT_STR(nm ? nm : "?");
			break;
		}
		default: {
			int64_t v;
			memcpy(&v, rec + rv->off, 8);
			vals[n++] = FMT_INT(v, rv->size ? rv->size : 8, rv->sign);
			break;
		}
		}
	}
	return n;
}

void agg_desc_of(const struct sym *y, struct agg_desc *ad)
{
	memset(ad, 0, sizeof *ad);
	ad->func = (enum agg_func)(y->fn->id - F_COUNT);
	if (y->fn->id == F_LQUANTIZE) {
		char err[128];
		agg_lquantize_desc(ad, y->aggarg[0], y->aggarg[1], y->aggarg[2],
				   err, sizeof err);
	} else if (y->fn->id == F_LLQUANTIZE) {
		char err[128];
		agg_llquantize_desc(ad, y->aggarg[0], y->aggarg[1], y->aggarg[2],
				    y->aggarg[3], err, sizeof err);
	}
}

int dtk_record_values(struct dtk *d, const struct dtk_record *r,
		      struct dtk_value *v, int max)
{
	if (r->action < 0 || r->action >= d->comp.p.nactions)
		return -1;
	const struct action *a = &d->comp.p.actions[r->action];
	if (a->kind != ACT_PRINTF && a->kind != ACT_TRACE)
		return -1;
	const char *rec = r->data;
	int n = 0;
	for (int i = 0; i < a->nvals && n < max; i++) {
		const struct recval *rv = &a->vals[i];
		size_t need = (size_t)rv->off + (rv->kind == RV_STR ? 1 : 8);
		if (need > r->size)
			break;
		memset(&v[n], 0, sizeof v[n]);
		if (rv->kind == RV_STR) {
			size_t room = r->size - (size_t)rv->off;
			if (room > (size_t)rv->size)
				room = (size_t)rv->size;
			v[n].isstr = true;
			v[n].s = rec + rv->off;
			v[n].len = strnlen(v[n].s, room);
		} else if (rv->kind == RV_PROBEFUNC) {
			uint64_t nr;
			memcpy(&nr, rec + rv->off, 8);
			const char *nm = syscall_name(d->comp.probes, (int)nr);
			v[n].isstr = true;
			v[n].s = nm ? nm : "?";
			v[n].len = strlen(v[n].s);
		} else {
			int64_t x;
			memcpy(&x, rec + rv->off, 8);
			/* narrow and extend as the D type says */
			if (rv->size > 0 && rv->size < 8) {
				int sh = 64 - 8 * rv->size;
				x = rv->sign ? (int64_t)((uint64_t)x << sh) >> sh
					     : (int64_t)((uint64_t)x << sh >> sh);
			}
			v[n].i = x;
		}
		n++;
	}
	return n;
}
