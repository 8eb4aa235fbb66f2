/* stackshapes.c - call chains that a stack cache or a short stack copy
 * would get wrong, for tests/bats/stacks.bats.
 *
 *	stackshapes twopaths N     N writes, alternately through
 *	                           main -> left -> leaf and main -> right ->
 *	                           leaf: the same pc and stack pointer at
 *	                           write, only the return address differs
 *	stackshapes deeper N       N writes, the i-th from i + 1 frames of
 *	                           recurse(): each stack deeper than the last
 *	stackshapes threads N      4 threads, each N writes through
 *	                           worker -> leaf, one after the other
 *
 * Built -O2 -fomit-frame-pointer, so only DWARF unwinding gets them right.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) int leaf(int n)
{
	volatile int keep = n;
	return (int)write(1, "x\n", 2) + keep;
}

/* the same frame, so that the stack pointer at write is the same */
__attribute__((noinline)) int left(int n)
{
	int r = leaf(n + 1);
	return r * 3 + n;
}

__attribute__((noinline)) int right(int n)
{
	int r = leaf(n + 2);
	return r * 5 + n;
}

/* a frame of ~100 bytes; the read after the call keeps the recursion a
 * recursion (no loop, no tail call) */
__attribute__((noinline)) int recurse(int depth)
{
	volatile char pad[64];
	pad[0] = (char)depth;
	if (depth == 0)
		return leaf(0);
	int r = recurse(depth - 1);
	return r * 7 + pad[0];
}

static long n_each;

__attribute__((noinline)) void *worker(void *arg)
{
	long sum = 0;
	for (long i = 0; i < n_each; i++)
		sum += leaf((int)i);
	return (void *)(sum + (long)arg);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = atol(argv[2]);
	int sum = 0;
	if (!strcmp(argv[1], "twopaths")) {
		for (long i = 0; i < n; i++)
			sum += i & 1 ? right((int)i) : left((int)i);
	} else if (!strcmp(argv[1], "deeper")) {
		for (long i = 0; i < n; i++)
			sum += recurse((int)i);
	} else if (!strcmp(argv[1], "threads")) {
		pthread_t t[4];
		n_each = n;
		for (long i = 0; i < 4; i++) {
			if (pthread_create(&t[i], NULL, worker, (void *)i))
				return 1;
			pthread_join(t[i], NULL);
		}
	} else {
		return 2;
	}
	return sum == 42 ? 3 : 0;
}
