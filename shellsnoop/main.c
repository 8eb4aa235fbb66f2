/* shellsnoop - snoop what is typed into shells and what their commands
 * print, on the dtk engine.
 *
 * The D program (shellsnoop.d, embedded) sends one record for every read
 * and write of a shell on fds 0-2 and every write of a command it runs to
 * fds 1 and 2; this file lays out DTraceToolkit's columns from it.  The
 * text comes from another terminal session: it is escaped (ESC_TTY) before
 * it reaches ours, unless -r asks for the raw bytes. */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dtk.h"
#include "shellsnoop_rec.h"

extern const char shellsnoop_d_source[];

static struct {
	bool quiet, raw, json;
	unsigned times;			/* DTK_COL_TIME, DTK_COL_STRTIME */
	long pid, uid;
	bool has_uid;
} opt;

static const char doc[] =
"Snoop live shell activity: what is typed into shells (sh, bash, dash, zsh,\n"
"ksh, mksh, csh, tcsh, fish) and what they and the commands they run print.\n"
"\n"
"  shellsnoop             # every shell on the system\n"
"  shellsnoop -q -p 1234  # the session of shell 1234, as its user sees it\n"
"  shellsnoop -u 1000     # the shells of user 1000\n";

static const struct argp_option options[] = {
	{ NULL, 'q', NULL, 0, "Only the text the shells and commands write", 0 },
	{ NULL, 'r', NULL, 0, "Raw bytes: do not escape control characters", 0 },
	{ NULL, 's', NULL, 0, "Print the time stamp, us", 0 },
	{ NULL, 'v', NULL, 0, "Print the time stamp as a date", 0 },
	{ NULL, 'p', "PID", 0, "Only this shell and the commands it runs", 0 },
	{ NULL, 'u', "UID", 0, "Only processes of this user", 0 },
	{ "json", DTK_OPT_JSON, NULL, 0, "One JSON object a line, every column", 0 },
	{ 0 },
};

static long parse_id(struct argp_state *state, const char *what, const char *arg,
		     long min)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < min || v > 0x7fffffff)
		argp_error(state, "invalid %s: %s", what, arg);
	return v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'q': opt.quiet = true; break;
	case 'r': opt.raw = true; break;
	case 's': opt.times |= DTK_COL_TIME; break;
	case 'v': opt.times |= DTK_COL_STRTIME; break;
	case 'p': opt.pid = parse_id(state, "PID", arg, 1); break;
	case 'u':
		opt.uid = parse_id(state, "UID", arg, 0);
		opt.has_uid = true;
		break;
	case DTK_OPT_JSON: opt.json = true; break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The record's values, in the order of shellsnoop.d's printf (checked
 * against the compiled D when this file is built). */
enum { V_TS, V_WALLTS, V_UID, V_PID, V_PPID, V_WRITE, V_COUNT, V_COMM,
       V_TEXT, V_N };
DTK_RECORD_CHECK(SHELLSNOOP_D_RECORD, V_N, DTK_STR(V_COMM) | DTK_STR(V_TEXT));

/* The text goes on past any NUL: as many bytes as the call moved, up to
 * what the record holds (strsize).  A cut is marked with "...". */
static void put_text(const struct dtk_record *r, const struct dtk_value *v)
{
	size_t room = (size_t)((const char *)r->data + r->size - v[V_TEXT].s);
	size_t len = v[V_COUNT].i > 0 ? (size_t)v[V_COUNT].i : 0;
	bool cut = false;
	if (room && len > room - 1) {
		len = room - 1;
		cut = true;
	}
	if (opt.raw)
		fwrite(v[V_TEXT].s, 1, len, stdout);
	else
		escape_fputs(stdout, v[V_TEXT].s, len, ESC_TTY);
	if (cut)
		fputs("...", stdout);
	/* a line a call, but text that ends its own line keeps one newline */
	if (!opt.quiet && (cut || len == 0 || v[V_TEXT].s[len - 1] != '\n'))
		putchar('\n');
}

static void print_header(void)
{
	if (opt.quiet)
		return;
	dtk_print_time_heads(stdout, opt.times);
	printf("%5s %5s %8s %3s  %s\n", "PID", "PPID", "CMD", "DIR", "TEXT");
	fflush(stdout);
}

static void print_io(const struct dtk_record *r, const struct dtk_value *v)
{
	if (!opt.quiet) {
		char comm[64];
		dtk_print_times(stdout, opt.times, v[V_TS].i, v[V_WALLTS].i);
		escape_str(comm, sizeof comm, v[V_COMM].s, v[V_COMM].len, ESC_C);
		printf("%5lld %5lld %8s %3s  ", (long long)v[V_PID].i,
		       (long long)v[V_PPID].i, comm, v[V_WRITE].i ? "W" : "R");
	}
	put_text(r, v);
}

/* --json: the bytes moved (as many as the record holds), "text_truncated"
 * where strsize cut them */
static void print_io_json(const struct dtk_record *r, const struct dtk_value *v)
{
	size_t room = (size_t)((const char *)r->data + r->size - v[V_TEXT].s);
	size_t len = v[V_COUNT].i > 0 ? (size_t)v[V_COUNT].i : 0;
	bool cut = room && len > room - 1;
	struct dtk_json *o = dtk_json_event(v[V_TS].i, v[V_WALLTS].i, v[V_UID].i,
					    v[V_PID].i, v[V_PPID].i);
	dtk_json_str(o, "cmd", v[V_COMM].s, v[V_COMM].len);
	dtk_json_cstr(o, "dir", v[V_WRITE].i ? "W" : "R");
	dtk_json_str(o, "text", v[V_TEXT].s, cut ? room - 1 : len);
	dtk_json_bool(o, "text_truncated", cut);
	dtk_json_emit(stdout, o);
}

static int on_record(struct dtk *d, const struct dtk_record *r, void *arg)
{
	struct dtk_value v[V_N];
	(void)arg;
	if (r->kind != DTK_REC_PRINTF || dtk_record_values(d, r, v, V_N) != V_N)
		return DTK_REC_DEFAULT;
	if (opt.json)
		print_io_json(r, v);
	else
		print_io(r, v);
	return DTK_REC_HANDLED;
}

static int set_constants(struct dtk *d)
{
	return dtk_set_int(d, "OPT_pid", opt.pid != 0) |
	       dtk_set_int(d, "PID", opt.pid) |
	       dtk_set_int(d, "OPT_uid", opt.has_uid) |
	       dtk_set_int(d, "UID", opt.uid) |
	       dtk_set_int(d, "OPT_quiet", opt.quiet);
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, 0, 0, 0 };
	if (dtk_tool_parse(&argp, argc, argv, 0))
		return 2;

	return dtk_tool_run(&(const struct dtk_tool){
		.name = "shellsnoop",
		.script = "shellsnoop.d", .source = shellsnoop_d_source,
		/* -p: refused if it does not exist, and its exit ends tracing
		 * (its pid could be another process's next) */
		.pid = (pid_t)opt.pid,
		.set_constants = set_constants,
		.started = opt.json ? NULL : print_header,
		.on_record = on_record,
		/* someone is watching: a keystroke shows as soon as its batch
		 * of records is in, without a flush per record in a flood */
		.flush_each_batch = true,
	});
}
