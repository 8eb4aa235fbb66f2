/* tool.c - what the tools share (dtk.h): their command-line conventions
 * (dtk_tool_parse), their stop signals (dtk_tool_signals), the check of
 * their writes (dtk_tool_check_output), their run from open to close
 * (dtk_tool_run) and their time columns (dtk_print_time_heads,
 * dtk_print_times). */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dtk.h"
#include "proc.h"

/* --- the command line ----------------------------------------------------- */

static void print_version(FILE *f, struct argp_state *state)
{
	fprintf(f, "%s: dtk %s\n", state->name, DTK_VERSION);
}

/* -h: the DTraceToolkit's tools print their usage for it; argp knows only
 * -? and --help. */
static const struct argp_option help_option[] = {
	{ NULL, 'h', NULL, 0, "Give this help list", -1 },
	{ 0 }
};

static error_t parse_help(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != 'h')
		return ARGP_ERR_UNKNOWN;
	argp_state_help(state, stdout, ARGP_HELP_STD_HELP);	/* exits 0 */
	return 0;
}

static bool g_checked;		/* dtk_tool_check_output has run */

/* What argp prints and exits after (--help, --version) is checked too. */
static void check_at_exit(void)
{
	if (!g_checked && dtk_tool_check_output(NULL, stdout,
						program_invocation_short_name,
						NULL))
		_exit(1);
}

int dtk_tool_parse(const struct argp *a, int argc, char **argv, unsigned flags)
{
	/* the tool's argp as the child of one that adds -h; its usage and
	 * documentation shown once, as the parent's */
	struct argp tool = *a;
	struct argp_child children[] = { { &tool, 0, NULL, 0 }, { 0 } };
	struct argp top = { help_option, parse_help, a->args_doc, a->doc,
			    children, NULL, NULL };

	tool.args_doc = NULL;
	tool.doc = NULL;
	argp_err_exit_status = 2;
	argp_program_version_hook = print_version;
	atexit(check_at_exit);
	return argp_parse(&top, argc, argv, flags, NULL, NULL);
}

/* --- stop signals --------------------------------------------------------- */

/* The handle a stop signal ends; a pointer store is all the handler sees
 * change, and it only ever calls the async-signal-safe dtk_stop. */
static struct dtk *volatile g_running;
static volatile sig_atomic_t g_signal, g_asked, g_pipe;
static struct timespec g_first_ask;

/* A stop signal within this long of the first is the same request:
 * timeout(1) sends its signal to the command and then to its whole
 * process group, so the command gets it twice, and a tool run under
 * "timeout -s INT" must still print its summary and exit 0. */
#define SAME_REQUEST_NS 1000000000LL

static long long ns_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);	/* async-signal-safe */
	return (t.tv_sec - t0->tv_sec) * 1000000000LL + (t.tv_nsec - t0->tv_nsec);
}

static void on_stop_signal(int sig)
{
	struct dtk *d = g_running;

	/* A pipe closed under us raises SIGPIPE at every write: only the
	 * others count.  An impatient second one, a second or more after
	 * the first, kills us at once. */
	if (sig == SIGPIPE)
		g_pipe = 1;
	else if (!g_asked) {
		clock_gettime(CLOCK_MONOTONIC, &g_first_ask);
		g_asked = 1;
	} else if (ns_since(&g_first_ask) >= SAME_REQUEST_NS) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	if (!g_signal)
		g_signal = sig;
	if (d)
		dtk_stop(d);
}

void dtk_tool_signals(struct dtk *d)
{
	static const int stop[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	static bool caught;
	struct sigaction sa = { .sa_handler = on_stop_signal };

	g_running = d;
	if (d && g_signal)
		dtk_stop(d);	/* one came before the handle */
	if (caught)
		return;
	caught = true;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++) {
		struct sigaction old;
		if (sigaction(stop[i], &sa, &old) == 0 && old.sa_handler == SIG_IGN)
			proc_keep_ignored(stop[i]);
	}
}

int dtk_tool_signalled(void)
{
	return g_signal;
}

/* --- write errors --------------------------------------------------------- */

/* stdio drops what it failed to write, and a later fflush then succeeds
 * with only the stream's error flag left: the errno of a failed write must
 * be caught right after the code that wrote (noted), or by whoever saw it
 * (dtk_output_error).  -1: failed, for a reason nobody saw. */
static struct { FILE *f; int e; } g_failed[3];

static void note_failure(FILE *f, int e)
{
	for (size_t i = 0; i < 3; i++)
		if (!g_failed[i].f || g_failed[i].f == f) {
			g_failed[i].f = f;
			if (!g_failed[i].e)
				g_failed[i].e = e ? e : -1;
			return;
		}
}

static int failure_of(FILE *f)
{
	for (size_t i = 0; i < 3; i++)
		if (g_failed[i].f == f)
			return g_failed[i].e;
	return 0;
}

/* Flush f and note a failure; the errno of the last call is the guess for
 * a failure the flush cannot tell itself. */
static void note(FILE *f, int last_errno)
{
	errno = 0;
	if (fflush(f) == EOF)
		note_failure(f, errno);
	else if (ferror(f))
		note_failure(f, last_errno);
}

/* After code that wrote to out, stdout or stderr: did it all get out? */
static bool written(FILE *out)
{
	int e = errno;

	note(out, e);
	note(stdout, e);
	note(stderr, e);
	return !ferror(out) && !ferror(stdout) && !ferror(stderr);
}

int dtk_tool_check_output(struct dtk *d, FILE *out, const char *name,
			  const char *what)
{
	FILE *f[3] = { out ? out : stdout, stdout, stderr };
	int e = 0;
	size_t i;

	g_checked = true;
	if (d && dtk_output_error(d))
		note_failure(f[0], dtk_output_error(d));
	written(f[0]);
	for (i = 0; i < 3 && !e; i++)
		e = failure_of(f[i]);
	/* a closed pipe ends us quietly, as Ctrl-C does */
	if (!e || e == EPIPE || (e < 0 && g_pipe))
		return 0;
	f[0] = f[i - 1];
	what = f[0] == stdout ? "stdout" : f[0] == stderr ? "stderr" :
	       what ? what : "the output";
	if (e > 0)
		fprintf(stderr, "%s: write error on %s: %s\n", name, what,
			strerror(e));
	else
		fprintf(stderr, "%s: write error on %s\n", name, what);
	return 1;
}

/* --- the run -------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The records until the program, the target, a signal, a write error or
 * the duration ends tracing: 0, or 1 after a failure. */
static int consume(struct dtk *d, const struct dtk_tool *t, FILE *out)
{
	int64_t start = now_ms(), next = start + t->interval_ms;
	enum dtk_work_status w;

	while ((w = dtk_work(d, t->on_record, t->arg)) == DTK_WORK_OKAY) {
		int64_t now = now_ms();

		/* each batch reaches a watcher (flush_each_batch), and a
		 * failed write ends tracing (dtk_tool_check_output tells) */
		if ((t->flush_each_batch || ferror(out) || ferror(stdout) ||
		     ferror(stderr)) && !written(out))
			return 0;
		if (t->duration_ms && now - start >= t->duration_ms)
			break;
		if (t->tick && t->interval_ms && now >= next) {
			if (t->tick(d) < 0)
				return 1;
			if (!written(out))
				return 0;
			next += t->interval_ms;
		}
	}
	if (w == DTK_WORK_ERROR && !dtk_output_error(d)) {
		fprintf(stderr, "%s: processing aborted: %s\n", t->name,
			dtk_errmsg(d));
		return 1;
	}
	return 0;
}

/* Everything between open and close: 0, or the exit status of a failure. */
static int run(struct dtk *d, const struct dtk_tool *t, FILE *out)
{
	int rc;

	dtk_set_output(d, out);
	if ((t->command && dtk_create_target(d, t->command) < 0) ||
	    (t->pid && dtk_grab_target(d, t->pid) < 0)) {
		/* "failed to execute CMD: why", "failed to grab pid N: why" */
		fprintf(stderr, "%s: %s\n", t->name, dtk_errmsg(d));
		return 1;
	}
	if (t->set_constants && (rc = t->set_constants(d))) {
		if (rc > 0)
			return rc;
		fprintf(stderr, "%s: %s\n", t->name, dtk_errmsg(d));
		return 1;
	}
	if (dtk_compile(d, t->script, t->source, t->flags) < 0) {
		fprintf(stderr, "%s: %s: %s\n", t->name, t->script, dtk_errmsg(d));
		return 1;
	}
	if (t->header)
		t->header(d);
	if (!written(out))
		return 0;		/* dtk_tool_check_output tells */
	if (dtk_go(d) < 0) {
		/* Ctrl-C while loading: nothing ran, nothing to report but
		 * what END may say if BEGIN had run */
		if (dtk_errkind(d) == DTK_ERR_INTR)
			return dtk_finish(d) < 0;
		fprintf(stderr, "%s: could not enable tracing: %s\n", t->name,
			dtk_errmsg(d));
		return 1;
	}
	if (t->started)
		t->started();
	rc = written(out) ? consume(d, t, out) : 0;
	for (const char *const *a = t->own_aggs; a && *a; a++)
		dtk_agg_walk(d, *a, 0, NULL, NULL);	/* claimed, not printed */
	if (dtk_finish(d) < 0)
		rc = 1;
	if (!rc && t->ended && t->ended(d) < 0)
		rc = 1;
	written(out);
	return rc;
}

int dtk_tool_run(const struct dtk_tool *t)
{
	FILE *out = t->out ? t->out : stdout;
	int err = 0, rc, st;
	struct dtk *d;

	dtk_tool_signals(NULL);	/* a stop while opening counts too */
	if (!(d = dtk_open(&err))) {
		fprintf(stderr, "%s: cannot open the dtk engine: %s\n", t->name,
			strerror(err));
		return 1;
	}
	/* from the start: a signal while loading stops the load */
	dtk_tool_signals(d);
	rc = run(d, t, out);
	if (dtk_tool_check_output(d, out, t->name, NULL))
		rc = 1;
	/* the command's status when its end ended tracing */
	if (!rc && t->exit_with_target && !dtk_tool_signalled() &&
	    (st = dtk_target_status(d)) >= 0)
		rc = st;
	dtk_tool_signals(NULL);	/* no signal reaches a closed handle */
	dtk_close(d);		/* kills a command still running */
	return rc;
}

/* --- time columns --------------------------------------------------------- */

void dtk_print_time_heads(FILE *out, unsigned cols)
{
	if (cols & DTK_COL_TIME)
		fprintf(out, "%-14s ", "TIME");
	if (cols & DTK_COL_STRTIME)
		fprintf(out, "%-20s ", "STRTIME");
}

void dtk_print_times(FILE *out, unsigned cols, int64_t ns, int64_t wall_ns)
{
	if (cols & DTK_COL_TIME)
		fprintf(out, "%-14lld ", (long long)(ns / 1000));
	if (cols & DTK_COL_STRTIME) {
		/* DTrace's %Y: 2024 Nov 23 11:04:05 */
		char buf[64];
		time_t sec = (time_t)(wall_ns / 1000000000);
		struct tm tm;

		localtime_r(&sec, &tm);
		strftime(buf, sizeof buf, "%Y %b %e %H:%M:%S", &tm);
		fprintf(out, "%-20s ", buf);
	}
}
