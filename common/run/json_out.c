/* json_out.c - dtrace -x oformat=json: probe firings, aggregations, drops
 * and faults as JSON Lines (the shapes are in json_out.h).
 *
 * A firing's records (the probe record that starts it, then one a traced
 * action) arrive one by one, interleaved with other CPUs' records, so each
 * CPU has the object of its current firing; it is written when the CPU's
 * next firing starts, before anything else is written (an aggregation, a
 * fault) and at the end of each batch of records. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "codegen.h"
#include "consume_stack.h"
#include "json_out.h"

#define MAXCPU 256		/* REC_CPU: 8 bits */

struct json_out {
	struct json_object *firing[MAXCPU];
	bool split[MAXCPU];	/* a printa() wrote out what came before */
};

static struct json_out *jout(struct dtk *d)
{
	if (!d->jout)
		d->jout = calloc(1, sizeof *d->jout);
	return d->jout;
}

static void emit(struct dtk *d, struct json_object *o)
{
	dtk_json_emit(d->out, (struct dtk_json *)o);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);	/* bpf_ktime_get_ns's clock */
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void add_probe(struct json_object *o, const struct probe *p)
{
	json_object_object_add(o, "id", json_object_new_int64(p ? p->id : 0));
	json_object_object_add(o, "provider", json_object_new_string(p ? p->prov : ""));
	json_object_object_add(o, "module", json_object_new_string(p ? p->mod : ""));
	json_object_object_add(o, "function", json_object_new_string(p ? p->func : ""));
	json_object_object_add(o, "name", json_object_new_string(p ? p->name : ""));
}

/* dtrace:INTERNAL:INTERNAL:<name>, FreeBSD's pseudo-probe for drops */
static struct json_object *internal(int cpu, const char *name)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "timestamp", json_object_new_int64(now_ns()));
	json_object_object_add(o, "cpu", json_object_new_int(cpu));
	json_object_object_add(o, "id", json_object_new_int(-1));
	json_object_object_add(o, "provider", json_object_new_string("dtrace"));
	json_object_object_add(o, "module", json_object_new_string("INTERNAL"));
	json_object_object_add(o, "function", json_object_new_string("INTERNAL"));
	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

static void flush_cpu(struct dtk *d, int cpu)
{
	struct json_out *j = jout(d);
	struct json_object *o = j ? j->firing[cpu] : NULL, *out;
	if (!o)
		return;
	/* the rest of a firing split by printa(), when there is a rest */
	if (j->split[cpu] && json_object_object_get_ex(o, "output", &out) &&
	    json_object_array_length(out) == 0)
		json_object_put(o);
	else
		emit(d, o);
	j->firing[cpu] = NULL;
	j->split[cpu] = false;
}

/* printa(): what the firing output so far comes before the aggregation;
 * the firing goes on in an object of its own (same probe, cpu, time). */
static void split_firing(struct dtk *d, int cpu)
{
	struct json_out *j = jout(d);
	struct json_object *o = j ? j->firing[cpu] : NULL, *out, *copy = NULL;
	if (!o || !json_object_object_get_ex(o, "output", &out) ||
	    json_object_array_length(out) == 0)
		return;
	if (json_object_deep_copy(o, &copy, NULL) != 0)
		return;
	emit(d, copy);
	json_object_object_add(o, "output", json_object_new_array());
	j->split[cpu] = true;
}

void json_out_flush(struct dtk *d)
{
	for (int c = 0; d->jout && c < MAXCPU; c++)
		flush_cpu(d, c);
}

void json_out_free(struct dtk *d)
{
	for (int c = 0; d->jout && c < MAXCPU; c++)
		json_object_put(d->jout->firing[c]);
	free(d->jout);
	d->jout = NULL;
}

/* A new firing on cpu; ts < 0: not known (its probe record was written out
 * in an earlier batch). */
static struct json_object *start_firing(struct dtk *d, int cpu, const struct probe *p,
					int64_t ts)
{
	struct json_out *j = jout(d);
	if (!j)
		return NULL;
	flush_cpu(d, cpu);
	struct json_object *o = json_object_new_object();
	if (ts >= 0)
		json_object_object_add(o, "timestamp", json_object_new_int64(ts));
	json_object_object_add(o, "cpu", json_object_new_int(cpu));
	add_probe(o, p);
	json_object_object_add(o, "output", json_object_new_array());
	j->firing[cpu] = o;
	return o;
}

static struct json_object *output_of(struct dtk *d, int cpu, const struct probe *p)
{
	struct json_out *j = jout(d);
	struct json_object *o = j ? j->firing[cpu] : NULL, *out;
	if (!o)
		o = start_firing(d, cpu, p, -1);
	return o && json_object_object_get_ex(o, "output", &out) ? out : NULL;
}

static struct json_object *value_of(const struct fmt_val *v, const struct fmt_ctx *fc)
{
	switch (v->kind) {
	case FV_INT:
		if (v->i.is_signed)
			return json_object_new_int64(v->i.v);
		if (v->i.size < 8)
			return json_object_new_uint64((uint64_t)v->i.v &
						      ((1ULL << (8 * v->i.size)) - 1));
		return json_object_new_uint64((uint64_t)v->i.v);
	case FV_STR:
		return json_str_utf8(v->s.p, strnlen(v->s.p, v->s.len));
	case FV_FLOAT:
		return json_object_new_double(v->f);
	case FV_STACK: {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			return NULL;
		fmt_print_stack(m, v, 1, 0, fc);
		fclose(m);
		struct json_object *a = json_frames_of_text(buf);
		free(buf);
		return a;
	}
	}
	return NULL;
}

/* Text a printer writes, as a JSON string. */
static struct json_object *printed(char *buf, size_t len)
{
	struct json_object *s = json_str_utf8(buf ? buf : "", buf ? len : 0);
	free(buf);
	return s;
}

static void add_printf(struct dtk *d, struct json_object *out, const struct action *a,
		       const char *rec, size_t size)
{
	struct fmt_val vals[64];
	struct fmt_ctx fc = fctx(d);
	int n = decode_vals(d, a, rec, size, vals, 64);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	fmt_print(m, a->fmt, vals, n, &fc);
	fclose(m);
	struct json_object *item = json_object_new_object();
	json_object_object_add(item, "message", printed(buf, len));
	struct json_object *va = json_object_new_array();
	for (int i = 0; i < n; i++)
		json_object_array_add(va, value_of(&vals[i], &fc));
	json_object_object_add(item, "values", va);
	json_object_array_add(out, item);
}

static void add_stack(struct dtk *d, struct json_object *out, const struct action *a,
		      const char *rec, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	print_stack_record(d, m, a, rec, size);
	fclose(m);
	struct json_object *item = json_object_new_object();
	json_object_object_add(item, a->kind == ACT_STACK ? "stack-frames" : "ustack-frames",
			       json_frames_of_text(buf ? buf : ""));
	free(buf);
	json_object_array_add(out, item);
}

static void add_error(struct dtk *d, const struct action *a, const struct probe *p,
		      const char *rec, size_t size, int cpu)
{
	uint64_t addr = 0, act = 0;
	if (size >= 24) {
		memcpy(&addr, rec + 8, 8);
		memcpy(&act, rec + 16, 8);
	}
	struct json_object *o = internal(cpu, "ERROR");
	struct json_object *pr = json_object_new_object();
	add_probe(pr, p);
	json_object_object_add(o, "probe", pr);
	json_object_object_add(o, "fault", json_object_new_string(
		a->errkind == EDOM ? "divide-by-zero" : "invalid address"));
	if (a->errkind != EDOM)
		json_object_object_add(o, "address", json_object_new_uint64(addr));
	json_object_object_add(o, "action", json_object_new_int64((int64_t)act + 1));
	json_object_object_add(o, "line", json_object_new_int(a->loc.line));
	emit(d, o);
}

bool json_out_record(struct dtk *d, const struct action *a, const struct probe *p,
		     const char *rec, size_t size, int cpu)
{
	struct json_object *out;
	struct fmt_val v[1];

	switch (a->kind) {
	case ACT_PROBE: {
		int64_t ts = -1;
		if (size >= 24)
			memcpy(&ts, rec + 16, 8);
		start_firing(d, cpu, p, ts);
		return true;
	}
	case ACT_PRINTF:
		if ((out = output_of(d, cpu, p)))
			add_printf(d, out, a, rec, size);
		return true;
	case ACT_TRACE:
		if ((out = output_of(d, cpu, p)) && decode_vals(d, a, rec, size, v, 1) == 1) {
			struct fmt_ctx fc = fctx(d);
			struct json_object *item = json_object_new_object();
			json_object_object_add(item, "value", value_of(&v[0], &fc));
			json_object_array_add(out, item);
		}
		return true;
	case ACT_STACK: case ACT_USTACK:
		if ((out = output_of(d, cpu, p)))
			add_stack(d, out, a, rec, size);
		return true;
	case ACT_PRINTA:
		split_firing(d, cpu);
		return false;
	case ACT_ERROR:
		flush_cpu(d, cpu);
		add_error(d, a, p, rec, size, cpu);
		return false;	/* the message on stderr, the ERROR clauses */
	default:
		return false;
	}
}

/* ---- aggregations ---- */

static const char *const func_names[] = {
	[AGG_COUNT] = "count", [AGG_SUM] = "sum", [AGG_AVG] = "avg",
	[AGG_MIN] = "min", [AGG_MAX] = "max", [AGG_STDDEV] = "stddev",
	[AGG_QUANTIZE] = "quantize", [AGG_LQUANTIZE] = "lquantize",
	[AGG_LLQUANTIZE] = "llquantize",
};

static void bucket(struct json_object *a, const char *key, int64_t value, int64_t count,
		   uint64_t normal)
{
	if (!count)
		return;
	struct json_object *b = json_object_new_object();
	json_object_object_add(b, key, json_object_new_int64(value));
	json_object_object_add(b, "count", json_object_new_int64(count / (int64_t)normal));
	json_object_array_add(a, b);
}

/* The buckets with something in them, labelled as the text rows are: the
 * bucket's lowest value, "below" the range's start for the one under it
 * ("< 0"), "atleast" its end for the one over it (">= 100"). */
static struct json_object *buckets(const struct agg_desc *ad, const int64_t *v,
				   uint64_t normal)
{
	struct json_object *a = json_object_new_array();
	switch (ad->func) {
	case AGG_QUANTIZE:
		for (int i = 0; i < QUANTIZE_NBUCKETS; i++)
			bucket(a, "value", quantize_bucket_value(i), v[i], normal);
		break;
	case AGG_LQUANTIZE:
		bucket(a, "below", ad->base, v[0], normal);
		for (int i = 1; i <= ad->levels + 1; i++)
			bucket(a, i <= ad->levels ? "value" : "atleast",
			       (int64_t)ad->base + (int64_t)(i - 1) * ad->step, v[i], normal);
		break;
	case AGG_LLQUANTIZE: {
		/* the magnitudes' linear steps, as aggfmt.c prints them */
		int64_t value = 1, next, step;
		int order, bin = 1;
		for (order = 0; order < ad->low; order++)
			value *= ad->factor;
		bucket(a, "below", value, v[0], normal);
		next = value * ad->factor;
		step = next > ad->nsteps ? next / ad->nsteps : 1;
		while (order <= ad->high) {
			bucket(a, "value", value, v[bin++], normal);
			if ((value += step) != next)
				continue;
			next = value * ad->factor;
			step = next > ad->nsteps ? next / ad->nsteps : 1;
			order++;
		}
		bucket(a, "atleast", value, v[bin], normal);
		break;
	}
	default:
		break;
	}
	return a;
}

static struct json_object *agg_value(const struct agg_desc *ad, const int64_t *v,
				     uint64_t normal)
{
	switch (ad->func) {
	case AGG_COUNT: case AGG_SUM: case AGG_MIN: case AGG_MAX:
		return json_object_new_int64(v[0] / (int64_t)normal);
	case AGG_AVG:
		return json_object_new_int64(v[0] ? v[1] / (int64_t)normal / v[0] : 0);
	case AGG_STDDEV:
		return json_object_new_uint64(agg_stddev(v, normal));
	default:
		return buckets(ad, v, normal);
	}
}

void json_out_agg(struct dtk *d, const struct sym *y, const struct agg_desc *desc,
		  const struct agg_entry *e, int n, uint64_t normal)
{
	struct fmt_ctx fc = fctx(d);
	struct json_object *o = json_object_new_object(), *data = json_object_new_array();
	const char *fn = func_names[desc->func];
	bool hist = desc->func >= AGG_QUANTIZE;

	if (normal == 0)
		normal = 1;
	json_object_object_add(o, "aggregation-name", json_object_new_string(y->name));
	json_object_object_add(o, "aggregation-function", json_object_new_string(fn));
	for (int i = 0; i < n; i++) {
		struct json_object *ent = json_object_new_object(), *keys = json_object_new_array();
		for (int k = 0; k < e[i].nkeys; k++)
			json_object_array_add(keys, value_of(&e[i].keys[k], &fc));
		json_object_object_add(ent, "keys", keys);
		json_object_object_add(ent, hist ? "buckets" : fn,
				       agg_value(desc, e[i].data, normal));
		json_object_array_add(data, ent);
	}
	json_object_object_add(o, "aggregation-data", data);
	emit(d, o);
}

/* ---- drops ---- */

void json_out_drop(struct dtk *d, int kind, int cpu, uint64_t n)
{
	static const char *const kinds[DROP_NKINDS] = {
		[DROP_RINGBUF] = "principal", [DROP_DYNVAR] = "dynamic",
		[DROP_AGG] = "aggregation",
	};
	if (!d->comp.opt.json || kind < 0 || kind >= DROP_NKINDS)
		return;
	json_out_flush(d);
	struct json_object *o = internal(kind == DROP_DYNVAR ? -1 : cpu, "DROP");
	json_object_object_add(o, "kind", json_object_new_string(kinds[kind]));
	json_object_object_add(o, "count", json_object_new_uint64(n));
	emit(d, o);
}
