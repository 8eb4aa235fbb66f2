/* perf_event.c - BPF programs on perf events: profile-N/tick-N on the CPU
 * clock, trace events (syscalls:sys_enter_NAME), and the glue every
 * perf-event-based probe shares. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attach.h"

int perf_attach_bpf(int perf_fd, int prog_fd)
{
	return perf_attach_bpf_cookie(perf_fd, prog_fd, 0);
}

/* perf_attach_bpf_cookie, but on a link perf_fd stays open, in *kept (-1
 * when perf_fd is itself the fd to keep, or on failure). */
static int attach_keeping(int perf_fd, int prog_fd, uint64_t cookie,
			  int *kept)
{
	int link, err;
	LIBBPF_OPTS(bpf_link_create_opts, o, .perf_event.bpf_cookie = cookie);

	*kept = -1;
	link = bpf_link_create(prog_fd, perf_fd, BPF_PERF_EVENT, &o);
	if (link >= 0) {
		*kept = perf_fd;
		return link;
	}
	if (cookie) {	/* no perf links: no cookies either */
		err = -errno;
		close(perf_fd);
		return err;
	}
	/* kernels before 5.15 have no perf links */
	if (ioctl(perf_fd, PERF_EVENT_IOC_SET_BPF, prog_fd) == 0 &&
	    ioctl(perf_fd, PERF_EVENT_IOC_ENABLE, 0) == 0)
		return perf_fd;
	err = -errno;
	close(perf_fd);
	return err;
}

int perf_attach_bpf_cookie(int perf_fd, int prog_fd, uint64_t cookie)
{
	int kept, fd = attach_keeping(perf_fd, prog_fd, cookie, &kept);

	if (kept >= 0)
		close(kept);
	return fd;
}

/* The online CPUs: "0-3,5,7-8" -> cpus[], count. */
static int online_cpus(int *cpus, int max)
{
	char buf[1024], *p = buf;
	int n = 0, a, b, used;
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	while (sscanf(p, "%d%n", &a, &used) == 1) {
		p += used;
		b = a;
		if (*p == '-' && sscanf(p + 1, "%d%n", &b, &used) == 1)
			p += 1 + used;
		for (; a <= b && n < max; a++)
			cpus[n++] = a;
		if (*p != ',')
			break;
		p++;
	}
	return n;
}

int attach_perf_profile(int prog_fd, uint64_t period_ns, bool one_cpu,
			int *fds, int maxfds)
{
	struct perf_event_attr attr;
	int cpus[1024], ncpu, n = 0, fd, err;

	ncpu = one_cpu ? (cpus[0] = 0, 1) : online_cpus(cpus, 1024);
	if (ncpu < 0)
		return ncpu;
	if (ncpu > maxfds)
		return -ENOSPC;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.sample_period = period_ns;	/* the CPU clock counts nanoseconds */
	attr.freq = 0;
	for (int i = 0; i < ncpu; i++) {
		fd = syscall(SYS_perf_event_open, &attr, -1, cpus[i], -1,
			     PERF_FLAG_FD_CLOEXEC);
		err = fd < 0 ? -errno : 0;
		if (fd >= 0 && (fd = perf_attach_bpf(fd, prog_fd)) < 0)
			err = fd;
		if (err) {
			while (n > 0)
				close(fds[--n]);
			return err;
		}
		fds[n++] = fd;
	}
	return n;
}

int attach_trace_event(int prog_fd, int event_id, int *kept)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = event_id;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* One CPU's event is enough: the kernel keeps a trace event's BPF
	 * programs with the event itself, and runs them wherever it fires,
	 * in any process. */
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		*kept = -1;
		return -errno;
	}
	return attach_keeping(fd, prog_fd, 0, kept);
}
