/* dtk.c - the public API: handle, options, constants, compile, run. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "dtk_impl.h"
#include "consume_stack.h"
#include "syms.h"
#include "fmt.h"
#include "func.h"
#include "json_out.h"
#include "kbtf.h"
#include "lines.h"
#include "parse.h"
#include "proc.h"
#include "prov/provider.h"

static struct dtk *open_with(struct probetab *t, struct kbtf *kb, int *errp)
{
	struct dtk *d = calloc(1, sizeof *d);
	if (!d) {
		if (errp)
			*errp = ENOMEM;
		return NULL;
	}
	options_default(&d->comp.opt);
	d->comp.funcs = dtk_funcs;
	d->comp.p.arena = arena_new();
	d->out = d->lines.out = stdout;
	d->target_release_fd = -1;
	d->target_pidfd = -1;
	d->borrowed_probes = t != NULL;
	d->comp.probes = t ? t : probetab_open();
	d->comp.kbtf = d->borrowed_kbtf = kb;
	if (!d->comp.p.arena || !d->comp.probes) {
		if (errp)
			*errp = ENOMEM;
		dtk_close(d);
		return NULL;
	}
	return d;
}

struct dtk *dtk_open(int *errp)
{
	return open_with(NULL, NULL, errp);
}

struct dtk *dtk_open_shared(struct probetab *t, struct kbtf *kb, int *errp)
{
	return open_with(t, kb, errp);
}

void dtk_close(struct dtk *d)
{
	if (!d)
		return;
	detach_programs(d);
	consume_close(d);
	unload_program(d);
	lines_free(&d->lines);
	json_out_free(d);
	/* A command we started ends with us, whatever ended tracing (as in
	 * DTrace; should we die instead, PR_SET_PDEATHSIG kills it).  A held
	 * one never runs. */
	if (d->comp.target > 0 && d->target_created && !d->target_exited)
		proc_kill(d->comp.target);
	if (d->target_release_fd >= 0)
		close(d->target_release_fd);
	if (d->target_pidfd >= 0)
		close(d->target_pidfd);
	if (d->comp.kbtf && d->comp.kbtf != d->borrowed_kbtf)
		kbtf_close(d->comp.kbtf);
	if (d->comp.probes && !d->borrowed_probes)
		probetab_close(d->comp.probes);
	for (int i = 0; i < d->comp.nconsts; i++) {
		free(d->comp.consts[i].name);
		free(d->comp.consts[i].sval);
		free(d->comp.consts[i].tab);
	}
	free(d->comp.consts);
	for (int i = 0; i < d->comp.nargs; i++)
		free(d->comp.args[i]);
	free(d->comp.args);
	free(d->errdetail);
	free(d->lastdrops);
	flow_free(&d->flow);
	ustack_agg_discard(d);
	syms_free(d->syms);
	for (int i = 0; i < d->comp.p.nspecs; i++)
		fmt_free(d->comp.p.specs[i]);
	if (d->comp.p.arena)
		arena_free(d->comp.p.arena);
	free(d);
}

const char *dtk_errmsg(struct dtk *d) { return d->errmsg; }
enum dtk_errkind dtk_errkind(struct dtk *d) { return d->errkind; }
const char *dtk_errdetail(struct dtk *d) { return d->errdetail ? d->errdetail : ""; }

const char *dtk_errsource(struct dtk *d) { return d->comp.diag.loc.file; }

int dtk_errloc(struct dtk *d, int *line, int *col)
{
	*line = d->comp.diag.loc.line;
	*col = d->comp.diag.loc.col;
	return d->comp.diag.loc.line ? 0 : -1;
}

int dtk_setopt(struct dtk *d, const char *name, const char *value)
{
	char err[256];
	if (options_set(&d->comp.opt, name, value, err, sizeof err)) {
		dtk_seterr(d, DTK_ERR_OPTION, "%s", err);
		return -1;
	}
	return 0;
}

const char *dtk_getopt(struct dtk *d, const char *name)
{
	static char buf[32];
	struct options *o = &d->comp.opt;
	if (strcmp(name, "quiet") == 0)
		return o->quiet ? "" : NULL;
	if (strcmp(name, "destructive") == 0)
		return o->destructive ? "" : NULL;
	if (strcmp(name, "oformat") == 0)
		return o->json ? "json" : "text";
	if (strcmp(name, "strsize") == 0) {
		snprintf(buf, sizeof buf, "%d", o->strsize - 1);
		return buf;
	}
	if (strcmp(name, "bufsize") == 0) {
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)o->bufsize);
		return buf;
	}
	return NULL;
}

static struct toolconst *new_const(struct dtk *d, const char *name)
{
	struct toolconst *c = realloc(d->comp.consts, (d->comp.nconsts + 1) * sizeof *c);
	if (!c)
		return NULL;
	d->comp.consts = c;
	c = &d->comp.consts[d->comp.nconsts++];
	memset(c, 0, sizeof *c);
	c->name = strdup(name);
	return c;
}

int dtk_set_int(struct dtk *d, const char *name, int64_t v)
{
	struct toolconst *c = new_const(d, name);
	if (!c)
		return -1;
	c->ival = v;
	return 0;
}

int dtk_set_str(struct dtk *d, const char *name, const char *v)
{
	struct toolconst *c = new_const(d, name);
	if (!c)
		return -1;
	c->isstr = true;
	c->sval = strdup(v);
	return 0;
}

int dtk_set_table(struct dtk *d, const char *name, const int64_t *v, int n)
{
	if (n <= 0)
		return -1;
	struct toolconst *c = new_const(d, name);
	if (!c || !(c->tab = malloc(sizeof *v * n)))
		return -1;
	memcpy(c->tab, v, sizeof *v * n);
	c->ntab = n;
	return 0;
}

int dtk_set_args(struct dtk *d, int argc, char *const argv[])
{
	for (int i = 0; i < d->comp.nargs; i++)
		free(d->comp.args[i]);
	free(d->comp.args);
	d->comp.nargs = 0;
	d->comp.args = calloc(argc + 1, sizeof *d->comp.args);
	if (!d->comp.args)
		return -1;
	for (int i = 0; i < argc; i++)
		d->comp.args[i] = strdup(argv[i]);
	d->comp.nargs = argc;
	return 0;
}

int dtk_create_target(struct dtk *d, char *const argv[])
{
	char err[512];
	pid_t pid = proc_create(argv, &d->target_release_fd, err, sizeof err);
	if (pid < 0) {
		dtk_seterr(d, DTK_ERR_PROC, "%s", err);
		return -1;
	}
	d->comp.target = pid;
	d->target_created = true;
	/* to wake dtk_work when it ends (-1 without pidfds: the poll's
	 * timeout still sees it) */
	d->target_pidfd = proc_grab(pid, err, sizeof err);
	char exe[PATH_MAX];
	if (d->comp.probes && command_path(argv[0], exe, sizeof exe) == 0)
		probetab_held_target(d->comp.probes, pid, exe);
	return 0;
}

int dtk_grab_target(struct dtk *d, pid_t pid)
{
	char err[512];
	int fd = proc_grab(pid, err, sizeof err);
	if (fd < 0) {
		dtk_seterr(d, DTK_ERR_PROC, "%s", err);
		return -1;
	}
	d->comp.target = pid;
	d->target_pidfd = fd;
	return 0;
}

pid_t dtk_target(struct dtk *d) { return d->comp.target; }

/* The message of the compile error in d->comp.diag as DTrace words it:
 * "[D_TAG] " with -x errtags, then "line N: " in a script, "in predicate: "
 * or "in action list: " in a -n program (which has no lines), then the
 * message. */
static void set_compile_error(struct dtk *d)
{
	struct diag *dg = &d->comp.diag;
	char tag[64] = "";

	if (d->comp.opt.errtags)
		snprintf(tag, sizeof tag, "[%s] ", errtag_name(dg->tag));
	enum dtk_errkind k = dg->tag == D_PDESC_ZERO ? DTK_ERR_PROBE
						     : DTK_ERR_COMPILE;
	if (dg->loc.line && !d->compiling_spec)
		dtk_seterr(d, k, "%sline %d: %s", tag, dg->loc.line, dg->msg);
	else if (dg->region)
		dtk_seterr(d, k, "%sin %s: %s", tag, dg->region, dg->msg);
	else
		dtk_seterr(d, k, "%s%s", tag, dg->msg);
}

int dtk_compile(struct dtk *d, const char *name, const char *text, int flags)
{
	struct diag *dg = &d->comp.diag;
	memset(&dg->loc, 0, sizeof dg->loc);
	dg->msg[0] = 0;
	struct source src = { .name = arena_strdup(d->comp.p.arena, name),
			      .desc = arena_strdup(d->comp.p.arena, text),
			      .is_spec = flags & DTK_C_PROBESPEC };
	dg->tag = D_UNKNOWN;
	dg->region = NULL;
	d->compiling_spec = flags & DTK_C_PROBESPEC;
	if (setjmp(dg->jmp)) {
		set_compile_error(d);
		return -1;
	}
	struct program *pg = parse_program(d->comp.p.arena, dg, name, text,
					   (flags & DTK_C_PROBESPEC ? PARSE_PROBESPEC : 0) |
					   (d->comp.opt.pspec ? PARSE_PSPEC : 0));
	sema_program(&d->comp, pg, &src, flags);
	d->comp.p.progs = arena_push(d->comp.p.arena, d->comp.p.progs, &d->comp.p.nprogs,
				sizeof *d->comp.p.progs);
	d->comp.p.progs[d->comp.p.nprogs - 1] = pg;
	d->comp.p.sources = arena_push(d->comp.p.arena, d->comp.p.sources, &d->comp.p.nsources,
				  sizeof *d->comp.p.sources);
	d->comp.p.sources[d->comp.p.nsources - 1] = src;
	return 0;
}

int dtk_nsources(struct dtk *d) { return d->comp.p.nsources; }
int dtk_source_nprobes(struct dtk *d, int i) { return d->comp.p.sources[i].nprobes; }
const char *dtk_source_desc(struct dtk *d, int i) { return d->comp.p.sources[i].desc; }

static void fill_info(struct dtk *d, const struct probe *p,
		      struct dtk_probeinfo *pi)
{
	p = probetab_args(d->comp.probes, p);
	memset(pi, 0, sizeof *pi);
	pi->id = p->id;
	pi->prov = p->prov;
	pi->mod = p->mod;
	pi->func = p->func;
	pi->name = p->name;
	pi->nargs = p->nargs;
	pi->syscall = probe_syscall(p);
	for (int i = 0; i < p->nargs && i < 10; i++) {
		pi->argtype[i] = p->args[i].type;
		pi->argname[i] = p->args[i].name;
		if (p->args[i].is_string)
			pi->strargs |= 1u << i;
	}
}

struct list_ctx {
	struct dtk *d;
	dtk_probe_cb cb;
	void *arg;
	int stop;
};

static void list_one(const struct probe *p, void *arg)
{
	struct list_ctx *lc = arg;
	if (lc->stop)
		return;
	struct dtk_probeinfo pi;
	fill_info(lc->d, p, &pi);
	lc->stop = lc->cb(&pi, lc->arg);
}

void dtk_builtin_sysargs(struct dtk *d)
{
	probetab_use_tracefs(d->comp.probes, false);
}

int dtk_list(struct dtk *d, const char *prov, const char *mod, const char *func,
	     const char *name, dtk_probe_cb cb, void *arg)
{
	struct list_ctx lc = { d, cb, arg, 0 };
	char err[256] = "";
	int n = probetab_match(d->comp.probes, prov, mod, func, name, list_one, &lc,
			       err, sizeof err);
	if (n < 0) {
		dtk_seterr(d, DTK_ERR_PROBE, "%s", err);
		return -1;
	}
	return n;
}

int dtk_list_enabled(struct dtk *d, dtk_probe_cb cb, void *arg)
{
	/* each probe once, in id order */
	int total = 0;
	for (int i = 0; i < d->comp.p.nclauses; i++)
		total += d->comp.p.clauses[i]->nprobes;
	uint32_t *ids = calloc(total + 1, sizeof *ids);
	if (!ids)
		return -1;
	int n = 0;
	for (int i = 0; i < d->comp.p.nclauses; i++)
		for (int j = 0; j < d->comp.p.clauses[i]->nprobes; j++)
			ids[n++] = d->comp.p.clauses[i]->probes[j];
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			uint32_t t = ids[j]; ids[j] = ids[j - 1]; ids[j - 1] = t;
		}
	int count = 0;
	for (int i = 0; i < n; i++) {
		if (i && ids[i] == ids[i - 1])
			continue;
		struct dtk_probeinfo pi;
		fill_info(d, probetab_by_id(d->comp.probes, ids[i]), &pi);
		count++;
		if (cb(&pi, arg))
			break;
	}
	free(ids);
	return count;
}

void dtk_set_output(struct dtk *d, FILE *out) { d->out = d->lines.out = out; }
void dtk_set_blank_at_stop(struct dtk *d, bool on) { d->blank_at_stop = on; }

static bool compiled(struct dtk *d)
{
	return d->comp.p.nbprogs > 0 || d->comp.p.nclauses == 0;
}

int dtk_codegen(struct dtk *d)
{
	struct diag *dg = &d->comp.diag;

	/* once: a failed run leaves half a program behind (dtrace -S then
	 * dtk_go would generate over it) */
	if (d->cg_failed)
		return -1;
	if (compiled(d))
		return 0;
	dg->tag = D_UNKNOWN;
	dg->region = NULL;
	if (setjmp(dg->jmp)) {
		d->cg_failed = true;
		/* the clause's own source says whether it has lines */
		d->compiling_spec = false;
		for (int i = 0; i < d->comp.p.nsources; i++)
			if (dg->loc.file && d->comp.p.sources[i].is_spec &&
			    strcmp(dg->loc.file, d->comp.p.sources[i].name) == 0)
				d->compiling_spec = true;
		set_compile_error(d);
		return -1;
	}
	codegen(&d->comp);
	return 0;
}

void dtk_dump_program(struct dtk *d, FILE *out)
{
	if (dtk_codegen(d) < 0)
		return;
	for (int i = 0; i < d->comp.p.nbprogs; i++) {
		struct bprog *b = &d->comp.p.bprogs[i];
		fprintf(out, "program %d: %s (%d clause%s, %d instructions)\n", i,
			b->tp ? b->tp : b->probe ? b->probe->name : "?",
			b->nclauses, b->nclauses == 1 ? "" : "s", b->code.n);
		bpf_disasm(out, b->code.insn, b->code.n, NULL, NULL);
	}
}

int dtk_go(struct dtk *d)
{
	struct timespec rt, mono;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	d->comp.walltime_off = (rt.tv_sec - mono.tv_sec) * 1000000000LL +
		(rt.tv_nsec - mono.tv_nsec);
	if (dtk_codegen(d) < 0)
		return -1;
	if (load_program(d) < 0)
		return -1;
	if (consume_open(d) < 0)
		return -1;
	if (dtk_cancelled(d) || (d->comp.p.has_begin && run_test_prog(d, -1) < 0))
		return -1;
	d->began = true;
	if (attach_programs(d) < 0)
		return -1;
	/* a stop asked for while loading: the held command never runs */
	if (dtk_cancelled(d))
		return -1;
	if (d->target_created) {
		char err[512];
		if (proc_release(d->comp.target, d->target_release_fd, err, sizeof err) < 0) {
			d->target_release_fd = -1;
			dtk_seterr(d, DTK_ERR_PROC, "%s", err);
			return -1;
		}
		d->target_release_fd = -1;
	}
	return 0;
}

void dtk_stop(struct dtk *d)
{
	d->stopping = 1;
}

int dtk_output_error(struct dtk *d)
{
	return d->out_errno;
}

/* Has every target exited?  Created children are reaped for their status. */
static bool target_gone(struct dtk *d)
{
	if (d->comp.target <= 0 || d->target_exited)
		return d->target_exited;
	if (d->target_created) {
		int st;
		pid_t r = waitpid(d->comp.target, &st, WNOHANG);
		if (r == d->comp.target) {
			d->target_exited = true;
			d->target_status = WIFEXITED(st) ? WEXITSTATUS(st) :
				128 + WTERMSIG(st);
			d->target_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		}
	} else {
		/* -p: the pidfd turns readable when the process exits, a zombie
		 * not yet reaped included; kill(pid, 0) would still see a
		 * zombie, and after a reap a new process given the same pid */
		int st;
		d->target_exited = proc_wait_exit(d->comp.target, d->target_pidfd,
						  false, &st) != 0;
	}
	return d->target_exited;
}

/* DTrace's notice of the target's end; how a grabbed (-p) process ended is
 * its parent's to know, so it simply "has exited". */
static void report_target_end(struct dtk *d)
{
	const char *sig = d->target_signal ? sigabbrev_np(d->target_signal) : NULL;
	if (sig)
		fprintf(stderr, "dtrace: pid %d terminated by SIG%s\n",
			d->comp.target, sig);
	else if (d->target_created && d->target_status != 0)
		fprintf(stderr, "dtrace: pid %d exited with status %d\n",
			d->comp.target, d->target_status);
	else
		fprintf(stderr, "dtrace: pid %d has exited\n", d->comp.target);
}

enum dtk_work_status dtk_work(struct dtk *d, dtk_record_cb cb, void *arg)
{
	if (d->finished)
		return DTK_WORK_DONE;
	int ms = (int)(d->comp.opt.switchrate_ns / 1000000);
	if (ms <= 0)
		ms = 1;
	if (ms > 100)
		ms = 100;
	d->work_cb = cb;
	d->work_arg = arg;
	if (consume_poll(d, ms, cb, arg) < 0)
		return DTK_WORK_ERROR;
	/* drops are checked and told at the status rate, as DTrace checks
	 * its status (and at the end, by dtk_finish) */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	if (!d->next_status_ns) {
		d->next_status_ns = now + d->comp.opt.statusrate_ns;
	} else if (now >= d->next_status_ns) {
		print_drops(d);
		d->next_status_ns = now + d->comp.opt.statusrate_ns;
	}
	if (d->exit_requested || d->stopping)
		return DTK_WORK_DONE;
	if (d->comp.target > 0 && target_gone(d)) {
		/* drain what the target's last moments left in the buffer */
		consume_poll(d, 0, cb, arg);
		if (!d->comp.opt.quiet)
			report_target_end(d);
		return DTK_WORK_DONE;
	}
	return DTK_WORK_OKAY;
}

int dtk_finish(struct dtk *d)
{
	if (d->finished || !d->began)
		return 0;
	d->finished = true;
	/* END fires after the last other probe: disable them first */
	detach_programs(d);
	consume_poll(d, 0, d->work_cb, d->work_arg);
	if (d->comp.p.has_end)
		run_test_prog(d, -2);
	consume_poll(d, 0, d->work_cb, d->work_arg);
	if (d->blank_at_stop && !d->comp.opt.json) {
		lines_flush(&d->lines);
		fputc('\n', d->out);
	}
	consume_aggs_final(d);
	print_drops(d);
	fflush(d->out);
	return 0;
}

int dtk_target_status(struct dtk *d)
{
	return d->target_created && d->target_exited ? d->target_status : -1;
}

int dtk_exit_status(struct dtk *d)
{
	if (d->exit_requested)
		return d->exit_status;
	return 0;
}
