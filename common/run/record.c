/* record.c - the values of a record, for tools that format their own lines
 * (dtk_record_values in dtk.h). */
#include <string.h>
#include "dtk_impl.h"
#include "probes.h"

int dtk_record_values(struct dtk *d, const struct dtk_record *r,
		      struct dtk_value *v, int max)
{
	if (r->action < 0 || r->action >= d->p.nactions)
		return -1;
	const struct action *a = &d->p.actions[r->action];
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
			const char *nm = syscall_name(d->probes, (int)nr);
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
