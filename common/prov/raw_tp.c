/* raw_tp.c - attach a program to a raw tracepoint (syscall, proc). */
#include <errno.h>
#include <bpf/bpf.h>
#include "attach.h"

int attach_raw_tp(int prog_fd, const char *tp_name)
{
	int fd = bpf_raw_tracepoint_open(tp_name, prog_fd);

	/* libbpf returns -errno and also sets errno */
	return fd >= 0 ? fd : (errno ? -errno : fd);
}
