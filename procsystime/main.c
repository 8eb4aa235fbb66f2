/* procsystime - system call elapsed times, on-CPU times and counts.
 *
 *	procsystime [-acehoT] [ -p PID | -n name | command ]
 *
 * The DTraceToolkit's tool on dtk: procsystime.d sums in the kernel, this
 * file reads the sums with dtk_agg_walk() and prints the DTraceToolkit's
 * reports (to stderr, apart from a command's own output) when tracing ends:
 * at Ctrl-C, or when the process or command exits.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dtk.h"

extern const char procsystime_d_source[];

static struct {
	bool elapsed, cpu, counts, total, json;
	pid_t pid;
	const char *name;
	char **command;
} opt;

static const char doc[] =
	"procsystime -- system call times and counts, by syscall.\v"
	"Examples:\n"
	"  procsystime                  # elapsed ns of every process's calls\n"
	"  procsystime -p 1871          # elapsed ns of PID 1871\n"
	"  procsystime -n tar           # elapsed ns of processes named tar\n"
	"  procsystime -aTn bash        # all, with totals, for bash\n"
	"  procsystime df -h            # elapsed ns of the command df -h";

static const struct argp_option options[] = {
	{ NULL, 'a', NULL, 0, "Print all data (-c -e -o)", 0 },
	{ NULL, 'c', NULL, 0, "Print syscall counts", 0 },
	{ NULL, 'e', NULL, 0, "Print elapsed times, ns (the default)", 0 },
	{ NULL, 'o', NULL, 0, "Print on-CPU times, ns", 0 },
	{ NULL, 'T', NULL, 0, "Print totals", 0 },
	{ NULL, 'p', "PID", 0, "Examine this PID", 0 },
	{ NULL, 'n', "NAME", 0, "Examine processes of this name", 0 },
	{ "json", DTK_OPT_JSON, NULL, 0,
	  "The reports as one JSON object on stdout", 0 },
	{ 0 },
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;
	long v;

	switch (key) {
	case 'a': opt.elapsed = opt.cpu = opt.counts = true; break;
	case 'c': opt.counts = true; break;
	case 'e': opt.elapsed = true; break;
	case 'o': opt.cpu = true; break;
	case 'T': opt.total = true; break;
	case 'n':
		if (!(opt.name = dtk_comm_arg("procsystime", 'n', arg)))
			argp_error(state, "-n needs a process name");
		break;
	case DTK_OPT_JSON: opt.json = true; break;
	case 'p':
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v <= 0 || v > INT_MAX)
			argp_error(state, "invalid PID: %s", arg);
		opt.pid = (pid_t)v;
		break;
	case ARGP_KEY_ARG:
		opt.command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if ((opt.pid != 0) + (opt.name != NULL) + (opt.command != NULL) > 1)
			argp_error(state, "use one of -p, -n and a command");
		if (!opt.cpu && !opt.counts)
			opt.elapsed = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_arg,
				  "[ -p PID | -n NAME | COMMAND [ARG...] ]",
				  doc, NULL, NULL, NULL };

/* --- the reports --------------------------------------------------------- */

struct row {
	char name[64];
	int64_t value;
};

struct rows {
	struct row *r;
	size_t n, cap;
	int64_t total;
};

static int add_row(const struct dtk_aggrec *a, void *arg)
{
	struct rows *rs = arg;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 64;
		struct row *r = realloc(rs->r, cap * sizeof *r);
		if (!r)
			return -1;
		rs->r = r;
		rs->cap = cap;
	}
	struct row *r = &rs->r[rs->n++];
	snprintf(r->name, sizeof r->name, "%s", a->keys[0].s);
	r->value = a->value;
	rs->total += a->value;
	return 0;
}

/* Ascending, as DTrace's printa sorts: by value, ties by name. */
static int by_value(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* "PID 1234", "processes bash", "command ls -l", "all processes" */
static void print_whom(void)
{
	if (opt.pid)
		fprintf(stderr, "PID %d", (int)opt.pid);
	else if (opt.name)
		fprintf(stderr, "processes %s", opt.name);
	else if (opt.command)
		for (char **w = opt.command; *w; w++)
			fprintf(stderr, "%s%s", w == opt.command ? "command " : " ", *w);
	else
		fprintf(stderr, "all processes");
}

/* --json: each report a member of one object, its table an object of
 * syscall: value in the text's order, e.g. {"elapsed_ns":{"read":1200,...},
 * "elapsed_total_ns":... (-T), "oncpu_ns":{...}, "counts":{...}} */
static struct dtk_json *g_json;

static void report_json(const struct rows *rs, const char *key)
{
	char total[64];
	struct dtk_json *t = dtk_json_object(g_json, key);

	for (size_t i = 0; i < rs->n; i++)
		dtk_json_int(t, rs->r[i].name, rs->r[i].value);
	if (!opt.total)
		return;
	/* "elapsed_ns" -> "elapsed_total_ns", "counts" -> "counts_total" */
	const char *ns = strstr(key, "_ns");
	snprintf(total, sizeof total, "%.*s_total%s", (int)(ns ? ns - key : (long)strlen(key)),
		 key, ns ? "_ns" : "");
	dtk_json_int(g_json, total, rs->total);
}

static int report(struct dtk *d, const char *agg, const char *title,
		  const char *column)
{
	struct rows rs = { 0 };
	if (dtk_agg_walk(d, agg, 0, add_row, &rs) < 0) {
		fprintf(stderr, "procsystime: %s\n", dtk_errmsg(d));
		free(rs.r);
		return -1;
	}
	if (rs.n)	/* qsort(NULL, 0) is undefined */
		qsort(rs.r, rs.n, sizeof *rs.r, by_value);
	if (g_json) {
		report_json(&rs, strcmp(agg, "counts") == 0 ? "counts" :
			    strcmp(agg, "cpu") == 0 ? "oncpu_ns" : "elapsed_ns");
		free(rs.r);
		return 0;
	}
	fprintf(stderr, "\n%s for ", title);
	print_whom();
	fprintf(stderr, ",\n\n%16s %18s\n", "SYSCALL", column);
	for (size_t i = 0; i < rs.n; i++)
		fprintf(stderr, "%16s %18lld\n", rs.r[i].name, (long long)rs.r[i].value);
	if (opt.total)
		fprintf(stderr, "%16s %18lld\n", "TOTAL:", (long long)rs.total);
	free(rs.r);
	return 0;
}

/* --- tracing ------------------------------------------------------------- */

static int set_constants(struct dtk *d)
{
	pid_t pid = opt.command ? dtk_target(d) : opt.pid;

	return dtk_setopt(d, "quiet", NULL) ||
	       dtk_set_int(d, "OPT_pid", pid) ||
	       dtk_set_int(d, "OPT_byname", opt.name != NULL) ||
	       dtk_set_str(d, "OPT_name", opt.name ? opt.name : "") ||
	       dtk_set_int(d, "OPT_elapsed", opt.elapsed) ||
	       dtk_set_int(d, "OPT_cpu", opt.cpu) ||
	       dtk_set_int(d, "OPT_counts", opt.counts) ? -1 : 0;
}

static void started(void)
{
	if (!opt.command)
		fprintf(stderr, "Tracing... Hit Ctrl-C to end...\n");
}

/* The reports, once the probes have stopped, so that they agree with each
 * other. */
static int reports(struct dtk *d)
{
	int rc = 0;

	if (opt.json)
		g_json = dtk_json_new();
	if (opt.elapsed)
		rc |= report(d, "elapsed", "Elapsed Times", "TIME (ns)");
	if (opt.cpu)
		rc |= report(d, "cpu", "CPU Times", "TIME (ns)");
	if (opt.counts)
		rc |= report(d, "counts", "Syscall Counts", "COUNT");
	if (g_json && dtk_json_emit(stdout, g_json) < 0)
		rc = -1;
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const char *const own[] = { "elapsed", "cpu", "counts", NULL };

	if (dtk_tool_parse(&argp, argc, argv, ARGP_IN_ORDER))
		return 2;
	return dtk_tool_run(&(const struct dtk_tool){
		.name = "procsystime",
		.script = "procsystime.d", .source = procsystime_d_source,
		.command = opt.command, .pid = opt.pid,
		.set_constants = set_constants,
		.started = started,
		.own_aggs = own, .ended = reports,
	});
}
