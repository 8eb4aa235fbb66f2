/* sou.c - structs and unions a D program declares: their layout.
 *
 * D lays them out as C does on the host (dtrace-utils hands them to CTF
 * the same way): each member at the next multiple of its alignment, a
 * union's members all at 0, the size rounded up to the largest alignment,
 * so a struct declared in D describes the memory a C program wrote.
 */
#include <string.h>
#include "ast.h"
#include "types.h"

static int align_of(const struct type *t)
{
	switch (t->k) {
	case TY_ARRAY:
		return align_of(t->elem);
	case TY_STRUCT:
		return t->align ? t->align : 8;
	case TY_STRING:
		return 1;
	default:
		return t->size >= 8 ? 8 : t->size > 0 ? t->size : 1;
	}
}

struct type *sou_define(struct arena *a, const char *name, bool is_union,
			const char *const *names, struct type *const *types,
			const char *const *tnames, int n)
{
	struct type *t = arena_alloc(a, sizeof *t);
	int off = 0, size = 0, align = 1;

	t->k = TY_STRUCT;
	t->name = name;
	t->members = arena_alloc(a, sizeof *t->members * (n ? n : 1));
	t->nmembers = n;
	for (int i = 0; i < n; i++) {
		int al = align_of(types[i]);

		if (al > align)
			align = al;
		off = is_union ? 0 : (off + al - 1) / al * al;
		t->members[i].name = names[i];
		t->members[i].type = types[i];
		t->members[i].tname = tnames[i];
		t->members[i].offset = off;
		off += types[i]->size;
		if (off > size)
			size = off;
	}
	t->align = align;
	t->size = (size + align - 1) / align * align;
	return t;
}

const struct sou_member *sou_member(const struct type *t, const char *name)
{
	for (int i = 0; i < t->nmembers; i++)
		if (strcmp(t->members[i].name, name) == 0)
			return &t->members[i];
	return NULL;
}
