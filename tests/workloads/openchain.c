/* openchain.c - a known call chain to an open, for opensnoop -t:
 * main -> a -> b -> c -> open(2) of argv[1] (default /etc/hostname),
 * each function out of line, then exits at once.
 */
#include <fcntl.h>
#include <unistd.h>

__attribute__((noinline)) int c(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd + 1;
}

__attribute__((noinline)) int b(const char *path)
{
	return c(path) * 3 + 1;
}

__attribute__((noinline)) int a(const char *path)
{
	return b(path) * 5 + 1;
}

int main(int argc, char **argv)
{
	return a(argc > 1 ? argv[1] : "/etc/hostname") == 0;
}
