/* dt_spin - a flood of system calls for the dtrace drop tests:
 *
 *	dt_spin SECONDS
 *
 * calls getppid() as fast as it can for SECONDS (default 1) of wall time. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double end = now() + (argc > 1 ? atof(argv[1]) : 1);

	do {
		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
	} while (now() < end);
	return 0;
}
