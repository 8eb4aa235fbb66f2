/* probes_fbt.c - fbt:module:function:entry|return, one pair for every
 * function in tracefs' available_filter_functions ("name" for vmlinux,
 * "name [module]" for modules).  Read once, when a description names the
 * fbt provider; the file is unreadable (and fbt empty) when the kernel
 * locks function tracing down. */
#include <stdio.h>
#include <string.h>
#include "probes_impl.h"
#include "tracefs.h"

void fbt_load(struct probetab *t)
{
	char path[512], line[512];
	const char *dir;
	FILE *f;

	if (t->fbt_loaded)
		return;
	t->fbt_loaded = true;
	dir = tracefs_dir();
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/available_filter_functions", dir);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *func = line, *mod = "vmlinux", *p, *end;

		line[strcspn(line, "\n")] = '\0';
		p = strchr(line, ' ');
		if (p) {
			*p++ = '\0';
			if (*p == '[' && (end = strchr(p, ']'))) {
				*end = '\0';
				mod = p + 1;
			}
		}
		if (!*func || probetab_find(t, "fbt", mod, func, "entry"))
			continue;	/* static functions may repeat */
		probetab_add(t, PROV_FBT, "fbt", mod, func, "entry");
		probetab_add(t, PROV_FBT, "fbt", mod, func, "return")->is_return = true;
	}
	fclose(f);
}
