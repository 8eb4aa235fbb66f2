/* attach.h - enabling probes: connect an already-loaded BPF program to the
 * kernel event behind a probe.
 *
 * Each function returns file descriptors to keep: closing them detaches the
 * program.  Failures return -errno, so that the caller can word the message
 * (EPERM: not privileged; ENOENT: no such event; EOPNOTSUPP/ENOENT from the
 * kprobe PMU: kprobes are not available on this kernel).
 *
 * Program types: BPF_PROG_TYPE_RAW_TRACEPOINT for attach_raw_tp,
 * BPF_PROG_TYPE_PERF_EVENT for attach_perf_profile, BPF_PROG_TYPE_TRACEPOINT
 * for attach_trace_event, BPF_PROG_TYPE_KPROBE for
 * attach_uprobe and attach_kprobe.
 */
#ifndef DTK_ATTACH_H
#define DTK_ATTACH_H

#include <stdbool.h>
#include <stdint.h>

/* A raw tracepoint ("sys_enter", "sys_exit", "sched_process_exec",
 * "sched_process_fork", "sched_process_exit", "signal_generate",
 * "signal_deliver"...).  Returns the link fd. */
int attach_raw_tp(int prog_fd, const char *tp_name);

/* A software CPU clock event firing every period_ns on every online CPU, or
 * on CPU 0 alone when one_cpu (tick-N).  Stores one fd per CPU in fds and
 * returns their count; on failure closes what it made. */
int attach_perf_profile(int prog_fd, uint64_t period_ns, bool one_cpu,
			int *fds, int maxfds);

/* A trace event of tracefs (its events/SUBSYS/EVENT/id), in every process
 * on every CPU.  Returns the fd to keep; closing it detaches the program.
 * *kept is the perf event's own fd (or -1), to close after that: the
 * kernel frees a trace event's last perf event only after RCU grace
 * periods (tens of ms), which the detach itself need not wait for. */
int attach_trace_event(int prog_fd, int event_id, int *kept);

/* A uprobe (or uretprobe) at a file offset of an ELF file, for one process
 * (pid > 0) or every process that maps the file (pid -1). */
int attach_uprobe(int prog_fd, const char *path, uint64_t offset,
		  bool retprobe, int pid);

/* Many uprobes (or uretprobes) at n file offsets of one ELF file, on one
 * link: cookies[i] is what bpf_get_attach_cookie() reads at offs[i].  The
 * program must have been loaded with expected_attach_type
 * ATTACH_UPROBE_MULTI.  Returns the link fd; -errno, and then no probe is
 * left, if any offset cannot be probed. */
#define ATTACH_UPROBE_MULTI 48	/* BPF_TRACE_UPROBE_MULTI (Linux 6.6) */
int attach_uprobe_multi(int prog_fd, const char *path, const uint64_t *offs,
			const uint64_t *cookies, int n, bool retprobe, int pid);
/* Whether the kernel has the multi-uprobe link, asked with a program
 * loaded for it (one that can attach no other way). */
bool uprobe_multi_works(int prog_fd);

/* The same one at a time, through the uprobe PMU, with its cookie: where
 * the kernel has no multi-uprobe link. */
int attach_uprobe_cookie(int prog_fd, const char *path, uint64_t offset,
			 bool retprobe, int pid, uint64_t cookie);

/* A kprobe (or kretprobe) at func+offset in the kernel. */
int attach_kprobe(int prog_fd, const char *func, uint64_t offset,
		  bool retprobe);

/* Connect a BPF program to an open perf event: a bpf_link when the kernel
 * has them (the link keeps the event alive, and perf_fd is closed), else
 * PERF_EVENT_IOC_SET_BPF (and perf_fd is the fd to keep).  Returns the fd
 * to keep, or -errno with perf_fd closed. */
int perf_attach_bpf(int perf_fd, int prog_fd);
/* The same with a cookie for bpf_get_attach_cookie() (bpf_link only). */
int perf_attach_bpf_cookie(int perf_fd, int prog_fd, uint64_t cookie);

#endif
