/* lines.c - per-CPU line assembly (see lines.h). */
#include <stdlib.h>
#include <string.h>
#include "dtk_impl.h"
#include "lines.h"

#define NLINEBUFS 256	/* CPUs are told apart modulo this */

struct linebuf {
	FILE *f;
	char *buf;
	size_t len;
	bool open;	/* a non-quiet probe line awaits its newline */
	int clause;	/* the clause whose firing opened it */
};

static struct linebuf *lb(struct dtk *d, int cpu)
{
	if (!d->lines) {
		d->lines = calloc(NLINEBUFS, sizeof *d->lines);
		if (!d->lines)
			return NULL;
	}
	struct linebuf *l = &d->lines[(unsigned)cpu % NLINEBUFS];
	if (!l->f)
		l->f = open_memstream(&l->buf, &l->len);
	return l->f ? l : NULL;
}

static void put(struct dtk *d, struct linebuf *l)
{
	fflush(l->f);
	if (l->len) {
		fwrite(l->buf, 1, l->len, d->out);
		rewind(l->f);
		/* a rewound memstream keeps its size until written over:
		 * truncate by hand */
		l->len = 0;
		if (l->buf)
			l->buf[0] = 0;
	}
}

FILE *lines_begin(struct dtk *d, int cpu)
{
	struct linebuf *l = lb(d, cpu);
	return l ? l->f : d->out;
}

void lines_end(struct dtk *d, int cpu)
{
	struct linebuf *l = lb(d, cpu);
	if (!l)
		return;
	fflush(l->f);
	if (l->len && l->buf[l->len - 1] == '\n' && !l->open)
		put(d, l);
}

void lines_probe(struct dtk *d, int cpu, int clause)
{
	struct linebuf *l = lb(d, cpu);
	if (!l)
		return;
	if (l->open)
		fputc('\n', l->f);
	put(d, l);
	l->open = true;
	l->clause = clause;
}

void lines_drop(struct dtk *d, int cpu, int clause)
{
	struct linebuf *l = lb(d, cpu);
	if (!l || !l->open || l->clause != clause)
		return;
	fflush(l->f);
	rewind(l->f);
	l->len = 0;
	if (l->buf)
		l->buf[0] = 0;
	l->open = false;
}

void lines_flush(struct dtk *d)
{
	if (!d->lines)
		return;
	for (int i = 0; i < NLINEBUFS; i++) {
		struct linebuf *l = &d->lines[i];
		if (!l->f)
			continue;
		if (l->open)
			fputc('\n', l->f);
		l->open = false;
		put(d, l);
	}
}

void lines_free(struct dtk *d)
{
	if (!d->lines)
		return;
	for (int i = 0; i < NLINEBUFS; i++) {
		if (d->lines[i].f)
			fclose(d->lines[i].f);
		free(d->lines[i].buf);
	}
	free(d->lines);
	d->lines = NULL;
}
