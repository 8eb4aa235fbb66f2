/* dtrace - the D front end of dtk: compile D programs to eBPF and trace.
 *
 * The options are DTrace's (-n -s -P -m -f -i -l -e -q -x -Z -w -o -c -p
 * -v -S -V); the messages and exit statuses follow dtrace(1M) where a user
 * or a script could tell the difference:
 *	0  success (or the status given to exit() in D)
 *	1  a D program that does not compile, or a run-time failure: no
 *	   BPF, attach failed, bad pid, ...
 *	2  a usage error: a bad command line
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>

#include "dtk.h"

#define E_SUCCESS 0
#define E_ERROR 1
#define E_USAGE 2

enum { OPT_LIBXO = 0x100 };	/* --libxo: a long option only */

/* What a -n/-P/-m/-f/-i/-s argument is; the order is the order of fields
 * in provider:module:function:name, so a description's last field is its
 * kind. */
enum source_kind { SRC_PROVIDER, SRC_MODULE, SRC_FUNCTION, SRC_NAME,
		   SRC_ID, SRC_FILE };

struct source {
	enum source_kind kind;
	const char *arg;		/* as given on the command line */
};

struct setting {			/* -x name=value, -q, -w in order */
	const char *name;
	const char *value;
};

static struct {
	struct source *src;
	int nsrc;
	struct setting *set;
	int nset;
	char **args;			/* macro arguments $1.. */
	int nargs;
	bool compile_only, list, verbose, zdefs, dump;
	const char *outfile, *command, *pid;
	bool cpp;			/* -C: scripts go through cpp */
	char **cppargs;			/* -D, -U, -I for it, in order */
	int ncppargs;
	const char *cpppath;
} opt;

static const char *progname = "dtrace";

/* --- command line ------------------------------------------------------ */

static const char doc[] =
	"dtrace -- trace the system with D programs compiled to eBPF.\v"
	"Examples:\n"
	"  dtrace -l -n 'syscall::open*:entry'\n"
	"  dtrace -n 'syscall:::entry { @[execname] = count(); }'\n"
	"  dtrace -n 'proc:::exec-success { trace(execname); }'\n"
	"  dtrace -q -s script.d -c 'ls -l /tmp'\n"
	"  dtrace -s script.d 42 foo        ($1 is 42, $2 is foo)";

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Programs:", 1 },
	{ NULL, 'n', "PROBESPEC", 0,
	  "Enable probes matching a description [[[prov:]mod:]func:]name, "
	  "optionally with a predicate and actions", 1 },
	{ NULL, 's', "FILE", 0, "Compile the D script FILE", 1 },
	{ NULL, 'P', "PROVIDER", 0, "Enable or list probes of PROVIDER", 1 },
	{ NULL, 'm', "MODULE", 0, "Enable or list probes in [prov:]MODULE", 1 },
	{ NULL, 'f', "FUNCTION", 0,
	  "Enable or list probes in [[prov:]mod:]FUNCTION", 1 },
	{ NULL, 'i', "ID", 0, "Enable or list the probe numbered ID", 1 },
	{ NULL, 0, NULL, 0, "Modes:", 2 },
	{ NULL, 'l', NULL, 0, "List probes (those matching -n/-P/-m/-f/-i/-s)", 2 },
	{ NULL, 'e', NULL, 0, "Exit after compiling, before enabling probes", 2 },
	{ NULL, 'S', NULL, 0, "Print the generated BPF program on stderr", 2 },
	{ NULL, 'v', NULL, 0,
	  "Verbose: argument types with -l, details with errors", 2 },
	{ NULL, 0, NULL, 0, "Tracing:", 3 },
	{ NULL, 'q', NULL, 0, "Quiet: print only what the program prints", 3 },
	{ NULL, 'x', "OPT[=VAL]", 0, "Set an option (bufsize, strsize, ...)", 3 },
	{ "libxo", OPT_LIBXO, "FORMAT", 0,
	  "Structured output, as -x oformat=FORMAT: json or text", 3 },
	{ NULL, 'O', NULL, 0, "Print the aggregations at exit with oformat "
	  "(FreeBSD's flag; dtk always does)", 3 },
	{ NULL, 'Z', NULL, 0, "Allow descriptions that match no probes", 3 },
	{ NULL, 'F', NULL, 0,
	  "Flow indent: -> at entry probes, <- at returns, nested", 3 },
	{ NULL, 'w', NULL, 0, "Allow destructive actions", 3 },
	{ NULL, 'o', "FILE", 0, "Append the output to FILE", 3 },
	{ NULL, 'c', "CMD", 0,
	  "Run CMD, trace it as $target, exit when it exits", 3 },
	{ NULL, 'p', "PID", 0,
	  "Trace process PID as $target, exit when it exits", 3 },
	{ NULL, 0, NULL, 0, "Preprocessor:", 4 },
	{ NULL, 'C', NULL, 0, "Run scripts through the C preprocessor (cpp)",
	  4 },
	{ NULL, 'D', "NAME[=VALUE]", 0, "Define NAME for cpp (with -C)", 4 },
	{ NULL, 'U', "NAME", 0, "Undefine NAME for cpp (with -C)", 4 },
	{ NULL, 'I', "DIR", 0, "Add DIR to cpp's #include path (with -C)", 4 },
	{ 0 }
};

#define PUSH(vec, n, item) do {						\
	(vec) = realloc((vec), ((n) + 1) * sizeof(*(vec)));		\
	if (!(vec)) { perror(progname); exit(E_ERROR); }		\
	(vec)[(n)++] = (item);						\
} while (0)

static void add_source(enum source_kind kind, const char *arg)
{
	PUSH(opt.src, opt.nsrc, ((struct source){ kind, arg }));
}

static void add_cpparg(const char *flag, const char *arg)
{
	char *a;

	if (asprintf(&a, "%s%s", flag, arg) < 0) {
		perror(progname);
		exit(E_ERROR);
	}
	PUSH(opt.cppargs, opt.ncppargs, a);
}

/* -x options of the front end, which DTrace also takes as -x: cpp, and
 * define/undef/incdir as -D/-U/-I.  false: an option of the engine. */
static bool cpp_setting(const char *name, const char *value)
{
	static const struct { const char *name, *flag; } f[] = {
		{ "define", "-D" }, { "undef", "-U" }, { "incdir", "-I" },
	};

	if (strcmp(name, "cpp") == 0 && !value) {
		opt.cpp = true;
		return true;
	}
	if (strcmp(name, "cpppath") == 0 && value) {
		opt.cpppath = value;
		return true;
	}
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (strcmp(name, f[i].name) == 0 && value) {
			add_cpparg(f[i].flag, value);
			return true;
		}
	return false;
}

static void add_setting(const char *name, const char *value)
{
	if (cpp_setting(name, value))
		return;
	PUSH(opt.set, opt.nset, ((struct setting){ name, value }));
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	char *eq;

	switch (key) {
	case 'n': add_source(SRC_NAME, arg); break;
	case 'P': add_source(SRC_PROVIDER, arg); break;
	case 'm': add_source(SRC_MODULE, arg); break;
	case 'f': add_source(SRC_FUNCTION, arg); break;
	case 'i':
		/* DTrace takes an -i argument that is not a number as a
		 * probe name (-i foo is -n :::foo) */
		add_source(arg[0] && strspn(arg, "0123456789") == strlen(arg)
			   ? SRC_ID : SRC_NAME, arg);
		break;
	case 's': add_source(SRC_FILE, arg); break;
	case 'l': opt.list = true; break;
	case 'e': opt.compile_only = true; break;
	case 'S': opt.dump = true; break;
	case 'v': opt.verbose = true; break;
	case 'q': add_setting("quiet", NULL); break;
	case 'w': add_setting("destructive", NULL); break;
	case 'F': add_setting("flowindent", NULL); break;
	case 'Z': opt.zdefs = true; break;
	case OPT_LIBXO: add_setting("oformat", arg); break;
	case 'O': break;	/* aggregations print at exit in any oformat */
	case 'C': opt.cpp = true; break;
	case 'D': add_cpparg("-D", arg); break;
	case 'U': add_cpparg("-U", arg); break;
	case 'I': add_cpparg("-I", arg); break;
	case 'o': opt.outfile = arg; break;
	case 'x':
		if ((eq = strchr(arg, '=')))
			*eq++ = '\0';
		if (!*arg)
			argp_error(state, "-x needs an option name");
		add_setting(arg, eq);
		break;
	case 'c':
	case 'p':
		if (opt.command || opt.pid)
			argp_error(state, "only one -c or -p may be given");
		if (key == 'c')
			opt.command = arg;
		else
			opt.pid = arg;
		break;
	case ARGP_KEY_ARG:
		PUSH(opt.args, opt.nargs, arg);
		break;
	case ARGP_KEY_NO_ARGS:
		if (state->argc <= 1)
			argp_usage(state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = { options, parse_opt, "[ARG...]", doc,
				  NULL, NULL, NULL };

/* --- messages ---------------------------------------------------------- */

static void print_detail(struct dtk *d)
{
	const char *detail = dtk_errdetail(d);

	if (opt.verbose && detail && *detail)
		fprintf(stderr, "%s%s", detail,
			detail[strlen(detail) - 1] == '\n' ? "" : "\n");
}

/* "dtrace: <what>: <engine message>"; returns the exit status to use. */
static int fail(struct dtk *d, const char *what)
{
	if (what)
		fprintf(stderr, "%s: %s: %s\n", progname, what, dtk_errmsg(d));
	else
		fprintf(stderr, "%s: %s\n", progname, dtk_errmsg(d));
	print_detail(d);
	return E_ERROR;
}

static bool is_compile_error(struct dtk *d)
{
	enum dtk_errkind k = dtk_errkind(d);

	return k == DTK_ERR_COMPILE || k == DTK_ERR_PROBE;
}

static int fail_source(struct dtk *d, const struct source *s)
{
	if (!is_compile_error(d))
		return fail(d, NULL);
	if (s->kind == SRC_FILE)
		fprintf(stderr, "%s: failed to compile script %s: %s\n",
			progname, s->arg, dtk_errmsg(d));
	else
		fprintf(stderr, "%s: invalid probe specifier %s: %s\n",
			progname, s->arg, dtk_errmsg(d));
	print_detail(d);
	return E_ERROR;
}

/* A compile error found while generating code: in whichever source holds
 * the clause. */
static int fail_codegen(struct dtk *d)
{
	const char *file = dtk_errsource(d);

	for (int i = 0; file && i < opt.nsrc; i++)
		if (strcmp(opt.src[i].arg, file) == 0)
			return fail_source(d, &opt.src[i]);
	for (int i = 0; i < opt.nsrc; i++)
		if (opt.src[i].kind != SRC_FILE)
			return fail_source(d, &opt.src[i]);
	return fail(d, NULL);
}

/* --- probe descriptions ------------------------------------------------ */

/* Where a description ends and a predicate or action list begins. */
static size_t desc_length(const char *s)
{
	return strcspn(s, " \t\n{/;");
}

/* A -n argument with no predicate or actions: only descriptions, which -l
 * can match without compiling anything. */
static bool is_bare(const char *s)
{
	/* $target and $1 need the compiler's macro expansion */
	return !strpbrk(s, "{/;$");
}

/* Split a description into provider, module, function and name as DTrace
 * does: fields are taken from the right, and the last one given is the
 * kind's own field ("a:b" for -n is function a, name b; for -f it is
 * module a, function b).  Missing fields are NULL (match all).  buf holds
 * the text; returns -1 if there are more fields than the kind allows. */
static int split_desc(enum source_kind kind, char *buf, char *field[4])
{
	char *part[4];
	int n = 0, last = (int)kind;

	for (char *p = buf;; ) {
		if (n > last)
			return -1;
		part[n++] = p;
		if (!(p = strchr(p, ':')))
			break;
		*p++ = '\0';
	}
	for (int i = 0; i < 4; i++)
		field[i] = NULL;
	for (int i = 0; i < n; i++)
		field[last - n + 1 + i] = *part[i] ? part[i] : NULL;
	return 0;
}

/* Probe ids are those of `dtrace -l`; find the one numbered id. */
struct id_search {
	uint32_t id;
	char *desc;			/* "prov:mod:func:name", malloc'd */
};

static int find_id(const struct dtk_probeinfo *p, void *arg)
{
	struct id_search *s = arg;

	if (p->id == s->id && !s->desc &&
	    asprintf(&s->desc, "%s:%s:%s:%s", p->prov, p->mod, p->func,
		     p->name) < 0)
		s->desc = NULL;
	return 0;
}

static bool parse_id(const char *arg, uint32_t *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || v > UINT32_MAX)
		return false;
	*id = (uint32_t)v;
	return true;
}

static void bad_id(const char *arg)
{
	fprintf(stderr, "%s: invalid probe specifier %s: invalid probe "
		"identifier %s: Unknown probe identifier\n", progname, arg, arg);
}

static void overspecified(const char *arg)
{
	fprintf(stderr, "%s: invalid probe specifier %s: invalid probe "
		"description \"%.*s\": Overspecified probe description\n",
		progname, arg, (int)desc_length(arg), arg);
}

/* The text to compile for a -n/-P/-m/-f/-i argument: a probe specifier
 * with all four fields spelled out, then whatever followed the description
 * (predicate, actions).  NULL with a message on stderr if malformed. */
static char *spec_text(struct dtk *d, const struct source *s)
{
	char *text = NULL, *buf, *f[4];
	size_t len;

	if (s->kind == SRC_NAME)
		return strdup(s->arg);
	if (s->kind == SRC_ID) {
		struct id_search search = { 0, NULL };

		if (parse_id(s->arg, &search.id))
			dtk_list(d, NULL, NULL, NULL, NULL, find_id, &search);
		if (!search.desc)
			bad_id(s->arg);
		return search.desc;
	}
	len = desc_length(s->arg);
	if (!(buf = strndup(s->arg, len)))
		return NULL;
	if (split_desc(s->kind, buf, f) < 0)
		overspecified(s->arg);
	else if (asprintf(&text, "%s:%s:%s:%s%s", f[0] ? f[0] : "",
			  f[1] ? f[1] : "", f[2] ? f[2] : "", f[3] ? f[3] : "",
			  s->arg + len) < 0)
		text = NULL;
	free(buf);
	return text;
}

/* --- sources ----------------------------------------------------------- */

/* A script's text, with a "#!" interpreter line blanked (not removed, so
 * that error line numbers stay those of the file). */
/* Scripts larger than this are refused rather than read without end
 * (dtrace -s /dev/zero, a FIFO that never closes). */
#define SCRIPT_MAX (16 << 20)

/* The line of byte `at` of text, for a message. */
static int line_of(const char *text, size_t at)
{
	int line = 1;

	for (size_t i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

/* The script's text, or NULL after a one-line message (*rc its status):
 * a NUL byte would end the C string the compiler reads, silently dropping
 * the rest, so it is refused where it is, as DTrace's lexer does. */
static char *read_script(const char *path, int *rc)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *text = NULL, *nul = NULL;
	size_t cap = 0, len = 0, n;

	*rc = E_ERROR;
	if (!f) {
		fprintf(stderr, "%s: failed to open %s: %s\n", progname, path,
			strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096 &&
		    !(text = realloc(text, cap = cap ? cap * 2 : 8192))) {
			perror(progname);
			exit(E_ERROR);
		}
		n = fread(text + len, 1, cap - len - 1, f);
		nul = memchr(text + len, '\0', n);
		len += n;
	} while (n > 0 && !nul && len <= SCRIPT_MAX);
	if (ferror(f)) {
		fprintf(stderr, "%s: failed to read %s: %s\n", progname, path,
			strerror(errno));
		free(text);
		text = NULL;
	} else if (nul) {
		fprintf(stderr, "%s: failed to compile script %s: line %d: "
			"invalid character: a NUL byte (\\0) in the program text\n",
			progname, path, line_of(text, (size_t)(nul - text)));
		free(text);
		text = NULL;
	} else if (len > SCRIPT_MAX) {
		fprintf(stderr, "%s: failed to read %s: script larger than %d MiB\n",
			progname, path, SCRIPT_MAX >> 20);
		free(text);
		text = NULL;
	} else {
		text[len] = '\0';
		if (len >= 2 && text[0] == '#' && text[1] == '!')
			for (char *p = text; *p && *p != '\n'; p++)
				*p = ' ';
	}
	if (f != stdin)
		fclose(f);
	return text;
}

/* Compile one source; returns 0 or the exit status for the failure. */
static int compile_source(struct dtk *d, const struct source *s, int flags)
{
	char *text, *argv0 = (char *)(s->kind == SRC_FILE ? s->arg : progname);
	char **argv = calloc(opt.nargs + 2, sizeof(*argv));
	int rc = 0;

	if (!argv) {
		perror(progname);
		return E_ERROR;
	}
	/* $0 is the script's name, as in DTrace. */
	argv[0] = argv0;
	if (opt.nargs)		/* memcpy from NULL is undefined, even of 0 */
		memcpy(argv + 1, opt.args, opt.nargs * sizeof(*argv));
	if (dtk_set_args(d, opt.nargs + 1, argv) < 0) {
		free(argv);
		return fail(d, "bad macro arguments");
	}
	free(argv);

	rc = E_ERROR;
	if (s->kind == SRC_FILE)
		text = read_script(s->arg, &rc);
	else
		text = spec_text(d, s);
	if (text && s->kind == SRC_FILE && opt.cpp) {
		char err[256], *out = dtk_preprocess(opt.cpppath, opt.cppargs,
						     opt.ncppargs, text, err,
						     sizeof err);
		free(text);
		if (!out) {
			fprintf(stderr, "%s: failed to compile script %s: %s\n",
				progname, s->arg, err);
			return E_ERROR;
		}
		text = out;
	}
	if (!text)
		return rc;
	rc = 0;
	if (s->kind != SRC_FILE)
		flags |= DTK_C_PROBESPEC;
	if (dtk_compile(d, s->arg, text, flags) < 0)
		rc = fail_source(d, s);
	free(text);
	return rc;
}

/* --- listing (-l) ------------------------------------------------------ */

struct lister {
	FILE *out;
	bool verbose;
	bool by_id;
	uint32_t id;
	int shown;
};

static int print_probe(const struct dtk_probeinfo *p, void *arg)
{
	struct lister *l = arg;

	if (l->by_id && p->id != l->id)
		return 0;
	l->shown++;
	/* dtrace(1M)'s own layout, from its list_probe().  Modules and
	 * functions of the pid provider are a binary's file and symbol names:
	 * escaped like everything else that comes from a traced program. */
	char prov[64], mod[256], func[512], name[256];
	fprintf(l->out, "%5u %10s %17s %33s %s\n", p->id,
		escape_text(prov, sizeof(prov), p->prov), escape_text(mod, sizeof(mod), p->mod),
		escape_text(func, sizeof(func), p->func), escape_text(name, sizeof(name), p->name));
	if (!l->verbose)
		return 0;
	fprintf(l->out, "\n\tArgument Types\n");
	for (int i = 0; i < p->nargs; i++)
		fprintf(l->out, "\t\targs[%d]: %s\n", i,
			p->argtype[i] ? p->argtype[i] : "(unknown)");
	if (p->nargs == 0)
		fprintf(l->out, "\t\tNone\n");
	fprintf(l->out, "\n");
	return 0;
}

/* List the probes matching a bare description list "d1,d2 ...". */
static int list_descriptions(struct dtk *d, const struct source *s,
			     struct lister *l)
{
	char *buf = strdup(s->arg), *save = NULL, *one, *f[4];
	int rc = 0;

	if (!buf)
		return E_ERROR;
	for (one = strtok_r(buf, ", \t\n", &save); one;
	     one = strtok_r(NULL, ", \t\n", &save)) {
		if (split_desc(s->kind, one, f) < 0) {
			overspecified(s->arg);
			rc = E_ERROR;
			break;
		}
		l->shown = 0;
		if (dtk_list(d, f[0], f[1], f[2], f[3], print_probe, l) < 0) {
			rc = fail_source(d, s);
			break;
		}
		if (l->shown == 0)
			fprintf(stderr, "%s: failed to match %s:%s:%s:%s: "
				"No probe matches description\n", progname,
				f[0] ? f[0] : "", f[1] ? f[1] : "",
				f[2] ? f[2] : "", f[3] ? f[3] : "");
	}
	free(buf);
	return rc;
}

static int list_mode(struct dtk *d, FILE *out)
{
	struct lister l = { out, opt.verbose, false, 0, 0 };
	bool compiled = false;
	int rc;

	/* As DTrace, everything is compiled (and checked) before the
	 * heading: a bad specifier prints no listing at all. */
	for (int i = 0; i < opt.nsrc; i++) {
		const struct source *s = &opt.src[i];
		struct id_search search = { 0, NULL };
		char *f[4], *buf;

		if (s->kind == SRC_ID) {
			if (parse_id(s->arg, &search.id))
				dtk_list(d, NULL, NULL, NULL, NULL, find_id, &search);
			if (!search.desc) {
				bad_id(s->arg);
				return E_ERROR;
			}
			free(search.desc);
		} else if (s->kind != SRC_FILE && is_bare(s->arg)) {
			if (!(buf = strdup(s->arg)))
				return E_ERROR;
			for (char *save = NULL, *one = strtok_r(buf, ", \t\n", &save);
			     one; one = strtok_r(NULL, ", \t\n", &save))
				if (split_desc(s->kind, one, f) < 0) {
					overspecified(s->arg);
					free(buf);
					return E_ERROR;
				}
			free(buf);
		} else {
			/* -l implies -Z, as in DTrace. */
			if ((rc = compile_source(d, s, DTK_C_ZDEFS)))
				return rc;
			compiled = true;
		}
	}
	fprintf(out, "%5s %10s %17s %33s %s\n",
		"ID", "PROVIDER", "MODULE", "FUNCTION", "NAME");
	if (opt.nsrc == 0)
		return dtk_list(d, NULL, NULL, NULL, NULL, print_probe, &l) < 0
			? fail(d, "failed to list probes") : E_SUCCESS;

	for (int i = 0; i < opt.nsrc; i++) {
		const struct source *s = &opt.src[i];

		if (s->kind == SRC_ID) {
			l.by_id = true;
			parse_id(s->arg, &l.id);
			dtk_list(d, NULL, NULL, NULL, NULL, print_probe, &l);
			l.by_id = false;
		} else if (s->kind != SRC_FILE && is_bare(s->arg)) {
			if ((rc = list_descriptions(d, s, &l)))
				return rc;
		}
	}
	if (compiled && dtk_list_enabled(d, print_probe, &l) < 0)
		return fail(d, "failed to list probes");
	return E_SUCCESS;
}

/* --- tracing ----------------------------------------------------------- */

/* -c: split the command like a shell (quotes, escapes, $VAR), without
 * running anything. */
static int start_command(struct dtk *d, const char *command)
{
	wordexp_t we;
	int rc = wordexp(command, &we, WRDE_NOCMD);

	if (rc || we.we_wordc == 0) {
		fprintf(stderr, "%s: failed to parse command '%s'%s\n", progname,
			command, rc == WRDE_BADCHAR || rc == WRDE_CMDSUB
			? ": use -c \"sh -c '...'\" for shell syntax" : "");
		if (!rc)
			wordfree(&we);
		return E_ERROR;
	}
	/* the engine's message names the command and the reason */
	rc = dtk_create_target(d, we.we_wordv) < 0 ? fail(d, NULL) : 0;
	wordfree(&we);
	return rc;
}

static int grab_pid(struct dtk *d, const char *arg)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(arg, &end, 10);
	if (errno || end == arg || *end || pid <= 0 || pid != (pid_t)pid) {
		fprintf(stderr, "%s: invalid pid: %s\n", progname, arg);
		return E_ERROR;
	}
	if (dtk_grab_target(d, (pid_t)pid) < 0)
		return fail(d, NULL);	/* "failed to grab pid N: why" */
	return 0;
}

static void report_matches(struct dtk *d)
{
	for (int i = 0; i < opt.nsrc && i < dtk_nsources(d); i++) {
		const struct source *s = &opt.src[i];
		int n = dtk_source_nprobes(d, i);

		/* DTrace crops a specifier at its predicate or actions. */
		if (s->kind == SRC_FILE)
			fprintf(stderr, "%s: script '%s' matched %d probe%s\n",
				progname, s->arg, n, n == 1 ? "" : "s");
		else
			fprintf(stderr, "%s: description '%.*s' matched %d "
				"probe%s\n", progname,
				(int)strcspn(s->arg, "{/;"), s->arg, n,
				n == 1 ? "" : "s");
	}
}

static int trace(struct dtk *d, FILE *out)
{
	int total = 0, rc = E_SUCCESS;
	bool quiet;

	for (int i = 0; i < dtk_nsources(d); i++)
		total += dtk_source_nprobes(d, i);
	if (total == 0 && !opt.zdefs) {
		fprintf(stderr, "%s: no probes matched\n", progname);
		return E_ERROR;
	}
	quiet = dtk_getopt(d, "quiet") != NULL;
	if (!quiet) {
		report_matches(d);
		if (dtk_getopt(d, "destructive"))
			fprintf(stderr, "%s: allowing destructive actions\n",
				progname);
	}

	if (dtk_go(d) < 0) {
		/* Ctrl-C while loading: END still runs if BEGIN did */
		if (dtk_errkind(d) == DTK_ERR_INTR)
			return dtk_finish(d) < 0 ? fail(d, NULL) : E_SUCCESS;
		return fail(d, "could not enable tracing");
	}
	for (;;) {
		enum dtk_work_status w = dtk_work(d, NULL, NULL);

		if (w == DTK_WORK_DONE)
			break;
		if (w == DTK_WORK_ERROR) {
			if (!dtk_output_error(d))	/* told at the end */
				rc = fail(d, "processing aborted");
			break;
		}
	}
	/* As dtrace(1) does, a newline after an interrupt "to make the
	 * output look slightly cleaner" (before END's output), except in
	 * dtrace-utils' testing mode, where it would land at random. */
	if (dtk_tool_signalled() && dtk_tool_signalled() != SIGPIPE &&
	    !getenv("_DTRACE_TESTING") &&
	    strcmp(dtk_getopt(d, "oformat"), "json") != 0)	/* JSON Lines only */
		fputc('\n', out);
	if (dtk_finish(d) < 0 && rc == E_SUCCESS && !dtk_output_error(d))
		rc = fail(d, NULL);
	return rc != E_SUCCESS ? rc : dtk_exit_status(d);
}

/* --- main -------------------------------------------------------------- */

static int run(struct dtk *d)
{
	FILE *out = stdout;
	int rc;

	for (int i = 0; i < opt.nset; i++) {
		const struct setting *s = &opt.set[i];

		if (dtk_setopt(d, s->name, s->value) < 0) {
			fprintf(stderr, "%s: failed to set -x %s: %s\n",
				progname, s->name, dtk_errmsg(d));
			return E_ERROR;
		}
	}
	if (opt.outfile) {
		/* close-on-exec: a -c command must not inherit it */
		if (!(out = fopen(opt.outfile, "ae"))) {
			fprintf(stderr, "%s: failed to open output file '%s': "
				"%s\n", progname, opt.outfile, strerror(errno));
			return E_ERROR;
		}
		dtk_set_output(d, out);
	}
	dtk_set_blank_at_stop(d, true);

	if (opt.list) {
		/* pid$target descriptions list the command's functions; the
		 * command is held and never run */
		if (opt.command && (rc = start_command(d, opt.command)))
			goto done;
		if (opt.pid && (rc = grab_pid(d, opt.pid)))
			goto done;
		rc = list_mode(d, out);
		goto done;
	}
	if (opt.nsrc == 0) {
		fprintf(stderr, "%s: no probes specified\n", progname);
		rc = E_ERROR;
		goto done;
	}

	/* The target comes first: programs may name $target. */
	if (opt.command && (rc = start_command(d, opt.command)))
		goto done;
	if (opt.pid && (rc = grab_pid(d, opt.pid)))
		goto done;

	for (int i = 0; i < opt.nsrc; i++)
		if ((rc = compile_source(d, &opt.src[i],
					 opt.zdefs ? DTK_C_ZDEFS : 0)))
			goto done;
	/* -e too: a program that compiles is one that can be loaded */
	if (dtk_codegen(d) < 0) {
		rc = fail_codegen(d);
		goto done;
	}
	if (opt.dump)
		dtk_dump_program(d, stderr);
	rc = opt.compile_only ? E_SUCCESS : trace(d, out);
done:
	/* a failed write (a full disk) fails the run; a closed pipe does not */
	if (dtk_tool_check_output(d, out, progname, opt.outfile) &&
	    rc == E_SUCCESS)
		rc = E_ERROR;
	if (out != stdout && fclose(out) == EOF && rc == E_SUCCESS) {
		fprintf(stderr, "%s: write error on %s: %s\n", progname,
			opt.outfile, strerror(errno));
		rc = E_ERROR;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct dtk *d;
	int err = 0, rc;

	dtk_tool_parse(&argp, argc, argv, 0);	/* usage errors exit 2 */
	dtk_tool_signals(NULL);	/* a stop while opening counts too */

	if (!(d = dtk_open(&err))) {
		fprintf(stderr, "%s: failed to initialize dtk: %s\n", progname,
			strerror(err > 0 ? err : -err));
		return E_ERROR;
	}
	/* from the start: Ctrl-C while loading stops the load */
	dtk_tool_signals(d);
	rc = run(d);
	dtk_tool_signals(NULL);
	dtk_close(d);		/* kills a -c command that still runs */
	free(opt.src);
	free(opt.set);
	free(opt.args);
	for (int i = 0; i < opt.ncppargs; i++)
		free(opt.cppargs[i]);
	free(opt.cppargs);
	return rc;
}
