/* ready - how long a tracer takes to start tracing:
 *
 *	ready COMMAND [ARG...]
 *
 * Runs COMMAND (its output to /dev/null) and watches its open files every
 * 100 us: it is tracing once its BPF programs are attached, that is once
 * it holds a BPF link or perf event (raw tracepoints, uprobes) and no new
 * one has come for 50 ms.  Prints
 *
 *	WALL_MS CPU_MS
 *
 * the milliseconds from the fork to the last of them attached, and the CPU
 * time COMMAND used in all (user + system, from wait4: on a shared machine
 * the wall time waits for a CPU, the CPU time does not), then stops
 * COMMAND with SIGINT.  A command that ends by itself first, like dtrace
 * -n 'BEGIN { exit(0); }', reports the time it took to end.  A
 * measurement, not a test. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int attachments(pid_t pid)
{
	char dir[64], path[320], target[128];
	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		ssize_t len = readlink(path, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		if (strstr(target, "bpf_link") || strstr(target, "perf_event") ||
		    strstr(target, "bpf-raw-tracepoint"))
			n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ready COMMAND [ARG...]\n");
		return 2;
	}
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return perror("ready: fork"), 1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int last = 0, status;
	double changed = 0, end;
	struct rusage ru;
	for (;;) {
		if (wait4(pid, &status, WNOHANG, &ru) == pid) {
			end = now_ms();
			goto out;
		}
		int n = attachments(pid);
		double t = now_ms();
		/* only a new attachment restarts the clock: a count that
		 * drops is a perf event closed once its link holds it, or
		 * the tear-down of a command that ended at once (dtruss
		 * true), whose slow release of trace events is no start-up */
		if (n > last)
			changed = t;
		if (n != last)
			last = n;
		else if (n > 0 && t - changed >= 50)
			break;
		usleep(100);
	}
	end = changed;
	kill(pid, SIGINT);
	wait4(pid, &status, 0, &ru);
out:
	printf("%.1f %.1f\n", end - t0,
	       (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
	return 0;
}
