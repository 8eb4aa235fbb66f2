/* openload - a workload for the opensnoop tests:
 *
 *	openload DIR NFOUND NMISSING [DELAY_MS [NBAD]]
 *
 * sleeps DELAY_MS (default 0) so that a tracer can start, then opens
 * DIR/found-I (I < NFOUND, files it first creates and closes) and
 * DIR/missing-I (I < NMISSING, which do not exist: ENOENT) as fast as it
 * can, alternating between the two while both remain, each open an
 * openat() through syscall(2) so that the C library cannot skip one; then
 * makes NBAD (default 0) openat() calls whose path pointer is not mapped
 * (EFAULT), for the "unreadable path" lines. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: openload DIR NFOUND NMISSING [DELAY_MS]\n");
		return 2;
	}
	const char *dir = argv[1];
	long nfound = atol(argv[2]), nmissing = atol(argv[3]);
	long delay = argc > 4 ? atol(argv[4]) : 0;
	long nbad = argc > 5 ? atol(argv[5]) : 0;
	char path[4096];

	for (long i = 0; i < nfound; i++) {
		snprintf(path, sizeof path, "%s/found-%ld", dir, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	if (delay) {
		struct timespec ts = { delay / 1000, (delay % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
	for (long i = 0; i < nfound || i < nmissing; i++) {
		if (i < nfound) {
			snprintf(path, sizeof path, "%s/found-%ld", dir, i);
			long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
			if (fd >= 0)
				close((int)fd);
		}
		if (i < nmissing) {
			snprintf(path, sizeof path, "%s/missing-%ld", dir, i);
			syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
		}
	}
	for (long i = 0; i < nbad; i++)
		syscall(SYS_openat, AT_FDCWD, (const char *)8, O_RDONLY);
	return 0;
}
