/* hostile_names.c - a process that carries the bytes a terminal acts on
 * in everything the tools print about it, for the escaping tests:
 *
 *	hostile_names PATH [LINGER_MS]
 *
 * The test gives the binary a file name (so its comm) with ESC, a newline
 * and a backslash in it, and PATH with the same.  It opens PATH (which
 * need not exist) from a function whose symbol name holds an ESC
 * sequence, writes a few bytes to stdout from there, then stays LINGER_MS
 * milliseconds (default 0) so that the pid provider can list it.
 * The symbol: gas keeps a quoted name's bytes as they are, ESC included
 * (a newline cannot be put in one; a backslash draws a warning).  Built
 * with frame pointers, so that ustack() finds the frame.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) int evil_open(const char *path) __asm__("\"evil\x1b[7m_open\"");

__attribute__((noinline)) int evil_open(const char *path)
{
	static const char msg[] = "hostile\n";
	int fd = open(path, O_RDONLY);
	volatile int keep = fd;

	if (write(1, msg, sizeof(msg) - 1) < 0)
		return -1;
	if (fd >= 0)
		close(fd);
	return keep;
}

int main(int argc, char **argv)
{
	long ms = argc > 2 ? atol(argv[2]) : 0;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	if (argc < 2)
		return 2;
	int r = evil_open(argv[1]);
	if (ms > 0)
		nanosleep(&ts, NULL);
	return r >= -1 ? 0 : 1;
}
