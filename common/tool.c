/* tool.c - what the snoopers share (dtk.h): their run from open to close
 * (dtk_tool_run) and their time columns (dtk_print_time_heads,
 * dtk_print_times). */
#include <signal.h>
#include <string.h>
#include <time.h>
#include "dtk.h"

/* The handle a stop signal ends; a pointer store is all the handler sees
 * change, and it only ever calls the async-signal-safe dtk_stop. */
static struct dtk *volatile g_running;

static void on_stop_signal(int sig)
{
	struct dtk *d = g_running;

	(void)sig;
	if (d)
		dtk_stop(d);
}

/* Ctrl-C, kill and a closed pipe all end tracing the same way: END runs
 * and the tool exits 0.  No SA_RESTART: the signal must wake dtk_work's
 * wait. */
static void catch_stop_signals(struct dtk *d)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	g_running = d;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

/* Everything between open and close: 0, or 1 after a failure. */
static int run(struct dtk *d, const struct dtk_tool *t)
{
	enum dtk_work_status w;
	int rc;

	if (t->set_constants && t->set_constants(d) < 0) {
		fprintf(stderr, "%s: %s\n", t->name, dtk_errmsg(d));
		return 1;
	}
	if (dtk_compile(d, t->script, t->source, t->flags) < 0) {
		fprintf(stderr, "%s: %s: %s\n", t->name, t->script, dtk_errmsg(d));
		return 1;
	}
	catch_stop_signals(d);
	if (dtk_go(d) < 0) {
		fprintf(stderr, "%s: could not enable tracing: %s\n", t->name,
			dtk_errmsg(d));
		return 1;
	}
	if (t->started)
		t->started();
	while ((w = dtk_work(d, t->on_record, t->arg)) == DTK_WORK_OKAY)
		if (t->flush_each_batch)
			fflush(stdout);
	rc = w == DTK_WORK_ERROR;
	if (dtk_finish(d) < 0)
		rc = 1;
	return rc;
}

int dtk_tool_run(const struct dtk_tool *t)
{
	int err = 0, rc;
	struct dtk *d = dtk_open(&err);

	if (!d) {
		fprintf(stderr, "%s: cannot open the dtk engine: %s\n", t->name,
			strerror(err));
		return 1;
	}
	rc = run(d, t);
	g_running = NULL;	/* no signal reaches a closed handle */
	dtk_close(d);
	return rc;
}

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
