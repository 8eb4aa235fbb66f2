/* builtins.c - finding a D function in the table of them (cg/funcs.c). */
#include <string.h>
#include "func.h"

const struct func *func_lookup(const struct func *tab, const char *name)
{
	for (const struct func *f = tab; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
