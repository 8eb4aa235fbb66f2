/* flow.c - -F (flowindent) probe lines; see flow.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"

void flow_header(FILE *out)
{
	fprintf(out, "%3s %-41s\n", "CPU", "FUNCTION");
}

/* name is word, or ends with "-" word */
static bool is_kind(const char *name, const char *word)
{
	size_t n = strlen(name), w = strlen(word);

	return n >= w && strcmp(name + n - w, word) == 0 &&
	       (n == w || name[n - w - 1] == '-');
}

int flow_line(struct flow_state *f, FILE *out, int cpu, uint32_t probe_id,
	      const char *prov, const char *func, const char *name,
	      const void *clause)
{
	bool sys = strcmp(prov, "syscall") == 0;
	bool entry = is_kind(name, "entry"), ret = !entry && is_kind(name, "return");
	char line[512];
	int *ind;

	if (cpu < 0)
		cpu = 0;
	if (cpu >= f->ncpus) {
		int n = cpu + 1;
		int *i2 = realloc(f->indent, n * sizeof *i2);
		uint32_t *l2 = i2 ? realloc(f->lastprobe, n * sizeof *l2) : NULL;

		if (i2)
			f->indent = i2;
		if (!l2)
			return -1;
		f->lastprobe = l2;
		memset(f->indent + f->ncpus, 0, (n - f->ncpus) * sizeof *i2);
		memset(f->lastprobe + f->ncpus, 0, (n - f->ncpus) * sizeof *l2);
		f->ncpus = n;
	}
	ind = &f->indent[cpu];
	/* the same probe again for another clause: not a deeper call */
	if (entry && probe_id == f->lastprobe[cpu] && clause != f->lastclause)
		entry = false;
	f->lastprobe[cpu] = probe_id;
	f->lastclause = clause;
	if (ret && *ind > 0)
		*ind -= 2;
	if (entry || ret)
		snprintf(line, sizeof line, "%*s%s%s", *ind, "",
			 entry ? (sys ? " => " : " -> ") : (sys ? " <= " : " <- "),
			 func);
	else
		snprintf(line, sizeof line, "%*s| %s:%s", *ind, "", func, name);
	if (entry)
		*ind += 2;
	fprintf(out, "%3d %-41s ", cpu, line);
	return 0;
}

void flow_free(struct flow_state *f)
{
	free(f->indent);
	free(f->lastprobe);
	memset(f, 0, sizeof *f);
}
