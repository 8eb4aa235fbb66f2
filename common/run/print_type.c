/* print_type.c - print(p): the object p points to, shown with its type.
 *
 * dtrace-utils' layout (its dt_print_type): the address and " = *", then
 * the object from column 44, one member a line as ".name = (type)value,",
 * a struct or array opening a level one column further in.  Below the top
 * a member whose bytes are all zero is left out, and a char array stops
 * at its first NUL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "print_type.h"

#define PRINT_INDENT	44

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

__attribute__((format(printf, 4, 5)))
static void line(FILE *out, int depth, const char *member, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "%*s", PRINT_INDENT + depth, "");
	if (member)
		fprintf(out, ".%s = ", member);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* "struct {...}#2", the name of an anonymous struct, shows as "struct" */
static const char *shown_name(const struct type *t, char *buf, int len)
{
	type_str(t, buf, len);
	char *anon = strstr(buf, " {...}#");
	if (anon)
		*anon = '\0';
	return buf;
}

static void value(FILE *out, const struct type *t, const char *tname,
		  const unsigned char *p, const char *member, int depth)
{
	char nb[160];
	const char *tn = tname ? tname : shown_name(t, nb, sizeof nb);

	if (depth > 0 && all_zero(p, (size_t)t->size))
		return;
	switch (t->k) {
	case TY_STRUCT:
		line(out, depth, member, "(%s) {", tn);
		for (int i = 0; i < t->nmembers; i++)
			value(out, t->members[i].type, t->members[i].tname,
			      p + t->members[i].offset, t->members[i].name,
			      depth + 1);
		line(out, depth, NULL, depth ? "}," : "}");
		break;
	case TY_ARRAY: {
		bool chars = t->elem->k == TY_INT && t->elem->size == 1;
		line(out, depth, member, "(%s) [", tn);
		for (int i = 0; i < t->nelem; i++) {
			const unsigned char *e = p + (size_t)i * t->elem->size;
			if (chars && !*e)
				break;
			value(out, t->elem, NULL, e, NULL, depth + 1);
		}
		line(out, depth, NULL, "],");
		break;
	}
	case TY_INT: {
		uint64_t u = 0;
		memcpy(&u, p, t->size < 8 ? (size_t)t->size : 8);
		if (t->size == 1 && t->sign && !strcmp(tn, "char"))
			line(out, depth, member, "(%s)'%c',", tn, (char)u);
		else if (t->sign) {
			int sh = 64 - 8 * (t->size < 8 ? t->size : 8);
			line(out, depth, member, "(%s)%lld,", tn,
			     (long long)((int64_t)(u << sh) >> sh));
		} else
			line(out, depth, member, "(%s)%llu,", tn,
			     (unsigned long long)u);
		break;
	}
	case TY_PTR: {
		uint64_t u;
		memcpy(&u, p, 8);
		line(out, depth, member, "(%s)0x%llx,", tn, (unsigned long long)u);
		break;
	}
	default:
		break;
	}
}

void print_type(FILE *out, uint64_t addr, const struct type *t,
		const void *data)
{
	fprintf(out, "%#llx = *\n", (unsigned long long)addr);
	value(out, t, NULL, data, NULL, 0);
}
