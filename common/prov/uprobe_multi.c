/* uprobe_multi.c - many uprobes of one file on one BPF link
 * (BPF_TRACE_UPROBE_MULTI, Linux 6.6), each with its cookie, which the
 * program reads with bpf_get_attach_cookie().
 *
 * The build's linux/bpf.h (Debian 12's) predates the link type, so the
 * attr of BPF_LINK_CREATE is laid out here as the kernel's uapi has it. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include "attach.h"

#define UPROBE_MULTI_RETURN 1	/* BPF_F_UPROBE_MULTI_RETURN */

struct link_create_uprobe_multi {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t multi_flags;
	uint32_t pid;
	uint32_t pad[9];	/* the rest of union bpf_attr's 120 bytes: 0 */
};

int attach_uprobe_multi(int prog_fd, const char *path, const uint64_t *offs,
			const uint64_t *cookies, int n, bool retprobe, int pid)
{
	struct link_create_uprobe_multi a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_fd = (uint32_t)prog_fd;
	a.attach_type = ATTACH_UPROBE_MULTI;
	a.path = (uint64_t)(uintptr_t)path;
	a.offsets = (uint64_t)(uintptr_t)offs;
	a.cookies = (uint64_t)(uintptr_t)cookies;
	a.cnt = (uint32_t)n;
	a.multi_flags = retprobe ? UPROBE_MULTI_RETURN : 0;
	a.pid = pid > 0 ? (uint32_t)pid : 0;
	fd = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &a, sizeof(a));
	return fd < 0 ? -errno : fd;
}

bool uprobe_multi_works(int prog_fd)
{
	/* as libbpf asks: a kernel that has the link type refuses a
	 * directory with EBADF; one without it refuses the type (EINVAL) */
	uint64_t off = 0;
	int fd = attach_uprobe_multi(prog_fd, "/", &off, NULL, 1, false, 0);
	if (fd >= 0)
		close(fd);
	return fd == -EBADF;
}
