/* dt_ticker - a slow, numbered loop for grabbing with dtrace -p:
 *
 *	dt_ticker N MS
 *
 * for I = 1..N: sleeps MS milliseconds, then write()s I bytes to
 * /dev/null, so a tracer that grabs it late still sees the numbers count
 * up to N without a gap; then exits 0. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[4096];
	long n = argc > 1 ? atol(argv[1]) : 10;
	long ms = argc > 2 ? atol(argv[2]) : 100;
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0 || n > (long)sizeof buf)
		return 1;
	for (long i = 1; i <= n; i++) {
		nanosleep(&ts, NULL);
		syscall(SYS_write, fd, buf, i);
	}
	return 0;
}
