/* execburst - a burst of short-lived execs for the execsnoop tests:
 *
 *	execburst N TOKEN [execveat]
 *
 * runs /bin/true TOKEN I for I < N, one after the other as fast as fork and
 * exec allow, through execve(2), or execveat(2) on an fd of /bin/true
 * (fexecve's way) when the third argument is "execveat". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: execburst N TOKEN [execveat]\n");
		return 2;
	}
	long n = atol(argv[1]);
	int at = argc > 3 && strcmp(argv[3], "execveat") == 0;
	int fd = at ? open("/bin/true", O_PATH | O_CLOEXEC) : -1;
	char num[32];
	char *args[] = { "/bin/true", argv[2], num, NULL };
	char *env[] = { NULL };

	for (long i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%ld", i);
		pid_t pid = vfork();
		if (pid == 0) {
			if (at)
				syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
			else
				execve(args[0], args, env);
			_exit(127);
		}
		if (pid < 0) {
			perror("vfork");
			return 1;
		}
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 1;
	}
	return 0;
}
