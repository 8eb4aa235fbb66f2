/* pmu_probe.c - uprobes and kprobes through their perf PMUs
 * (/sys/bus/event_source/devices/{uprobe,kprobe}), without tracefs
 * uprobe_events/kprobe_events files to clean up after. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "attach.h"

static int read_sysfs(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* The PMU's type, and the config bit that makes a return probe
 * (format/retprobe reads "config:0"). */
static int pmu_info(const char *pmu, int *type, int *retbit)
{
	char path[128], buf[64];
	int err;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	if ((err = read_sysfs(path, buf, sizeof(buf))) < 0)
		return err;
	*type = atoi(buf);
	snprintf(path, sizeof(path),
		 "/sys/bus/event_source/devices/%s/format/retprobe", pmu);
	if ((err = read_sysfs(path, buf, sizeof(buf))) < 0 ||
	    strncmp(buf, "config:", 7))
		return err < 0 ? err : -EINVAL;
	*retbit = atoi(buf + 7);
	return 0;
}

static int pmu_probe(const char *pmu, int prog_fd, const char *target,
		     uint64_t offset, bool retprobe, int pid, uint64_t cookie)
{
	struct perf_event_attr attr;
	int type, retbit, err, fd;

	if ((err = pmu_info(pmu, &type, &retbit)) < 0)
		return err;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = retprobe ? 1ULL << retbit : 0;
	attr.config1 = (uint64_t)(uintptr_t)target;	/* path or symbol */
	attr.config2 = offset;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	/* a probe for every process is opened on CPU 0, as libbpf does: the
	 * program hangs off the trace event and runs on whatever CPU hits it */
	fd = syscall(SYS_perf_event_open, &attr, pid > 0 ? pid : -1,
		     pid > 0 ? -1 : 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return perf_attach_bpf_cookie(fd, prog_fd, cookie);
}

int attach_uprobe(int prog_fd, const char *path, uint64_t offset,
		  bool retprobe, int pid)
{
	return pmu_probe("uprobe", prog_fd, path, offset, retprobe, pid, 0);
}

int attach_uprobe_cookie(int prog_fd, const char *path, uint64_t offset,
			 bool retprobe, int pid, uint64_t cookie)
{
	return pmu_probe("uprobe", prog_fd, path, offset, retprobe, pid, cookie);
}

int attach_kprobe(int prog_fd, const char *func, uint64_t offset,
		  bool retprobe)
{
	return pmu_probe("kprobe", prog_fd, func, offset, retprobe, -1, 0);
}
