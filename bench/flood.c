/* flood - opens or execs at a set rate, for bench/snoop_flood.sh:
 *
 *	flood open RATE SECONDS DIR [WORKERS]
 *	flood exec RATE SECONDS TOKEN [WORKERS]
 *
 * open: openat(DIR/missing-W-I) of files that do not exist (ENOENT: the
 * cheapest open that still goes through the path walk), through syscall(2)
 * so that the C library cannot skip one.  exec: vfork and execve
 * /bin/true TOKEN W-I, waiting for each.  RATE is the total per second
 * over all WORKERS processes (0: as fast as they go); each worker paces
 * itself against the clock, so a rate that cannot be reached is simply
 * missed, never caught up in a burst.  Prints, on stdout:
 *
 *	made N in S seconds: R per second
 *
 * where N is the number of calls made (each counted when it returns). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void one_open(const char *dir, int w, long i)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/missing-%d-%ld", dir, w, i);
	syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
}

static int one_exec(const char *token, int w, long i)
{
	char num[64];
	char *args[] = { "/bin/true", (char *)token, num, NULL };
	char *env[] = { NULL };
	snprintf(num, sizeof num, "%d-%ld", w, i);
	pid_t pid = vfork();
	if (pid == 0) {
		execve(args[0], args, env);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* One worker: calls at rate (0: flat out) until the deadline; how many. */
static long worker(int exec, const char *arg, int w, double rate, double end)
{
	double start = now();
	long n = 0;
	for (;;) {
		/* the clock is read once a batch: opens take a microsecond */
		int batch = exec ? 1 : 64;
		double t = now();
		if (t >= end)
			break;
		if (rate > 0) {
			double due = start + n / rate;
			if (due > t) {
				double d = due - t;
				struct timespec ts = { (time_t)d, (long)((d - (time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
				continue;
			}
		}
		for (int k = 0; k < batch; k++, n++) {
			if (exec) {
				if (one_exec(arg, w, n) < 0)
					return -1;
			} else {
				one_open(arg, w, n);
			}
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 5 || (strcmp(argv[1], "open") && strcmp(argv[1], "exec"))) {
		fprintf(stderr, "usage: flood open|exec RATE SECONDS DIR|TOKEN [WORKERS]\n");
		return 2;
	}
	int exec = strcmp(argv[1], "exec") == 0;
	double rate = atof(argv[2]), secs = atof(argv[3]);
	int workers = argc > 5 ? atoi(argv[5]) : 1;
	if (workers < 1 || workers > 64 || secs <= 0 || rate < 0) {
		fprintf(stderr, "flood: bad RATE, SECONDS or WORKERS\n");
		return 2;
	}
	/* the workers' counts, in memory they share with us */
	long *made = mmap(NULL, sizeof(long) * workers, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (made == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	double start = now(), end = start + secs;
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid == 0) {
			made[w] = worker(exec, argv[4], w, rate / workers, end);
			_exit(made[w] < 0);
		}
		if (pid < 0) {
			perror("fork");
			return 1;
		}
	}
	int failed = 0, st;
	while (wait(&st) > 0)
		failed |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	double took = now() - start;
	long total = 0;
	for (int w = 0; w < workers; w++)
		total += made[w] > 0 ? made[w] : 0;
	printf("made %ld in %.2f seconds: %.0f per second\n", total, took,
	       total / took);
	return failed;
}
