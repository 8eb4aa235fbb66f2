/* dt_open - opens each path given, for the dtrace run-time tests:
 *
 *	dt_open PATH...
 *
 * one openat(AT_FDCWD, PATH, O_RDONLY) a path, through syscall(2), closing
 * what opened; exits 0 even when some did not. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, argv[i], O_RDONLY);
		if (fd >= 0)
			close((int)fd);
	}
	return 0;
}
