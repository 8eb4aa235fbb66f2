/* dtk_impl.h - the handle (struct dtk): the compile's state (struct
 * compile, lang/compile.h, which the checker and the generator take) and
 * the run's, and the run stage's entry points.  Its parts have headers of
 * their own: options (options.h), the checker's names (symtab.h), the
 * compiled program (prog.h) and the records it sends (record.h).  Only
 * common/run/ includes this; tools use dtk.h.
 */
#ifndef DTK_IMPL_H
#define DTK_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include "ast.h"
#include "compile.h"
#include "dtk.h"
#include "flow.h"
#include "lines.h"
#include "prog.h"
#include "types.h"

struct dtk {
	struct compile comp;		/* the checker's and generator's state */
	bool compiling_spec;		/* diag is about a -n specifier */
	enum dtk_errkind errkind;
	char errmsg[1024];
	char *errdetail;
	/* target process (its pid is comp.target, $target) */
	bool target_created;
	int target_release_fd;
	int target_pidfd;
	int target_status;
	int target_signal;		/* the signal that killed it, or 0 */
	bool target_exited;
	/* run time */
	FILE *out;
	bool loaded, began, finished;
	bool cg_failed;		/* codegen() failed once: dtk_errmsg says why */
	bool blank_at_stop;		/* dtk_set_blank_at_stop */
	volatile sig_atomic_t stopping;
	int out_errno;			/* the first failed write to out */
	struct ring_buffer *rb;
	struct consumer *cons;		/* consume.c's state, while loaded */
	int exit_status;
	bool exit_requested;
	uint64_t *lastdrops;		/* per cpu, as reported */
	uint64_t next_status_ns;	/* drops are next checked then (statusrate) */
	int ncpus;
	dtk_record_cb work_cb;		/* dtk_work's callback, for dtk_finish */
	void *work_arg;
	bool header_printed;		/* the CPU ID FUNCTION:NAME line */
	struct flow_state flow;		/* -F: indentation per CPU */
	struct lines lines;		/* per-CPU output assembly (lines.c) */
	struct ustack_ctx *ustk;
	struct syms *syms;		/* stacks and %A: mappings, ELF and kernel symbols */
	void *upend;			/* @[ustack()] sums not in their map yet (ustack_agg.c) */
	struct json_out *jout;		/* oformat=json: firings being assembled */
	/* dtk_open_shared: tables owned by the caller, left open by dtk_close */
	bool borrowed_probes;
	struct kbtf *borrowed_kbtf;
};

/* A handle that borrows a probe table and the kernel BTF (kb may be NULL:
 * then opened on demand and owned) instead of reading tracefs and BTF
 * again.  For the fuzzer, which compiles thousands of inputs a second; the
 * table still grows with on-demand probes (profile-N, pid) the handles name. */
struct dtk *dtk_open_shared(struct probetab *t, struct kbtf *kb, int *errp);

/* loader (load.c) */
int load_program(struct dtk *d);
void unload_program(struct dtk *d);
int run_test_prog(struct dtk *d, int point);
int run_test_prog_args(struct dtk *d, int which, uint64_t args[8]);
int attach_programs(struct dtk *d);
void detach_programs(struct dtk *d);

/* consumer (consume.c) */
int consume_open(struct dtk *d);
int consume_poll(struct dtk *d, int timeout_ms, dtk_record_cb cb, void *arg);
void consume_close(struct dtk *d);	/* the ring buffer and the state */
int consume_aggs_final(struct dtk *d);
int print_drops(struct dtk *d);

/* errors */
void dtk_seterr(struct dtk *d, enum dtk_errkind k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Has dtk_stop been called (a signal during load)?  Then the error is
 * DTK_ERR_INTR "interrupted": the loader checks between programs and
 * attachments, so that Ctrl-C is honoured at once. */
static inline bool dtk_cancelled(struct dtk *d)
{
	if (!d->stopping)
		return false;
	dtk_seterr(d, DTK_ERR_INTR, "interrupted");
	return true;
}

#endif
