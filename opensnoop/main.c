/* opensnoop - snoop file opens as they occur, on the dtk engine.
 *
 * The D program (opensnoop.d, embedded) traces open, openat, openat2 and
 * creat and sends one record an open; this file turns the flags into its
 * inline constants and lays out DTraceToolkit's columns from the record. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dtk.h"
#include "opensnoop_rec.h"

extern const char opensnoop_d_source[];

static struct {
	bool zone, dump, args, err, cwd, flags, failonly, stack, json;
	unsigned times;			/* DTK_COL_TIME, DTK_COL_STRTIME */
	const char *name, *file;
	long pid;
} opt;

static const char doc[] =
"Snoop file opens as they occur: open, openat, openat2 and creat, by every\n"
"process (or those named with -n/-p).\n"
"\n"
"  opensnoop -ex              # which files are looked for and not found\n"
"  opensnoop -n bash          # opens by processes named bash\n"
"  opensnoop -f /etc/passwd   # who opens /etc/passwd\n";

static const struct argp_option options[] = {
	{ NULL, 'a', NULL, 0, "Print all data (-e -g -s -v)", 0 },
	{ NULL, 'A', NULL, 0, "Dump all data, space delimited", 0 },
	{ NULL, 'c', NULL, 0, "Print the current working directory", 0 },
	{ NULL, 'e', NULL, 0, "Print the errno value", 0 },
	{ NULL, 'F', NULL, 0, "Print the open flags", 0 },
	{ NULL, 'g', NULL, 0, "Print the command's arguments, not its name", 0 },
	{ NULL, 's', NULL, 0, "Print the time stamp, us", 0 },
	{ NULL, 't', NULL, 0, "Print the user stack after each line", 0 },
	{ NULL, 'v', NULL, 0, "Print the time stamp as a date", 0 },
	{ NULL, 'x', NULL, 0, "Only failed opens", 0 },
	{ NULL, 'Z', NULL, 0, "Print the zone name", 0 },
	{ NULL, 'f', "PATHNAME", 0, "Only opens of this path, as passed", 0 },
	{ NULL, 'n', "NAME", 0, "Only processes with this command name", 0 },
	{ NULL, 'p', "PID", 0, "Only this process", 0 },
	{ "json", DTK_OPT_JSON, NULL, 0, "One JSON object a line, every column", 0 },
	{ 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'a':
		opt.err = opt.args = true;
		opt.times = DTK_COL_TIME | DTK_COL_STRTIME;
		break;
	case 'A': opt.dump = true; break;
	case 'c': opt.cwd = true; break;
	case 'e': opt.err = true; break;
	case 'F': opt.flags = true; break;
	case 'g': opt.args = true; break;
	case 's': opt.times |= DTK_COL_TIME; break;
	case 't': opt.stack = true; break;
	case 'v': opt.times |= DTK_COL_STRTIME; break;
	case 'x': opt.failonly = true; break;
	case 'Z': opt.zone = true; break;
	case DTK_OPT_JSON: opt.json = true; break;
	case 'f': opt.file = arg; break;
	case 'n':
		if (!(opt.name = dtk_comm_arg("opensnoop", 'n', arg)))
			argp_error(state, "-n needs a process name");
		break;
	case 'p':
		errno = 0;
		opt.pid = strtol(arg, &end, 10);
		if (errno || *end || opt.pid <= 0 || opt.pid > 0x7fffffff)
			argp_error(state, "invalid PID: %s", arg);
		break;
	case ARGP_KEY_ARG:
		argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The record's values, in the order of opensnoop.d's printf (checked
 * against the compiled D when this file is built). */
enum { V_TS, V_WALLTS, V_UID, V_PID, V_PPID, V_FD, V_ERRNO, V_FLAGS,
       V_PATHP, V_COMM, V_PATH, V_CWD, V_ARGS, V_N };
DTK_RECORD_CHECK(OPENSNOOP_D_RECORD, V_N, DTK_STR(V_COMM) | DTK_STR(V_PATH) |
		 DTK_STR(V_CWD) | DTK_STR(V_ARGS));

static void put_str(const struct dtk_value *v)
{
	escape_fputs(stdout, v->s, v->len, ESC_C);
}

/* Padded like %-Ns, after escaping. */
static void put_str_padded(const struct dtk_value *v, int width)
{
	char buf[4096];
	escape_str(buf, sizeof buf, v->s, v->len, ESC_C);
	printf("%-*s", width, buf);
}

/* An unreadable path reads as "" (emptyonfault).  A path that really is ""
 * makes open fail with ENOENT, so "" is only believed then. */
static void put_path(const struct dtk_value *v, int width)
{
	char buf[64];
	if (v[V_PATH].len == 0 && v[V_ERRNO].i != ENOENT) {
		snprintf(buf, sizeof buf, "<unreadable 0x%llx>",
			 (unsigned long long)v[V_PATHP].i);
		printf("%-*s", width, buf);
	} else if (width) {
		put_str_padded(&v[V_PATH], width);
	} else {
		put_str(&v[V_PATH]);
	}
}

/* glibc's O_LARGEFILE is 0 on 64-bit hosts; the kernel's bit is not. */
#ifdef __aarch64__
#define KERNEL_O_LARGEFILE 0400000
#else
#define KERNEL_O_LARGEFILE 0100000
#endif

static void put_flags(int64_t f)
{
	/* multi-bit flags (O_SYNC holds O_DSYNC, O_TMPFILE O_DIRECTORY) first */
	static const struct { int bit; const char *name; } bits[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" },
		{ O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
		{ O_SYNC, "O_SYNC" }, { O_DSYNC, "O_DSYNC" },
		{ O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" },
		{ KERNEL_O_LARGEFILE, "O_LARGEFILE" }, { O_TMPFILE, "O_TMPFILE" },
		{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
		{ O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" },
		{ O_PATH, "O_PATH" },
	};
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	char buf[256];
	int n = snprintf(buf, sizeof buf, "%s", acc[f & O_ACCMODE]);
	int64_t rest = f & ~(int64_t)O_ACCMODE;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if ((rest & bits[i].bit) == bits[i].bit) {
			n += snprintf(buf + n, sizeof buf - n, "|%s", bits[i].name);
			rest &= ~(int64_t)bits[i].bit;
		}
	if (rest)
		snprintf(buf + n, sizeof buf - n, "|0x%llx", (unsigned long long)rest);
	printf("%-24s ", buf);
}

static void print_header(void)
{
	if (opt.dump) {
		printf("%s %s %s %s %s %s %s %s %s %s %s\n", "ZONE", "TIME",
		       "UID", "PID", "PPID", "COMM", "FD", "ERR", "CWD", "PATH",
		       "ARGS");
		return;
	}
	dtk_print_time_heads(stdout, opt.times);
	if (opt.zone)
		printf("%-10s ", "ZONE");
	printf("%5s %6s ", "UID", "PID");
	if (!opt.args)
		printf("%-12s ", "COMM");
	printf("%3s ", "FD");
	if (opt.err)
		printf("%3s ", "ERR");
	if (opt.flags)
		printf("%-24s ", "FLAGS");
	if (opt.cwd)
		printf("%-20s ", "CWD");
	if (opt.args)
		printf("%-20s %s\n", "PATH", "ARGS");
	else
		printf("%s\n", "PATH");
	fflush(stdout);
}

static void print_open(const struct dtk_value *v)
{
	long long fd = v[V_FD].i < 0 ? -1 : v[V_FD].i;

	if (opt.dump) {
		printf("%s %lld %lld %lld %lld ", "global",
		       (long long)(v[V_TS].i / 1000), (long long)v[V_UID].i,
		       (long long)v[V_PID].i, (long long)v[V_PPID].i);
		escape_fputs(stdout, v[V_COMM].s, v[V_COMM].len, ESC_ARGS);
		printf(" %lld %lld ", fd, (long long)v[V_ERRNO].i);
		escape_fputs(stdout, v[V_CWD].s, v[V_CWD].len, ESC_ARGS);
		putchar(' ');
		if (v[V_PATH].len == 0 && v[V_ERRNO].i != ENOENT)
			printf("<unreadable 0x%llx>", (unsigned long long)v[V_PATHP].i);
		else
			escape_fputs(stdout, v[V_PATH].s, v[V_PATH].len, ESC_ARGS);
		putchar(' ');
		put_str(&v[V_ARGS]);
		putchar('\n');
		return;
	}
	dtk_print_times(stdout, opt.times, v[V_TS].i, v[V_WALLTS].i);
	if (opt.zone)
		printf("%-10s ", "global");
	printf("%5lld %6lld ", (long long)v[V_UID].i, (long long)v[V_PID].i);
	if (!opt.args) {
		put_str_padded(&v[V_COMM], 12);
		putchar(' ');
	}
	printf("%3lld ", fd);
	if (opt.err)
		printf("%3lld ", (long long)v[V_ERRNO].i);
	if (opt.flags)
		put_flags(v[V_FLAGS].i);
	if (opt.cwd) {
		put_str_padded(&v[V_CWD], 20);
		putchar(' ');
	}
	if (opt.args) {
		put_path(v, 20);
		putchar(' ');
		put_str(&v[V_ARGS]);
	} else {
		put_path(v, 0);
	}
	putchar('\n');
}

/* --json: every column, raw (fd -1 and the errno on failure) */
static void print_open_json(const struct dtk_value *v)
{
	struct dtk_json *o = dtk_json_event(v[V_TS].i, v[V_WALLTS].i, v[V_UID].i,
					    v[V_PID].i, v[V_PPID].i);
	dtk_json_str(o, "comm", v[V_COMM].s, v[V_COMM].len);
	dtk_json_int(o, "fd", v[V_FD].i < 0 ? -1 : v[V_FD].i);
	dtk_json_errno(o, (int)v[V_ERRNO].i);
	dtk_json_int(o, "flags", v[V_FLAGS].i);
	if (v[V_PATH].len == 0 && v[V_ERRNO].i != ENOENT)
		dtk_json_cstr(o, "path", NULL);	/* unreadable */
	else
		dtk_json_str(o, "path", v[V_PATH].s, v[V_PATH].len);
	if (opt.cwd)
		dtk_json_str(o, "cwd", v[V_CWD].s, v[V_CWD].len);
	if (opt.args)
		dtk_json_str(o, "args", v[V_ARGS].s, v[V_ARGS].len);
	dtk_json_emit(stdout, o);
}

static int on_record(struct dtk *d, const struct dtk_record *r, void *arg)
{
	struct dtk_value v[V_N];
	(void)arg;
	if (r->kind == DTK_REC_STACK && opt.json) {
		/* -t: the stack of the open just printed, a line of its own */
		struct dtk_json *o = dtk_json_new();
		dtk_json_stack(d, o, "ustack", r);
		dtk_json_emit(stdout, o);
		return DTK_REC_HANDLED;
	}
	if (r->kind == DTK_REC_STACK) {
		/* -t: the stack of the line just printed, DTrace's layout */
		fflush(stdout);
		dtk_record_ustack(d, r, stdout);
		return DTK_REC_HANDLED;
	}
	if (r->kind != DTK_REC_PRINTF || dtk_record_values(d, r, v, V_N) != V_N)
		return DTK_REC_DEFAULT;
	if (opt.json)
		print_open_json(v);
	else
		print_open(v);
	return DTK_REC_HANDLED;
}

static int set_constants(struct dtk *d)
{
	return dtk_set_int(d, "OPT_name", opt.name != NULL) |
	       dtk_set_str(d, "NAME", opt.name ? opt.name : "") |
	       dtk_set_int(d, "OPT_pid", opt.pid != 0) |
	       dtk_set_int(d, "PID", opt.pid) |
	       dtk_set_int(d, "OPT_file", opt.file != NULL) |
	       dtk_set_str(d, "FILENAME", opt.file ? opt.file : "") |
	       dtk_set_int(d, "OPT_failonly", opt.failonly) |
	       dtk_set_int(d, "OPT_cwd", opt.cwd || opt.dump) |
	       dtk_set_int(d, "OPT_args", opt.args || opt.dump) |
	       dtk_set_int(d, "OPT_stack", opt.stack);
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, 0, 0, 0 };
	if (dtk_tool_parse(&argp, argc, argv, 0))
		return 2;

	return dtk_tool_run(&(const struct dtk_tool){
		.name = "opensnoop",
		.script = "opensnoop.d", .source = opensnoop_d_source,
		.flags = DTK_C_ZDEFS,
		/* -p: refused if it does not exist, and its exit ends tracing
		 * (its pid could be another process's next) */
		.pid = (pid_t)opt.pid,
		.set_constants = set_constants,
		.started = opt.json ? NULL : print_header,
		.on_record = on_record,
	});
}
