/* proc.c - create a held target (-c) or grab a running one (-p). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
 * path or found in PATH, else the errno execvp would give. */
static int command_find(const char *cmd, char *found, size_t foundlen);

int command_path(const char *cmd, char *out, size_t len)
{
	char buf[PATH_MAX];
	int err = command_find(cmd, buf, sizeof(buf));
	if (err)
		return -err;
	if (!realpath(buf, out) || strlen(out) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* found (if not NULL) gets the file execvp would run. */
static int command_find(const char *cmd, char *found, size_t foundlen)
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
		if (access(cmd, X_OK) < 0)
			return errno;
		if (found && strlen(cmd) >= foundlen)
			return ENAMETOOLONG;
		if (found)
			strcpy(found, cmd);
		return 0;
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
				if (access(buf, X_OK) == 0) {
					if (found && strlen(buf) >= foundlen)
						return ENAMETOOLONG;
					if (found)
						strcpy(found, buf);
					return 0;
				}
				err = EACCES;	/* execvp too goes on looking */
			}
		}
		if (!*end)
			return err;
	}
}

/* What the held child tells us: 0 (the command was found), or the errno
 * of the check or of execvp, with the command for the message. */
struct report {
	int err;
	char cmd[200];
};

static void send_report(int fd, int e, const char *cmd)
{
	struct report r = { .err = e };

	strncpy(r.cmd, cmd, sizeof(r.cmd) - 1);
	while (write(fd, &r, sizeof(r)) < 0 && errno == EINTR)
		;
}

/* 1 with a report, 0 at EOF (the exec happened), -EIO on a short read. */
static int recv_report(int fd, struct report *r)
{
	ssize_t n;

	do
		n = recv(fd, r, sizeof(*r), MSG_WAITALL);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	return n == sizeof(*r) ? 1 : -EIO;
}

/* The held child: tied to the tracer's life (PR_SET_PDEATHSIG: if the
 * tracer dies, even of SIGKILL, so does the child), its signal state
 * made the command's, then parked in a read until proc_release.  All of
 * this happens before tracing starts, so that once released the child's
 * only system calls before the command's own execve are the read's
 * return.  path was found by the tracer: no PATH search here, whose
 * failed execve calls would be charged to the command. */
static sigset_t ignored_at_start;

void proc_keep_ignored(int sig)
{
	sigaddset(&ignored_at_start, sig);
}

static __attribute__((noreturn)) void held_child(const char *path,
						 char *const argv[], int fd,
						 pid_t tracer)
{
	sigset_t none;
	char go;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != tracer)
		_exit(127);	/* the tracer is already gone */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&ignored_at_start, sig) == 1)
			signal(sig, SIG_IGN);
	/* ready: the tracer waits for this before it enables any probe */
	send_report(fd, 0, argv[0]);
	/* wait for proc_release; EOF means the tracer gave up */
	if (read(fd, &go, 1) != 1)
		_exit(127);
	execv(path, argv);
	send_report(fd, errno, argv[0]);
	_exit(127);
}

static void exec_error(char *err, size_t errlen, const char *cmd, int e)
{
	snprintf(err, errlen, "failed to execute %s: %s", cmd, strerror(e));
}

/* Wait (a second at most) until the held child sleeps in its read: it
 * says it is ready just before calling read(), and the read's entry must
 * not come after the probes are enabled either.  /proc/PID/syscall names
 * the call a task is blocked in ("0 0x5 ..." for read on x86-64). */
static void wait_parked(pid_t pid)
{
	char path[64], buf[64];
	int fd, n;

	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	for (int i = 0; i < 5000; i++) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return;		/* no such file here: best effort */
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		/* "running", or "-1 ..." outside a system call */
		if (buf[0] >= '0' && buf[0] <= '9' && atoi(buf) == SYS_read)
			return;
		usleep(200);
	}
}

pid_t proc_create(char *const argv[], int *release_fd, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct report rep;
	pid_t pid, tracer = getpid();
	int sv[2], e;

	*release_fd = -1;
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "no command to execute");
		return -1;
	}
	if ((e = command_find(argv[0], path, sizeof path))) {
		exec_error(err, errlen, argv[0], e);
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
		held_child(path, argv, sv[1], tracer);
	}
	close(sv[1]);
	/* Once it is parked in its read, the child's next system calls are
	 * that read's return and the command's execve: none of its set-up
	 * may come after the probes are enabled. */
	if (recv_report(sv[0], &rep) != 1 || rep.err) {
		exec_error(err, errlen, argv[0], ECHILD);
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	wait_parked(pid);
	*release_fd = sv[0];
	return pid;
}

int proc_release(pid_t pid, int release_fd, char *err, size_t errlen)
{
	struct report rep;
	char go = 1;
	int r;

	if (write(release_fd, &go, 1) != 1) {
		snprintf(err, errlen, "failed to release pid %d: %s", (int)pid,
			 strerror(errno));
		close(release_fd);
		return -ECHILD;
	}
	r = recv_report(release_fd, &rep);
	close(release_fd);
	if (r == 0)
		return 0;		/* close-on-exec: it runs */
	waitpid(pid, NULL, 0);
	if (r < 0) {
		snprintf(err, errlen, "failed to execute pid %d: %s", (int)pid,
			 strerror(EIO));
		return -EIO;
	}
	exec_error(err, errlen, rep.cmd, rep.err);
	return -rep.err;
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

int proc_kill(pid_t pid)
{
	int st;

	/* our unreaped child: its pid cannot have been reused */
	if (kill(pid, SIGKILL) < 0 && errno != ESRCH)
		return -1;
	return proc_wait_exit(pid, -1, true, &st) == 1 ? st : -1;
}
