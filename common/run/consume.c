/* consume.c - records from the ring buffer to text, aggregations from their
 * per-CPU maps to DTrace's layout, and drop reports. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "aggfmt.h"
#include "aggsym.h"
#include "func.h"
#include "codegen.h"
#include "consume_stack.h"
#include "consts.h"
#include "dtk_impl.h"
#include "fmt.h"
#include "json_out.h"
#include "lines.h"
#include "print_type.h"
#include "prov/provider.h"
#include "syms.h"

struct consume_ctx {
	struct dtk *d;
	dtk_record_cb cb;
	void *arg;
};

static int map_fd(struct dtk *d, enum map_role role)
{
	for (int i = 0; i < d->comp.p.nmaps; i++)
		if (d->comp.p.maps[i].role == role)
			return d->comp.p.maps[i].fd;
	return -1;
}

/* Which syscall probe a record of one action and syscall number came
 * from: syscall:::entry enables hundreds of probes, and searching them
 * for every one of millions of records cost more than printing it. One
 * handle consumes at a time; consume_open empties the cache. */
#define SYSPROBE_CACHE 256
struct sysprobe_memo {
	uint32_t action, sub;	/* action 0: empty */
	const struct probe *p;
};

/* The consumer's state, one per handle while it is loaded (d->cons):
 * what the ring buffer's callback gets, and the cache above. */
struct consumer {
	struct consume_ctx ctx;
	struct sysprobe_memo sysprobe_cache[SYSPROBE_CACHE];
};

static const struct probe *find_sysprobe(struct dtk *d, const struct action *a,
					 uint32_t sub);

/* The probe a record came from. */
static const struct probe *record_probe(struct dtk *d, const struct action *a,
					uint32_t sub)
{
	const struct bprog *b = &d->comp.p.bprogs[a->prog];
	if (b->nprobes > 1) {	/* sub is the probe's id (its attach cookie) */
		const struct probe *p = probetab_by_id(d->comp.probes, sub);
		return p ? p : b->probe;
	}
	if (!b->sub_syscall)	/* sub is no syscall number: one probe */
		return b->probe;
	uint32_t action = (uint32_t)(a - d->comp.p.actions) + 1;
	struct sysprobe_memo *m =
		&d->cons->sysprobe_cache[(action * 37 + sub) % SYSPROBE_CACHE];
	if (m->action != action || m->sub != sub) {
		m->p = find_sysprobe(d, a, sub);
		m->action = action;
		m->sub = sub;
	}
	return m->p;
}

static const struct probe *find_sysprobe(struct dtk *d, const struct action *a,
					 uint32_t sub)
{
	const struct bprog *b = &d->comp.p.bprogs[a->prog];
	const struct clause *cl = a->clause >= 0 ? d->comp.p.clauses[a->clause] : NULL;
	for (int i = 0; cl && i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(d->comp.probes, cl->probes[i]);
		if (probe_syscall(p) == (int)sub &&
		    provider_of(p)->point(p) == b->point)
			return p;
	}
	/* not one of its system calls: a probe of another provider riding
	 * the same program (proc's exec and exec-failure) */
	for (int i = 0; cl && i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(d->comp.probes, cl->probes[i]);
		if (probe_syscall(p) < 0 && provider_of(p)->point(p) == b->point)
			return p;
	}
	return b->probe;
}

/* trace() under -x rawbytes: the value's bytes as DTrace stores them, a
 * string its whole buffer (strsize + 1), NUL-padded after its end */
static void trace_rawbytes(FILE *out, const struct recval *rv,
			   const struct fmt_val *v)
{
	unsigned char buf[8192] = { 0 };
	size_t n = rv->size > 0 && (size_t)rv->size <= sizeof buf ?
		(size_t)rv->size : 8;

	if (v->kind == FV_STR)
		memcpy(buf, v->s.p, v->s.len < n ? v->s.len : n);
	else
		memcpy(buf, &v->i.v, n > 8 ? 8 : n);	/* little-endian */
	fmt_hexdump(out, buf, n);
}

/* ---- aggregations ---- */

struct aggdata {
	struct sym *y;
	struct agg_desc desc;
	int n;
	char *keys;		/* n * keysize */
	int64_t *vals;		/* n * nwords, merged */
	struct fmt_val *kv;	/* n * nkeys */
	char *names;		/* func()/ufunc() & co. keys' names, NAMELEN each */
	uint64_t normal;
};

#define NAMELEN 256

static void free_aggdata(struct aggdata *ag)
{
	free(ag->keys);
	free(ag->vals);
	free(ag->kv);
	free(ag->names);
}

static struct sym *agg_by_map(struct dtk *d, int i)
{
	return d->comp.p.maps[i].role == MR_AGG ? d->comp.p.maps[i].sym : NULL;
}

static uint64_t *normal_of(struct sym *y)
{
	return &y->normal;
}

/* The name a syscall-number key slot stands for (SYN_SYSNUM). */
static const char *key_sysname(struct dtk *d, const char *slot)
{
	uint64_t nr;
	memcpy(&nr, slot, 8);
	const char *nm = syscall_name(d->comp.probes, (int)nr);
	return nm ? nm : "?";
}

/* A func()/ufunc() & co. key slot as the name of what it points at
 * (ufunc() & co.: the pid, then the address). */
static struct fmt_val symaddr_key(struct dtk *d, struct aggdata *ag,
				  const char *slot, const struct type *t, size_t at)
{
	uint64_t addr, pid = 0;
	struct fmt_ctx fc = fctx(d);

	if (!ag->names && !(ag->names = calloc((size_t)ag->n * ag->y->nkeys, NAMELEN)))
		return FMT_STR("?");
	if (t->user)
		memcpy(&pid, slot, 8), slot += 8;
	memcpy(&addr, slot, 8);
	enum aggsym_what what = t->symfn == F_UADDR ? AGGSYM_ADDR :
		t->symfn == F_MOD || t->symfn == F_UMOD ? AGGSYM_MOD : AGGSYM_FUNC;
	aggsym_name(ag->names + at * NAMELEN, NAMELEN, &fc, what, t->user,
		    (int)pid, addr);
	return FMT_STR(ag->names + at * NAMELEN);
}

/* An aggregation as its map holds it: one entry per BPF key. */
static int read_agg_raw(struct dtk *d, struct sym *y, struct aggdata *ag)
{
	memset(ag, 0, sizeof *ag);
	ag->y = y;
	agg_desc_of(y, &ag->desc);
	ag->normal = y->normal ? y->normal : 1;
	if (y->map < 0)
		return 0;
	int fd = d->comp.p.maps[y->map].fd;
	int ncpu = libbpf_num_possible_cpus();
	size_t nw = agg_nwords(&ag->desc);
	size_t vs = (size_t)((y->vsize + 7) & ~7);
	int ks = y->keysize;
	char *key = calloc(1, ks), *next = calloc(1, ks);
	int64_t *pc = calloc(ncpu, vs);
	int cap = 0;
	bool first = true;
	while (key && next && pc &&
	       bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		first = false;
		memcpy(key, next, ks);
		if (bpf_map_lookup_elem(fd, key, pc) < 0)
			continue;
		if (ag->n == cap) {
			cap = cap ? cap * 2 : 64;
			ag->keys = realloc(ag->keys, (size_t)cap * ks);
			ag->vals = realloc(ag->vals, (size_t)cap * nw * 8);
		}
		memcpy(ag->keys + (size_t)ag->n * ks, key, ks);
		int64_t *v = ag->vals + (size_t)ag->n * nw;
		agg_init(&ag->desc, v);
		for (int c = 0; c < ncpu; c++)
			agg_merge(&ag->desc, v, (int64_t *)((char *)pc + c * vs));
		ag->n++;
	}
	free(key);
	free(next);
	free(pc);
	/* keys as printable values */
	ag->kv = calloc((size_t)ag->n * (y->nkeys ? y->nkeys : 1), sizeof *ag->kv);
	for (int i = 0; i < ag->n; i++) {
		const char *k = ag->keys + (size_t)i * ks;
		int off = 0;
		for (int j = 0; j < y->nkeys; j++) {
			struct type *t = y->keys[j];
			struct fmt_val *fv = &ag->kv[(size_t)i * y->nkeys + j];
			if (t->synth == SYN_SYSNUM) {
				*fv = FMT_STR(key_sysname(d, k + off));
			} else if (t->k == TY_SYMADDR) {
				*fv = symaddr_key(d, ag, k + off, t,
						  (size_t)i * y->nkeys + j);
			} else if (type_is_string(t)) {
				*fv = FMT_STRN(k + off, strnlen(k + off, t->size));
			} else if (t->k == TY_STACK) {
				/* ustack: the process first (codegen_stack.c) */
				int32_t pid = 0;
				if (t->user)
					memcpy(&pid, k + off, 4);
				*fv = (struct fmt_val){ .kind = FV_STACK, .stk = {
					.pcs = (const uint64_t *)(k + off + (t->user ? 8 : 0)),
					.depth = t->nelem, .pid = pid, .user = t->user } };
			} else {
				int64_t x;
				memcpy(&x, k + off, 8);
				*fv = FMT_INT(x, t->size > 8 ? 8 : t->size, t->sign);
			}
			off += (t->size + 7) & ~7;
		}
	}
	return 0;
}

/* An aggregation as DTrace shows it: entries whose func()/ufunc() & co.
 * keys name the same function (or module) are one entry. */
static int read_agg(struct dtk *d, struct sym *y, struct aggdata *ag)
{
	int r = read_agg_raw(d, y, ag), m;

	if (r < 0 || !ag->names)
		return r;
	m = aggsym_merge(ag->kv, y->nkeys, ag->vals, agg_nwords(&ag->desc),
			 &ag->desc, ag->n);
	if (m >= 0)
		ag->n = m;
	return r;
}

static struct agg_sortopts sortopts(struct dtk *d)
{
	struct agg_sortopts o = { .keysort = d->comp.opt.aggsortkey,
				  .revsort = d->comp.opt.aggsortrev,
				  .keypos = d->comp.opt.aggsortkeypos,
				  .sortpos = d->comp.opt.aggsortpos };
	return o;
}

static void print_agg(struct dtk *d, struct sym *y, const struct fmt_spec *spec)
{
	struct aggdata ag;
	read_agg(d, y, &ag);
	struct agg_entry *e = calloc(ag.n ? ag.n : 1, sizeof *e);
	size_t nw = agg_nwords(&ag.desc);
	for (int i = 0; i < ag.n; i++) {
		e[i].varid = 0;
		e[i].keys = ag.kv + (size_t)i * y->nkeys;
		e[i].nkeys = y->nkeys;
		e[i].desc = &ag.desc;
		e[i].data = ag.vals + (size_t)i * nw;
	}
	struct agg_sortopts so = sortopts(d);
	agg_sort(e, ag.n, &so);
	struct fmt_ctx fc = fctx(d);
	const struct agg_desc *descs[1] = { &ag.desc };
	if (d->comp.opt.json)
		json_out_agg(d, y, &ag.desc, e, ag.n, ag.normal);
	for (int i = 0; i < ag.n && !d->comp.opt.json; i++) {
		const int64_t *data[1] = { e[i].data };
		if (spec)
			aggfmt_printa(d->out, spec, e[i].keys, e[i].nkeys, descs,
				      data, &ag.normal, 1, &fc);
		else
			agg_print_entry(d->out, e[i].keys, e[i].nkeys, descs, data,
					&ag.normal, 1, &fc);
	}
	free(e);
	free_aggdata(&ag);
}

/* printa(fmt, @a, @b, ...): DTrace joins them by key, a row for each key
 * tuple any of them has, with each one's value for it (zero where it has
 * none), sorted by the aggsortpos'th one's values. */
static void print_aggs(struct dtk *d, struct sym **ys, int n,
		       const struct fmt_spec *spec)
{
	if (n == 1 || d->comp.opt.json) {
		/* JSON: one object an aggregation, whatever printa joins */
		for (int i = 0; i < n; i++)
			print_agg(d, ys[i], spec);
		return;
	}
	struct aggdata *ag = calloc(n, sizeof *ag);
	const struct agg_desc **descs = calloc(n, sizeof *descs);
	uint64_t *normals = calloc(n, sizeof *normals);
	int64_t **zeros = calloc(n, sizeof *zeros);
	int total = 0;
	for (int i = 0; ag && descs && normals && zeros && i < n; i++) {
		read_agg(d, ys[i], &ag[i]);
		descs[i] = &ag[i].desc;
		normals[i] = ag[i].normal;
		zeros[i] = calloc(agg_nwords(&ag[i].desc), 8);
		if (zeros[i])
			agg_init(&ag[i].desc, zeros[i]);
		total += ag[i].n;
	}
	struct agg_row *rows = calloc(total ? total : 1, sizeof *rows);
	const int64_t **data = calloc((size_t)(total ? total : 1) * n, sizeof *data);
	int nrows = 0;
	const struct agg_sortopts same_keys = { .keysort = true };
	for (int i = 0; rows && data && zeros && i < n; i++) {
		size_t nw = agg_nwords(&ag[i].desc);
		for (int j = 0; j < ag[i].n && zeros[i]; j++) {
			struct agg_row key = {
				.keys = ag[i].kv + (size_t)j * ys[i]->nkeys,
				.nkeys = ys[i]->nkeys };
			int r = 0;
			while (r < nrows && agg_row_cmp(&rows[r], &key, &same_keys))
				r++;
			if (r == nrows) {
				rows[r] = key;
				rows[r].nagg = n;
				rows[r].descs = descs;
				rows[r].data = data + (size_t)r * n;
				for (int m = 0; m < n; m++)
					data[(size_t)r * n + m] = zeros[m];
				nrows++;
			}
			data[(size_t)r * n + i] = ag[i].vals + (size_t)j * nw;
		}
	}
	struct agg_sortopts so = sortopts(d);
	agg_sort_rows(rows, nrows, &so);
	struct fmt_ctx fc = fctx(d);
	for (int r = 0; r < nrows; r++) {
		if (spec)
			aggfmt_printa(d->out, spec, rows[r].keys, rows[r].nkeys,
				      descs, rows[r].data, normals, n, &fc);
		else
			agg_print_entry(d->out, rows[r].keys, rows[r].nkeys,
					descs, rows[r].data, normals, n, &fc);
	}
	for (int i = 0; ag && zeros && i < n; i++) {
		free(zeros[i]);
		free_aggdata(&ag[i]);
	}
	free(rows);
	free(data);
	free(zeros);
	free(normals);
	free(descs);
	free(ag);
}

static void clear_agg(struct dtk *d, struct sym *y, bool remove_keys, int64_t keep)
{
	if (y->map < 0)
		return;
	int fd = d->comp.p.maps[y->map].fd;
	if (!remove_keys) {
		/* clear(): keep the keys, zero the values */
		int ncpu = libbpf_num_possible_cpus();
		size_t vs = (size_t)((y->vsize + 7) & ~7);
		char *key = calloc(1, y->keysize), *next = calloc(1, y->keysize);
		void *zero = calloc(ncpu, vs);
		bool first = true;
		while (key && next && zero &&
		       bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
			first = false;
			memcpy(key, next, y->keysize);
			bpf_map_update_elem(fd, key, zero, BPF_EXIST);
		}
		free(key);
		free(next);
		free(zero);
		return;
	}
	/* trunc(@a, n): keep the n largest (n < 0: the n smallest) */
	struct aggdata ag;
	read_agg_raw(d, y, &ag);	/* its keys are the map's */
	size_t nw = agg_nwords(&ag.desc);
	struct agg_entry *e = calloc(ag.n ? ag.n : 1, sizeof *e);
	for (int i = 0; i < ag.n; i++) {
		e[i].keys = ag.kv + (size_t)i * y->nkeys;
		e[i].nkeys = y->nkeys;
		e[i].desc = &ag.desc;
		e[i].data = ag.vals + (size_t)i * nw;
	}
	struct agg_sortopts so = { 0 };
	agg_sort(e, ag.n, &so);
	for (int i = 0; i < ag.n; i++) {
		bool keepit = keep > 0 ? i >= ag.n - keep : keep < 0 ? i < -keep : false;
		if (keepit)
			continue;
		size_t idx = (size_t)(e[i].data - ag.vals) / nw;
		bpf_map_delete_elem(fd, ag.keys + idx * y->keysize);
	}
	free(e);
	free_aggdata(&ag);
}

int consume_aggs_final(struct dtk *d)
{
	json_out_flush(d);
	bool any = false;
	for (int i = 0; i < d->comp.p.nmaps; i++) {
		struct sym *y = agg_by_map(d, i);
		if (!y || y->printed)
			continue;
		struct aggdata ag;
		read_agg(d, y, &ag);
		int n = ag.n;
		free_aggdata(&ag);
		if (!n)
			continue;
		if (!any && !d->blank_at_stop) {
			lines_flush(&d->lines);
			if (!d->comp.opt.json)
				fputc('\n', d->out);
		}
		any = true;
		print_agg(d, y, NULL);
	}
	lines_flush(&d->lines);
	return 0;
}

/* ---- records ---- */

/* The fault of an ACT_ERROR record, as DTRACEFLT_* (what ERROR's arg4 is) */
static int fault_code(const struct action *a)
{
	return a->errkind == EDOM ? DTRACEFLT_DIVZERO :
		a->errkind == ERANGE ? DTRACEFLT_BADINDEX :
		a->errkind == ENOSPC ? DTRACEFLT_NOSCRATCH : DTRACEFLT_BADADDR;
}

/* dtrace-utils' line for a fault: the clause (dt_clause_N, N its place
 * among all the clauses), the probe that fired, the fault, the value at
 * fault (the address; the index for a bad index; the size asked of
 * alloca()), and where in the clause's BPF program it was caught (the
 * instruction numbers of `dtrace -S`). */
static void print_error(struct dtk *d, const struct action *a, const char *rec,
			const struct probe *p)
{
	uint64_t addr;
	char mod[256], func[256], val[32] = "";
	memcpy(&addr, rec + 8, 8);
	/* the pid provider's module and function come from a binary */
	if (p) {
		escape_text(mod, sizeof mod, p->mod);
		escape_text(func, sizeof func, p->func);
	}
	const char *what = "invalid address";
	switch (fault_code(a)) {
	case DTRACEFLT_DIVZERO:
		what = "divide-by-zero";
		break;
	case DTRACEFLT_BADINDEX:
		what = "index out of bounds";
		snprintf(val, sizeof val, " (%lld)", (long long)addr);
		break;
	case DTRACEFLT_NOSCRATCH:
		what = "out of scratch space";
		break;
	default:
		snprintf(val, sizeof val, " (0x%llx)", (unsigned long long)addr);
		break;
	}
	lines_flush(&d->lines);
	fflush(d->out);
	fprintf(stderr, "dtrace: error in dt_clause_%d for probe ID %u "
		"(%s:%s:%s:%s): %s%s at BPF pc %d\n", a->clause, p ? p->id : 0,
		p ? p->prov : "", p ? mod : "", p ? func : "", p ? p->name : "",
		what, val, a->pc);
}

static int on_record(void *arg, void *data, size_t size)
{
	struct consume_ctx *cc = arg;
	struct dtk *d = cc->d;
	if (size < sizeof(struct rechdr))
		return 0;
	const struct rechdr *h = data;
	uint32_t act = REC_ACTION(h);
	int rcpu = REC_CPU(h);
	if (act == 0 || act > (uint32_t)d->comp.p.nactions)
		return 0;		/* a wake-up record */
	const struct action *a = &d->comp.p.actions[act - 1];
	/* after exit( ) only END and ERROR clauses print, as DTrace runs only
	 * them once draining: a record of another probe after it comes from a
	 * firing under way on another CPU as exit( ) ran */
	if (d->exit_requested && a->prog >= 0 &&
	    d->comp.p.bprogs[a->prog].point != PT_END &&
	    d->comp.p.bprogs[a->prog].point != PT_ERROR)
		return 0;
	if (a->kind == ACT_USTACK_MAPS) {
		ustack_maps_record(d, data, size);
		return 0;
	}
	if (a->kind != ACT_USTACK_AGG)
		ustack_agg_flush(d);	/* this record may read the map */
	const struct probe *p = record_probe(d, a, h->sub);
	const char *rec = data;
	if (cc->cb) {
		struct dtk_record r = {
			.probe_id = p ? p->id : 0, .prov = p ? p->prov : "",
			.mod = p ? p->mod : "", .func = p ? p->func : "",
			.name = p ? p->name : "", .action = (int)(act - 1),
			.kind = a->kind == ACT_PRINTF ? DTK_REC_PRINTF :
				a->kind == ACT_TRACE ? DTK_REC_TRACE :
				a->kind == ACT_PRINTA ? DTK_REC_PRINTA :
				a->kind == ACT_EXIT ? DTK_REC_EXIT :
				a->kind == ACT_ERROR ? DTK_REC_ERROR :
				a->kind == ACT_STACK || a->kind == ACT_USTACK ?
				DTK_REC_STACK : DTK_REC_OTHER,
			.data = data, .size = size,
		};
		if (cc->cb(d, &r, cc->arg) == DTK_REC_HANDLED)
			return 0;
	}
	if (d->comp.opt.json && json_out_record(d, a, p, rec, size, rcpu))
		return 0;
	struct fmt_val vals[64];
	struct fmt_ctx fc = fctx(d);
	switch (a->kind) {
	case ACT_PROBE: {
		uint64_t cpu;
		memcpy(&cpu, rec + 8, 8);
		if (!d->header_printed) {
			lines_flush(&d->lines);
			if (d->comp.opt.flowindent)
				flow_header(d->out);
			else
				fprintf(d->out, "%3s %6s %32s\n", "CPU", "ID",
					"FUNCTION:NAME");
			d->header_printed = true;
		}
		lines_probe(&d->lines, rcpu, a->clause);
		if (d->comp.opt.flowindent) {
			flow_line(&d->flow, lines_begin(&d->lines, rcpu), (int)cpu,
				  p ? p->id : 0, p ? p->prov : "", p ? p->func : "",
				  p ? p->name : "", a);
			break;
		}
		/* a pid probe's function is a symbol of the traced binary */
		char fn[256], func[256], name[64];
		snprintf(fn, sizeof fn, "%s:%s", p ? escape_text(func, sizeof func, p->func) : "",
			 p ? escape_text(name, sizeof name, p->name) : "");
		fprintf(lines_begin(&d->lines, rcpu), "%3d %6u %32s ", (int)cpu,
			p ? p->id : 0, fn);
		break;
	}
	case ACT_PRINTF: {
		int n = decode_vals(d, a, rec, size, vals, 64);
		fmt_print(lines_begin(&d->lines, rcpu), a->fmt, vals, n, &fc);
		lines_end(&d->lines, rcpu);
		break;
	}
	case ACT_SYSTEM: {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (m) {
			int n = decode_vals(d, a, rec, size, vals, 64);
			fmt_print(m, a->fmt, vals, n, &fc);
			fclose(m);
			lines_flush(&d->lines);
			fflush(d->out);
			if (system(buf) < 0)
				fprintf(stderr, "dtrace: system() failed\n");
			free(buf);
		}
		break;
	}
	case ACT_TRACE: {
		int n = decode_vals(d, a, rec, size, vals, 64);
		if (n && d->comp.opt.rawbytes)
			trace_rawbytes(lines_begin(&d->lines, rcpu), &a->vals[0], &vals[0]);
		else if (n)
			fmt_trace(lines_begin(&d->lines, rcpu), &vals[0], d->comp.opt.quiet, &fc);
		lines_end(&d->lines, rcpu);
		break;
	}
	case ACT_TRACEMEM: {
		/* min(dsize, size) bytes; all of them for a negative dsize */
		int64_t dsize;
		size_t n = size > 16 ? size - 16 : 0;
		memcpy(&dsize, rec + 8, 8);
		if (dsize >= 0 && (uint64_t)dsize < n)
			n = (size_t)dsize;
		fmt_hexdump(lines_begin(&d->lines, rcpu), (const unsigned char *)rec + 16, n);
		lines_end(&d->lines, rcpu);
		break;
	}
	case ACT_PRINT: {
		uint64_t addr;
		memcpy(&addr, rec + 8, 8);
		if (size >= 16 + (size_t)a->ptype->size)
			print_type(lines_begin(&d->lines, rcpu), addr, a->ptype, rec + 16);
		lines_end(&d->lines, rcpu);
		break;
	}
	case ACT_EXIT: {
		int64_t st;
		memcpy(&st, rec + 8, 8);
		d->exit_status = (int)st;
		d->exit_requested = true;
		break;
	}
	case ACT_PRINTA:
		lines_flush(&d->lines);
		if (!a->fmt && !d->comp.opt.json)
			fputc('\n', d->out);
		print_aggs(d, a->aggs, a->naggs, a->fmt);
		break;
	case ACT_CLEAR:
		clear_agg(d, a->agg, false, 0);
		break;
	case ACT_TRUNC: {
		int64_t n = 0;
		if (size >= 16)
			memcpy(&n, rec + 8, 8);
		clear_agg(d, a->agg, true, n);
		break;
	}
	case ACT_NORMALIZE: {
		int64_t n;
		memcpy(&n, rec + 8, 8);
		*normal_of(a->agg) = n > 0 ? (uint64_t)n : 1;
		break;
	}
	case ACT_DENORMALIZE:
		*normal_of(a->agg) = 1;
		break;
	case ACT_ERROR: {
		lines_drop(&d->lines, rcpu, a->clause);
		lines_flush(&d->lines);
		print_error(d, a, rec, p);
		/* ERROR clauses: arg1 the enabled probe, arg2 the action,
		 * arg3 the offset (the BPF pc), arg4 the fault, arg5 the
		 * address */
		uint64_t args[8] = { 0 };
		args[1] = p ? p->id : 0;
		memcpy(&args[2], rec + 16, 8);
		args[2] += 1;
		args[3] = (uint64_t)a->pc;
		args[4] = (uint64_t)fault_code(a);
		memcpy(&args[5], rec + 8, 8);
		run_test_prog_args(d, -3, args);
		break;
	}
	case ACT_STACK: case ACT_USTACK:
		print_stack_record(d, lines_begin(&d->lines, rcpu), a, rec, size);
		lines_end(&d->lines, rcpu);
		break;
	case ACT_USTACK_AGG:
		ustack_agg_event(d, a, rec, size);
		break;
	case ACT_SETOPT: {
		char err[256];
		options_set(&d->comp.opt, a->fmtstr, NULL, err, sizeof err);
		break;
	}
	default:
		break;
	}
	return 0;
}

int consume_open(struct dtk *d)
{
	int fd = map_fd(d, MR_RINGBUF);
	if (fd < 0)
		return 0;
	if (!d->cons && !(d->cons = calloc(1, sizeof *d->cons))) {
		dtk_seterr(d, DTK_ERR_SYS, "out of memory");
		return -1;
	}
	d->cons->ctx.d = d;
	d->rb = ring_buffer__new(fd, on_record, &d->cons->ctx, NULL);
	if (!d->rb) {
		dtk_seterr(d, DTK_ERR_SYS, "failed to open the ring buffer: %s",
			   strerror(errno));
		return -1;
	}
	int ncpu = libbpf_num_possible_cpus();
	d->ncpus = ncpu;
	d->lastdrops = calloc((size_t)ncpu * DROP_NKINDS, sizeof *d->lastdrops);
	return 0;
}

/* Wait for a wake-up record, the target's end (its pidfd turns readable:
 * without it a command's end would be seen only at the next switch-rate
 * timeout, up to 100 ms late) or the timeout.  Consuming comes after. */
static int wait_records(struct dtk *d, int timeout_ms)
{
	struct pollfd pf[2] = {
		{ .fd = ring_buffer__epoll_fd(d->rb), .events = POLLIN },
		{ .fd = d->target_pidfd, .events = POLLIN },
	};
	int n = d->target_pidfd >= 0 && !d->target_exited ? 2 : 1;
	return poll(pf, n, timeout_ms) < 0 ? -errno : 0;
}

int consume_poll(struct dtk *d, int timeout_ms, dtk_record_cb cb, void *arg)
{
	if (!d->rb)
		return 0;
	/* dtk_finish drains the buffer without a callback: the tool's own,
	 * from its last dtk_work, still lays out those last records */
	if (cb || !d->finished) {
		d->cons->ctx.cb = cb;
		d->cons->ctx.arg = arg;
	}
	/* Records are written without a wake-up unless the buffer fills
	 * (see codegen's ring_output), so a poll that times out must still
	 * consume what is there. */
	int r = timeout_ms ? wait_records(d, timeout_ms) : 0;
	if (r < 0 && r != -EINTR)
		return -1;
	r = ring_buffer__consume(d->rb);
	ustack_agg_flush(d);
	if (r < 0 && r != -EINTR)
		return -1;
	lines_flush(&d->lines);
	json_out_flush(d);
	errno = 0;
	if (fflush(d->out) == EOF || ferror(d->out)) {
		/* a closed pipe (dtrace ... | head) ends tracing like Ctrl-C; a
		 * full disk too, and the tool reports it (dtk_output_error).
		 * stdio drops what it failed to write: errno is known now */
		if (!d->out_errno)
			d->out_errno = errno ? errno : -1;
		d->stopping = 1;
	}
	return 0;
}

int print_drops(struct dtk *d)
{
	int fd = map_fd(d, MR_DROPS);
	if (fd < 0 || !d->lastdrops)
		return 0;
	int ncpu = d->ncpus;
	uint64_t *v = calloc(ncpu, 8);
	if (!v)
		return -1;
	for (uint32_t k = 0; k < DROP_NKINDS; k++) {
		if (bpf_map_lookup_elem(fd, &k, v) < 0)
			continue;
		for (int c = 0; c < ncpu; c++) {
			uint64_t *last = &d->lastdrops[(size_t)c * DROP_NKINDS + k];
			if (v[c] == *last)
				continue;
			uint64_t n = v[c] - *last;
			*last = v[c];
			json_out_drop(d, k, c, n);
			fflush(d->out);
			if (k == DROP_RINGBUF)
				fprintf(stderr, "dtrace: %llu drop%s on CPU %d\n",
					(unsigned long long)n, n == 1 ? "" : "s", c);
			else if (k == DROP_DYNVAR)
				fprintf(stderr, "dtrace: %llu dynamic variable "
					"drop%s\n", (unsigned long long)n,
					n == 1 ? "" : "s");
			else
				fprintf(stderr, "dtrace: %llu aggregation drop%s "
					"on CPU %d\n", (unsigned long long)n,
					n == 1 ? "" : "s", c);
		}
	}
	free(v);
	return 0;
}

/* ---- aggregations for tools (dtk_agg_walk) ---- */

static struct sym *agg_by_name(struct dtk *d, const char *name)
{
	if (name[0] == '@')
		name++;
	for (int i = 0; i < d->comp.p.nmaps; i++) {
		struct sym *y = agg_by_map(d, i);
		if (y && strcmp(y->name, name) == 0)
			return y;
	}
	return NULL;
}

/* The three numbers of dtk_aggrec from a merged value. */
static void aggrec_values(const struct agg_desc *ad, const int64_t *v,
			  struct dtk_aggrec *r)
{
	r->value = r->count = r->sum = 0;
	switch (ad->func) {
	case AGG_COUNT: case AGG_SUM:
		r->value = r->count = r->sum = v[0];
		break;
	case AGG_MIN: case AGG_MAX:
		r->value = v[0];
		break;
	case AGG_AVG:
		r->count = v[0];
		r->sum = v[1];
		r->value = v[0] ? v[1] / v[0] : 0;
		break;
	case AGG_STDDEV:
		r->count = v[0];
		r->sum = v[1];
		r->value = (int64_t)agg_stddev(v, 1);
		break;
	default:
		break;
	}
}

int dtk_agg_walk(struct dtk *d, const char *name, int flags, dtk_agg_cb cb, void *arg)
{
	struct sym *y = agg_by_name(d, name);
	if (!y) {
		dtk_seterr(d, DTK_ERR_SYS, "no aggregation @%s", name[0] == '@' ? name + 1 : name);
		return -1;
	}
	y->printed = true;		/* the caller prints it from now on */
	int fd = d->comp.p.maps[y->map].fd;
	if (fd < 0)
		return 0;
	/* Snapshot the keys first: with DTK_AGG_TAKE entries go away as we
	 * read, and new ones keep arriving while we do. */
	int ks = y->keysize, nkeys = 0, cap = 0;
	char *keys = NULL, *key = calloc(1, ks);
	bool first = true;
	while (key && bpf_map_get_next_key(fd, first ? NULL : key, key) == 0) {
		first = false;
		if (nkeys == cap) {
			cap = cap ? 2 * cap : 64;
			char *k = realloc(keys, (size_t)cap * ks);
			if (!k)
				break;
			keys = k;
		}
		memcpy(keys + (size_t)nkeys++ * ks, key, ks);
	}
	free(key);
	struct agg_desc ad;
	agg_desc_of(y, &ad);
	int ncpu = libbpf_num_possible_cpus();
	size_t vs = (size_t)((y->vsize + 7) & ~7), nw = agg_nwords(&ad);
	int64_t *pc = calloc(ncpu, vs), *v = calloc(nw, 8);
	struct dtk_aggkey *kv = calloc(y->nkeys ? y->nkeys : 1, sizeof *kv);
	int seen = 0, rc = 0;
	for (int i = 0; pc && v && kv && i < nkeys && rc == 0; i++) {
		const char *k = keys + (size_t)i * ks;
		int err = flags & DTK_AGG_TAKE ?
			bpf_map_lookup_and_delete_elem(fd, k, pc) :
			bpf_map_lookup_elem(fd, k, pc);
		if (err < 0)
			continue;	/* gone since the snapshot */
		agg_init(&ad, v);
		for (int c = 0; c < ncpu; c++)
			agg_merge(&ad, v, (int64_t *)((char *)pc + c * vs));
		int off = 0;
		for (int j = 0; j < y->nkeys; j++) {
			struct type *t = y->keys[j];
			kv[j].is_str = type_is_string(t);
			kv[j].s = NULL;
			kv[j].i = 0;
			if (t->synth == SYN_SYSNUM)
				kv[j].s = key_sysname(d, k + off);
			else if (kv[j].is_str)
				kv[j].s = k + off;	/* zero-filled: terminated */
			else
				memcpy(&kv[j].i, k + off, 8);
			off += (t->size + 7) & ~7;
		}
		struct dtk_aggrec r = { .nkeys = y->nkeys, .keys = kv };
		aggrec_values(&ad, v, &r);
		seen++;
		if (cb)
			rc = cb(&r, arg);
	}
	free(keys);
	free(pc);
	free(v);
	free(kv);
	return seen;
}

int dtk_agg_clear(struct dtk *d, const char *name)
{
	struct sym *y = agg_by_name(d, name);
	if (!y) {
		dtk_seterr(d, DTK_ERR_SYS, "no aggregation @%s", name[0] == '@' ? name + 1 : name);
		return -1;
	}
	clear_agg(d, y, true, 0);
	return 0;
}

void consume_close(struct dtk *d)
{
	if (d->rb) {
		ring_buffer__free(d->rb);
		d->rb = NULL;
	}
	free(d->cons);
	d->cons = NULL;
}
