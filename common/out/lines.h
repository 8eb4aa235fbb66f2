/* lines.h - output assembled per CPU, written a whole line at a time.
 *
 * Records from all CPUs share one ring buffer, in the order they were
 * written.  A clause that prints one line with several printf()s (or the
 * default "CPU ID FUNCTION:NAME" prefix followed by its trace()s) would be
 * cut into by another CPU's records; DTrace, with per-CPU buffers, never
 * mixes them.  So text from a record goes to its CPU's buffer first, and
 * reaches the output when it ends a line (or when the consumer is done
 * with a batch of records).
 */
#ifndef DTK_LINES_H
#define DTK_LINES_H

#include <stdbool.h>
#include <stdio.h>

struct linebuf;

struct lines {
	struct linebuf *bufs;		/* one a CPU, made on first use */
	FILE *out;			/* where whole lines go */
};

/* The stream to format a record of cpu into; then lines_end(). */
FILE *lines_begin(struct lines *ls, int cpu);
void lines_end(struct lines *ls, int cpu);
/* Non-quiet output: clause fired on cpu; the line of its previous firing
 * there is complete. */
void lines_probe(struct lines *ls, int cpu, int clause);
/* clause faulted on cpu: DTrace drops what the firing recorded, so the
 * probe line it opened there goes, if it is not out yet (a line is written
 * out when the consumer ends a batch of records, which may fall between
 * the line's records and the fault's: then it stays). */
void lines_drop(struct lines *ls, int cpu, int clause);
/* Write out everything pending (open probe lines get their newline). */
void lines_flush(struct lines *ls);
void lines_free(struct lines *ls);

#endif
