/* proc.c - create a held target (-c) or grab a running one (-p). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* What execvp would run: 0 if cmd names an executable regular file, as a
 * path or found in PATH, else the errno execvp would give.  Runs in the
 * forked child, so it sticks to async-signal-safe calls. */
static int command_errno(const char *cmd)
{
	const char *path, *p, *end;
	char buf[PATH_MAX];
	struct stat st;
	int err = ENOENT;
	size_t dirlen, cmdlen = strlen(cmd);

	if (!*cmd)
		return ENOENT;
	if (strchr(cmd, '/')) {
		if (stat(cmd, &st) < 0)
			return errno;
		if (!S_ISREG(st.st_mode))
			return EACCES;
		return access(cmd, X_OK) < 0 ? errno : 0;
	}
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";	/* glibc's default */
	for (p = path; ; p = end + 1) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		dirlen = end - p;
		if (dirlen + 1 + cmdlen < sizeof(buf)) {
			/* an empty PATH element means the current directory */
			memcpy(buf, dirlen ? p : ".", dirlen ? dirlen : 1);
			dirlen = dirlen ? dirlen : 1;
			buf[dirlen] = '/';
			memcpy(buf + dirlen + 1, cmd, cmdlen + 1);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(buf, X_OK) == 0)
					return 0;
				err = EACCES;	/* execvp too goes on looking */
			}
		}
		if (!*end)
			return err;
	}
}

static void send_int(int fd, int v)
{
	while (write(fd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
}

/* Read one int; 0 bytes (EOF) gives 0, a short read -EIO. */
static int recv_int(int fd, int *v)
{
	ssize_t n;

	do
		n = read(fd, v, sizeof(*v));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	return n == sizeof(*v) ? 1 : -EIO;
}

static __attribute__((noreturn)) void held_child(char *const argv[], int fd)
{
	sigset_t none;
	int err = command_errno(argv[0]);
	char go;

	send_int(fd, err);
	if (err)
		_exit(127);
	/* wait for proc_release; EOF means the tracer gave up */
	if (read(fd, &go, 1) != 1)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	send_int(fd, errno);
	_exit(127);
}

static void exec_error(char *err, size_t errlen, const char *cmd, int e)
{
	snprintf(err, errlen, "failed to execute %s: %s", cmd, strerror(e));
}

pid_t proc_create(char *const argv[], int *release_fd, char *err, size_t errlen)
{
	int sv[2], e, r;
	pid_t pid;

	*release_fd = -1;
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "no command to execute");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		exec_error(err, errlen, argv[0], errno);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		exec_error(err, errlen, argv[0], errno);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		held_child(argv, sv[1]);
	}
	close(sv[1]);
	r = recv_int(sv[0], &e);
	if (r <= 0 || e) {
		exec_error(err, errlen, argv[0], r < 0 ? EIO : r == 0 ? ECHILD : e);
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	*release_fd = sv[0];
	return pid;
}

int proc_release(pid_t pid, int release_fd, const char *cmd, char *err,
		 size_t errlen)
{
	char go = 1;
	int e = 0, r;

	if (write(release_fd, &go, 1) != 1) {
		e = errno;
		close(release_fd);
		exec_error(err, errlen, cmd, e);
		return -e;
	}
	r = recv_int(release_fd, &e);
	close(release_fd);
	if (r == 0)
		return 0;		/* close-on-exec: it runs */
	if (r < 0)
		e = EIO;
	waitpid(pid, NULL, 0);
	exec_error(err, errlen, cmd, e);
	return -e;
}

int proc_grab(pid_t pid, char *err, size_t errlen)
{
	int fd, e;

	if (pid <= 0) {
		snprintf(err, errlen, "failed to grab pid %d: %s", (int)pid,
			 strerror(ESRCH));
		return -1;
	}
	fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd >= 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		return fd;
	}
	/* pids beyond pid_max give EINVAL: they do not exist either */
	e = errno == EINVAL ? ESRCH : errno;
	snprintf(err, errlen, "failed to grab pid %d: %s", (int)pid, strerror(e));
	return -1;
}

int proc_wait_exit(pid_t pid, int pidfd, bool block, int *status)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int st, r;

	if (pidfd < 0) {
		do
			r = waitpid(pid, &st, block ? 0 : WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		*status = WIFEXITED(st) ? WEXITSTATUS(st) :
			  WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 0;
		return 1;
	}
	do
		r = poll(&pfd, 1, block ? -1 : 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*status = -1;
	return r > 0;
}
