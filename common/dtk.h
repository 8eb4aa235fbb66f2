/* dtk.h - the one public header of the dtk engine.
 *
 * A tool opens a handle, sets options, typed inline constants and macro
 * arguments, compiles one or more D sources, starts tracing, consumes
 * records until the program or its target ends, and closes the handle (which
 * removes every BPF program, map and link it made).
 *
 *	struct dtk *d = dtk_open(&err);
 *	dtk_set_int(d, "OPT_follow", 1);
 *	if (dtk_compile(d, "opensnoop.d", src, 0)) ... dtk_errmsg(d) ...
 *	dtk_go(d);
 *	while (dtk_work(d, on_record, ctx) == DTK_WORK_OKAY) ;
 *	dtk_close(d);
 */
#ifndef DTK_H
#define DTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define DTK_VERSION "0.1.0"

struct dtk;

/* Error classes, so that callers can choose exit codes and wording. */
enum dtk_errkind {
	DTK_ERR_NONE,
	DTK_ERR_COMPILE,	/* syntax or semantic error in a D program */
	DTK_ERR_PROBE,		/* description matches no probes */
	DTK_ERR_OPTION,		/* bad -x option or value */
	DTK_ERR_PRIV,		/* not privileged enough for BPF */
	DTK_ERR_NOBPF,		/* kernel without the BPF features needed */
	DTK_ERR_VERIFIER,	/* the kernel's verifier rejected a program */
	DTK_ERR_ATTACH,		/* a probe could not be enabled */
	DTK_ERR_PROC,		/* bad pid, missing command, ... */
	DTK_ERR_SYS,		/* anything else from the OS */
	DTK_ERR_INTR,		/* dtk_stop was called while dtk_go ran */
};

struct dtk *dtk_open(int *errp);
void dtk_close(struct dtk *d);

/* The last error: one line without the "dtrace: " prefix.  For compile
 * errors it reads "line N: message" as in DTrace ("[D_TAG] line N: ..."
 * with the errtags option; no line in a -n specifier) and dtk_errloc
 * gives the place. */
const char *dtk_errmsg(struct dtk *d);
enum dtk_errkind dtk_errkind(struct dtk *d);
int dtk_errloc(struct dtk *d, int *line, int *col);
/* Extra detail for -v (the verifier log), or "" */
const char *dtk_errdetail(struct dtk *d);

/* -x name[=value] and #pragma D option.  Returns 0 or -1 (DTK_ERR_OPTION). */
int dtk_setopt(struct dtk *d, const char *name, const char *value);
/* Value of an option as a string, NULL if unset (after compile: pragmas too) */
const char *dtk_getopt(struct dtk *d, const char *name);

/* Typed inline constants, visible to the program as if declared
 * `inline int64_t NAME = v;` / `inline string NAME = "...";`.
 * The value is data: it never passes through the lexer. */
int dtk_set_int(struct dtk *d, const char *name, int64_t v);
int dtk_set_str(struct dtk *d, const char *name, const char *v);
/* A read-only table of integers, visible as NAME[i] (0 for an i outside
 * 0..n-1), looked up in the kernel: per-syscall facts for a tool's D
 * program (which arguments are strings, ...) without a chain of
 * conditionals. */
int dtk_set_table(struct dtk *d, const char *name, const int64_t *v, int n);

/* Macro arguments $1..$N ($0 is the script name). */
int dtk_set_args(struct dtk *d, int argc, char *const argv[]);

/* Process control: the target for $target, -c and -p. */
int dtk_create_target(struct dtk *d, char *const argv[]);	/* held before exec */
int dtk_grab_target(struct dtk *d, pid_t pid);
pid_t dtk_target(struct dtk *d);

/* Compile a source.  name is shown in messages ("foo.d", or the -n text).
 * Several calls add clauses to one program (dtrace -n a -n b -s c.d). */
enum { DTK_C_PROBESPEC = 1,	/* text is a -n probe specifier */
       DTK_C_ZDEFS = 2 };	/* -Z: descriptions matching nothing are fine */
int dtk_compile(struct dtk *d, const char *name, const char *text, int flags);

/* Number of probes matched by each compiled source, in order (for the
 * "description 'X' matched N probes" lines). */
int dtk_nsources(struct dtk *d);
int dtk_source_nprobes(struct dtk *d, int i);
const char *dtk_source_desc(struct dtk *d, int i);

/* Probe listing: every probe matching the pattern (NULL fields = all). */
struct dtk_probeinfo {
	uint32_t id;
	const char *prov, *mod, *func, *name;
	int nargs;
	const char *argtype[10];
	const char *argname[10];
	int syscall;			/* syscall provider: its number, else -1 */
	unsigned strargs;		/* bit i: args[i] is a NUL-terminated
					   user string (a path, a name) */
};
typedef int (*dtk_probe_cb)(const struct dtk_probeinfo *p, void *arg);
int dtk_list(struct dtk *d, const char *prov, const char *mod, const char *func,
	     const char *name, dtk_probe_cb cb, void *arg);
/* From now on, syscall probes' arguments come from the built-in table
 * (scripts/gen-systab.py makes it from the kernel's tracefs formats),
 * not from this kernel's tracefs: for a tool that needs every system
 * call's arguments before it starts (dtruss), where reading the 360-odd
 * formats would be a third of its start-up.  System call arguments are
 * the kernel's ABI: the two agree (tests/unit/test_probes.c checks it
 * against the running kernel). */
void dtk_builtin_sysargs(struct dtk *d);
/* Probes enabled by the compiled program. */
int dtk_list_enabled(struct dtk *d, dtk_probe_cb cb, void *arg);

/* dtrace -C: the text run through the system's C preprocessor (path, or
 * "cpp" on $PATH if NULL) with DTrace's predefined macros (__linux,
 * __unix, __SUNW_D, ...) then args (-D, -U, -I as the user gave them, in
 * order).  cpp's own messages go to our stderr; its line markers keep the
 * program's line numbers.  Returns the output (malloc'd), or NULL with the
 * reason in err. */
char *dtk_preprocess(const char *path, char *const *args, int nargs,
		     const char *text, char *err, size_t errlen);

/* Generate the BPF of every source compiled so far (dtk_go does it if it
 * was not done): 0, or -1 with a compile error (DTK_ERR_COMPILE). */
int dtk_codegen(struct dtk *d);
/* The source (dtk_compile's name) the last compile error is in, or NULL. */
const char *dtk_errsource(struct dtk *d);

/* Print the generated BPF (dtrace -S). */
void dtk_dump_program(struct dtk *d, FILE *out);

/* Load, attach, run BEGIN, release a held target.  A dtk_stop (a signal)
 * before or while it runs makes it fail at the next program or attachment
 * with DTK_ERR_INTR, and a held target is then never released. */
int dtk_go(struct dtk *d);

/* Output of the program goes here (default stdout; dtrace -o). */
void dtk_set_output(struct dtk *d, FILE *out);

/* dtrace(1)'s convention: when tracing stops (after END's output, before
 * the aggregations) a blank line is printed, -q or not, aggregations or
 * not.  Without this, a blank line precedes the aggregations only. */
void dtk_set_blank_at_stop(struct dtk *d, bool on);

/* Consuming.  dtk_work waits up to the switch rate for records, formats
 * those it can (printf, trace, printa...) to the output and hands each to
 * the callback first.  A callback returning DTK_REC_HANDLED suppresses the
 * default formatting. */
struct dtk_record {
	uint32_t probe_id;		/* the probe that fired */
	const char *prov, *mod, *func, *name;
	int cpu;
	int action;			/* index of the action in its clause */
	int kind;			/* enum dtk_rec_kind */
	const void *data;		/* raw record payload */
	size_t size;
};
enum dtk_rec_kind { DTK_REC_PRINTF, DTK_REC_TRACE, DTK_REC_PRINTA,
		    DTK_REC_STACK, DTK_REC_EXIT, DTK_REC_ERROR, DTK_REC_OTHER };
enum { DTK_REC_DEFAULT = 0, DTK_REC_HANDLED = 1 };
typedef int (*dtk_record_cb)(struct dtk *d, const struct dtk_record *r, void *arg);

/* The values a printf/trace record carries, in the order of the D
 * arguments, for a callback that lays out its own line: integers as
 * int64_t, strings (and probefunc & co.) as pointers into the record or the
 * probe table, valid during the callback.  Returns how many were decoded
 * (at most max), or -1 for a record kind that carries no values. */
struct dtk_value {
	bool isstr;
	int64_t i;
	const char *s;
	size_t len;
};
int dtk_record_values(struct dtk *d, const struct dtk_record *r,
		      struct dtk_value *v, int max);
/* The build's check that a tool's D program sends a printf record of n
 * values, strings where strs has a bit (DTK_STR(i) | ...): layouts is the
 * T_D_RECORD of build/gen/T_rec.h, which the Makefile generates from T/T.d
 * (scripts/reclayout.c).  In T/main.c, at file scope:
 *	#include "T_rec.h"
 *	DTK_RECORD_CHECK(T_D_RECORD, V_N, DTK_STR(V_COMM) | DTK_STR(V_ARGS));
 */
#define DTK_STR(i)	(1ULL << (i))
#define DTK_RECORD_CHECK(layouts, n, strs)				\
	_Static_assert(layouts((n), (strs)), #layouts ": the D program "	\
		       "sends no printf record of " #n " values with strings " \
		       "at " #strs)

/* A stack()/ustack() record (kind DTK_REC_STACK) printed as dtrace prints
 * it: a newline, then one frame a line indented stackindent spaces.  User
 * stacks are unwound here, from the registers and stack the record carries.
 * For tools that print a stack under their own line (dtruss -s, opensnoop
 * -t).  0, or -1 for a record that is not a stack. */
int dtk_record_ustack(struct dtk *d, const struct dtk_record *r, FILE *out);

enum dtk_work_status { DTK_WORK_OKAY, DTK_WORK_DONE, DTK_WORK_ERROR };
enum dtk_work_status dtk_work(struct dtk *d, dtk_record_cb cb, void *arg);

/* Ask tracing to end (from a signal handler: async-signal-safe). */
void dtk_stop(struct dtk *d);
/* The errno of the first write to the output (dtk_set_output) that failed
 * (-1 if stdio dropped it unseen), or 0.  Such a failure ends tracing as
 * dtk_stop does. */
int dtk_output_error(struct dtk *d);
/* Run END, print remaining aggregations, report drops.  Idempotent. */
int dtk_finish(struct dtk *d);
/* The exit status requested by exit(N), or the target's status. */
int dtk_exit_status(struct dtk *d);
/* The exit status of a command started by dtk_create_target once it has
 * exited (128 + signal number when killed), else -1.  dtruss exits with it. */
int dtk_target_status(struct dtk *d);

/* Aggregations read by the tool itself, for tools that print them in their
 * own layout (syscount, procsystime).  name is the aggregation's name with
 * or without its "@" ("" or "@" for the anonymous one).  The callback sees
 * every entry once, in no particular order, with the per-CPU values merged;
 * a non-zero return stops the walk.  Keys are integers or strings (probefunc
 * arrives as the syscall's name).  A walked aggregation is the caller's: it
 * is no longer printed at exit by dtk_finish (a walk with a NULL callback
 * claims it so, to read it once after dtk_finish has stopped the probes).
 *
 *	value  count(), sum(), min(), max(): the value; avg(): the mean;
 *	       stddev(): the deviation; quantizations: 0
 *	count  avg(), stddev(): how many values were aggregated; count(): value
 *	sum    avg(), stddev(): their sum; sum(): value
 *
 * With DTK_AGG_TAKE each entry is removed as it is read, atomically, so
 * that nothing counted between two walks is lost or counted twice (the
 * per-interval reports of syscount -i).  Returns the number of entries
 * seen, or -1 (no such aggregation, or the walk failed). */
struct dtk_aggkey {
	bool is_str;
	int64_t i;
	const char *s;
};
struct dtk_aggrec {
	int nkeys;
	const struct dtk_aggkey *keys;
	int64_t value, count, sum;
};
typedef int (*dtk_agg_cb)(const struct dtk_aggrec *r, void *arg);
enum { DTK_AGG_TAKE = 1 };
int dtk_agg_walk(struct dtk *d, const char *name, int flags, dtk_agg_cb cb, void *arg);
/* Remove every entry of an aggregation (trunc(@name)); 0 or -1. */
int dtk_agg_clear(struct dtk *d, const char *name);

/* The run every tool of one embedded D program shares (tool.c): dtruss,
 * execsnoop, opensnoop, procsystime, shellsnoop and syscount are argp
 * flags, a dtk_tool and their own lines.
 *
 * dtk_tool_run opens a handle, makes SIGINT, SIGTERM, SIGHUP and SIGPIPE
 * stop tracing (dtk_tool_signals), starts or grabs the target, sets the
 * constants, compiles the script, calls header, starts tracing, calls
 * started, hands each record to on_record until the program or the target
 * ends, a signal stops it, duration passes or a write fails (calling tick
 * every interval_ms), claims own_aggs, finishes (END, what is left to
 * print), calls ended (the tool's reports), checks every write and closes
 * the handle, which kills a command it started that still runs.  Failures
 * are reported on stderr in one line beginning "<name>: ".
 *
 * The exit status is one convention for every tool (and dtrace):
 *	0  success, and also after Ctrl-C, SIGTERM, SIGHUP or a closed pipe
 *	1  a run-time failure (no such pid or command, BPF refused, a failed
 *	   write to stdout, stderr or the output file...)
 *	2  a usage error (argp, dtk_tool_parse)
 * except that exit_with_target makes a tool end with the status of the
 * command it ran (dtruss), when the command ended tracing by exiting. */
struct dtk_tool {
	const char *name;		/* "opensnoop": begins every message */
	const char *script;		/* "opensnoop.d": the name messages use */
	const char *source;		/* its text */
	int flags;			/* for dtk_compile: DTK_C_* */
	char *const *command;		/* a command to start held and trace */
	pid_t pid;			/* or a process to trace until it exits */
	FILE *out;			/* the records' stream; NULL: stdout */
	/* 0; < 0: dtk_errmsg is reported; > 0: the exit status of a failure
	 * it reported itself */
	int (*set_constants)(struct dtk *d);
	void (*header)(struct dtk *d);	/* compiled, not yet tracing; or NULL */
	void (*started)(void);		/* once the probes are enabled, or NULL */
	dtk_record_cb on_record;	/* or NULL: the default formatting */
	void *arg;			/* on_record's */
	bool flush_each_batch;		/* fflush(out) after each dtk_work:
					   someone watches (shellsnoop) */
	int64_t interval_ms;		/* call tick this often (0: never) */
	int (*tick)(struct dtk *d);	/* 0, or -1 after a reported failure */
	int64_t duration_ms;		/* end tracing after this long (0: no) */
	const char *const *own_aggs;	/* NULL-terminated: aggregations the
					   tool prints itself, not dtk_finish */
	int (*ended)(struct dtk *d);	/* after END: 0, or -1 (reported) */
	bool exit_with_target;		/* exit with the command's status */
};
int dtk_tool_run(const struct dtk_tool *t);

/* The pieces of the run, for dtrace's own front end. */
struct argp;
/* argp_parse with the tools' conventions: -h as well as --help prints the
 * usage on stdout and exits 0; --version and -V print "<name>: dtk
 * <version>"; a usage error exits 2. */
int dtk_tool_parse(const struct argp *a, int argc, char **argv, unsigned flags);
/* SIGINT, SIGTERM, SIGHUP and SIGPIPE call dtk_stop(d) (NULL: nothing, but
 * one caught then stops the next d given); the second SIGINT, SIGTERM or
 * SIGHUP kills the process at once (the kernel then removes its BPF
 * objects, and a started command gets SIGKILL from PR_SET_PDEATHSIG).  No
 * SA_RESTART: the signal wakes dtk_work. */
void dtk_tool_signals(struct dtk *d);
/* The first of those signals received, or 0. */
int dtk_tool_signalled(void);
/* Everything written to out (d's output, or NULL), stdout and stderr must
 * have reached them: 0, or 1 after "<name>: write error on <what>: <why>"
 * on stderr (what names out when it is a file).  A closed pipe (EPIPE) is
 * no error: it ends tracing quietly, as Ctrl-C does. */
int dtk_tool_check_output(struct dtk *d, FILE *out, const char *name,
			  const char *what);

/* The snoopers' time columns, DTraceToolkit's layout: TIME, a timestamp
 * in microseconds ("%-14lld "), and STRTIME, a walltimestamp as DTrace's
 * %Y prints it ("%-20s ": "2024 Nov 23 11:04:05").  cols is a mask;
 * dtk_print_time_heads prints the headings of the same columns. */
enum { DTK_COL_TIME = 1, DTK_COL_STRTIME = 2 };
void dtk_print_time_heads(FILE *out, unsigned cols);
void dtk_print_times(FILE *out, unsigned cols, int64_t ns, int64_t wall_ns);

/* ---- escaping bytes from traced processes ----
 *
 * Strings that come out of a traced process (file names, arguments, what a
 * shell wrote to its terminal) are data, not output for our terminal: an
 * escape sequence in them must never reach the user's tty as one, and a
 * newline in them must never start a line of its own.  Every tool prints
 * such bytes through these functions; raw bytes only where the user asks
 * (printf's %s in a user's D program, shellsnoop -r).  Four modes, one
 * table of rules:
 *
 *   byte / sequence        ESC_C (printf %S)  ESC_TEXT (fields)  ESC_TTY (tty data)  ESC_ARGS (execsnoop -e)
 *   \0 \a \b \f \r \v      \0 \a \b \f \r \v  \0 \a \b \f \r \v   \0 \a \b \f \r \v    \0 \a \b \f \r \v
 *   \n \t                  \n \t              \n \t              kept as they are    \n \t
 *   " (0x22)               \"                 kept               kept                kept
 *   \ (0x5c)               \\                 \\                 \\                  \\
 *   space                  kept               kept               kept                \040
 *   other 0x01-0x1f, 0x7f  \NNN               \NNN (ESC: \033)   \NNN                \NNN
 *   valid UTF-8 (U+00A0+)  \NNN per byte      kept               kept                kept
 *   C1 controls U+0080-9F, \NNN per byte      \NNN per byte      \NNN per byte       \NNN per byte
 *   bidi overrides, invalid
 *   or overlong UTF-8, 0x80-0xff
 *
 * \NNN is always three octal digits, DTrace's own choice for %S (its
 * strchr2esc()), readable back by printf(1) %b and by C.  ESC_C is exactly
 * DTrace's %S: every byte outside '!'..'~' other than space is escaped.
 * ESC_TEXT is for one field of one line (process names, paths, symbols,
 * probe names, execsnoop's arguments): readable UTF-8 stays, nothing can
 * break the line.  ESC_TTY keeps a terminal's text readable (newlines,
 * tabs, UTF-8) while no byte can start a terminal control sequence: ESC,
 * CSI (0x9b, as the UTF-8 of U+009B or alone) and the other C0/C1 controls
 * are all shown escaped.  ESC_ARGS makes one argument one unbroken word: no
 * newline, tab or space survives.  A backslash is doubled in every mode, so
 * that a typed "\033" never reads as an escaped ESC.
 */

enum esc_mode { ESC_C, ESC_TTY, ESC_ARGS, ESC_TEXT };

/* src (to its first NUL) escaped with ESC_TEXT into buf, which it returns:
 * for a name printed inside a line with printf's %s. */
const char *dtk_escape_text(char *buf, size_t len, const char *src);

/* Does any byte of src[0..len) need escaping in this mode?  (Fast path:
 * callers print the string as it is when it does not.) */
bool dtk_escape_needed(const char *src, size_t len, int mode);

/* Escape src[0..srclen) into dst (always NUL-terminated when dstlen > 0).
 * Like snprintf, returns the length the whole result needs (without the
 * NUL); an escape sequence is never cut in half by a short dst.  NUL bytes
 * in src are escaped like any other: pass strnlen() to stop at the first. */
size_t dtk_escape_str(char *dst, size_t dstlen, const char *src, size_t srclen, int mode);

/* The same, written to a stream. */
void dtk_escape_fputs(FILE *out, const char *src, size_t len, int mode);
/* The library exports dtk_* names only (nm -g build/libdtk.a); the tools
 * and the engine call these by their short names. */
#define escape_needed dtk_escape_needed
#define escape_str dtk_escape_str
#define escape_fputs dtk_escape_fputs
#define escape_text dtk_escape_text

/* ---- names ---- */

/* A process name given to a tool's flag (-n NAME, execsnoop -c): NULL if
 * empty; a name longer than the kernel's DTK_COMM_MAX characters comes
 * back cut to them, after a warning on stderr naming prog and -flag. */
#define DTK_COMM_MAX 15
const char *dtk_comm_arg(const char *prog, char flag, const char *name);

/* "ENOENT" -> 2; -1 if the name is not an errno of this system */
int dtk_errno_by_name(const char *name);


/* ---- JSON Lines (json.c) ----
 *
 * The tools' --json: one object a line, built and escaped by json-c.
 * Strings need not be UTF-8 (bytes from a traced process): a byte that
 * starts no valid sequence becomes U+FFFD, so every line parses.  On an
 * array (dtk_json_array) the key is ignored: values are appended. */
struct dtk_json;
struct dtk_json *dtk_json_new(void);		/* an empty object */
void dtk_json_int(struct dtk_json *o, const char *key, int64_t v);
void dtk_json_uint(struct dtk_json *o, const char *key, uint64_t v);
void dtk_json_str(struct dtk_json *o, const char *key, const char *s, size_t len);
void dtk_json_cstr(struct dtk_json *o, const char *key, const char *s);	/* NULL: null */
void dtk_json_bool(struct dtk_json *o, const char *key, bool v);
/* "errno": 2, "errname": "ENOENT" (null for 0) */
void dtk_json_errno(struct dtk_json *o, int err);
/* A member array or object, owned by o. */
struct dtk_json *dtk_json_array(struct dtk_json *o, const char *key);
struct dtk_json *dtk_json_object(struct dtk_json *o, const char *key);
/* A stack record's frames: [{"symbol":"libc.so.6`read+0x12","module",
 * "name","offset"}, ...].  0, or -1 for a record that is not a stack. */
int dtk_json_stack(struct dtk *d, struct dtk_json *o, const char *key,
		   const struct dtk_record *r);
/* Write o as one line and free it: 0, or -1 when the write failed. */
int dtk_json_emit(FILE *out, struct dtk_json *o);
void dtk_json_free(struct dtk_json *o);
/* A snooper's event: a new object with the columns they all have, raw:
 * "time_ns" (the timestamp, CLOCK_MONOTONIC), "walltime_ns" (the
 * walltimestamp, ns since the epoch), "uid", "pid", "ppid". */
struct dtk_json *dtk_json_event(int64_t ns, int64_t wall_ns, int64_t uid,
				int64_t pid, int64_t ppid);
/* The argp key of every tool's --json (a long option only). */
#define DTK_OPT_JSON 0x4a53

#endif
