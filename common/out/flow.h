/* flow.h - the default probe line under -F (flowindent), as DTrace lays
 * it out: an entry probe ("entry" or "...-entry") prints "-> func" and
 * indents what follows on its CPU by two, a return ("return" or
 * "...-return") undoes that and prints "<- func" (syscalls "=>" and "<="),
 * any other probe "| func:name" at the current depth. */
#ifndef DTK_FLOW_H
#define DTK_FLOW_H

#include <stdint.h>
#include <stdio.h>

struct flow_state {
	int ncpus;
	int *indent;		/* per CPU */
	uint32_t *lastprobe;	/* per CPU: the probe of the last line */
	const void *lastclause;	/* per CPU would be exact; DTrace keeps one */
};

/* The heading line ("CPU FUNCTION"). */
void flow_header(FILE *out);

/* The start of a probe's line on cpu for clause (any pointer that tells
 * one clause from another).  0, or -1 without memory. */
int flow_line(struct flow_state *f, FILE *out, int cpu, uint32_t probe_id,
	      const char *prov, const char *func, const char *name,
	      const void *clause);

void flow_free(struct flow_state *f);

#endif
