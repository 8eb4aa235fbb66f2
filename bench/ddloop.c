/* ddloop - dd if=/dev/zero of=/dev/null bs=1 count=N, measuring itself:
 *
 *	ddloop N OUTFILE
 *
 * N times read(2) one byte of /dev/zero and write(2) it to /dev/null
 * (2N system calls, as dd bs=1 makes), then writes to OUTFILE one line:
 *
 *	calls CPU_NS WALL_NS
 *
 * the CPU time this process used in the loop (user + system: a tracer's
 * BPF programs run in the traced thread, so their cost is in it) and the
 * loop's wall time.  Per call, these leave out the tracer's start-up and
 * tear-down and are not inflated by other processes sharing the machine
 * the way a whole command's wall time is, so bench/ compares tools on
 * them; dd itself is run too, for the whole-command figures. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: ddloop N OUTFILE\n");
		return 2;
	}
	long n = atol(argv[1]);
	int in = open("/dev/zero", O_RDONLY), out = open("/dev/null", O_WRONLY);
	if (in < 0 || out < 0) {
		perror("ddloop: open");
		return 1;
	}
	char c;
	long long c0 = ns(CLOCK_PROCESS_CPUTIME_ID), w0 = ns(CLOCK_MONOTONIC);
	for (long i = 0; i < n; i++)
		if (read(in, &c, 1) != 1 || write(out, &c, 1) != 1) {
			perror("ddloop");
			return 1;
		}
	long long c1 = ns(CLOCK_PROCESS_CPUTIME_ID), w1 = ns(CLOCK_MONOTONIC);
	FILE *f = fopen(argv[2], "w");
	if (!f || fprintf(f, "%ld %lld %lld\n", 2 * n, c1 - c0, w1 - w0) < 0 ||
	    fclose(f) != 0) {
		perror("ddloop: output");
		return 1;
	}
	return 0;
}
