/* probes.c - the probe table: the probes every provider makes (asked in
 * the order of the providers it is given: probetab_new, which
 * prov/registry.c calls with every provider), the system calls' names and
 * numbers, lookups, and matching descriptions against them.  The checker matches
 * descriptions here; it knows the providers only through their operations,
 * so the language does not depend on the providers' code.
 *
 * Probes live in the table's arena and never move, so the compiler may keep
 * pointers to them; ids are 1, 2, 3... in listing order, and probes made on
 * demand (profile-N, pid, fbt) take the next ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes_impl.h"
#include "provider_ops.h"
#include "systab.h"

/* ---- glob ---- */

/* [...] at p (just past the '['): whether c is in the class; *end is set to
 * the closing ']', or NULL when there is none (then '[' is a plain char). */
static bool class_match(const char *p, char c, const char **end)
{
	bool negate = false, in = false;

	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	for (bool first = true; *p && (first || *p != ']'); first = false, p++) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if ((unsigned char)c >= (unsigned char)p[0] &&
			    (unsigned char)c <= (unsigned char)p[2])
				in = true;
			p += 2;
		} else if (*p == c) {
			in = true;
		}
	}
	*end = *p == ']' ? p : NULL;
	return in != negate;
}

bool probe_glob(const char *p, const char *s)
{
	const char *end;

	for (; *p; p++, s++) {
		switch (*p) {
		case '*':
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			for (; *s; s++)
				if (probe_glob(p, s))
					return true;
			return false;
		case '?':
			if (!*s)
				return false;
			break;
		case '[':
			if (!*s)
				return false;
			if (class_match(p + 1, *s, &end)) {
				if (end) {
					p = end;
					break;
				}
			} else if (end) {
				return false;
			}
			if (*s != '[')
				return false;
			break;
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return false;
		}
	}
	return *s == '\0';
}

bool probe_has_glob(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

bool probe_field_match(const char *pat, const char *s)
{
	return !pat || !*pat || probe_glob(pat, s);
}

/* ---- the table ---- */

static unsigned hash4(const char *prov, const char *mod, const char *func,
		      const char *name)
{
	const char *f[4] = { prov, mod, func, name };
	unsigned h = 2166136261u;

	for (int i = 0; i < 4; i++) {
		for (const char *s = f[i]; *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
		h = (h ^ ':') * 16777619u;
	}
	return h;
}

static void hash_insert(struct probetab *t, struct probe *p)
{
	unsigned i;

	if (2 * (t->hcount + 1) > t->hcap) {
		struct probe **old = t->hash;
		unsigned oldcap = t->hcap;

		t->hcap = t->hcap ? 2 * t->hcap : 1024;
		t->hash = calloc(t->hcap, sizeof(*t->hash));
		if (!t->hash)
			abort();
		t->hcount = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				hash_insert(t, old[i]);
		free(old);
	}
	i = hash4(p->prov, p->mod, p->func, p->name) & (t->hcap - 1);
	while (t->hash[i])
		i = (i + 1) & (t->hcap - 1);
	t->hash[i] = p;
	t->hcount++;
}

struct probe *probetab_find(struct probetab *t, const char *prov,
			    const char *mod, const char *func, const char *name)
{
	unsigned i;

	if (!t->hcap)
		return NULL;
	i = hash4(prov, mod, func, name) & (t->hcap - 1);
	for (; t->hash[i]; i = (i + 1) & (t->hcap - 1)) {
		struct probe *p = t->hash[i];

		if (!strcmp(p->name, name) && !strcmp(p->func, func) &&
		    !strcmp(p->mod, mod) && !strcmp(p->prov, prov))
			return p;
	}
	return NULL;
}

struct probe *probetab_add(struct probetab *t, enum prov_kind kind,
			   const char *prov, const char *mod, const char *func,
			   const char *name)
{
	struct probe *p = arena_alloc(t->arena, sizeof(*p));
	const struct probe *prev = t->n ? t->v[t->n - 1] : NULL;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			abort();
	}
	p->id = t->n + 1;
	p->kind = kind;
	p->provider = t->provs[kind];
	/* provider and module names repeat: share the previous probe's */
	p->prov = prev && !strcmp(prev->prov, prov) ? prev->prov :
		  arena_strdup(t->arena, prov);
	p->mod = prev && !strcmp(prev->mod, mod) ? prev->mod :
		 arena_strdup(t->arena, mod);
	p->func = arena_strdup(t->arena, func);
	p->name = arena_strdup(t->arena, name);
	p->pid = -1;
	t->v[t->n++] = p;
	hash_insert(t, p);
	return p;
}

void probe_set_arg(struct probe *p, const char *type, const char *name)
{
	struct probe_arg *a = &p->args[p->nargs++];

	a->type = type;
	a->name = name;
}

/* ---- syscall names ---- */

static int cmp_sysname(const void *a, const void *b)
{
	return strcmp(((const struct sysname *)a)->name,
		      ((const struct sysname *)b)->name);
}

/* The built-in table's names and numbers, both ways: syscall_nr() and
 * syscall_name() for the checker and the consumer, and the syscall
 * provider's list (its probes, prov/probes_syscall.c). */
static void syscall_names(struct probetab *t)
{
	int i;

	t->sysmax = 0;
	for (i = 0; i < systab_len; i++)
		if (systab[i].nr + 1 > t->sysmax)
			t->sysmax = systab[i].nr + 1;
	t->sysname_by_nr = arena_alloc(t->arena, t->sysmax * sizeof(char *));
	t->sys_by_name = arena_alloc(t->arena, systab_len * sizeof(struct sysname));
	t->nsys = systab_len;
	for (i = 0; i < systab_len; i++) {
		const struct systab_entry *e = &systab[i];

		t->sysname_by_nr[e->nr] = e->name;
		t->sys_by_name[i].name = e->name;
		t->sys_by_name[i].nr = e->nr;
		t->sys_by_name[i].idx = i;
	}
	qsort(t->sys_by_name, t->nsys, sizeof(struct sysname), cmp_sysname);
}

const struct sysname *probetab_sysname(struct probetab *t, const char *name)
{
	struct sysname key = { .name = name };

	return bsearch(&key, t->sys_by_name, t->nsys, sizeof(key), cmp_sysname);
}

const struct probe *probetab_args(struct probetab *t, const struct probe *cp)
{
	if (!cp || !cp->args_pending)
		return cp;
	/* the table owns its probes: filling one in is the table's business,
	 * and the provider's that made it */
	struct probe *p = t->v[cp->id - 1];
	const struct provider *v = provider_of(p);

	p->args_pending = false;
	if (v->args)
		v->args(t, p);
	return p;
}

int syscall_nr(struct probetab *t, const char *name)
{
	const struct sysname *s = probetab_sysname(t, name);

	return s ? s->nr : -1;
}

const char *syscall_name(struct probetab *t, int nr)
{
	return nr >= 0 && nr < t->sysmax ? t->sysname_by_nr[nr] : NULL;
}

int syscall_max(struct probetab *t)
{
	return t->sysmax;
}

/* ---- the table's life ---- */

struct probetab *probetab_new(const struct provider *const *provs, int nprovs,
			      bool use_tracefs)
{
	struct probetab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->arena = arena_new();
	t->provs = provs;
	t->nprovs = nprovs;
	t->sysdir = -1;
	t->use_tracefs = use_tracefs;
	syscall_names(t);
	/* each provider's static probes, in the registry's order */
	for (int i = 0; i < nprovs; i++)
		if (provs[i]->probes)
			provs[i]->probes(t, use_tracefs);
	return t;
}

void probetab_close(struct probetab *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nprovs; i++)
		if (t->provs[i]->free)
			t->provs[i]->free(t);
	if (t->sysdir >= 0)
		close(t->sysdir);
	arena_free(t->arena);
	free(t->v);
	free(t->hash);
	free(t);
}

int probetab_count(struct probetab *t)
{
	return t->n;
}

const struct probe *probetab_get(struct probetab *t, int i)
{
	return i >= 0 && i < t->n ? t->v[i] : NULL;
}

const struct probe *probetab_by_id(struct probetab *t, uint32_t id)
{
	return id >= 1 && id <= (uint32_t)t->n ? t->v[id - 1] : NULL;
}

bool probetab_from_tracefs(struct probetab *t)
{
	return t->from_tracefs;
}

void probetab_use_tracefs(struct probetab *t, bool use)
{
	t->use_tracefs = use;
}

/* Does a description's provider field name this provider (not by "*" or
 * an empty field)?  fbt's tens of thousands of probes are looked at only
 * then (named_only). */
bool probe_names_provider(const char *prov, const char *name)
{
	return prov && *prov && strcmp(prov, "*") && probe_glob(prov, name);
}

int probetab_match(struct probetab *t, const char *prov, const char *mod,
		   const char *func, const char *name, probe_fn fn, void *arg,
		   char *err, size_t errlen)
{
	char dummy[8];
	int count = 0;

	prov = prov ? prov : "";
	mod = mod ? mod : "";
	func = func ? func : "";
	name = name ? name : "";
	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	/* the probes that exist only when a description names them */
	for (int i = 0; i < t->nprovs; i++)
		if (t->provs[i]->demand &&
		    t->provs[i]->demand(t, prov, mod, func, name, err, errlen) < 0)
			return -1;

	/* a description without wildcards names at most one probe */
	if (*prov && *mod && *func && *name && !probe_has_glob(prov) &&
	    !probe_has_glob(mod) && !probe_has_glob(func) &&
	    !probe_has_glob(name)) {
		struct probe *p = probetab_find(t, prov, mod, func, name);

		if (p) {
			if (fn)
				fn(p, arg);
			return 1;
		}
		/* pid modules have aliases ("libc", "a.out"): look further */
	}
	for (int i = 0; i < t->n; i++) {
		const struct probe *p = t->v[i];

		const struct provider *pv = provider_of(p);

		if (pv->named_only && !probe_names_provider(prov, pv->name))
			continue;
		if (probe_field_match(prov, p->prov) &&
		    (pv->mod_match ? pv->mod_match(t, mod, p) :
		     probe_field_match(mod, p->mod)) &&
		    probe_field_match(func, p->func) &&
		    probe_field_match(name, p->name)) {
			if (fn)
				fn(p, arg);
			count++;
		}
	}
	return count;
}
