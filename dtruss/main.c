/* dtruss - every system call of a process, with its arguments, return value
 * and errno, as the DTraceToolkit's dtruss prints them.
 *
 *	dtruss [-acdefholLs] [-t syscall] [-b bufsize] [-W name]
 *	       { -p PID | -n name | command [args...] }
 *
 * dtruss.d records each call at its return; this file lays the lines out.
 * Which arguments are strings and which are buffers comes from the
 * kernel's syscall metadata (dtk_list's probe info), handed to the D
 * program as tables indexed by syscall number (dtk_set_table), and used
 * again here to decode the records.
 * Lines go to stderr so that the command's own output stays apart.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/user.h>
#include <time.h>
#include <wordexp.h>

#include "dtk.h"
#include "dtruss_rec.h"

extern const char dtruss_d_source[];

#define NSTRPOS 6		/* argument positions that may be strings */
#define NBUFPOS 4		/* ... and buffers */
#define NLINE 14		/* values of a call's line (LINE in dtruss.d) */

/* The records of dtruss.d that on_record() reads, by their first value
 * (checked against the compiled D when this file is built). */
DTK_RECORD_CHECK(DTRUSS_D_RECORD, 5, DTK_STR(4));	/* 1 tid id pos string */
DTK_RECORD_CHECK(DTRUSS_D_RECORD, 6, DTK_STR(5));	/* 2 tid id pos n bytes */
DTK_RECORD_CHECK(DTRUSS_D_RECORD, 1 + NLINE, 0);	/* 3 LINE */
DTK_RECORD_CHECK(DTRUSS_D_RECORD, 4 + NLINE,		/* 4 LINE pos n bytes */
		 DTK_STR(3 + NLINE));
DTK_RECORD_CHECK(DTRUSS_D_RECORD, 3 + NLINE,		/* 5 LINE pos string */
		 DTK_STR(2 + NLINE));

enum mode { MODE_TARGET = 1, MODE_NAME = 2, MODE_WAIT = 3 };

static struct {
	bool counts, relative, elapsed, follow, cpu, stack, json;
	int printid;		/* -1 unset, 0 -L, 1 -l */
	const char *only;	/* -t */
	const char *bufsize;	/* -b */
	const char *name;	/* -n / -W */
	enum mode mode;
	const char *pid;
	char **cmd;
	int ncmd;
} opt = { .printid = -1, .mode = MODE_TARGET };

static const char *progname = "dtruss";
/* What dtruss needs of a syscall, from the engine's probe table. */
struct sysent {
	const char *func;
	int nargs;
	struct { const char *type, *name; bool is_string; } args[10];
};
static struct sysent *g_entry;	/* syscall number -> its entry probe */
static int g_nsys;
/* What print_line needs of each syscall, worked out once: the metadata's
 * type names would cost a dozen strcmp()s an argument on every line. */
struct sysinfo {
	uint8_t buf;		/* bit i: argument i is a buffer */
	uint8_t is32;		/* bit i: argument i is passed in 32 bits */
	bool retptr;		/* the return value is an address */
};
static struct sysinfo *g_info;
static uint64_t g_t0;			/* CLOCK_MONOTONIC ns at start */

/* --- command line ------------------------------------------------------ */

static const char doc[] =
	"dtruss -- trace the system calls of a process, with their arguments.\v"
	"Examples:\n"
	"  dtruss ls -l /tmp          trace a command\n"
	"  dtruss -f sh -c 'ls; ls'   ... and its children\n"
	"  dtruss -p 1234             trace a running process\n"
	"  dtruss -n sshd             trace every process named sshd\n"
	"  dtruss -t openat cat f     only openat\n"
	"  dtruss -c -d -e ls         counts, relative and elapsed times";

static const struct argp_option options[] = {
	{ NULL, 'a', NULL, 0, "Print all details (-c -d -e -f -l -o)", 0 },
	{ NULL, 'c', NULL, 0, "Print system call counts at the end", 0 },
	{ NULL, 'd', NULL, 0, "Print relative times since start (us)", 0 },
	{ NULL, 'e', NULL, 0, "Print elapsed times of each call (us)", 0 },
	{ NULL, 'f', NULL, 0, "Follow children (and their threads)", 0 },
	{ NULL, 'l', NULL, 0, "Force printing PID/LWP", 0 },
	{ NULL, 'L', NULL, 0, "Don't print PID/LWP", 0 },
	{ NULL, 'o', NULL, 0, "Print on-CPU times of each call (us)", 0 },
	{ NULL, 's', NULL, 0, "Print a user stack after each call", 0 },
	{ NULL, 't', "SYSCALL", 0, "Trace only this system call", 0 },
	{ NULL, 'b', "BUFSIZE", 0, "Dynamic variable space (e.g. 4m)", 0 },
	{ NULL, 'p', "PID", 0, "Trace this process", 0 },
	{ NULL, 'n', "NAME", 0, "Trace processes of this name", 0 },
	{ NULL, 'W', "NAME", 0, "Wait for a process of this name, then "
	  "trace it", 0 },
	{ "json", DTK_OPT_JSON, NULL, 0,
	  "One JSON object a call, on stdout (with -c, the counts last)", 0 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'a':
		opt.counts = opt.relative = opt.elapsed = opt.follow = true;
		opt.cpu = true;
		opt.printid = 1;
		break;
	case 'c': opt.counts = true; break;
	case 'd': opt.relative = true; break;
	case 'e': opt.elapsed = true; break;
	case 'f': opt.follow = true; break;
	case 'l': opt.printid = 1; break;
	case 'L': opt.printid = 0; break;
	case 'o': opt.cpu = true; break;
	case 's': opt.stack = true; break;
	case 't': opt.only = arg; break;
	case 'b': opt.bufsize = arg; break;
	case 'p': opt.pid = arg; break;
	case 'n':
	case 'W':
		if (!(opt.name = dtk_comm_arg(progname, (char)key, arg)))
			argp_error(state, "-%c needs a process name", key);
		opt.mode = key == 'n' ? MODE_NAME : MODE_WAIT;
		break;
	case DTK_OPT_JSON: opt.json = true; break;
	case ARGP_KEY_ARG:
		/* The command and all that follows are its own, options
		 * included (dtruss ls -l). */
		opt.cmd = &state->argv[state->next - 1];
		opt.ncmd = state->argc - state->next + 1;
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if ((opt.pid != NULL) + (opt.name != NULL) + (opt.cmd != NULL) != 1)
			argp_error(state, "give one of -p PID, -n NAME, -W NAME "
				   "or a command");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "{ -p PID | -n NAME | -W NAME | COMMAND [ARG...] }",
	doc, NULL, NULL, NULL,
};

/* --- the syscall metadata ---------------------------------------------- */

/* A length argument right after a pointer makes the pointer a buffer (the
 * kernel's formats: read's count, readlink's bufsiz, getxattr's size...). */
static bool is_length_name(const char *n)
{
	size_t l = strlen(n);

	return !strcmp(n, "count") || !strcmp(n, "bufsiz") ||
	       (l >= 3 && !strcmp(n + l - 3, "len")) ||
	       (l >= 4 && !strcmp(n + l - 4, "size"));
}

/* Argument i of p is a byte buffer whose length is argument i + 1. */
static bool is_buffer(const struct sysent *p, int i)
{
	const char *t = p->args[i].type;

	if (p->args[i].is_string || i + 1 >= p->nargs)
		return false;
	if (strcmp(t, "char *") && strcmp(t, "const char *") &&
	    strcmp(t, "void *") && strcmp(t, "const void *"))
		return false;
	return is_length_name(p->args[i + 1].name);
}

/* exec's path is read at entry by dtruss.d, as its return runs in the
 * new image. */
static bool is_exec(const struct sysent *p)
{
	return !strcmp(p->func, "execve") || !strcmp(p->func, "execveat");
}

/* Argument types the kernel passes in 32 bits: shown as such, so that
 * AT_FDCWD reads 0xFFFFFF9C and not a 64-bit sign extension. */
static bool is_32bit(const char *type)
{
	static const char *const t32[] = {
		"int", "unsigned int", "unsigned", "u32", "__u32", "s32",
		"__s32", "pid_t", "uid_t", "gid_t", "key_t", "mqd_t",
		"clockid_t", "qid_t", "rwf_t", "timer_t", "old_uid_t",
		"old_gid_t", "umode_t",
	};
	for (size_t i = 0; type && i < sizeof t32 / sizeof t32[0]; i++)
		if (!strcmp(type, t32[i]))
			return true;
	return false;
}

/* Syscalls that return twice, 0 in the new process: that return is not
 * a call the child made (dtruss.d's INFO bit 20). */
static bool forks(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "clone3") ||
	       !strcmp(name, "fork") || !strcmp(name, "vfork");
}

/* Syscalls whose return value is an address. */
static bool returns_pointer(const char *name)
{
	return !strcmp(name, "mmap") || !strcmp(name, "mmap2") ||
	       !strcmp(name, "mremap") || !strcmp(name, "brk") ||
	       !strcmp(name, "shmat");
}

static int collect_probe(const struct dtk_probeinfo *p, void *arg)
{
	(void)arg;
	if (p->syscall < 0)
		return 0;
	if (p->syscall >= g_nsys) {
		int n = p->syscall + 64;
		struct sysent *e = realloc(g_entry, n * sizeof *e);
		if (!e)
			return 1;
		memset(e + g_nsys, 0, (n - g_nsys) * sizeof *e);
		g_entry = e;
		g_nsys = n;
	}
	struct sysent *e = &g_entry[p->syscall];
	e->func = p->func;
	e->nargs = p->nargs;
	for (int i = 0; i < p->nargs && i < 10; i++) {
		e->args[i].type = p->argtype[i];
		e->args[i].name = p->argname[i];
		e->args[i].is_string = p->strargs >> i & 1;
	}
	return 0;
}

static int load_syscalls(struct dtk *d)
{
	if (dtk_list(d, "syscall", "", "", "entry", collect_probe, NULL) < 0)
		return -1;
	if (!(g_info = calloc(g_nsys > 0 ? g_nsys : 1, sizeof *g_info)))
		return -1;
	for (int nr = 0; nr < g_nsys; nr++) {
		const struct sysent *p = g_entry[nr].func ? &g_entry[nr] : NULL;

		for (int i = 0; p && i < p->nargs && i < 8; i++) {
			if (is_buffer(p, i))
				g_info[nr].buf |= 1u << i;
			if (is_32bit(p->args[i].type))
				g_info[nr].is32 |= 1u << i;
		}
		g_info[nr].retptr = p && returns_pointer(p->func);
	}
	return 0;
}

static int sys_nr(const char *name)
{
	for (int nr = 0; nr < g_nsys; nr++)
		if (g_entry[nr].func && !strcmp(g_entry[nr].func, name))
			return nr;
	return -1;
}

static const struct sysent *entry_probe(int64_t nr)
{
	return nr >= 0 && nr < g_nsys && g_entry[nr].func ? &g_entry[nr] : NULL;
}

/* What the line of syscall p carries besides its values (the pay
 * field of dtruss.d's INFO): 1 + i its first buffer i, else 5 + i its first string i
 * (exec's path is read at its entry, apart), else 0. */
static int payload_of(const struct sysent *p)
{
	for (int i = 0; i < NBUFPOS && i < p->nargs; i++)
		if (is_buffer(p, i))
			return 1 + i;
	for (int i = 0; i < NSTRPOS && i < p->nargs; i++)
		if (p->args[i].is_string && !is_exec(p))
			return 5 + i;
	return 0;
}

/* dtruss.d's INFO table: per syscall, one word the programs read once a
 * firing (see dtruss.d): bits 0-2 nargs, 4-7 pay, 8-11 and 12-15 the
 * first and second string the line does not carry (1 + its position),
 * 16-19 the buffer it does not carry (1 + its position).  No syscall has
 * more of them (mount: 2 strings besides its first; setxattr: a string
 * and a buffer); any more would show as numbers. */
static int set_tables(struct dtk *d)
{
	int n = g_nsys > 0 ? g_nsys : 1;
	int64_t *info = calloc(n, sizeof *info);
	int rc = -1;

	if (info) {
		for (int nr = 0; nr < n; nr++) {
			const struct sysent *p = entry_probe(nr);
			int py = p ? payload_of(p) : 0, nstr = 0, nbuf = 0;
			int64_t w = (p ? (p->nargs < 6 ? p->nargs : 6) : 6) |
				    (int64_t)py << 4;

			for (int i = 0; p && i < p->nargs; i++) {
				if (i < NSTRPOS && p->args[i].is_string &&
				    !is_exec(p) && py != 5 + i && nstr < 2)
					w |= (int64_t)(1 + i) << (8 + 4 * nstr++);
				if (i < NBUFPOS && is_buffer(p, i) && py != 1 + i &&
				    nbuf < 1)
					w |= (int64_t)(1 + i) << (16 + 4 * nbuf++);
			}
			if (p && forks(p->func))
				w |= (int64_t)1 << 20;
			info[nr] = w;
		}
		rc = dtk_set_table(d, "INFO", info, n);
	}
	free(info);
	return rc;
}

/* --- lines ------------------------------------------------------------- */

/* Strings and buffers of a call, kept until its line arrives.  A thread's
 * records reach us in the order it made them, and its line comes last. */
struct pending {
	int tid, nr;
	struct { char *p; size_t len; bool buf; } arg[NSTRPOS];
};

static struct pending *g_pend;
static int g_npend, g_cappend;

static struct pending *pending_of(int tid, bool make)
{
	for (int i = 0; i < g_npend; i++)
		if (g_pend[i].tid == tid)
			return &g_pend[i];
	if (!make)
		return NULL;
	if (g_npend == g_cappend) {
		int cap = g_cappend ? 2 * g_cappend : 16;
		struct pending *p = realloc(g_pend, (size_t)cap * sizeof *p);
		if (!p)
			return NULL;
		g_pend = p;
		g_cappend = cap;
	}
	struct pending *p = &g_pend[g_npend++];
	memset(p, 0, sizeof *p);
	p->tid = tid;
	p->nr = -1;
	return p;
}

static void pending_drop(struct pending *p)
{
	for (int i = 0; i < NSTRPOS; i++)
		free(p->arg[i].p);
	*p = g_pend[--g_npend];
}

static void keep_arg(int tid, int nr, int pos, const char *s, size_t len, bool buf)
{
	struct pending *p = pending_of(tid, true);

	if (!p || pos < 0 || pos >= NSTRPOS)
		return;
	if (p->nr != nr) {		/* leftovers of a call whose line was lost */
		for (int i = 0; i < NSTRPOS; i++) {
			free(p->arg[i].p);
			p->arg[i].p = NULL;
		}
		p->nr = nr;
	}
	free(p->arg[pos].p);
	if ((p->arg[pos].p = malloc(len ? len : 1)))
		memcpy(p->arg[pos].p, s, len);
	p->arg[pos].len = len;
	p->arg[pos].buf = buf;
}

static bool want_printid(void)
{
	if (opt.printid >= 0)
		return opt.printid;
	return opt.follow || opt.mode != MODE_TARGET;
}

static void print_header(FILE *out)
{
	if (want_printid())
		fprintf(out, "%-9s  ", "PID/LWP");
	if (opt.relative)
		fprintf(out, "%8s ", "RELATIVE");
	if (opt.elapsed)
		fprintf(out, "%7s ", "ELAPSD");
	if (opt.cpu)
		fprintf(out, "%6s ", "CPU");
	fprintf(out, "SYSCALL(args) \t\t = return\n");
}

/* A line is built in one buffer and written with one fwrite: the
 * consumer formats ~400,000 of them a second under dd bs=1. */
struct line {
	char b[8192];
	size_t n;
};

static void put(struct line *l, const char *s, size_t len)
{
	if (len > sizeof l->b - l->n)
		len = sizeof l->b - l->n;
	memcpy(l->b + l->n, s, len);
	l->n += len;
}

static void puts_(struct line *l, const char *s) { put(l, s, strlen(s)); }

static void putf(struct line *l, const char *fmt, long long v)
{
	int k = snprintf(l->b + l->n, sizeof l->b - l->n, fmt, v);

	if (k > 0)
		l->n += (size_t)k < sizeof l->b - l->n ? (size_t)k : sizeof l->b - l->n - 1;
}

static void put_hex(struct line *l, uint64_t a)
{
	char t[20], *q = t + sizeof t;

	do
		*--q = "0123456789ABCDEF"[a & 15];
	while (a >>= 4);
	*--q = 'x';
	*--q = '0';
	put(l, q, (size_t)(t + sizeof t - q));
}

static void put_escaped(struct line *l, const char *s, size_t len)
{
	if (!escape_needed(s, len, ESC_C)) {
		put(l, s, len);
		return;
	}
	size_t room = sizeof l->b - l->n;
	size_t k = escape_str(l->b + l->n, room, s, len, ESC_C);
	l->n += k < room ? k : room - 1;
}

/* An argument the line record carries: a string or a buffer's bytes. */
struct payload {
	int pos;		/* -1: none */
	const char *s;
	size_t len;
	bool buf;
};

static void put_quoted(struct line *l, const char *s, size_t len, bool buf)
{
	put(l, "\"", 1);
	put_escaped(l, s, len);
	if (buf)
		put(l, "\"", 1);
	else
		put(l, "\\0\"", 3);
}

/* v: id pid tid a0..a5 ret errno timestamp elapsed oncpu (LINE) */
static void print_line(FILE *out, const struct dtk_value *v,
		       const struct payload *pl)
{
	int nr = (int)v[0].i, pid = (int)v[1].i, tid = (int)v[2].i;
	int64_t ret = v[9].i, err = v[10].i;
	const struct sysent *p = entry_probe(nr);
	const char *name = p ? p->func : NULL;
	const struct sysinfo *si = p ? &g_info[nr] : &(struct sysinfo){ 0 };
	struct pending *pd = g_npend ? pending_of(tid, false) : NULL;
	static struct line l;
	char unknown[32];

	if (pd && pd->nr != nr)
		pd = NULL;
	if (!name) {
		snprintf(unknown, sizeof unknown, "syscall_%d", nr);
		name = unknown;
	}
	l.n = 0;
	if (want_printid()) {
		putf(&l, "%6lld/", pid);
		putf(&l, "%lld:  ", tid);
	}
	if (opt.relative) {
		int64_t rel = v[11].i - (int64_t)g_t0;
		putf(&l, "%8lld ", rel > 0 ? rel / 1000 : 0);
	}
	if (opt.elapsed)
		putf(&l, "%7lld ", v[12].i / 1000);
	if (opt.cpu)
		putf(&l, "%6lld ", v[13].i / 1000);
	puts_(&l, name);
	put(&l, "(", 1);
	int nargs = p ? p->nargs : 6;
	for (int i = 0; i < nargs && i < 6; i++) {
		if (i)
			put(&l, ", ", 2);
		if (i == pl->pos) {
			put_quoted(&l, pl->s, pl->len, pl->buf);
			continue;
		}
		if (pd && i < NSTRPOS && pd->arg[i].p) {
			put_quoted(&l, pd->arg[i].p, pd->arg[i].len, pd->arg[i].buf);
			continue;
		}
		/* a buffer of a call that moved no bytes (a read at EOF, a
		 * failure): nothing was transferred, so nothing to show */
		if ((si->buf >> i & 1) && (err || ret <= 0)) {
			put(&l, "\"\"", 2);
			continue;
		}
		uint64_t a = (uint64_t)v[3 + i].i;
		if (si->is32 >> i & 1)
			a &= 0xffffffffu;
		put_hex(&l, a);
	}
	if (err) {
		puts_(&l, ")\t\t = -1 Err#");
		putf(&l, "%lld\n", err);
	} else if (si->retptr) {
		puts_(&l, ")\t\t = ");
		put_hex(&l, (uint64_t)ret);
		puts_(&l, " 0\n");
	} else {
		puts_(&l, ")\t\t = ");
		putf(&l, "%lld 0\n", ret);
	}
	if (l.n == sizeof l.b)		/* cut: still one line */
		l.b[l.n - 1] = '\n';
	fwrite(l.b, 1, l.n, out);
	if (pd)
		pending_drop(pd);
}

/* --json: a call as {"pid","tid","syscall","args":[...],"return","errno",
 * "errname"} and "relative_ns" (-d), "elapsed_ns" (-e), "oncpu_ns" (-o):
 * the values print_line shows, raw (strings and buffers as strings, the
 * rest as numbers). */
static void print_line_json(FILE *out, const struct dtk_value *v,
			    const struct payload *pl)
{
	int nr = (int)v[0].i, tid = (int)v[2].i;
	int64_t ret = v[9].i, err = v[10].i;
	const struct sysent *p = entry_probe(nr);
	const struct sysinfo *si = p ? &g_info[nr] : &(struct sysinfo){ 0 };
	struct pending *pd = g_npend ? pending_of(tid, false) : NULL;
	char unknown[32];
	struct dtk_json *o = dtk_json_new(), *args;

	if (pd && pd->nr != nr)
		pd = NULL;
	snprintf(unknown, sizeof unknown, "syscall_%d", nr);
	dtk_json_int(o, "pid", v[1].i);
	dtk_json_int(o, "tid", tid);
	dtk_json_cstr(o, "syscall", p ? p->func : unknown);
	args = dtk_json_array(o, "args");
	for (int i = 0; i < (p ? p->nargs : 6) && i < 6; i++) {
		if (i == pl->pos)
			dtk_json_str(args, NULL, pl->s, pl->len);
		else if (pd && i < NSTRPOS && pd->arg[i].p)
			dtk_json_str(args, NULL, pd->arg[i].p, pd->arg[i].len);
		else if ((si->buf >> i & 1) && (err || ret <= 0))
			dtk_json_str(args, NULL, "", 0);
		else
			dtk_json_uint(args, NULL, si->is32 >> i & 1 ?
				      (uint64_t)v[3 + i].i & 0xffffffffu : (uint64_t)v[3 + i].i);
	}
	dtk_json_int(o, "return", err ? -1 : ret);
	dtk_json_errno(o, (int)err);
	if (opt.relative)
		dtk_json_int(o, "relative_ns", v[11].i - (int64_t)g_t0);
	if (opt.elapsed)
		dtk_json_int(o, "elapsed_ns", v[12].i);
	if (opt.cpu)
		dtk_json_int(o, "oncpu_ns", v[13].i);
	dtk_json_emit(out, o);
	if (pd)
		pending_drop(pd);
}

/* --json -c: {"counts":{"read":12,...}}, ascending as printa sorts */
struct count { const char *name; int64_t n; };
struct counts { struct count *c; size_t n, cap; };

static int add_count(const struct dtk_aggrec *a, void *arg)
{
	struct counts *cs = arg;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 64;
		struct count *c = realloc(cs->c, cap * sizeof *c);
		if (!c)
			return -1;
		cs->c = c;
		cs->cap = cap;
	}
	cs->c[cs->n].name = strdup(a->keys[0].s);
	cs->c[cs->n++].n = a->value;
	return 0;
}

static int by_count(const void *x, const void *y)
{
	const struct count *a = x, *b = y;
	return a->n != b->n ? (a->n < b->n ? -1 : 1) : strcmp(a->name, b->name);
}

static void print_counts_json(struct dtk *d, FILE *out)
{
	struct counts cs = { 0 };
	struct dtk_json *o = dtk_json_new(), *t;

	dtk_agg_walk(d, "calls", 0, add_count, &cs);
	qsort(cs.c, cs.n, sizeof *cs.c, by_count);
	t = dtk_json_object(o, "counts");
	for (size_t i = 0; i < cs.n; i++) {
		dtk_json_int(t, cs.c[i].name ? cs.c[i].name : "?", cs.c[i].n);
		free((char *)cs.c[i].name);
	}
	free(cs.c);
	dtk_json_emit(out, o);
}

static void (*g_print_line)(FILE *, const struct dtk_value *,
			    const struct payload *) = print_line;

/* The n bytes of a buffer: v[0] is n, v[1] the bytes, which go on past
 * any NUL (up to the record's end). */
static bool bytes_of(const struct dtk_record *r, const struct dtk_value *v,
		     struct payload *pl)
{
	size_t room = (size_t)((const char *)r->data + r->size - v[1].s);
	size_t len = v[0].i > 0 ? (size_t)v[0].i : 0;

	if (room == 0)
		return false;
	pl->s = v[1].s;
	pl->len = len < room ? len : room - 1;
	pl->buf = true;
	return true;
}

static int on_record(struct dtk *d, const struct dtk_record *r, void *arg)
{
	FILE *out = arg;
	struct dtk_value v[20];
	struct payload pl = { .pos = -1 };
	int n;

	/* A string argument that cannot be read (a NULL path) faults in
	 * copyinstr(): the argument then shows as a number. */
	if (r->kind == DTK_REC_ERROR)
		return DTK_REC_HANDLED;
	if (r->kind == DTK_REC_STACK && opt.json) {
		struct dtk_json *o = dtk_json_new();
		dtk_json_stack(d, o, "ustack", r);
		dtk_json_emit(out, o);
		return DTK_REC_HANDLED;
	}
	if (r->kind == DTK_REC_PRINTA && opt.json) {
		print_counts_json(d, out);
		return DTK_REC_HANDLED;
	}
	if (r->kind == DTK_REC_STACK) {
		/* -s: the stack of the call just printed, to the same stream */
		dtk_record_ustack(d, r, out);
		return DTK_REC_HANDLED;
	}
	if (r->kind != DTK_REC_PRINTF)
		return DTK_REC_DEFAULT;
	n = dtk_record_values(d, r, v, 20);
	if (opt.json) {
		g_print_line = print_line_json;
		if (v[0].i < 1 || v[0].i > 5)
			return DTK_REC_HANDLED;	/* -c's heading */
	}
	switch (v[0].i) {
	case 1:		/* tid id pos string */
		if (n >= 5 && v[4].isstr)
			keep_arg((int)v[1].i, (int)v[2].i, (int)v[3].i, v[4].s,
				 v[4].len, false);
		break;
	case 2:		/* tid id pos n bytes */
		if (n >= 6 && v[5].isstr && bytes_of(r, &v[4], &pl))
			keep_arg((int)v[1].i, (int)v[2].i, (int)v[3].i, pl.s,
				 pl.len, true);
		break;
	case 3:		/* LINE */
		if (n >= 1 + NLINE)
			g_print_line(out, v + 1, &pl);
		break;
	case 4:		/* LINE pos n bytes */
		if (n >= 4 + NLINE && v[3 + NLINE].isstr &&
		    bytes_of(r, &v[2 + NLINE], &pl)) {
			pl.pos = (int)v[1 + NLINE].i;
			g_print_line(out, v + 1, &pl);
		}
		break;
	case 5:		/* LINE pos string */
		if (n >= 3 + NLINE && v[2 + NLINE].isstr) {
			pl = (struct payload){ (int)v[1 + NLINE].i,
				v[2 + NLINE].s, v[2 + NLINE].len, false };
			g_print_line(out, v + 1, &pl);
		}
		break;
	default:
		return DTK_REC_DEFAULT;
	}
	return DTK_REC_HANDLED;
}

/* --- running ----------------------------------------------------------- */

static int fail(struct dtk *d, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", progname, what, dtk_errmsg(d));
	if (*dtk_errdetail(d) && getenv("DTRUSS_VERBOSE"))
		fprintf(stderr, "%s\n", dtk_errdetail(d));
	return 1;
}

/* The constants of dtruss.d: 0, or the exit status of a reported failure. */
/*
 * DT_FAST and DT_R0..DT_R5 (dtruss.d): where a syscall's arguments stay in
 * the saved user registers until it returns, a call is read at its return
 * alone, unless its time from the entry is asked for (-d, -e, -o).  On
 * x86_64 the kernel leaves rdi, rsi, rdx, r10, r8 and r9 as the caller set
 * them (only exec, which starts a new image, and sigreturn, which has no
 * arguments, change them); aarch64 returns its value in x0, the first
 * argument, so there every call is kept at its entry.
 */
static int set_regargs(struct dtk *d)
{
	long word[6] = { 0 };
	int fast = 0;
#if defined(__x86_64__)
	static const size_t off[6] = {
		offsetof(struct user_regs_struct, rdi),
		offsetof(struct user_regs_struct, rsi),
		offsetof(struct user_regs_struct, rdx),
		offsetof(struct user_regs_struct, r10),
		offsetof(struct user_regs_struct, r8),
		offsetof(struct user_regs_struct, r9),
	};
	for (int i = 0; i < 6; i++)
		word[i] = (long)(off[i] / 8);
	fast = !opt.cpu && !opt.relative && !opt.elapsed;
#endif
	/* the names literal: scripts/reclayout.c finds them in this text */
	if (dtk_set_int(d, "DT_R0", word[0]) < 0 ||
	    dtk_set_int(d, "DT_R1", word[1]) < 0 ||
	    dtk_set_int(d, "DT_R2", word[2]) < 0 ||
	    dtk_set_int(d, "DT_R3", word[3]) < 0 ||
	    dtk_set_int(d, "DT_R4", word[4]) < 0 ||
	    dtk_set_int(d, "DT_R5", word[5]) < 0)
		return -1;
	return dtk_set_int(d, "DT_FAST", fast);
}

static int configure(struct dtk *d)
{
	int only = -1;

	/* the engine's own probe table, every syscall's arguments from the
	 * built-in table: reading the kernel's 360-odd formats would be a
	 * third of dtruss's start-up */
	dtk_builtin_sysargs(d);
	if (load_syscalls(d) < 0) {
		fprintf(stderr, "%s: cannot read the system call table\n", progname);
		return 1;
	}
	if (opt.only && (only = sys_nr(opt.only)) < 0) {
		fprintf(stderr, "%s: unknown system call: %s\n", progname, opt.only);
		return 2;
	}
	if (opt.bufsize && dtk_setopt(d, "dynvarsize", opt.bufsize) < 0) {
		fprintf(stderr, "%s: bad -b %s: %s\n", progname, opt.bufsize,
			dtk_errmsg(d));
		return 2;
	}
	if (dtk_set_int(d, "DT_MODE", opt.mode) < 0 ||
	    dtk_set_int(d, "DT_FOLLOW", opt.follow) < 0 ||
	    dtk_set_int(d, "DT_ONLY", only) < 0 ||
	    dtk_set_int(d, "DT_CPU", opt.cpu) < 0 ||
	    dtk_set_int(d, "DT_TIME", opt.relative || opt.elapsed) < 0 ||
	    dtk_set_int(d, "DT_COUNTS", opt.counts) < 0 ||
	    dtk_set_int(d, "DT_STACK", opt.stack) < 0 ||
	    dtk_set_int(d, "DT_HELD", opt.cmd != NULL) < 0 ||
	    dtk_set_int(d, "DT_EXECVE", sys_nr("execve")) < 0 ||
	    dtk_set_int(d, "DT_EXECVEAT", sys_nr("execveat")) < 0 ||
	    set_regargs(d) < 0 ||
	    dtk_set_str(d, "DT_NAME", opt.name ? opt.name : "") < 0 ||
	    set_tables(d) < 0)
		return fail(d, "failed to set the program's constants");
	return 0;
}

/* Before tracing starts, so that it comes before the command's output. */
static void header(struct dtk *d)
{
	struct timespec ts;

	if (getenv("DTRUSS_DUMP"))	/* the generated BPF, as dtrace -S */
		dtk_dump_program(d, stderr);
	if (!opt.json)
		print_header(stderr);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	g_t0 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char **cmd = opt.cmd;
	wordexp_t we = { 0 };
	long pid = 0;
	int rc;

	if (dtk_tool_parse(&argp, argc, argv, ARGP_IN_ORDER))
		return 2;
	cmd = opt.cmd;
	if (opt.pid) {
		char *end;

		errno = 0;
		pid = strtol(opt.pid, &end, 10);
		if (errno || end == opt.pid || *end || pid <= 0 ||
		    pid != (pid_t)pid) {
			fprintf(stderr, "%s: invalid pid: %s\n", progname, opt.pid);
			return 2;
		}
	}
	/* One word with blanks is a command line: split it as a shell would
	 * split words (dtruss 'ls -l'); several words are argv as given. */
	if (opt.ncmd == 1 && strpbrk(opt.cmd[0], " \t\n'\"\\")) {
		if (wordexp(opt.cmd[0], &we, WRDE_NOCMD) || we.we_wordc == 0) {
			fprintf(stderr, "%s: failed to parse command '%s'\n",
				progname, opt.cmd[0]);
			return 2;
		}
		cmd = we.we_wordv;
	}
	/* stderr is unbuffered: a line would cost a write per fprintf.  The
	 * engine flushes its output after each batch of records. */
	setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	rc = dtk_tool_run(&(const struct dtk_tool){
		.name = progname,
		.script = "dtruss.d", .source = dtruss_d_source,
		.command = cmd, .pid = (pid_t)pid,
		/* lines go to stderr, apart from the command's own output;
		 * --json's to stdout, for a pipe */
		.out = opt.json ? stdout : stderr,
		.arg = opt.json ? stdout : stderr,
		.set_constants = configure,
		.header = header,
		.on_record = on_record,
		.exit_with_target = true,
	});
	if (cmd != opt.cmd)
		wordfree(&we);
	while (g_npend)
		pending_drop(&g_pend[0]);
	free(g_pend);
	free(g_entry);
	free(g_info);
	return rc;
}
