/* codegen.h - what the code generator shares with the loader and consumer:
 * attachment points, the scratch and record layout, the drops counters. */
#ifndef DTK_CODEGEN_H
#define DTK_CODEGEN_H

/* Attachment points.  Each becomes one BPF program holding every clause
 * that has a probe there, in source order. */
enum point {
	PT_BEGIN, PT_END, PT_ERROR, PT_SYS_ENTER, PT_SYS_EXIT,
	PT_PROC_EXEC, PT_PROC_FORK, PT_PROC_EXIT, PT_SIG_GENERATE,
	PT_SIG_DELIVER, PT_PROFILE, PT_PID, PT_FBT,
	PT_VTIME,	/* internal: sched_switch accounting for vtimestamp */
};

/* Counters in the drops map (per-CPU array): what was lost where. */
enum drop_kind {
	DROP_RINGBUF,		/* a record did not fit in the ring buffer */
	DROP_DYNVAR,		/* self-> / associative array space ran out */
	DROP_AGG,		/* an aggregation ran out of keys */
	DROP_NKINDS
};

/* The fixed head of the per-program scratch buffer. */
#define SCRATCH_ZERO	0	/* 8 zero bytes, key of array lookups */
#define SCRATCH_NREC	8	/* records written by this CPU (ring_output) */
#define SCRATCH_PIDTGID	16	/* get_current_pid_tgid once got, or 0 */
#define SCRATCH_SELFST	24	/* 1: the self-> value was looked up (FP_SELF) */
#define SCRATCH_BASE	32

/* Most a scratch buffer may be (per-CPU map values are limited to 32 KiB). */
#define SCRATCH_MAX	32768

#endif
