/* reuse_pid PID CMD [ARG...] - run CMD as process PID, a pid that was
 * another process's (it must be free now): for tests that a tracer given
 * a pid never follows it to the next process to get it.
 *
 * The kernel gives a fork the pid after /proc/sys/kernel/ns_last_pid (root
 * only); other processes forking at the same time may take it first, so
 * this tries again, a few hundred times at most.  Exits 99 if the pid could
 * not be had, else with CMD's status. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long want;
	int st;

	if (argc < 3 || (want = strtol(argv[1], NULL, 10)) < 2) {
		fprintf(stderr, "usage: reuse_pid PID CMD [ARG...]\n");
		return 2;
	}
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
		pid_t pid;

		if (!f || fprintf(f, "%ld", want - 1) < 0 || fclose(f) != 0) {
			perror("reuse_pid: ns_last_pid");
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			perror("reuse_pid: fork");
			return 1;
		}
		if (pid == 0) {
			if (getpid() != want)
				_exit(111);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) < 0)
			return 1;
		if (pid == want)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	fprintf(stderr, "reuse_pid: pid %ld was always taken first\n", want);
	return 99;
}
