/* execsnoop - snoop process execution as it occurs, on the dtk engine.
 *
 * The D program (execsnoop.d, embedded) sends one record for every
 * successful exec (execve and execveat alike); this file lays out
 * DTraceToolkit's columns from it. */
#include <argp.h>
#include "dtk.h"
#include "execsnoop_rec.h"

extern const char execsnoop_d_source[];

static struct {
	bool zone, proj, dump, escape, json;
	unsigned times;			/* DTK_COL_TIME, DTK_COL_STRTIME */
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
	{ "json", DTK_OPT_JSON, NULL, 0, "One JSON object a line, every column", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'a':
		opt.times = DTK_COL_TIME | DTK_COL_STRTIME;
		opt.zone = opt.proj = true;
		break;
	case 'A': opt.dump = true; break;
	case 'e': opt.escape = true; break;
	case 'j': opt.proj = true; break;
	case 's': opt.times |= DTK_COL_TIME; break;
	case 'v': opt.times |= DTK_COL_STRTIME; break;
	case 'Z': opt.zone = true; break;
	case 'c':
		if (!(opt.command = dtk_comm_arg("execsnoop", 'c', arg)))
			argp_error(state, "-c needs a command name");
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

/* The record's values, in the order of execsnoop.d's printf (checked
 * against the compiled D when this file is built). */
enum { V_TS, V_WALLTS, V_UID, V_PID, V_PPID, V_ARGLEN, V_COMM, V_ARGS, V_N };
DTK_RECORD_CHECK(EXECSNOOP_D_RECORD, V_N, DTK_STR(V_COMM) | DTK_STR(V_ARGS));

/* Arguments from the traced process never reach our terminal as control
 * sequences and one exec is one line: shown as with %S under -e, otherwise
 * readable (UTF-8 kept, newlines, escapes and backslashes shown escaped).
 * A list cut at strsize ends with "...". */
static void put_args(const struct dtk_value *v)
{
	escape_fputs(stdout, v[V_ARGS].s, v[V_ARGS].len,
		     opt.escape ? ESC_C : ESC_TEXT);
	/* the argument area holds each argument and its NUL */
	if (v[V_ARGLEN].i > 0 && (size_t)v[V_ARGLEN].i - 1 > v[V_ARGS].len)
		fputs("...", stdout);
}

static void print_header(void)
{
	if (opt.dump) {
		printf("%s %s %s %s %s %s %s %s\n", "TIME", "ZONE", "PROJ",
		       "UID", "PID", "PPID", "COMM", "ARGS");
	} else {
		dtk_print_time_heads(stdout, opt.times);
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
		dtk_print_times(stdout, opt.times, v[V_TS].i, v[V_WALLTS].i);
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

/* --json: the arguments as read, "args_truncated" where strsize cut them */
static void print_exec_json(const struct dtk_value *v)
{
	struct dtk_json *o = dtk_json_event(v[V_TS].i, v[V_WALLTS].i, v[V_UID].i,
					    v[V_PID].i, v[V_PPID].i);
	dtk_json_str(o, "comm", v[V_COMM].s, v[V_COMM].len);
	dtk_json_str(o, "args", v[V_ARGS].s, v[V_ARGS].len);
	dtk_json_bool(o, "args_truncated", v[V_ARGLEN].i > 0 &&
		      (size_t)v[V_ARGLEN].i - 1 > v[V_ARGS].len);
	dtk_json_emit(stdout, o);
}

static int on_record(struct dtk *d, const struct dtk_record *r, void *arg)
{
	struct dtk_value v[V_N];
	(void)arg;
	if (r->kind != DTK_REC_PRINTF || dtk_record_values(d, r, v, V_N) != V_N)
		return DTK_REC_DEFAULT;
	if (opt.json)
		print_exec_json(v);
	else
		print_exec(v);
	return DTK_REC_HANDLED;
}

static int set_constants(struct dtk *d)
{
	return dtk_set_int(d, "OPT_cmd", opt.command != NULL) |
	       dtk_set_str(d, "COMMAND", opt.command ? opt.command : "");
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, 0, 0, 0 };
	if (dtk_tool_parse(&argp, argc, argv, 0))
		return 2;

	return dtk_tool_run(&(const struct dtk_tool){
		.name = "execsnoop",
		.script = "execsnoop.d", .source = execsnoop_d_source,
		.set_constants = set_constants,
		.started = opt.json ? NULL : print_header,
		.on_record = on_record,
	});
}
