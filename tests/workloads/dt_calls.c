/* dt_calls - known system calls for the dtrace run-time tests:
 *
 *	dt_calls N [SIZE...]
 *
 * makes exactly N getppid() calls, then one write() of SIZE bytes to
 * /dev/null for each SIZE (at most 65536), in that order.  Each call goes
 * through syscall(2) so that the C library cannot cache or skip one. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[65536];
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (int i = 2; i < argc; i++) {
		long size = atol(argv[i]);
		if (size < 0 || size > (long)sizeof buf)
			return 2;
		syscall(SYS_write, fd, buf, size);
	}
	return 0;
}
