/* toolargs.c - checking the names the tools' flags take (dtk.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtk.h"

/* The kernel keeps a process name (comm, D's execname) in 16 bytes: 15
 * characters and a NUL, the first 15 of the file it executed.  A longer
 * name can never equal one, so rather than match nothing in silence the
 * tools warn and match the 15 characters a process of that name has. */
const char *dtk_comm_arg(const char *prog, char flag, const char *name)
{
	char shown[4 * DTK_COMM_MAX + 1];

	if (!*name)
		return NULL;
	if (strlen(name) <= DTK_COMM_MAX)
		return name;
	escape_str(shown, sizeof(shown), name, DTK_COMM_MAX, ESC_C);
	fprintf(stderr, "%s: warning: -%c names are at most %d characters (the kernel's "
		"process name); matching \"%s\"\n", prog, flag, DTK_COMM_MAX, shown);
	return strndup(name, DTK_COMM_MAX);
}
