/* reclayout.c - the printf records a tool's D program sends, as a header its
 * main.c checks at compile time (the Makefile builds and runs this for every
 * tool with a T/T.d: build/gen/T_rec.h).
 *
 *	reclayout TOOL T/T.d T/main.c > build/gen/TOOL_rec.h
 *
 * The program is compiled and generated as the tool does it, with each
 * constant main.c sets (dtk_set_int/str/table(d, "NAME", ...), found in its
 * text) set to 0 or "": a record's layout does not depend on their values.
 * The header says, for each distinct layout of a printf record, how many
 * values it carries and which are strings (dtk_record_values's isstr):
 *
 *	#define TOOL_D_RECORD(n, strs) ((n) == 8 && (strs) == 0xc0ULL || ...)
 *
 * and main.c asserts that the record it reads is one of them:
 *
 *	DTK_RECORD_CHECK(TOOL_D_RECORD, V_N, DTK_STR(V_COMM) | DTK_STR(V_ARGS));
 *
 * so a value added to, taken from or moved in the D's printf without main.c
 * following fails the build.  Two values of the same kind swapped keep the
 * layout: where main.c names the values by an enum (V_PID for "pid"), each
 * name found in the printf's arguments must be at its position, or
 * reclayout fails (see "the values' names" below).  Only a kernel without BTF (where nothing can
 * be compiled that reads a kernel struct) gives an unchecked header, and a
 * warning says so. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "dtk_impl.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 65536;
			if (!(buf = realloc(buf, cap))) {
				perror("reclayout");
				exit(1);
			}
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		perror(path);
		exit(1);
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Set every constant main.c sets: each "dtk_set_KIND(d, "NAME"" in it. */
static int set_consts(struct dtk *d, const char *main_c)
{
	static const char *const kinds[] = { "int", "str", "table" };
	static const int64_t zero[1];

	for (int k = 0; k < 3; k++) {
		char pat[32];
		snprintf(pat, sizeof pat, "dtk_set_%s(", kinds[k]);
		for (const char *s = strstr(main_c, pat); s; s = strstr(s + 1, pat)) {
			const char *q = strchr(s, '"'), *e = q ? strchr(q + 1, '"') : NULL;
			const char *close = strchr(s, ')');
			if (!q || !e || (close && close < q))
				continue;	/* the declaration, or a name not literal */
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(e - q - 1), q + 1);
			int r = k == 0 ? dtk_set_int(d, name, 0) :
				k == 1 ? dtk_set_str(d, name, "") :
				dtk_set_table(d, name, zero, 1);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

/* Bit i set when value i of a's record is a string to dtk_record_values. */
static unsigned long long strs_of(const struct action *a)
{
	unsigned long long strs = 0;
	for (int k = 0; k < a->nvals && k < 64; k++)
		if (a->vals[k].kind == RV_STR || a->vals[k].kind == RV_PROBEFUNC)
			strs |= 1ULL << k;
	return strs;
}

/* ---- the values' names ----
 *
 * Two integers swapped in the D's printf keep the record's layout, so the
 * layout alone cannot see it.  main.c names the values it reads: an enum
 * whose last member is the count it checks (enum { V_TS, V_UID, V_PID,
 * V_N }; DTK_RECORD_CHECK(..., V_N, ...)).  A member's name without its
 * prefix (V_PID: "pid") that is a name in one of the printf's arguments
 * (a variable, this->pid, self->pid, a member ->pid) must be at that
 * argument's position; names found in no argument (V_TS for timestamp)
 * are checked by position and kind only, which the header says. */

struct names {
	char **v;
	int n;
};

static void names_free(struct names *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

/* main.c's text with its comments blanked */
static char *uncomment(const char *s)
{
	char *t = strdup(s);
	if (!t) {
		perror("reclayout");
		exit(1);
	}
	for (char *p = t; *p; p++) {
		if (p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			memset(p, ' ', (size_t)(e - p));
			p = e - 1;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				*p++ = ' ';
			p--;
		} else if (*p == '"') {	/* skip a string literal */
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				break;
		}
	}
	return t;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The members of the enum of text t whose last member is count, if each
 * takes the next value (no "= N"): 0, else -1. */
static int enum_ending(const char *t, const char *count, struct names *out)
{
	size_t cl = strlen(count);
	for (const char *s = strstr(t, "enum"); s; s = strstr(s + 1, "enum")) {
		if ((s > t && ident_char(s[-1])) || ident_char(s[4]))
			continue;
		const char *open = strchr(s, '{'), *semi = strchr(s, ';');
		if (!open || (semi && semi < open))
			continue;
		const char *close = strchr(open, '}');
		if (!close)
			return -1;
		struct names e = { 0 };
		bool plain = true, last_is_count = false;
		for (const char *p = open + 1; p < close;) {
			while (p < close && !ident_char(*p) && *p != '=')
				p++;
			if (p >= close)
				break;
			if (*p == '=') {
				plain = false;
				break;
			}
			const char *q = p;
			while (q < close && ident_char(*q))
				q++;
			last_is_count = (size_t)(q - p) == cl && !strncmp(p, count, cl);
			if (!last_is_count) {
				e.v = realloc(e.v, (size_t)(e.n + 1) * sizeof *e.v);
				if (!e.v || !(e.v[e.n] = strndup(p, (size_t)(q - p)))) {
					perror("reclayout");
					exit(1);
				}
				e.n++;
			}
			p = q;
		}
		if (plain && last_is_count) {
			*out = e;
			return 0;
		}
		names_free(&e);
	}
	return -1;
}

/* The name a member stands for: V_PID is "pid". */
static void role_of(const char *member, char *out, size_t len)
{
	const char *u = strchr(member, '_');
	const char *r = u && u[1] ? u + 1 : member;
	size_t i = 0;
	for (; r[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)r[i]);
	out[i] = 0;
}

/* Does expression n name x (a variable, this->x, self->x, a member)? */
static bool names_in(const struct node *n, const char *x)
{
	if (!n)
		return false;
	switch (n->kind) {
	case N_IDENT: case N_SELF: case N_THIS: case N_MEMBER: case N_PTRMEMBER:
		if (n->name && !strcasecmp(n->name, x))
			return true;
		break;
	default:
		break;
	}
	if (names_in(n->l, x) || names_in(n->r, x) || names_in(n->c, x))
		return true;
	for (int i = 0; i < n->nargs; i++)
		if (names_in(n->args[i], x))
			return true;
	return false;
}

/* The printf call at loc in n, or NULL. */
static const struct node *call_at(const struct node *n, struct loc loc)
{
	if (!n)
		return NULL;
	if (n->kind == N_CALL && n->loc.line == loc.line &&
	    n->loc.col == loc.col && !strcmp(n->name, "printf"))
		return n;
	const struct node *k[] = { n->l, n->r, n->c }, *f;
	for (int i = 0; i < 3; i++)
		if ((f = call_at(k[i], loc)))
			return f;
	for (int i = 0; i < n->nargs; i++)
		if ((f = call_at(n->args[i], loc)))
			return f;
	return NULL;
}

/* Check the names of every record main.c reads through an enum (see
 * above) against the D's printf arguments; say which were checked.
 * 0, or -1 with the mismatch told on stderr. */
static int check_names(const struct prog *p, const char *dfile,
		       const char *main_path, const char *main_c)
{
	char *t = uncomment(main_c);
	int rc = 0;
	const char *pat = "DTK_RECORD_CHECK(";
	for (const char *s = strstr(t, pat); s && !rc; s = strstr(s + 1, pat)) {
		const char *a = strchr(s, ','), *b = a ? strpbrk(a + 1, ",)") : NULL;
		if (!a || !b)
			continue;
		while (isspace((unsigned char)*++a))
			;
		const char *z = a;
		while (z < b && ident_char(*z))
			z++;
		char count[128];
		snprintf(count, sizeof count, "%.*s", (int)(z - a), a);
		struct names e = { 0 };
		if (!*count || isdigit((unsigned char)*count) ||
		    enum_ending(t, count, &e) < 0)
			continue;	/* a count that is no enum's end */
		bool *by_name = calloc((size_t)e.n + 1, sizeof *by_name);
		if (!by_name) {
			perror("reclayout");
			exit(1);
		}
		for (int i = 0; i < p->nactions && !rc; i++) {
			const struct action *ac = &p->actions[i];
			if (ac->kind != ACT_PRINTF || ac->nvals != e.n ||
			    ac->clause < 0)
				continue;
			const struct clause *cl = p->clauses[ac->clause];
			const struct node *call = NULL;
			for (int j = 0; j < cl->nstmts && !call; j++)
				call = call_at(cl->stmts[j], ac->loc);
			if (!call || call->nargs - 1 != e.n)
				continue;
			for (int v = 0; v < e.n && !rc; v++) {
				char role[64];
				role_of(e.v[v], role, sizeof role);
				int at = -1;
				for (int k = 0; k < e.n; k++)
					if (names_in(call->args[k + 1], role) &&
					    (at < 0 || k == v))
						at = k;
				if (at == v)
					by_name[v] = true;
				else if (at >= 0) {
					fprintf(stderr, "reclayout: %s: %s reads "
						"value %d of the record, but the "
						"printf at %s:%d sends %s as value "
						"%d\n", main_path, e.v[v], v, dfile,
						call->loc.line, role, at);
					rc = -1;
				}
			}
		}
		if (!rc) {
			printf("/* %s's values checked by name:", count);
			for (int v = 0; v < e.n; v++)
				if (by_name[v])
					printf(" %s", e.v[v]);
			printf("; by position and kind only:");
			for (int v = 0; v < e.n; v++)
				if (!by_name[v])
					printf(" %s", e.v[v]);
			printf(" */\n");
		}
		free(by_name);
		names_free(&e);
	}
	free(t);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: reclayout TOOL T.d main.c\n");
		return 2;
	}
	char up[64];
	snprintf(up, sizeof up, "%s", argv[1]);
	for (char *p = up; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	char *src = slurp(argv[2]), *main_c = slurp(argv[3]);

	printf("/* %s_rec.h - generated by scripts/reclayout.c from %s: each layout\n"
	       " * of a printf record the program sends, as (number of values, bit i set\n"
	       " * when value i is a string).  main.c: DTK_RECORD_CHECK (dtk.h). */\n",
	       argv[1], argv[2]);

	int err = 0;
	struct dtk *d = dtk_open(&err);
	if (!d) {
		fprintf(stderr, "reclayout: %s\n", strerror(err));
		return 1;
	}
	if (set_consts(d, main_c) < 0 || dtk_compile(d, argv[2], src, 0) < 0 ||
	    dtk_codegen(d) < 0) {
		if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
			fprintf(stderr, "reclayout: warning: %s: %s (no kernel BTF: "
				"%s's records are not checked)\n", argv[2],
				dtk_errmsg(d), argv[1]);
			printf("#define %s_D_RECORD(n, strs) 1\n", up);
			dtk_close(d);
			return 0;
		}
		fprintf(stderr, "reclayout: %s\n", dtk_errmsg(d));
		dtk_close(d);
		return 1;
	}

	const struct prog *p = &d->comp.p;
	if (check_names(p, argv[2], argv[3], main_c) < 0) {
		dtk_close(d);
		return 1;
	}
	printf("#define %s_D_RECORD(n, strs) (0", up);
	for (int i = 0; i < p->nactions; i++) {
		const struct action *a = &p->actions[i];
		if (a->kind != ACT_PRINTF)
			continue;
		unsigned long long strs = strs_of(a);
		bool seen = false;	/* print each layout once */
		for (int j = 0; j < i && !seen; j++) {
			const struct action *b = &p->actions[j];
			seen = b->kind == ACT_PRINTF && b->nvals == a->nvals &&
			       strs_of(b) == strs;
		}
		if (!seen)
			printf(" || \\\n\t((n) == %d && (strs) == 0x%llxULL)", a->nvals, strs);
	}
	printf(")\n");
	dtk_close(d);
	free(src);
	free(main_c);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
