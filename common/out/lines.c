/* lines.c - per-CPU line assembly (see lines.h). */
#include <stdlib.h>
#include <string.h>
#include "lines.h"

#define NLINEBUFS 256	/* CPUs are told apart modulo this */

struct linebuf {
	FILE *f;
	char *buf;
	size_t len;
	bool open;	/* a non-quiet probe line awaits its newline */
	int clause;	/* the clause whose firing opened it */
};

static struct linebuf *lb(struct lines *ls, int cpu)
{
	if (!ls->bufs) {
		ls->bufs = calloc(NLINEBUFS, sizeof *ls->bufs);
		if (!ls->bufs)
			return NULL;
	}
	struct linebuf *l = &ls->bufs[(unsigned)cpu % NLINEBUFS];
	if (!l->f)
		l->f = open_memstream(&l->buf, &l->len);
	return l->f ? l : NULL;
}

static void put(struct lines *ls, struct linebuf *l)
{
	fflush(l->f);
	if (l->len) {
		fwrite(l->buf, 1, l->len, ls->out);
		rewind(l->f);
		/* a rewound memstream keeps its size until written over:
		 * truncate by hand */
		l->len = 0;
		if (l->buf)
			l->buf[0] = 0;
	}
}

FILE *lines_begin(struct lines *ls, int cpu)
{
	struct linebuf *l = lb(ls, cpu);
	return l ? l->f : ls->out;
}

void lines_end(struct lines *ls, int cpu)
{
	struct linebuf *l = lb(ls, cpu);
	if (!l)
		return;
	fflush(l->f);
	if (l->len && l->buf[l->len - 1] == '\n' && !l->open)
		put(ls, l);
}

void lines_probe(struct lines *ls, int cpu, int clause)
{
	struct linebuf *l = lb(ls, cpu);
	if (!l)
		return;
	if (l->open)
		fputc('\n', l->f);
	put(ls, l);
	l->open = true;
	l->clause = clause;
}

void lines_drop(struct lines *ls, int cpu, int clause)
{
	struct linebuf *l = lb(ls, cpu);
	if (!l || !l->open || l->clause != clause)
		return;
	fflush(l->f);
	rewind(l->f);
	l->len = 0;
	if (l->buf)
		l->buf[0] = 0;
	l->open = false;
}

void lines_flush(struct lines *ls)
{
	if (!ls->bufs)
		return;
	for (int i = 0; i < NLINEBUFS; i++) {
		struct linebuf *l = &ls->bufs[i];
		if (!l->f)
			continue;
		if (l->open)
			fputc('\n', l->f);
		l->open = false;
		put(ls, l);
	}
}

void lines_free(struct lines *ls)
{
	if (!ls->bufs)
		return;
	for (int i = 0; i < NLINEBUFS; i++) {
		if (ls->bufs[i].f)
			fclose(ls->bufs[i].f);
		free(ls->bufs[i].buf);
	}
	free(ls->bufs);
	ls->bufs = NULL;
}
