/* execsnoop - snoop process execution as it occurs, on the dtk engine.
 *
 * The D program (execsnoop.d, embedded) sends one record for every
 * successful exec (execve and execveat alike); this file lays out
 * DTraceToolkit's columns from it. */
#include <argp.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include "dtk.h"
#include "escape.h"

extern const char execsnoop_d_source[];

static struct {
	bool time, dtime, zone, proj, dump, escape;
	const char *command;
} opt;

static const char doc[] =
"Snoop process execution as it occurs: every successful execve and\n"
"execveat on the system, with the new program's arguments.\n"
"\n"
"  execsnoop -v          # with a date for each exec\n"
"  execsnoop -c ls       # only execs of ls\n";

static const struct argp_option options[] = {
	{ NULL, 'a', NULL, 0, "Print all data (-j -s -v -Z)", 0 },
	{ NULL, 'A', NULL, 0, "Dump all data, space delimited", 0 },
	{ NULL, 'e', NULL, 0, "Escape the arguments: one exec, one line", 0 },
	{ NULL, 'j', NULL, 0, "Print the project ID", 0 },
	{ NULL, 's', NULL, 0, "Print the time stamp, us", 0 },
	{ NULL, 'v', NULL, 0, "Print the time stamp as a date", 0 },
	{ NULL, 'Z', NULL, 0, "Print the zone name", 0 },
	{ NULL, 'c', "COMMAND", 0, "Only execs of this command name", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'a': opt.time = opt.dtime = opt.zone = opt.proj = true; break;
	case 'A': opt.dump = true; break;
	case 'e': opt.escape = true; break;
	case 'j': opt.proj = true; break;
	case 's': opt.time = true; break;
	case 'v': opt.dtime = true; break;
	case 'Z': opt.zone = true; break;
	case 'c': opt.command = arg; break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The record's values, in the order of execsnoop.d's printf. */
enum { V_TS, V_WALLTS, V_UID, V_PID, V_PPID, V_ARGLEN, V_COMM, V_ARGS, V_N };

/* Arguments from the traced process never reach our terminal as control
 * sequences: shown as with %S under -e (newlines too, so one exec is one
 * line), otherwise readable (newlines and UTF-8 kept, escapes shown). A
 * list cut at strsize ends with "...". */
static void put_args(const struct dtk_value *v)
{
	escape_fputs(stdout, v[V_ARGS].s, v[V_ARGS].len,
		     opt.escape ? ESC_C : ESC_TTY);
	/* the argument area holds each argument and its NUL */
	if (v[V_ARGLEN].i > 0 && (size_t)v[V_ARGLEN].i - 1 > v[V_ARGS].len)
		fputs("...", stdout);
}

/* DTrace's %Y: 2024 Nov 23 11:04:05 */
static void put_walltime(int64_t ns)
{
	char buf[64];
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y %b %e %H:%M:%S", &tm);
	printf("%-20s ", buf);
}

static void print_header(void)
{
	if (opt.dump) {
		printf("%s %s %s %s %s %s %s %s\n", "TIME", "ZONE", "PROJ",
		       "UID", "PID", "PPID", "COMM", "ARGS");
	} else {
		if (opt.time)
			printf("%-14s ", "TIME");
		if (opt.dtime)
			printf("%-20s ", "STRTIME");
		if (opt.zone)
			printf("%-10s ", "ZONE");
		if (opt.proj)
			printf("%5s ", "PROJ");
		printf("%5s %6s %6s %s\n", "UID", "PID", "PPID", "ARGS");
	}
	fflush(stdout);
}

static void print_exec(const struct dtk_value *v)
{
	if (opt.dump) {
		printf("%lld %s %d %lld %lld %lld ", (long long)(v[V_TS].i / 1000),
		       "global", 0, (long long)v[V_UID].i, (long long)v[V_PID].i,
		       (long long)v[V_PPID].i);
		escape_fputs(stdout, v[V_COMM].s, v[V_COMM].len, ESC_ARGS);
		putchar(' ');
	} else {
		if (opt.time)
			printf("%-14lld ", (long long)(v[V_TS].i / 1000));
		if (opt.dtime)
			put_walltime(v[V_WALLTS].i);
		if (opt.zone)
			printf("%-10s ", "global");
		if (opt.proj)
			printf("%5d ", 0);
		printf("%5lld %6lld %6lld ", (long long)v[V_UID].i,
		       (long long)v[V_PID].i, (long long)v[V_PPID].i);
	}
	put_args(v);
	putchar('\n');
}

static int on_record(struct dtk *d, const struct dtk_record *r, void *arg)
{
	struct dtk_value v[V_N];
	(void)arg;
	if (r->kind != DTK_REC_PRINTF || dtk_record_values(d, r, v, V_N) != V_N)
		return DTK_REC_DEFAULT;
	print_exec(v);
	return DTK_REC_HANDLED;
}

static struct dtk *g_dtk;

static void on_signal(int sig)
{
	(void)sig;
	if (g_dtk)
		dtk_stop(g_dtk);
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, 0, 0, 0 };
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 1;

	int err;
	struct dtk *d = dtk_open(&err);
	if (!d) {
		fprintf(stderr, "execsnoop: cannot open the dtk engine: %s\n",
			strerror(err));
		return 1;
	}
	int rc = 1;
	if (dtk_set_int(d, "OPT_cmd", opt.command != NULL) < 0 ||
	    dtk_set_str(d, "COMMAND", opt.command ? opt.command : "") < 0) {
		fprintf(stderr, "execsnoop: %s\n", dtk_errmsg(d));
		goto out;
	}
	if (dtk_compile(d, "execsnoop.d", execsnoop_d_source, 0) < 0) {
		fprintf(stderr, "execsnoop: execsnoop.d: %s\n", dtk_errmsg(d));
		goto out;
	}
	g_dtk = d;
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	if (dtk_go(d) < 0) {
		fprintf(stderr, "execsnoop: could not enable tracing: %s\n",
			dtk_errmsg(d));
		goto out;
	}
	print_header();
	enum dtk_work_status w;
	while ((w = dtk_work(d, on_record, NULL)) == DTK_WORK_OKAY)
		;
	rc = w == DTK_WORK_ERROR;
	if (dtk_finish(d) < 0)
		rc = 1;
out:
	dtk_close(d);
	return rc;
}
