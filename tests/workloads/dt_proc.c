/* dt_proc - process events for the proc provider tests:
 *
 *	dt_proc fork		a child that exits 0; prints "child PID"
 *	dt_proc kill		a child that pauses, killed with SIGKILL;
 *				prints "child PID"
 *	dt_proc exec PATH	a child that execs PATH (errno printed if the
 *				exec fails, the child then exits 127)
 *	dt_proc orphan		a child whose own child outlives it: the
 *				grandchild, reparented, calls getppid() and
 *				prints "orphan PID ppid NEW (was OLD)"
 *	dt_proc spin MS		spins until it has used MS ms of CPU, then
 *				makes one getppid() call
 *	dt_proc thread		a second thread that makes one getppid()
 *				call; prints "thread TID"
 *
 * The parent waits for its child before it exits 0. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *thread(void *arg)
{
	(void)arg;
	printf("thread %ld\n", syscall(SYS_gettid));
	syscall(SYS_getppid);
	return NULL;
}

static int reap(pid_t pid)
{
	int st;
	return waitpid(pid, &st, 0) == pid ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "fork";
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(mode, "spin") == 0) {
		double until = cpu_ms() + (argc > 2 ? atof(argv[2]) : 100);
		/* mostly in user mode (profile's arg1), a clock read now
		 * and then */
		while (cpu_ms() < until)
			for (volatile int i = 0; i < 20000; i++)
				;
		syscall(SYS_getppid);
		return 0;
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_t t;
		return pthread_create(&t, NULL, thread, NULL) != 0 ||
			pthread_join(t, NULL) != 0;
	}
	if ((pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		if (strcmp(mode, "kill") == 0)
			pause();
		if (strcmp(mode, "exec") == 0 && argc > 2) {
			char *args[] = { argv[2], NULL };
			execv(argv[2], args);
			printf("errno %d\n", errno);
			_exit(127);
		}
		if (strcmp(mode, "orphan") == 0) {
			pid_t old = getpid(), g = fork();
			if (g == 0) {
				/* wait until the parent is gone */
				while (getppid() == old)
					usleep(1000);
				printf("orphan %d ppid %ld (was %d)\n", getpid(),
				       syscall(SYS_getppid), old);
				_exit(0);
			}
			usleep(50000);	/* the grandchild sees us first */
			_exit(0);
		}
		_exit(0);
	}
	printf("child %d\n", pid);
	if (strcmp(mode, "kill") == 0) {
		usleep(50000);
		kill(pid, SIGKILL);
	}
	if (reap(pid))
		return 1;
	if (strcmp(mode, "orphan") == 0)
		usleep(300000);		/* the grandchild's turn */
	return 0;
}
