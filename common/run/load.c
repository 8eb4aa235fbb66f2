/* load.c - maps and programs into the kernel, probes enabled, and all of
 * it removed again.  Everything is held by file descriptors (maps, programs,
 * links, perf events): closing them is the whole clean-up, so no exit path
 * can leave an object behind. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "codegen.h"
#include "dtk_impl.h"
#include "mapbtf.h"
#include "progbtf.h"
#include "prov/attach.h"
#include "prov/provider.h"

static int ringbuf_size(uint64_t want)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t n = (uint64_t)page;
	while (n < want && n < (1ULL << 30))
		n <<= 1;
	return (int)n;
}

static int create_maps(struct dtk *d)
{
	struct prog *p = &d->comp.p;
	for (int i = 0; i < p->nmaps; i++) {
		struct mapdef *m = &p->maps[i];
		int max = m->max;
		if (m->type == BPF_MAP_TYPE_RINGBUF)
			max = ringbuf_size(d->comp.opt.bufsize);
		LIBBPF_OPTS(bpf_map_create_opts, o);
		if (m->type == BPF_MAP_TYPE_HASH || m->type == BPF_MAP_TYPE_PERCPU_HASH)
			o.map_flags = BPF_F_NO_PREALLOC;
		int btf_fd = -1;
		if (m->type == BPF_MAP_TYPE_TASK_STORAGE) {
			o.map_flags = BPF_F_NO_PREALLOC;
			max = 0;
			btf_fd = mapbtf_task_storage(m->vsize, &o.btf_key_type_id,
						     &o.btf_value_type_id);
			if (btf_fd < 0) {
				dtk_seterr(d, DTK_ERR_SYS, "failed to create map %s: "
					   "no BTF for it: %s", m->name,
					   strerror(-btf_fd));
				return -1;
			}
			o.btf_fd = btf_fd;
		}
		/* an array of aggregation maps: made after them (codegen's
		 * agg_group_maps adds it last), the first its template */
		for (int j = 0; j < i && m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS; j++)
			if (p->maps[j].outer == i) {
				o.inner_map_fd = p->maps[j].fd;
				break;
			}
		m->fd = bpf_map_create(m->type, m->name, m->ksize, m->vsize, max, &o);
		if (btf_fd >= 0) {
			int err = errno;
			close(btf_fd);
			errno = err;
		}
		if (m->fd < 0) {
			int err = errno;
			if (err == EPERM || err == EACCES)
				dtk_seterr(d, DTK_ERR_PRIV, "failed to initialize: "
					   "BPF needs root (CAP_BPF and CAP_PERFMON): %s",
					   strerror(err));
			else if (err == ENOSYS)
				dtk_seterr(d, DTK_ERR_NOBPF, "failed to initialize: "
					   "this kernel has no BPF system call");
			else
				dtk_seterr(d, DTK_ERR_SYS, "failed to create map %s "
					   "(%d-byte values, %d entries): %s", m->name,
					   m->vsize, max, strerror(err));
			return -1;
		}
		for (int j = 0; j < i && m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS; j++) {
			const struct mapdef *in = &p->maps[j];
			uint32_t k = (uint32_t)in->slot, v = (uint32_t)in->fd;
			if (in->outer == i && bpf_map_update_elem(m->fd, &k, &v, 0) < 0) {
				dtk_seterr(d, DTK_ERR_SYS, "failed to fill map %s: %s",
					   m->name, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

/* n entries (keys[i] -> vals + i * vsize) in one system call, or one a
 * call on a kernel without batch updates (hundreds of single updates were
 * milliseconds of a tool's start-up). */
static void update_all(int fd, const uint32_t *keys, const void *vals,
		       uint32_t n, size_t vsize)
{
	uint32_t count = n;
	if (n == 0 || bpf_map_update_batch(fd, keys, vals, &count, NULL) == 0)
		return;
	for (uint32_t k = 0; k < n; k++)
		bpf_map_update_elem(fd, &keys[k], (const char *)vals + k * vsize,
				    BPF_ANY);
}

/* Keys 0 .. n - 1, for an array map's every entry. */
static uint32_t *all_keys(uint32_t n)
{
	uint32_t *keys = malloc(sizeof *keys * (n ? n : 1));
	for (uint32_t k = 0; keys && k < n; k++)
		keys[k] = k;
	return keys;
}

/* An array map's entries from vals (all of them: entries left zero are
 * zero in the kernel too). */
static void fill_array(int fd, const void *vals, uint32_t n, size_t vsize)
{
	uint32_t *keys = all_keys(n);
	if (keys)
		update_all(fd, keys, vals, n, vsize);
	free(keys);
}

/* Fill the tables the programs read: syscall names, probe names, tool
 * tables, syscall filters. */
static int fill_maps(struct dtk *d)
{
	struct prog *p = &d->comp.p;
	for (int i = 0; i < p->nmaps; i++) {
		struct mapdef *m = &p->maps[i];
		if (m->role == MR_SYSNAMES) {
			uint32_t n = (uint32_t)m->max;
			char (*names)[64] = calloc(n ? n : 1, sizeof *names);
			if (!names)
				return -1;
			for (uint32_t nr = 0; nr < n; nr++) {
				const char *nm = syscall_name(d->comp.probes, (int)nr);
				if (nm)
					snprintf(names[nr], sizeof names[nr], "%s", nm);
			}
			fill_array(m->fd, names, n, sizeof *names);
			free(names);
		} else if (m->role == MR_PNAMES) {
			int total = 0;
			for (int b = 0; b < p->nbprogs; b++)
				if (p->bprogs[b].nprobes > 1)
					total += p->bprogs[b].nprobes;
			uint32_t *keys = malloc(sizeof *keys * (total ? total : 1));
			char (*v)[4][64] = calloc(total ? total : 1, sizeof *v);
			uint32_t n = 0;
			for (int b = 0; keys && v && b < p->nbprogs; b++) {
				const struct bprog *bp = &p->bprogs[b];
				for (int k = 0; bp->nprobes > 1 && k < bp->nprobes; k++) {
					const struct probe *pr = bp->probes[k];
					keys[n] = pr->id;
					snprintf(v[n][0], 64, "%s", pr->prov);
					snprintf(v[n][1], 64, "%s", pr->mod);
					snprintf(v[n][2], 64, "%s", pr->func);
					snprintf(v[n][3], 64, "%s", pr->name);
					n++;
				}
			}
			if (keys && v)
				update_all(m->fd, keys, v, n, sizeof *v);
			free(keys);
			free(v);
			if (!keys || !v)
				return -1;
		} else if (m->role == MR_TABLE) {
			fill_array(m->fd, m->sym->table, 1, (size_t)m->sym->ntable *
				   sizeof m->sym->table[0]);
			/* read-only from the program's side */
			bpf_map_freeze(m->fd);
		} else if (m->role == MR_SYSFILTER) {
			struct clause *cl = (struct clause *)m->sym;
			uint32_t n = (uint32_t)m->max;
			uint8_t *on = calloc(n ? n : 1, 1);
			if (!on)
				return -1;
			for (int j = 0; j < cl->nprobes; j++) {
				const struct probe *pr = probetab_by_id(d->comp.probes,
									cl->probes[j]);
				int nr = probe_syscall(pr);
				if (nr >= 0 && (uint32_t)nr < n)
					on[nr] = 1;
			}
			fill_array(m->fd, on, n, 1);
			free(on);
		}
	}
	return 0;
}

/* The code generator wrote map indexes where the fds go. */
static void patch_fds(struct dtk *d, struct bprog *b)
{
	struct bpf_insn *in = b->code.insn;
	for (int i = 0; i < b->code.n; i++) {
		if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (in[i].src_reg == BPF_PSEUDO_MAP_FD ||
		     in[i].src_reg == BPF_PSEUDO_MAP_VALUE)) {
			int idx = in[i].imm;
			if (idx >= 0 && idx < d->comp.p.nmaps)
				in[i].imm = d->comp.p.maps[idx].fd;
			i++;
		}
	}
}

/* The verifier's log: keep its last lines for the message and -v. */
/* The verifier's complaint: the last line of its log that is not one of
 * its closing statistics. */
static void verifier_complaint(const char *log, const char **msg, int *len,
			       int *insn)
{
	*msg = "";
	*len = 0;
	*insn = -1;
	const char *end = log + strlen(log);
	while (end > log) {
		const char *start = end;
		while (start > log && start[-1] != '\n')
			start--;
		int n = (int)(end - start);
		bool stats = n == 0 || !strncmp(start, "processed ", 10) ||
			!strncmp(start, "verification time", 17) ||
			!strncmp(start, "stack depth", 11);
		if (!stats && !*len) {
			*msg = start;
			*len = n;
		}
		/* the instruction it was at: the last "N: (op) ..." line */
		if (*len && *insn < 0 && n && start[0] >= '0' && start[0] <= '9' &&
		    strchr(start, ':') && strchr(start, ':') < start + n)
			*insn = atoi(start);
		if (*len && *insn >= 0)
			break;
		end = start > log ? start - 1 : log;
	}
}

static void verifier_error(struct dtk *d, struct bprog *b, const char *log)
{
	const char *msg;
	int len, insn, line = 0;
	verifier_complaint(log, &msg, &len, &insn);
	for (int i = 0; i < b->nclauses && insn >= 0; i++)
		if (b->clause_insn[i] <= insn)
			line = b->clause_line[i];
	char where[64] = "";
	if (line)
		snprintf(where, sizeof where, " (in the clause at line %d)", line);
	free(d->errdetail);
	d->errdetail = strdup(log);
	dtk_seterr(d, DTK_ERR_VERIFIER, "failed to enable %s: the kernel's BPF "
		   "verifier rejected the program: %.*s%s%s",
		   b->tp ? b->tp : b->probe ? b->probe->name : "probe",
		   len, msg, where,
		   d->comp.opt.verbose ? "" : " (-v shows the verifier's log)");
}

static int load_one(struct dtk *d, struct bprog *b, int idx)
{
	char name[16];
	snprintf(name, sizeof name, "dtk_%d", idx);
	struct progbtf pb;
	int r = progbtf_make(b->code.insn, b->code.n, &pb);
	if (r < 0) {
		dtk_seterr(d, DTK_ERR_SYS, "failed to load the program's BTF: %s",
			   strerror(-r));
		return -1;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, o);
	if (b->uprobe_multi)
		o.expected_attach_type = (enum bpf_attach_type)ATTACH_UPROBE_MULTI;
	if (pb.btf_fd >= 0) {
		o.prog_btf_fd = pb.btf_fd;
		o.func_info = pb.info;
		o.func_info_cnt = pb.ninfo;
		o.func_info_rec_size = sizeof *pb.info;
	}
	b->fd = bpf_prog_load(b->prog_type, name, "GPL", b->code.insn,
			      b->code.n, &o);
	if (b->fd >= 0 && b->uprobe_multi && !uprobe_multi_works(b->fd)) {
		/* no multi-uprobe link: the same program, attached one
		 * probe at a time (attach_pid) */
		close(b->fd);
		b->fd = -1;
		b->uprobe_multi = false;
		progbtf_free(&pb);
		return load_one(d, b, idx);
	}
	if (b->fd >= 0) {
		progbtf_free(&pb);
		return 0;
	}
	int err = errno;
	if (err == EPERM || err == EACCES) {
		if (geteuid() != 0) {
			dtk_seterr(d, DTK_ERR_PRIV, "failed to initialize: BPF "
				   "needs root (CAP_BPF and CAP_PERFMON)");
			progbtf_free(&pb);
			return -1;
		}
	}
	/* again with the log, which is slow: only on failure */
	size_t sz = 1 << 24;
	char *log = malloc(sz);
	if (!log) {
		dtk_seterr(d, DTK_ERR_SYS, "out of memory");
		progbtf_free(&pb);
		return -1;
	}
	log[0] = 0;
	LIBBPF_OPTS(bpf_prog_load_opts, o2, .log_buf = log, .log_size = sz,
		    .log_level = 1);
	o2.expected_attach_type = o.expected_attach_type;
	if (pb.btf_fd >= 0) {
		o2.prog_btf_fd = pb.btf_fd;
		o2.func_info = pb.info;
		o2.func_info_cnt = pb.ninfo;
		o2.func_info_rec_size = sizeof *pb.info;
	}
	int fd = bpf_prog_load(b->prog_type, name, "GPL", b->code.insn,
			       b->code.n, &o2);
	if (fd >= 0) {
		b->fd = fd;
		free(log);
		progbtf_free(&pb);
		return 0;
	}
	if (log[0])
		verifier_error(d, b, log);
	else
		dtk_seterr(d, DTK_ERR_SYS, "failed to load program: %s",
			   strerror(errno));
	free(log);
	progbtf_free(&pb);
	return -1;
}

/* A program whose clauses were all left out (constantly false predicates)
 * is neither loaded nor attached: it could never do anything. */
static bool bprog_live(const struct bprog *b)
{
	return b->nclauses > 0 || b->point == PT_VTIME;
}

int load_program(struct dtk *d)
{
	if (d->loaded)
		return 0;
	if (create_maps(d) < 0)
		return -1;
	if (fill_maps(d) < 0) {
		dtk_seterr(d, DTK_ERR_SYS, "failed to fill the maps: %s",
			   strerror(ENOMEM));
		return -1;
	}
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		if (dtk_cancelled(d))
			return -1;
		if (!bprog_live(b))
			continue;
		patch_fds(d, b);
		b->uprobe_multi = b->nprobes > 1;
		if (load_one(d, b, i) < 0)
			return -1;
	}
	d->loaded = true;
	return 0;
}

/* Each program to its kernel events, as its provider attaches; the engine's
 * own programs (vtimestamp's, on sched_switch) have no provider and ride
 * their raw tracepoint b->tp. */
int attach_programs(struct dtk *d)
{
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		if (dtk_cancelled(d))
			return -1;
		if (b->fd < 0)
			continue;	/* not loaded: see bprog_live */
		char err[sizeof d->errmsg];
		if ((b->prov ? b->prov->attach(b, err, sizeof err) :
		     attach_bprog_raw_tp(b, err, sizeof err)) < 0) {
			dtk_seterr(d, DTK_ERR_ATTACH, "%s", err);
			return -1;
		}
	}
	return 0;
}

/* Close the n fds of *fds and free the array. */
static void close_fds(int **fds, int *n)
{
	for (int k = 0; k < *n; k++)
		close((*fds)[k]);
	free(*fds);
	*fds = NULL;
	*n = 0;
}

void detach_programs(struct dtk *d)
{
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		close_fds(&b->links, &b->nlinks);
	}
}

int run_test_prog(struct dtk *d, int which)
{
	uint64_t args[8] = { 0 };
	return run_test_prog_args(d, which, args);
}

/* which: -1 BEGIN, -2 END, -3 ERROR (args: arg0..arg5 of the probe) */
int run_test_prog_args(struct dtk *d, int which, uint64_t args[8])
{
	int pt = which == -1 ? PT_BEGIN : which == -2 ? PT_END : PT_ERROR;
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		if (b->point != pt || b->fd < 0)
			continue;
		LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args,
			    .ctx_size_in = 8 * sizeof args[0]);
		if (bpf_prog_test_run_opts(b->fd, &o) < 0) {
			dtk_seterr(d, DTK_ERR_SYS, "failed to run %s: %s",
				   pt == PT_BEGIN ? "BEGIN" : pt == PT_END ? "END" :
				   "ERROR", strerror(errno));
			return -1;
		}
	}
	return 0;
}

void unload_program(struct dtk *d)
{
	detach_programs(d);
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		close_fds(&b->kept, &b->nkept);
		if (b->fd >= 0)
			close(b->fd);
		b->fd = -1;
		emit_free(&b->code);
	}
	for (int i = 0; i < d->comp.p.nmaps; i++) {
		if (d->comp.p.maps[i].fd >= 0)
			close(d->comp.p.maps[i].fd);
		d->comp.p.maps[i].fd = -1;
	}
	d->loaded = false;
}
