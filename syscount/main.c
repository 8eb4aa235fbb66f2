/* syscount - count system calls, by syscall or by process, in the kernel.
 *
 * The flags and the output are those of the libbpf-tools/bcc syscount;
 * `syscount [options] command [args]` runs a command and counts its calls
 * (and its descendants'), as perf-tools' syscount does.  The counting is
 * syscount.d's: D aggregations in the kernel, which this file reads with
 * dtk_agg_walk() and prints sorted, top N.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "dtk.h"

extern const char syscount_d_source[];

static struct {
	pid_t pid;
	int interval, duration, top;
	bool failures, latency, milliseconds, byproc, list, verbose, json;
	int filter_errno;
	const char *cgroup;
	char **command;			/* argv of the command, or NULL */
} env = { .top = 10 };

static const char doc[] =
	"\nsyscount: summarize syscall counts and latencies\n"
	"\n"
	"EXAMPLES:\n"
	"    syscount                 # print top 10 syscalls by count at Ctrl-C\n"
	"    syscount -p $(pidof dd)  # look only at a particular process\n"
	"    syscount -L              # measure and sort output by latency\n"
	"    syscount -P              # group statistics by pid, not by syscall\n"
	"    syscount -x -i 5         # count only failed syscalls\n"
	"    syscount -e ENOENT -i 5  # count only syscalls failed with a given errno\n"
	"    syscount -c CG           # trace processes in cgroup v2 path CG\n"
	"    syscount ls -l           # count the syscalls of a command\n";

static const struct argp_option options[] = {
	{ "verbose", 'v', NULL, 0, "Verbose debug output", 0 },
	{ "pid", 'p', "PID", 0, "Process PID to trace", 0 },
	{ "interval", 'i', "INTERVAL", 0, "Print summary at this interval "
	  "(seconds), 0 for infinite wait (default)", 0 },
	{ "duration", 'd', "DURATION", 0, "Total tracing duration (seconds)", 0 },
	{ "top", 'T', "TOP", 0, "Print only the top syscalls (default 10)", 0 },
	{ "cgroup", 'c', "/sys/fs/cgroup/<CG>", 0,
	  "Trace processes in this cgroup (v2) path", 0 },
	{ "failures", 'x', NULL, 0, "Trace only failed syscalls", 0 },
	{ "latency", 'L', NULL, 0, "Collect syscall latency", 0 },
	{ "milliseconds", 'm', NULL, 0, "Display latency in milliseconds "
	  "(default: microseconds)", 0 },
	{ "process", 'P', NULL, 0, "Count by process and not by syscall", 0 },
	{ "errno", 'e', "ERRNO", 0, "Trace only syscalls that return this "
	  "error (numeric or EPERM, etc.)", 0 },
	{ "list", 'l', NULL, 0, "Print list of recognized syscalls and exit", 0 },
	{ "json", DTK_OPT_JSON, NULL, 0, "One JSON object a report", 0 },
	{ 0 },
};

static int get_int(const char *arg, int *ret, int min, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		return -1;
	*ret = (int)v;
	return 0;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	int n;

	switch (key) {
	case 'v': env.verbose = true; break;
	case 'x': env.failures = true; break;
	case 'L': env.latency = true; break;
	case 'm': env.milliseconds = true; break;
	case 'P': env.byproc = true; break;
	case 'l': env.list = true; break;
	case DTK_OPT_JSON: env.json = true; break;
	case 'c': env.cgroup = arg; break;
	case 'p':
		if (get_int(arg, &n, 1, INT_MAX))
			argp_error(state, "invalid PID: %s", arg);
		env.pid = n;
		break;
	case 'i':
		if (get_int(arg, &env.interval, 0, INT_MAX))
			argp_error(state, "invalid INTERVAL: %s", arg);
		break;
	case 'd':
		if (get_int(arg, &env.duration, 1, INT_MAX))
			argp_error(state, "invalid DURATION: %s", arg);
		break;
	case 'T':
		if (get_int(arg, &env.top, 1, INT_MAX))
			argp_error(state, "invalid TOP: %s", arg);
		break;
	case 'e':
		/* errno values run from 1 to the kernel's MAX_ERRNO */
		if (get_int(arg, &n, 1, 4095) && (n = dtk_errno_by_name(arg)) < 0)
			argp_error(state, "invalid errno: %s", arg);
		env.filter_errno = n;
		break;
	case ARGP_KEY_ARG:
		/* the command and its arguments: no more options */
		env.command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (env.command && env.pid)
			argp_error(state, "-p and a command exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_arg, "[COMMAND [ARG...]]", doc,
				  NULL, NULL, NULL };

/* --- -l ---------------------------------------------------------------- */

static int print_syscall(const struct dtk_probeinfo *p, void *arg)
{
	(void)arg;
	printf("%s\n", p->func);
	return 0;
}

/* --- reading and printing the counts ------------------------------------ */

struct row {
	uint64_t count, total_ns;
	char key[64];			/* syscall name, or comm for -P */
	int64_t pid;
};

struct rows {
	struct row *r;
	size_t n, cap;
};

static int add_row(const struct dtk_aggrec *a, void *arg)
{
	struct rows *rs = arg;
	struct row *r = NULL;
	int64_t pid = env.byproc ? a->keys[0].i : 0;
	const char *name = env.byproc ? a->keys[1].s : a->keys[0].s;

	/* -P: a process that exec'd has two names; keep one row per pid,
	 * named after the name it made the most calls under */
	for (size_t i = 0; env.byproc && i < rs->n; i++)
		if (rs->r[i].pid == pid)
			r = &rs->r[i];
	if (!r) {
		if (rs->n == rs->cap) {
			size_t cap = rs->cap ? 2 * rs->cap : 64;
			struct row *nr = realloc(rs->r, cap * sizeof *nr);
			if (!nr)
				return -1;
			rs->r = nr;
			rs->cap = cap;
		}
		r = &rs->r[rs->n++];
		memset(r, 0, sizeof *r);
		r->pid = pid;
	}
	if (!r->key[0] || (uint64_t)a->count > r->count)
		/* a process name is the process's own bytes */
		escape_str(r->key, sizeof r->key, name, strnlen(name, 16), ESC_TEXT);
	r->count += (uint64_t)a->count;
	r->total_ns += env.latency ? (uint64_t)a->sum : 0;
	return 0;
}

static int by_count(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int by_latency(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->total_ns != b->total_ns)
		return a->total_ns > b->total_ns ? -1 : 1;
	return by_count(x, y);
}

static const char *agg_name(void)
{
	return env.latency ? (env.byproc ? "proclatency" : "latency")
			   : (env.byproc ? "procs" : "calls");
}

/* --json: a report is one object, its table an array of rows:
 * {"walltime_ns":..., "syscalls"|"processes":[{"syscall"|"pid","comm",
 * "count","time_ns"}, ...]}, the same top rows in the same order. */
static void report_json(const struct rows *rs)
{
	struct timespec now;
	struct dtk_json *o = dtk_json_new(), *a;

	clock_gettime(CLOCK_REALTIME, &now);
	dtk_json_int(o, "walltime_ns", (int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
	a = dtk_json_array(o, env.byproc ? "processes" : "syscalls");
	for (size_t i = 0; i < rs->n && i < (size_t)env.top; i++) {
		const struct row *r = &rs->r[i];
		struct dtk_json *row = dtk_json_object(a, NULL);
		if (env.byproc) {
			dtk_json_int(row, "pid", r->pid);
			dtk_json_cstr(row, "comm", r->key);
		} else {
			dtk_json_cstr(row, "syscall", r->key);
		}
		dtk_json_uint(row, "count", r->count);
		if (env.latency)
			dtk_json_uint(row, "time_ns", r->total_ns);
	}
	dtk_json_emit(stdout, o);
	fflush(stdout);
}

/* Take what the kernel counted since the last report and print it. */
static int report(struct dtk *d)
{
	struct rows rs = { 0 };
	char col[96];

	if (dtk_agg_walk(d, agg_name(), DTK_AGG_TAKE, add_row, &rs) < 0) {
		fprintf(stderr, "syscount: %s\n", dtk_errmsg(d));
		free(rs.r);
		return -1;
	}
	if (rs.n == 0)
		return 0;
	qsort(rs.r, rs.n, sizeof *rs.r, env.latency ? by_latency : by_count);
	if (env.json) {
		report_json(&rs);
		free(rs.r);
		return 0;
	}

	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm))
		printf("[%02d:%02d:%02d]\n", tm.tm_hour, tm.tm_min, tm.tm_sec);
	const char *what = env.byproc ? "PID    COMM" : "SYSCALL";
	if (env.latency)
		printf("%-22s %8s %16s\n", what, "COUNT",
		       env.milliseconds ? "TIME (ms)" : "TIME (us)");
	else
		printf("%-22s %8s\n", what, "COUNT");
	for (size_t i = 0; i < rs.n && i < (size_t)env.top; i++) {
		const struct row *r = &rs.r[i];
		if (env.byproc)
			snprintf(col, sizeof col, "%-6lld %-15s", (long long)r->pid,
				 r->key);
		else
			snprintf(col, sizeof col, "%s", r->key);
		if (env.latency)
			printf("%-22s %8llu %16.3f\n", col,
			       (unsigned long long)r->count, (double)r->total_ns /
			       (env.milliseconds ? 1e6 : 1e3));
		else
			printf("%-22s %8llu\n", col, (unsigned long long)r->count);
	}
	printf("\n");
	fflush(stdout);
	free(rs.r);
	return 0;
}

/* --- tracing ------------------------------------------------------------ */

static int fail(struct dtk *d, const char *what)
{
	fprintf(stderr, "syscount: %s: %s\n", what, dtk_errmsg(d));
	if (env.verbose && *dtk_errdetail(d))
		fprintf(stderr, "%s\n", dtk_errdetail(d));
	return 1;
}

/* The constants syscount.d is written against, from the flags: 0, or the
 * exit status of a reported failure. */
static int set_constants(struct dtk *d)
{
	int64_t cgid = 0;

	if (env.cgroup) {
		/* on cgroup v2 a cgroup's id is its directory's inode */
		struct stat st;
		struct statfs sf;
		if (statfs(env.cgroup, &sf) < 0 || stat(env.cgroup, &st) < 0) {
			fprintf(stderr, "syscount: failed opening cgroup path "
				"%s: %s\n", env.cgroup, strerror(errno));
			return 1;
		}
		if (sf.f_type != CGROUP2_SUPER_MAGIC || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "syscount: %s is not a cgroup v2 "
				"directory\n", env.cgroup);
			return 1;
		}
		cgid = (int64_t)st.st_ino;
	}
	pid_t pid = env.command ? dtk_target(d) : env.pid;
	if (dtk_setopt(d, "quiet", NULL) ||
	    dtk_set_int(d, "OPT_pid", pid) || dtk_set_int(d, "OPT_progeny", env.command != NULL) ||
	    dtk_set_int(d, "OPT_failed", env.failures) ||
	    dtk_set_int(d, "OPT_errno", env.filter_errno) ||
	    dtk_set_int(d, "OPT_latency", env.latency) ||
	    dtk_set_int(d, "OPT_byproc", env.byproc) ||
	    dtk_set_int(d, "OPT_cgroup", cgid))
		return fail(d, "failed to set the program's constants");
	if (env.verbose)
		fprintf(stderr, "syscount: OPT_pid=%d OPT_progeny=%d OPT_failed=%d "
			"OPT_errno=%d OPT_latency=%d OPT_byproc=%d OPT_cgroup=%lld\n",
			(int)pid, env.command != NULL, env.failures, env.filter_errno,
			env.latency, env.byproc, (long long)cgid);
	return 0;
}

static void started(void)
{
	if (!env.json)
		printf("Tracing syscalls, printing top %d... Ctrl+C to quit.\n", env.top);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int err = 0, rc;

	if (dtk_tool_parse(&argp, argc, argv, ARGP_IN_ORDER))
		return 2;
	if (env.list) {
		struct dtk *d = dtk_open(&err);
		if (!d) {
			fprintf(stderr, "syscount: failed to initialize: %s\n",
				strerror(err > 0 ? err : -err));
			return 1;
		}
		rc = dtk_list(d, "syscall", NULL, NULL, "entry", print_syscall, NULL) < 0;
		if (rc)
			fprintf(stderr, "syscount: %s\n", dtk_errmsg(d));
		dtk_close(d);
		return dtk_tool_check_output(NULL, NULL, "syscount", NULL) || rc;
	}
	const char *own[] = { agg_name(), NULL };
	return dtk_tool_run(&(const struct dtk_tool){
		.name = "syscount",
		.script = "syscount.d", .source = syscount_d_source,
		.command = env.command, .pid = env.pid,
		.set_constants = set_constants,
		.started = started,
		.interval_ms = env.interval * INT64_C(1000), .tick = report,
		.duration_ms = env.duration * INT64_C(1000),
		.own_aggs = own, .ended = report,
	});
}
