/* test_proc.c - held targets (-c) and grabbed ones (-p). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "proc.h"

/* Create, release and wait: the exit status, or -1000 - errno. */
static int run(char *const argv[], char *err, size_t errlen)
{
	int fd, st = -1, r;
	pid_t pid = proc_create(argv, &fd, err, errlen);

	if (pid < 0)
		return -1000;
	r = proc_release(pid, fd, err, errlen);
	if (r < 0)
		return -1000 + r;
	CHECK(proc_wait_exit(pid, -1, true, &st) == 1);
	return st;
}

static void test_create(void)
{
	char err[256] = "";
	char *t[] = { "true", NULL }, *f[] = { "false", NULL };
	char *sh[] = { "sh", "-c", "exit 7", NULL };
	char *kill9[] = { "sh", "-c", "kill -9 $$", NULL };
	char *none[] = { "nosuchcmd", NULL };
	char *abs_none[] = { "/no/such/dir/cmd", NULL };
	char *notexec[] = { "/etc/passwd", NULL };

	CHECK(run(t, err, sizeof(err)) == 0);
	CHECK(run(f, err, sizeof(err)) == 1);
	CHECK(run(sh, err, sizeof(err)) == 7);
	CHECK(run(kill9, err, sizeof(err)) == 128 + SIGKILL);

	/* a missing command fails at once, before anything is traced */
	err[0] = '\0';
	int fd = 42;
	CHECK(proc_create(none, &fd, err, sizeof(err)) == -1 && fd == -1);
	CHECK(!strcmp(err, "failed to execute nosuchcmd: No such file or directory"));
	CHECK(proc_create(abs_none, &fd, err, sizeof(err)) == -1);
	CHECK(strstr(err, "No such file or directory") != NULL);
	CHECK(proc_create(notexec, &fd, err, sizeof(err)) == -1);
	CHECK(strstr(err, "Permission denied") != NULL);
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);	/* reaped */
}

static void test_held(void)
{
	char dir[] = "/tmp/dtk_test_procXXXXXX", file[64], mark[64], cmd[64];
	char err[256], buf[256];
	int fd, st, n;
	pid_t pid;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof(file), "%s/prog", dir);
	snprintf(mark, sizeof(mark), "%s/ran", dir);
	char *touch[] = { "touch", mark, NULL };

	/* held: the command has not run before the release */
	pid = proc_create(touch, &fd, err, sizeof(err));
	CHECK(pid > 0);
	usleep(20000);
	CHECK(access(mark, F_OK) < 0);
	CHECK(proc_wait_exit(pid, -1, false, &st) == 0);
	snprintf(cmd, sizeof(cmd), "/proc/%d/cmdline", (int)pid);
	n = open(cmd, O_RDONLY);
	CHECK(n >= 0 && read(n, buf, sizeof(buf)) > 0 && !strstr(buf, "touch"));
	if (n >= 0)
		close(n);
	CHECK(proc_release(pid, fd, err, sizeof(err)) == 0);
	CHECK(proc_wait_exit(pid, -1, true, &st) == 1 && st == 0);
	CHECK(access(mark, F_OK) == 0);
	unlink(mark);

	/* a tracer that gives up: the command never runs */
	pid = proc_create(touch, &fd, err, sizeof(err));
	CHECK(pid > 0);
	close(fd);
	CHECK(proc_wait_exit(pid, -1, true, &st) == 1 && st == 127);
	CHECK(access(mark, F_OK) < 0);

	/* exec failing after the check: learned at release */
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("#!/bin/sh\nexit 0\n", f);
		fclose(f);
	}
	chmod(file, 0755);
	char *prog[] = { file, NULL };
	pid = proc_create(prog, &fd, err, sizeof(err));
	CHECK(pid > 0);
	unlink(file);
	CHECK(proc_release(pid, fd, err, sizeof(err)) == -ENOENT);
	snprintf(buf, sizeof(buf), "failed to execute %s: No such file or directory",
		 file);
	CHECK(!strcmp(err, buf));
	CHECK(waitpid(pid, NULL, WNOHANG) == -1);	/* already reaped */
	rmdir(dir);
}

static void test_grab(void)
{
	char err[256];
	int fd, st;
	pid_t child;

	fd = proc_grab(getpid(), err, sizeof(err));
	CHECK(fd >= 0);
	CHECK(proc_wait_exit(getpid(), fd, false, &st) == 0);
	close(fd);

	CHECK(proc_grab(999999999, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "failed to grab pid 999999999: No such process"));
	CHECK(proc_grab(0, err, sizeof(err)) == -1);

	/* a grabbed process's exit shows on the pidfd */
	child = fork();
	if (child == 0) {
		usleep(50000);
		_exit(3);
	}
	fd = proc_grab(child, err, sizeof(err));
	CHECK(fd >= 0);
	CHECK(proc_wait_exit(child, fd, false, &st) == 0);
	CHECK(proc_wait_exit(child, fd, true, &st) == 1 && st == -1);
	close(fd);
	waitpid(child, NULL, 0);
}

/* Has pid stopped running (gone, or a zombie), within two seconds? */
static bool ended(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		char *p = NULL;

		if (!f)
			return true;
		if (fgets(buf, sizeof(buf), f))
			p = strrchr(buf, ')');
		fclose(f);
		if (p && p[1] == ' ' && p[2] == 'Z')
			return true;
		usleep(10000);
	}
	return false;
}

static void test_tied(void)
{
	char err[256];
	char *sleeper[] = { "sleep", "60", NULL };
	int fd, p[2];
	pid_t pid, tracer;

	/* proc_kill ends a released command and reaps it */
	pid = proc_create(sleeper, &fd, err, sizeof(err));
	CHECK(pid > 0);
	CHECK(proc_release(pid, fd, err, sizeof(err)) == 0);
	CHECK(proc_kill(pid) == 128 + SIGKILL);
	CHECK(waitpid(pid, NULL, WNOHANG) == -1 && errno == ECHILD);

	/* a tracer that dies (here without a word) takes its command along */
	CHECK(pipe(p) == 0);
	tracer = fork();
	if (tracer == 0) {
		pid_t c = proc_create(sleeper, &fd, err, sizeof(err));

		if (c > 0 && write(p[1], &c, sizeof(c)) == sizeof(c) &&
		    proc_release(c, fd, err, sizeof(err)) == 0)
			_exit(0);
		_exit(1);
	}
	close(p[1]);
	CHECK(read(p[0], &pid, sizeof(pid)) == sizeof(pid));
	close(p[0]);
	int st;
	CHECK(waitpid(tracer, &st, 0) == tracer && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
	CHECK(ended(pid));
}

int main(void)
{
	test_create();
	test_held();
	test_grab();
	test_tied();
	return CHECK_DONE();
}
