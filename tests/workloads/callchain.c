/* callchain.c - a known call chain for the stack tests:
 * main -> a -> b -> c -> write(2), each function out of line.
 *
 *	callchain [N [LINGER_MS]]
 *
 * writes "callchain\n" to stdout N times (default 1) through the chain,
 * then stays LINGER_MS milliseconds (default 0) before exiting.  It also
 * allocates 4242 bytes once with malloc, for the pid provider's tests.  c() calls
 * write with a value computed from its argument so that the compiler keeps
 * every frame (no tail calls: each function uses the callee's result).
 * Built twice by the tests: -O2 -fomit-frame-pointer and
 * -O2 -fno-omit-frame-pointer.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) int c(int n)
{
	static const char msg[] = "callchain\n";
	volatile int keep = n;
	return (int)write(1, msg, sizeof(msg) - 1) + keep;
}

__attribute__((noinline)) int b(int n)
{
	int r = c(n + 1);
	return r * 3 + n;
}

__attribute__((noinline)) int a(int n)
{
	int r = b(n + 1);
	return r * 5 + n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	long linger = argc > 2 ? atol(argv[2]) : 0;
	int sum = 0;
	char *volatile block = malloc(4242);

	free(block);

	for (int i = 0; i < n; i++)
		sum += a(i);
	if (linger > 0) {
		struct timespec ts = { linger / 1000, (linger % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
	return sum == -1;
}
