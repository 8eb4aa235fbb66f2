/* sysload - a workload whose system calls the tool tests can count:
 *
 *	sysload [GETPPIDS [FAILED_OPENS [SPIN_MS [SLEEP_MS [COMMAND...]]]]]
 *
 * makes exactly GETPPIDS getppid() calls (default 1000), FAILED_OPENS
 * openat() calls of a path that does not exist (ENOENT; default 0),
 * spins until it has had SPIN_MS milliseconds on the CPU (its own CPU time,
 * read with clock_gettime, so a busy machine only makes it take longer),
 * nanosleep()s SLEEP_MS milliseconds in one call, then execs COMMAND if
 * one is given (a second phase in the same process, without a shell's own
 * calls in between).  Each call goes through syscall(2) so that the C
 * library cannot cache or skip one. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long arg(int argc, char **argv, int i, long dflt)
{
	return argc > i ? strtol(argv[i], NULL, 10) : dflt;
}

int main(int argc, char **argv)
{
	long getppids = arg(argc, argv, 1, 1000);
	long opens = arg(argc, argv, 2, 0);
	long spin_ms = arg(argc, argv, 3, 0);
	long sleep_ms = arg(argc, argv, 4, 0);

	for (long i = 0; i < getppids; i++)
		syscall(SYS_getppid);
	for (long i = 0; i < opens; i++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent/sysload", O_RDONLY);
	if (spin_ms > 0) {
		struct timespec t0, t;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		do
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000 +
		       (t.tv_nsec - t0.tv_nsec) / 1000000 < spin_ms);
	}
	if (sleep_ms > 0) {
		struct timespec ts = { sleep_ms / 1000, sleep_ms % 1000 * 1000000 };
		syscall(SYS_nanosleep, &ts, NULL);
	}
	if (argc > 5) {
		execvp(argv[5], &argv[5]);
		return 127;
	}
	return 0;
}
