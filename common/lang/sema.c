/* sema.c - the checker: names, types, probe matching and D's rules.
 *
 * It walks each clause in source order (D defines a variable by its first
 * assignment in program text), annotates every expression node with its
 * type and symbol, folds constants, substitutes inline constants and macro
 * arguments, and records which probes each clause enables.  The first error
 * ends the compile through diag_fail().
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aggfmt.h"
#include "builtins.h"
#include "compile.h"
#include "consts.h"
#include "dtk.h"
#include "fmt.h"
#include "func.h"
#include "kbtf.h"
#include "lex.h"
#include "provider_ops.h"
#include "sema.h"
#include "symtab.h"
#include "uregs.h"

struct sema {
	struct compile *d;
	struct prog *p;
	struct arena *a;
	struct diag *dg;
	struct clause *cl;
	int flags;
	/* what the current clause's probes have in common */
	bool all_syscall, all_entry, all_return, any_proc;
	const struct probe *single;	/* the only probe, if one */
	int depth;
	/* the enum being declared and the value of its next enumerator */
	const struct ctype *enum_ct;
	int64_t enum_next;
	int maxarg;			/* the highest $N the program uses */
	bool fmt_const;			/* the call's first argument is written
					   as a constant (a format) */
};

#define FAIL(s, loc, tag, ...) diag_fail((s)->dg, (loc), (tag), __VA_ARGS__)

/* the D function named name, or NULL */
static const struct func *func_named(struct sema *s, const char *name)
{
	return func_lookup(s->d->funcs, name);
}

static struct type t_string_dummy;

static struct type *str_type(struct sema *s, int cap)
{
	return type_string(s->a, cap);
}

static struct type *strsize_type(struct sema *s)
{
	return str_type(s, s->d->opt.strsize);
}

static char *tname(const struct type *t)
{
	static char buf[4][128];
	static int i;
	i = (i + 1) % 4;
	return (char *)type_str(t, buf[i], sizeof buf[i]);
}

/* ---- symbols ---- */

static struct sym *sym_find(struct sema *s, enum sym_kind k, const char *name)
{
	for (struct sym *y = s->p->syms; y; y = y->next)
		if (y->kind == k && strcmp(y->name, name) == 0)
			return y;
	return NULL;
}

static struct sym *sym_find_global(struct sema *s, const char *name)
{
	for (struct sym *y = s->p->syms; y; y = y->next)
		if ((y->kind == S_GLOBAL || y->kind == S_ASSOC ||
		     y->kind == S_INLINE || y->kind == S_TABLE) &&
		    strcmp(y->name, name) == 0)
			return y;
	return NULL;
}

static struct sym *sym_new(struct sema *s, enum sym_kind k, const char *name,
			   struct type *t, struct loc loc)
{
	struct sym *y = arena_alloc(s->a, sizeof *y);
	y->kind = k;
	y->name = arena_strdup(s->a, name);
	y->type = t;
	y->loc = loc;
	y->map = -1;
	/* append, so symbols stay in definition order (aggregations print in
	 * the order they were defined) */
	struct sym **pp = &s->p->syms;
	while (*pp)
		pp = &(*pp)->next;
	*pp = y;
	return y;
}

/* ---- built-in variables ---- */

static const struct {
	const char *name;
	enum builtin id;
} builtin_names[] = {
	{ "pid", B_PID }, { "tid", B_TID }, { "ppid", B_PPID }, { "uid", B_UID },
	{ "gid", B_GID }, { "execname", B_EXECNAME },
	{ "timestamp", B_TIMESTAMP }, { "vtimestamp", B_VTIMESTAMP },
	{ "walltimestamp", B_WALLTIMESTAMP }, { "cpu", B_CPU },
	{ "errno", B_ERRNO }, { "arg0", B_ARG0 }, { "arg1", B_ARG1 },
	{ "arg2", B_ARG2 }, { "arg3", B_ARG3 }, { "arg4", B_ARG4 },
	{ "arg5", B_ARG5 }, { "arg6", B_ARG6 }, { "arg7", B_ARG7 },
	{ "arg8", B_ARG8 }, { "arg9", B_ARG9 }, { "args", B_ARGS },
	{ "probeprov", B_PROBEPROV }, { "probemod", B_PROBEMOD },
	{ "probefunc", B_PROBEFUNC }, { "probename", B_PROBENAME },
	{ "curpsinfo", B_CURPSINFO }, { "curlwpsinfo", B_CURLWPSINFO },
	{ "cwd", B_CWD }, { "curthread", B_CURTHREAD },
	{ "zonename", B_ZONENAME }, { "epid", B_EPID }, { "id", B_ID },
	{ "ustackdepth", B_USTACKDEPTH }, { "stackdepth", B_STACKDEPTH },
	{ "caller", B_CALLER }, { "ucaller", B_UCALLER }, { "ipl", B_IPL },
	{ "root", B_ROOTDIR }, { "uregs", B_UREGS }, { "cgroup", B_CGROUP },
};

static struct type psinfo_type = { .k = TY_STRUCT, .name = "psinfo_t",
				   .synth = SYN_PSINFO };
static struct type lwpsinfo_type = { .k = TY_STRUCT, .name = "lwpsinfo_t",
				     .synth = SYN_LWPSINFO };

struct kbtf *sema_kbtf(struct compile *d)
{
	if (!d->kbtf)
		d->kbtf = kbtf_open();
	return d->kbtf;
}

static struct type *kernel_struct_ptr(struct sema *s, const char *sname,
				      struct loc loc)
{
	struct kbtf *kb = sema_kbtf(s->d);
	int id = kb ? kbtf_find_struct(kb, sname) : -1;
	if (id < 0)
		FAIL(s, loc, D_TYPE_ERR, "kernel type struct %s is not available "
		     "(no kernel BTF at /sys/kernel/btf/vmlinux)", sname);
	struct type *st = arena_alloc(s->a, sizeof *st);
	st->k = TY_STRUCT;
	st->btf_id = id;
	st->name = arena_strdup(s->a, sname);
	char full[128];
	snprintf(full, sizeof full, "struct %s", sname);
	st->name = arena_strdup(s->a, full);
	struct kbtf_type kt;
	if (kbtf_type(kb, id, &kt) == 0)
		st->size = kt.size;
	return type_ptr(s->a, st, false);
}

static struct type *builtin_type(struct sema *s, enum builtin b, struct loc loc)
{
	switch (b) {
	case B_PID: case B_TID: case B_PPID: case B_CPU: case B_ERRNO:
	case B_EPID: case B_ID:
		return &t_int;
	case B_UID: case B_GID: case B_USTACKDEPTH: case B_STACKDEPTH:
	case B_IPL:
		return &t_uint;
	case B_TIMESTAMP: case B_VTIMESTAMP: case B_CGROUP:
		return &t_ullong;
	case B_WALLTIMESTAMP:
		return &t_llong;
	case B_ARG0: case B_ARG1: case B_ARG2: case B_ARG3: case B_ARG4:
	case B_ARG5: case B_ARG6: case B_ARG7: case B_ARG8: case B_ARG9:
		return &t_llong;
	case B_CALLER: case B_UCALLER:
		return &t_ulong;
	case B_EXECNAME:
		return str_type(s, 16);
	case B_PROBEPROV: case B_PROBEMOD: case B_PROBEFUNC: case B_PROBENAME:
		return str_type(s, 64);
	case B_ZONENAME:
		return str_type(s, 8);
	case B_CWD: case B_ROOTDIR:
		return strsize_type(s);
	case B_CURPSINFO:
		return type_ptr(s->a, &psinfo_type, false);
	case B_CURLWPSINFO:
		return type_ptr(s->a, &lwpsinfo_type, false);
	case B_CURTHREAD:
		return kernel_struct_ptr(s, "task_struct", loc);
	case B_ARGS: case B_UREGS:
		return &t_llong;	/* only valid subscripted */
	case B_NONE: case B_NBUILTINS:
		break;
	}
	return &t_llong;
}

static int builtin_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof builtin_names / sizeof builtin_names[0]; i++)
		if (strcmp(builtin_names[i].name, name) == 0)
			return builtin_names[i].id;
	return -1;
}

/* ---- helpers ---- */

static bool is_int(const struct node *n) { return type_is_int(n->type); }
static bool is_str(const struct node *n) { return type_is_string(n->type); }
static bool is_ptr(const struct node *n) { return n->type && n->type->k == TY_PTR; }
static bool is_scalar(const struct node *n) { return type_is_scalar(n->type); }
/* NULL, or any constant pointer 0 */
static bool is_null_ptr(const struct node *n)
{
	return is_ptr(n) && n->isconst && n->cval == 0;
}

static void set_const(struct node *n, int64_t v, struct type *t)
{
	n->isconst = true;
	n->cval = v;
	n->type = t;
}

/* Truncate/extend v to type t as C conversion does. */
static int64_t conv(int64_t v, const struct type *t)
{
	if (t->k != TY_INT || t->size >= 8)
		return v;
	int bits = t->size * 8;
	uint64_t m = (1ULL << bits) - 1;
	uint64_t u = (uint64_t)v & m;
	if (t->sign && (u >> (bits - 1)))
		u |= ~m;
	return (int64_t)u;
}

static const char *opname(int op)
{
	return tok_name(op);
}

static void expr(struct sema *s, struct node *n);
static void stmt(struct sema *s, struct node *n);

static struct type *ctype_resolve(struct sema *s, struct ctype *c)
{
	struct type *t = NULL;
	const char *nm = c->name;
	if (strcmp(nm, "string") == 0) {
		t = strsize_type(s);
	} else if (strcmp(nm, "void") == 0) {
		t = &t_void;
	} else if ((t = type_by_name(nm)) != NULL) {
		/* scalar */
	} else if (!strncmp(nm, "enum", 4) && (!nm[4] || nm[4] == ' ')) {
		t = &t_int;	/* enumerations are ints, as in C */
	} else if (sym_find(s, S_TYPEDEF, nm)) {
		t = sym_find(s, S_TYPEDEF, nm)->type;
	} else if (strcmp(nm, "caddr_t") == 0) {
		t = type_ptr(s->a, &t_char, false);
	} else if (strcmp(nm, "psinfo_t") == 0) {
		t = &psinfo_type;
	} else if (strcmp(nm, "lwpsinfo_t") == 0) {
		t = &lwpsinfo_type;
	} else if (strncmp(nm, "struct ", 7) == 0 || strncmp(nm, "union ", 6) == 0) {
		const char *sn = strchr(nm, ' ') + 1;
		struct type *p = kernel_struct_ptr(s, sn, c->loc);
		t = p->elem;
	} else {
		FAIL(s, c->loc, D_UNKNOWN, "failed to resolve type %s: Unknown type name", nm);
	}
	for (int i = 0; i < c->ptr; i++)
		t = type_ptr(s->a, t, false);
	if (c->array > 0)
		t = type_array(s->a, t, c->array);
	return t;
}

/* ---- macro variables ---- */

static void macro(struct sema *s, struct node *n)
{
	struct compile *d = s->d;
	const char *m = n->name;
	int64_t v = 0;
	if (isdigit((unsigned char)m[0])) {
		/* strtol saturates: $99999999999 is past any argument */
		long i = strtol(m, NULL, 10);
		if (i > s->maxarg)
			s->maxarg = i > INT32_MAX ? INT32_MAX : (int)i;
		const char *a = i < d->nargs ? d->args[i] : NULL;
		if (!a && d->opt.defaultargs)
			a = n->op == 1 ? "" : "0";	/* $$N or $N */
		if (!a)
			FAIL(s, n->loc, D_MACRO_UNDEF, "macro argument $%s is not defined", m);
		/* DTrace's rule: an optional sign and digits are a number,
		 * read unsigned (so 2^64-1 fits) and negated after; one
		 * that does not fit is an error, not a string */
		const char *digits = a + (*a == '-' || *a == '+');
		char *end;
		errno = 0;
		unsigned long long u = strtoull(digits, &end, 0);
		long long x = (long long)(*a == '-' ? -u : u);
		if (n->op != 1 && i != 0 && isdigit((unsigned char)*digits) && !*end &&
		    errno == ERANGE)
			FAIL(s, n->loc, D_MACRO_OFLOW, "macro argument $%s constant %s "
			     "results in integer overflow", m, a);
		if (n->op == 1 || i == 0 || !isdigit((unsigned char)*digits) || *end || errno) {
			/* $$1, or not a number: the argument as a string,
			 * never as D text */
			n->kind = N_STR;
			n->str = arena_strdup(s->a, a);
			n->len = strlen(a);
			n->type = str_type(s, (int)n->len + 1);
			return;
		}
		set_const(n, x, (x > INT32_MAX || x < INT32_MIN) ? &t_llong : &t_int);
		n->kind = N_INT;
		n->ival = (uint64_t)x;
		return;
	}
	if (strcmp(m, "target") == 0)
		v = d->target;
	else if (strcmp(m, "pid") == 0)
		v = getpid();
	else if (strcmp(m, "ppid") == 0)
		v = getppid();
	else if (strcmp(m, "uid") == 0 || strcmp(m, "euid") == 0)
		v = strcmp(m, "uid") == 0 ? getuid() : geteuid();
	else if (strcmp(m, "gid") == 0 || strcmp(m, "egid") == 0)
		v = strcmp(m, "gid") == 0 ? getgid() : getegid();
	else if (strcmp(m, "sid") == 0)
		v = getsid(0);
	else if (strcmp(m, "pgid") == 0)
		v = getpgrp();
	else if (strcmp(m, "projid") == 0 || strcmp(m, "taskid") == 0)
		v = 0;
	else
		FAIL(s, n->loc, D_MACRO_UNDEF, "failed to resolve $%s: Unknown macro variable", m);
	n->kind = N_INT;
	n->ival = (uint64_t)v;
	set_const(n, v, &t_int);
}

/* ---- identifiers ---- */

static void subst_inline(struct sema *s, struct node *n, struct sym *y)
{
	struct node *v = y->inl;
	struct loc loc = n->loc;
	*n = *v;
	n->loc = loc;
	if (n->kind == N_STR) {
		n->type = str_type(s, (int)n->len + 1);
	} else if (n->kind == N_INT) {
		set_const(n, (int64_t)n->ival, y->type ? y->type : &t_llong);
	} else {
		expr(s, n);
		if (y->type && y->type->k == TY_INT && n->isconst)
			set_const(n, conv(n->cval, y->type), y->type);
	}
}

static void ident(struct sema *s, struct node *n)
{
	struct sym *y = sym_find_global(s, n->name);
	if (y && y->kind == S_INLINE) {
		subst_inline(s, n, y);
		return;
	}
	if (y) {
		if (y->kind == S_ASSOC || y->kind == S_TABLE)
			FAIL(s, n->loc, D_IDENT_BADREF, "%s is %s and must be subscripted", n->name,
			     y->kind == S_ASSOC ? "an associative array" : "a table");
		n->sym = y;
		n->type = y->type;
		return;
	}
	int b = builtin_lookup(n->name);
	if (b >= 0) {
		if (b == B_ARGS || b == B_UREGS)
			FAIL(s, n->loc, D_IDENT_BADREF, "%s[ ] must be subscripted", n->name);
		n->builtin = b;
		n->type = builtin_type(s, b, n->loc);
		if (b == B_ZONENAME) {
			n->kind = N_STR;
			n->str = arena_strdup(s->a, "global");
			n->len = 6;
			n->type = str_type(s, 7);
			return;
		}
		/* a clause on one probe knows its names at compile time */
		if (s->single && (b == B_PROBEPROV || b == B_PROBEMOD ||
				  b == B_PROBEFUNC || b == B_PROBENAME)) {
			const struct probe *p = s->single;
			const char *v = b == B_PROBEPROV ? p->prov :
				b == B_PROBEMOD ? p->mod :
				b == B_PROBEFUNC ? p->func : p->name;
			n->kind = N_STR;
			n->str = arena_strdup(s->a, v);
			n->len = strlen(v);
			n->type = str_type(s, (int)n->len + 1);
			return;
		}
		if ((b == B_PROBEPROV || b == B_PROBEMOD || b == B_PROBENAME) &&
		    s->cl->nprobes > 0) {
			/* all probes of a clause that spans several programs
			 * share these when they come from one provider */
			const struct probe *p0 = probetab_by_id(s->d->probes,
								s->cl->probes[0]);
			bool same = true;
			for (int i = 1; i < s->cl->nprobes && same; i++) {
				const struct probe *q = probetab_by_id(
					s->d->probes, s->cl->probes[i]);
				const char *a = b == B_PROBEPROV ? p0->prov :
					b == B_PROBEMOD ? p0->mod : p0->name;
				const char *c = b == B_PROBEPROV ? q->prov :
					b == B_PROBEMOD ? q->mod : q->name;
				same = strcmp(a, c) == 0;
			}
			if (same && p0) {
				const char *v = b == B_PROBEPROV ? p0->prov :
					b == B_PROBEMOD ? p0->mod : p0->name;
				n->kind = N_STR;
				n->str = arena_strdup(s->a, v);
				n->len = strlen(v);
				n->type = str_type(s, (int)n->len + 1);
			}
		}
		return;
	}
	int64_t v;
	if (d_constant(n->name, &v) || reg_constant(n->name, &v)) {
		n->kind = N_INT;
		n->ival = (uint64_t)v;
		set_const(n, v, &t_int);
		return;
	}
	if (strcmp(n->name, "NULL") == 0) {
		n->kind = N_INT;
		n->ival = 0;
		set_const(n, 0, type_ptr(s->a, &t_void, false));
		return;
	}
	if (strcmp(n->name, "B_TRUE") == 0 || strcmp(n->name, "B_FALSE") == 0) {
		n->kind = N_INT;
		n->ival = n->name[2] == 'T';
		set_const(n, (int64_t)n->ival, &t_int);
		return;
	}
	if (func_named(s, n->name))
		FAIL(s, n->loc, D_FUNC_IDKIND, "%s( ) must be called with arguments in parentheses",
		     n->name);
	FAIL(s, n->loc, D_IDENT_UNDEF, "failed to resolve %s: Unknown variable name", n->name);
}

/* ---- variables as assignment targets ---- */

/* int a[5]: a global array of fixed size, in the globals map */
static bool is_decl_array(const struct sym *y)
{
	return y && y->kind == S_GLOBAL && y->type->k == TY_ARRAY &&
		y->type->elem->k == TY_INT;
}

/* a[i] of a declared array: i checked against the bound when constant
 * (at run time otherwise, codegen_store.c) */
static void array_index(struct sema *s, struct node *n, struct sym *y)
{
	if (n->nargs != 1)
		FAIL(s, n->loc, D_ARR_BADREF, "%s[ ] takes one subscript",
		     y->name);
	struct node *i = n->args[0];
	expr(s, i);
	if (!is_int(i))
		FAIL(s, i->loc, D_ARR_BADREF, "%s[ ] subscript must be an "
		     "integer, not %s", y->name, tname(i->type));
	if (i->isconst && (i->cval < 0 || i->cval >= y->type->nelem))
		FAIL(s, i->loc, D_ARR_BOUNDS, "index outside array bounds: "
		     "%llu, max is %i", (unsigned long long)i->cval,
		     y->type->nelem);
	n->sym = y;
	n->l->sym = y;
	n->type = y->type->elem;
}

static bool is_lvalue(struct node *n)
{
	switch (n->kind) {
	case N_IDENT:
		return n->sym && n->sym->kind == S_GLOBAL;
	case N_SELF: case N_THIS:
		return true;
	case N_INDEX:
		return n->sym && (n->sym->kind == S_ASSOC ||
				  is_decl_array(n->sym));
	default:
		return false;
	}
}

/* The type a variable gets from its first assignment. */
static struct type *storage_type(struct sema *s, struct type *t)
{
	if (type_is_string(t))
		return strsize_type(s);
	if (t->k == TY_INT && t->size < 4)
		return t;
	return t;
}

/* The capacity of a string key slot that must hold k: keys are as small
 * as the values they hold, since the kernel hashes (and codegen fills)
 * every byte of them on each update.  Only expressions known to write no
 * more than this into their slot get less than strsize (gen_key_str). */
static int key_str_cap(struct sema *s, struct node *k)
{
	if (k->kind == N_STR)
		return (int)k->len + 1;
	if (k->kind == N_IDENT && !k->sym && k->builtin == B_EXECNAME)
		return 16;
	if (k->kind == N_IDENT && !k->sym &&
	    (k->builtin == B_PROBEPROV || k->builtin == B_PROBEMOD ||
	     k->builtin == B_PROBEFUNC || k->builtin == B_PROBENAME))
		return 64;
	return s->d->opt.strsize;
}

/* Can k go in a syscall-number slot: probefunc in a clause on syscall
 * probes only, or a literal naming a syscall? */
static bool key_sysnum_ok(struct sema *s, struct node *k)
{
	if (k->kind == N_STR)
		return syscall_nr(s->d->probes, k->str) >= 0;
	return k->kind == N_IDENT && !k->sym && k->builtin == B_PROBEFUNC &&
	       s->all_syscall;
}

static struct type *str_key_type(struct sema *s, struct node *k)
{
	if (key_sysnum_ok(s, k)) {
		struct type *t = str_type(s, 8);
		t->synth = SYN_SYSNUM;
		return t;
	}
	return str_type(s, key_str_cap(s, k));
}

/* A string key slot that also holds k: the largest capacity any use
 * needs; a syscall-number slot stays one only while every use can. */
static struct type *grow_str_key(struct sema *s, struct type *old,
				 struct node *k)
{
	bool sysnum = old->synth == SYN_SYSNUM;
	if (sysnum && key_sysnum_ok(s, k))
		return old;
	int have = sysnum ? 0 : old->size, cap = key_str_cap(s, k);
	if (sysnum && cap < 64)
		cap = 64;	/* what the probefuncs already in it need */
	return cap <= have ? old : str_type(s, cap);
}

static void check_key_types(struct sema *s, struct node *at, struct sym *y,
			    struct node **keys, int nkeys, const char *what)
{
	if (y->nkeys != nkeys)
		FAIL(s, at->loc, D_PROTO_LEN, "%s%s[ ] prototype mismatch: %d "
		     "key%s passed, %d expected", what, y->name, nkeys,
		     nkeys == 1 ? "" : "s", y->nkeys);
	for (int i = 0; i < nkeys; i++) {
		bool want_str = type_is_string(y->keys[i]);
		bool is_s = is_str(keys[i]);
		bool want_stack = y->keys[i]->k == TY_STACK;
		bool is_stack = keys[i]->type->k == TY_STACK;
		if (want_str != is_s || want_stack != is_stack)
			FAIL(s, keys[i]->loc, D_PROTO_ARG, "%s%s[ ] key #%d is "
			     "incompatible with prototype: prototype: %s; "
			     "key: %s", what, y->name, i + 1,
			     tname(y->keys[i]), tname(keys[i]->type));
		if (want_str && !y->declared)
			y->keys[i] = grow_str_key(s, y->keys[i], keys[i]);
	}
}

static struct type *key_type(struct sema *s, struct node *k)
{
	if (is_str(k))
		return str_key_type(s, k);
	if (k->type->k == TY_SYMADDR && k->type->user) {
		/* ufunc() & co.: the process, then the address, for the
		 * consumer to name (gen_key_scalar) */
		struct type *t = arena_alloc(s->a, sizeof *t);
		*t = *k->type;
		t->size = 16;
		return t;
	}
	if (k->type->k == TY_STACK || k->type->k == TY_SYMADDR)
		return k->type;
	if (k->type->k == TY_PTR)
		return &t_ullong;
	if (!is_int(k))
		FAIL(s, k->loc, D_KEY_TYPE, "%s may not be used as a key",
		     tname(k->type));
	/* The key keeps its type, for printing (DTrace prints a key by its
	 * size: " %3d" " %5d" " %8d" " %16lld"); its slot is 8 bytes all the
	 * same, holding the value as the register has it. */
	return k->type;
}

/* Define or check a variable that is being assigned a value of type t. */
static void define_var(struct sema *s, struct node *lhs, struct type *t)
{
	if (t->k == TY_VOID)
		FAIL(s, lhs->loc, D_OP_INCOMPAT, "cannot assign a void value");
	if (t->k == TY_STACK)
		FAIL(s, lhs->loc, D_OP_INCOMPAT, "stack( ) values may only be used as "
		     "aggregation keys");
	switch (lhs->kind) {
	case N_IDENT: {
		struct sym *y = sym_find_global(s, lhs->name);
		if (y && (y->kind == S_INLINE || y->kind == S_TABLE))
			FAIL(s, lhs->loc, D_OP_WRITE, "%s is %s and may not be assigned",
			     lhs->name, y->kind == S_INLINE ? "an inline constant"
							   : "a table");
		if (!y) {
			if (builtin_lookup(lhs->name) >= 0)
				FAIL(s, lhs->loc, D_OP_WRITE, "operator = can only be applied "
				     "to a writable variable: %s is read-only",
				     lhs->name);
			y = sym_new(s, S_GLOBAL, lhs->name, storage_type(s, t),
				    lhs->loc);
		}
		lhs->sym = y;
		lhs->type = y->type;
		break;
	}
	case N_SELF: case N_THIS: {
		enum sym_kind k = lhs->kind == N_SELF ? S_SELF : S_THIS;
		struct sym *y = sym_find(s, k, lhs->name);
		if (!y)
			y = sym_new(s, k, lhs->name, storage_type(s, t), lhs->loc);
		lhs->sym = y;
		lhs->type = y->type;
		break;
	}
	case N_INDEX: {
		struct node *base = lhs->l;
		if (base->kind != N_IDENT)
			FAIL(s, lhs->loc, D_OP_WRITE, "operator = can only be applied to a "
			     "writable variable");
		for (int i = 0; i < lhs->nargs; i++)
			expr(s, lhs->args[i]);
		struct sym *y = sym_find_global(s, base->name);
		if (y && y->kind != S_ASSOC)
			FAIL(s, base->loc, D_ARR_BADREF, "%s is not an associative array",
			     base->name);
		if (!y) {
			if (builtin_lookup(base->name) >= 0)
				FAIL(s, lhs->loc, D_OP_WRITE, "operator = can only be applied "
				     "to a writable variable: %s is read-only",
				     base->name);
			y = sym_new(s, S_ASSOC, base->name, storage_type(s, t),
				    base->loc);
			y->nkeys = lhs->nargs;
			y->keys = arena_alloc(s->a, sizeof *y->keys * (lhs->nargs + 1));
			for (int i = 0; i < lhs->nargs; i++)
				y->keys[i] = key_type(s, lhs->args[i]);
		} else {
			check_key_types(s, lhs, y, lhs->args, lhs->nargs, "");
		}
		lhs->sym = y;
		base->sym = y;
		lhs->type = y->type;
		break;
	}
	default:
		FAIL(s, lhs->loc, D_OP_LVAL, "operator = can only be applied to a writable "
		     "variable");
	}
	struct type *vt = lhs->type;
	bool ok = type_is_string(vt) ? type_is_string(t)
				    : (type_is_scalar(vt) && type_is_scalar(t));
	if (!ok)
		FAIL(s, lhs->loc, D_OP_INCOMPAT, "operands have incompatible "
		     "types: \"%s\" = \"%s\"", tname(vt), tname(t));
}

/* ---- aggregations ---- */

static void want_args(struct sema *s, struct node *n,
		      const struct func *fi);

static void agg_assign(struct sema *s, struct node *n)
{
	struct node *lhs = n->l, *rhs = n->r;
	if (n->op != '=')
		FAIL(s, n->loc, D_OP_INCOMPAT, "operator %s cannot be applied to an aggregation",
		     opname(n->op));
	const struct func *fi = rhs->kind == N_CALL ? func_named(s, rhs->name) : 0;
	if (rhs->kind == N_CALL && !fi)
		FAIL(s, rhs->loc, D_FUNC_UNDEF, "undefined function name: %s",
		     rhs->name);
	if (!fi || fi->cls != FC_AGG)
		FAIL(s, rhs->loc, D_AGG_FUNC, "@%s must be assigned the result of an "
		     "aggregating function", lhs->name);
	for (int i = 0; i < lhs->nargs; i++) {
		if (lhs->args[i]->kind == N_AGG)
			FAIL(s, lhs->args[i]->loc, D_KEY_TYPE, "aggregation "
			     "expression may not be used as aggregation index: "
			     "key #%d", i + 1);
		expr(s, lhs->args[i]);
		(void)key_type(s, lhs->args[i]);
	}
	want_args(s, rhs, fi);
	for (int i = 0; i < rhs->nargs; i++) {
		expr(s, rhs->args[i]);
		if (!is_scalar(rhs->args[i]))
			FAIL(s, rhs->args[i]->loc, D_PROTO_ARG, "%s( ) argument #%d is "
			     "incompatible with prototype: expected an integer, "
			     "got %s", fi->name, i + 1, tname(rhs->args[i]->type));
		/* DTrace counts the parameters after the value */
		if (i > 0 && !rhs->args[i]->isconst)
			FAIL(s, rhs->args[i]->loc, i <= fi->npar ?
			     fi->partag[i - 1] : D_PROTO_ARG, "%s( ) argument "
			     "#%d must be an integer constant", fi->name, i);
	}
	rhs->fn = fi;
	rhs->type = &t_void;
	/* the function's parameters make the aggregation's kind; what
	 * follows them (quantize's, lquantize's, llquantize's increment) is
	 * an expression of each use */
	int64_t a[FN_MAXPAR] = { 0 };
	for (int i = 1; i < rhs->nargs && i <= fi->npar; i++)
		a[i - 1] = rhs->args[i]->cval;
	if (fi->agg_params)
		fi->agg_params(s, rhs, a);
	struct sym *y = sym_find(s, S_AGG, lhs->name);
	if (!y) {
		y = sym_new(s, S_AGG, lhs->name, &t_llong, lhs->loc);
		y->fn = fi;
		memcpy(y->aggarg, a, sizeof y->aggarg);
		y->nkeys = lhs->nargs;
		y->keys = arena_alloc(s->a, sizeof *y->keys * (lhs->nargs + 1));
		for (int i = 0; i < lhs->nargs; i++)
			y->keys[i] = key_type(s, lhs->args[i]);
	} else {
		if (y->fn != fi ||
		    memcmp(y->aggarg, a, sizeof y->aggarg) != 0) {
			const struct func *old = y->fn;
			FAIL(s, rhs->loc, D_AGG_REDEF, "@%s is used with %s( ) and with %s( ): an "
			     "aggregation has one function", lhs->name, old->name,
			     fi->name);
		}
		check_key_types(s, lhs, y, lhs->args, lhs->nargs, "@");
	}
	lhs->sym = y;
	lhs->type = &t_void;
	n->type = &t_void;
}

/* ---- calls ---- */

static void want_args(struct sema *s, struct node *n, const struct func *fi)
{
	bool few = n->nargs < fi->minargs;

	if (few || (fi->maxargs >= 0 && n->nargs > fi->maxargs))
		FAIL(s, n->loc, D_PROTO_LEN, "%s( ) prototype mismatch: %d "
		     "arg%s passed, %s%d expected", fi->name, n->nargs,
		     n->nargs == 1 ? "" : "s",
		     fi->minargs == fi->maxargs ? "" : few ? "at least " :
		     "at most ", few ? fi->minargs : fi->maxargs);
}

static void char_ptr_to_string(struct sema *s, struct node *n);

/* A string parameter takes a null pointer constant (0, NULL) as C's char *
 * would: the string at address 0, which faults when it is read
 * (strlen(0) reports an invalid address at run time, as DTrace does). */
static bool null_string_arg(struct sema *s, struct node *a)
{
	if (!a->isconst || a->cval != 0 || (!is_int(a) && !is_ptr(a)))
		return false;
	a->type = type_ptr(s->a, &t_char, false);
	char_ptr_to_string(s, a);
	return true;
}

static void want(struct sema *s, struct node *call, int i, bool ok,
		 const char *proto)
{
	if (!ok && !strcmp(proto, "string") &&
	    null_string_arg(s, call->args[i]))
		return;
	if (!ok)
		FAIL(s, call->args[i]->loc, D_PROTO_ARG, "%s( ) argument #%d is "
		     "incompatible with prototype: prototype: %s; argument: %s",
		     call->name, i + 1, proto, tname(call->args[i]->type));
}

static struct sym *agg_arg(struct sema *s, struct node *call, int i)
{
	struct node *a = call->args[i];
	enum errtag arg = call->fn->notagg_tag;
	if (a->kind != N_AGG || a->nargs) {
		const struct func *fi = a->kind == N_CALL ?
			func_named(s, a->name) : NULL;
		if (a->kind != N_AGG && !(fi && fi->cls == FC_AGG) && !a->type)
			expr(s, a);
		FAIL(s, a->loc, arg, "%s( ) argument #%d is incompatible with "
		     "prototype: prototype: aggregation; argument: %s",
		     call->name, i + 1, a->kind == N_AGG ? "tuple" :
		     fi && fi->cls == FC_AGG ? "aggregating function" :
		     tname(a->type));
	}
	struct sym *y = sym_find(s, S_AGG, a->name);
	if (!y)
		FAIL(s, a->loc, call->fn->undef_tag,
		     "undefined aggregation: @%s", a->name);
	a->sym = y;
	a->type = &t_void;
	return y;
}

/* printa(@a, @b): the aggregations are printed side by side, by key. */
static void same_keys(struct sema *s, struct node *at, struct sym *a,
		      struct sym *b)
{
	if (a->nkeys != b->nkeys)
		FAIL(s, at->loc, D_PRINTA_AGGKEY, "printa( ): @%s and @%s do "
		     "not have matching key signatures: @%s has %d key%s, @%s "
		     "has %d key%s", a->name, b->name, a->name, a->nkeys,
		     a->nkeys == 1 ? "" : "s", b->name, b->nkeys,
		     b->nkeys == 1 ? "" : "s");
	for (int i = 0; i < a->nkeys; i++)
		if (type_is_string(a->keys[i]) != type_is_string(b->keys[i]) ||
		    (a->keys[i]->k == TY_STACK) != (b->keys[i]->k == TY_STACK))
			FAIL(s, at->loc, D_PRINTA_AGGPROTO, "printa( ): @%s[ ] "
			     "key #%d is incompatible with @%s: @%s key #%d: %s; "
			     "@%s key #%d: %s", b->name, i + 1, a->name, a->name,
			     i + 1, tname(a->keys[i]), b->name, i + 1,
			     tname(b->keys[i]));
}

static struct fmt_argtype argtype_of(const struct type *t)
{
	struct fmt_argtype a = { .size = t->size, .is_signed = t->sign,
				 .name = tname(t) };
	switch (t->k) {
	case TY_INT: a.tc = FT_INT; break;
	case TY_PTR: a.tc = FT_PTR; break;
	case TY_STRING: a.tc = FT_STRING; break;
	case TY_ARRAY: a.tc = type_is_string(t) ? FT_STRING : FT_OTHER; break;
	case TY_STACK: a.tc = FT_STACK; break;
	case TY_SYMADDR: a.tc = t->user ? FT_USYMADDR : FT_SYMADDR; break;
	default: a.tc = FT_OTHER; break;
	}
	return a;
}

/* DTrace words some messages over several lines; dtk keeps every error on
 * one line. */
static void one_line(char *m)
{
	char *o = m;
	for (char *p = m; *p; p++) {
		if (*p == '\n') {
			*o++ = ';';
			*o++ = ' ';
			while (p[1] == '\t' || p[1] == ' ')
				p++;
		} else if (*p == '\t') {
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
}

static void check_printf(struct sema *s, struct node *call, int first,
			 bool printa)
{
	struct node *f = call->args[first];
	if (f->kind != N_STR || (first == 0 && !s->fmt_const)) {
		bool str = is_str(f);
		FAIL(s, f->loc, str ? D_PRINTF_ARG_FMT : D_PROTO_ARG, "%s( ) "
		     "argument #%d is incompatible with prototype: prototype: "
		     "%s; argument: %s", call->name, first + 1,
		     str ? "string constant" : "string", tname(f->type));
	}
	struct fmt_spec *spec = arena_alloc(s->a, sizeof *spec);
	char err[512];
	if (fmt_parse(f->str, spec, err, sizeof err) < 0) {
		one_line(err);
		FAIL(s, f->loc, D_SYNTAX, "%s", err);
	}
	/* freed with the program (dtk_close), also after a later error */
	s->p->specs = arena_push(s->a, s->p->specs, &s->p->nspecs,
				 sizeof *s->p->specs);
	s->p->specs[s->p->nspecs - 1] = spec;
	f->fmt = spec;
	int n = 0;
	struct fmt_argtype at[64];
	struct fmt_argtype aggt = { .tc = FT_INT, .size = 8, .is_signed = true,
				    .name = "int64_t" };
	if (printa) {
		/* the keys of the first aggregation */
		struct sym *y = sym_find(s, S_AGG, call->args[first + 1]->name);
		if (y) {
			for (int i = 0; i < y->nkeys && n < 64; i++)
				at[n++] = argtype_of(y->keys[i]);
			/* %@d of a histogram prints the histogram */
			if (y->fn->flags & FN_UNSIGNED) {
				aggt.is_signed = false;
				aggt.name = "uint64_t";
			}
		}
	} else {
		for (int i = first + 1; i < call->nargs && n < 64; i++)
			at[n++] = argtype_of(call->args[i]->type);
	}
	int rc = fmt_check(spec, call->name, at, n, first + 1,
			   printa ? &aggt : NULL, s->d->target != 0, err,
			   sizeof err);
	if (rc < 0) {
		one_line(err);
		FAIL(s, call->loc, rc == FMT_E_EMPTY ? D_PRINTF_FMT_EMPTY :
		     rc == FMT_E_AGGCONV ? D_PRINTF_AGG_CONV :
		     rc == FMT_E_MISSING ? D_PRINTF_ARG_PROTO :
		     rc == FMT_E_EXTRA ? D_PRINTF_ARG_EXTRA :
		     rc == FMT_E_DYN_MISSING ? D_PRINTF_DYN_PROTO :
		     rc == FMT_E_DYN_TYPE ? D_PRINTF_DYN_TYPE : D_PRINTF_ARG_TYPE,
		     "%s", err);
	}
}

static void call(struct sema *s, struct node *n, bool as_stmt)
{
	const struct func *fi = func_named(s, n->name);
	if (!fi)
		FAIL(s, n->loc, D_FUNC_UNDEF, "undefined function name: %s",
		     n->name);
	n->fn = fi;
	if (!fi->supported)
		FAIL(s, n->loc, D_FUNC_UNDEF, "%s( ) is not supported on Linux by dtk", fi->name);
	if (fi->cls == FC_AGG)
		FAIL(s, n->loc, D_AGG_FUNC, "%s( ) may only be used as the value of an "
		     "aggregation (@name = %s(...))", fi->name, fi->name);
	/* an action in an expression is a void value, which the expression
	 * around it refuses in its own words (stacks are also values:
	 * @[ustack()] = count()) */
	bool void_action = (fi->cls == FC_ACTION || fi->cls == FC_DESTRUCTIVE) &&
		!as_stmt && !(fi->flags & FN_STACK);
	if (fi->cls == FC_DESTRUCTIVE && !s->d->opt.destructive)
		FAIL(s, n->loc, D_ACT_SPEC, "%s( ) is a destructive action: destructive "
		     "actions are not allowed without -w", fi->name);
	want_args(s, n, fi);
	/* a format is a string constant as written: a built-in variable that
	 * folds to a constant here (probename in BEGIN) is still none */
	bool fmt_const = false;
	if (n->nargs) {
		struct node *f = n->args[0];
		struct sym *y = f->kind == N_IDENT ? sym_find_global(s, f->name)
						   : NULL;
		fmt_const = f->kind == N_STR || f->kind == N_MACRO ||
			(y && y->kind == S_INLINE);
	}
	for (int i = 0; i < n->nargs; i++) {
		/* the aggregation arguments are checked as aggregations */
		if ((fi->flags & FN_AGGARGS) && (n->args[i]->kind == N_AGG ||
			(i == 0 && (fi->flags & FN_AGGFIRST))))
			continue;
		expr(s, n->args[i]);
	}
	s->fmt_const = fmt_const;	/* for check_printf */
	if (fi->check)
		fi->check(s, n);
	else
		n->type = &t_void;
	if (void_action)
		n->type = &t_void;
}

/* ---- members ---- */

static const struct {
	const char *name;
	enum psmember id;
	bool lwp;
	int kind;	/* 0 int, 1 string */
	struct type *t;
} psmembers[] = {
	{ "pr_pid", PS_PR_PID, false, 0, &t_int },
	{ "pr_ppid", PS_PR_PPID, false, 0, &t_int },
	{ "pr_pgid", PS_PR_PGID, false, 0, &t_int },
	{ "pr_sid", PS_PR_SID, false, 0, &t_int },
	{ "pr_uid", PS_PR_UID, false, 0, &t_uint },
	{ "pr_euid", PS_PR_EUID, false, 0, &t_uint },
	{ "pr_gid", PS_PR_GID, false, 0, &t_uint },
	{ "pr_egid", PS_PR_EGID, false, 0, &t_uint },
	{ "pr_addr", PS_PR_ADDR, false, 0, &t_ulong },
	{ "pr_fname", PS_PR_FNAME, false, 1, NULL },
	{ "pr_psargs", PS_PR_PSARGS, false, 1, NULL },
	{ "pr_start", PS_PR_START, false, 0, &t_ullong },
	{ "pr_projid", PS_PR_PROJID, false, 0, &t_int },
	{ "pr_taskid", PS_PR_TASKID, false, 0, &t_int },
	{ "pr_zoneid", PS_PR_ZONEID, false, 0, &t_int },
	{ "pr_nlwp", PS_PR_NLWP, false, 0, &t_int },
	{ "pr_dmodel", PS_PR_DMODEL, false, 0, &t_char },
	{ "pr_argc", PS_PR_ARGC, false, 0, &t_int },
	{ "pr_contract", PS_PR_CONTRACT, false, 0, &t_int },
	{ "pr_ttydev", PS_PR_TTYDEV, false, 0, &t_ulong },
	{ "pr_lwpid", PS_PR_LWPID, true, 0, &t_int },
	{ "pr_pri", PS_PR_PRI, true, 0, &t_int },
	{ "pr_state", PS_PR_STATE, true, 0, &t_char },
	{ "pr_sname", PS_PR_SNAME, true, 0, &t_char },
	{ "pr_flag", PS_PR_FLAG, true, 0, &t_int },
	{ "pr_onpro", PS_PR_ONPRO, true, 0, &t_int },
	{ "pr_nice", PS_PR_NICE, true, 0, &t_int },
};

static void member(struct sema *s, struct node *n)
{
	expr(s, n->l);
	struct type *t = n->l->type;
	if (n->kind == N_PTRMEMBER) {
		if (t->k != TY_PTR || t->elem->k != TY_STRUCT)
			FAIL(s, n->loc, D_OP_SOU, "operator -> cannot be applied to %s",
			     tname(t));
		t = t->elem;
	} else if (t->k != TY_STRUCT) {
		FAIL(s, n->loc, D_OP_SOU, "operator . cannot be applied to %s", tname(t));
	}
	if (t->synth == SYN_PSINFO || t->synth == SYN_LWPSINFO) {
		for (size_t i = 0; i < sizeof psmembers / sizeof psmembers[0]; i++) {
			if (strcmp(psmembers[i].name, n->name) != 0)
				continue;
			if (psmembers[i].lwp != (t->synth == SYN_LWPSINFO) &&
			    !(t->synth == SYN_LWPSINFO && psmembers[i].id == PS_PR_PID))
				break;
			n->member.ps = psmembers[i].id;
			n->type = psmembers[i].kind == 1 ?
				(psmembers[i].id == PS_PR_FNAME ? str_type(s, 16)
								: strsize_type(s))
				: psmembers[i].t;
			return;
		}
		FAIL(s, n->loc, D_TYPE_MEMBER, "%s is not a member of %s", n->name, t->name);
	}
	if (t->members || (!t->btf_id && !t->synth)) {
		/* a struct or union of the program */
		const struct sou_member *pm = sou_member(t, n->name);
		if (!pm)
			FAIL(s, n->loc, D_TYPE_MEMBER, "%s is not a member "
			     "of %s", n->name, tname(t));
		n->member.off = pm->offset;
		n->type = pm->type;
		return;
	}
	struct kbtf *kb = sema_kbtf(s->d);
	struct kbtf_member m;
	if (!kb || !t->btf_id || kbtf_member(kb, t->btf_id, n->name, &m) < 0)
		FAIL(s, n->loc, D_TYPE_MEMBER, "%s is not a member of %s", n->name, tname(t));
	n->member.off = (int)m.offset;
	if (m.bit_size) {
		n->member.bit_off = (uint8_t)(m.bit_offset - 8 * m.offset);
		n->member.bit_size = (uint8_t)m.bit_size;
	}
	struct kbtf_type kt;
	kbtf_type(kb, m.type_id, &kt);
	struct type *mt;
	switch (kt.kind) {
	case KB_INT: case KB_ENUM:
		mt = type_int(s->a, kt.size, kt.is_signed);
		if (m.bit_size)
			mt = type_int(s->a, 8, false);
		break;
	case KB_PTR: case KB_FUNC_PTR: {
		struct kbtf_type et;
		struct type *to = &t_void;
		if (kt.kind == KB_PTR && kbtf_type(kb, kt.elem_id, &et) == 0) {
			if (et.kind == KB_STRUCT || et.kind == KB_UNION) {
				to = arena_alloc(s->a, sizeof *to);
				to->k = TY_STRUCT;
				to->btf_id = et.id;
				to->size = et.size;
				char buf[128];
				kbtf_type_name(kb, et.id, buf, sizeof buf);
				to->name = arena_strdup(s->a, buf);
			} else if (et.kind == KB_INT) {
				to = type_int(s->a, et.size, et.is_signed);
				if (et.is_char)
					to = &t_char;
			}
		}
		mt = type_ptr(s->a, to, false);
		break;
	}
	case KB_ARRAY: {
		struct kbtf_type et;
		kbtf_type(kb, kt.elem_id, &et);
		struct type *el = et.kind == KB_INT ?
			type_int(s->a, et.size, et.is_signed) : &t_uchar;
		if (et.kind == KB_INT && et.is_char)
			el = &t_char;
		mt = type_array(s->a, el, kt.nelem);
		break;
	}
	case KB_STRUCT: case KB_UNION: {
		mt = arena_alloc(s->a, sizeof *mt);
		mt->k = TY_STRUCT;
		mt->btf_id = kt.id;
		mt->size = kt.size;
		char buf[128];
		kbtf_type_name(kb, kt.id, buf, sizeof buf);
		mt->name = arena_strdup(s->a, buf);
		break;
	}
	default:
		mt = &t_ullong;
		break;
	}
	n->type = mt;
}

/* ---- expressions ---- */

static void fold_binary(struct node *n)
{
	struct node *l = n->l, *r = n->r;
	if (!l->isconst || !r->isconst || !is_int(l) || !is_int(r))
		return;
	int64_t a = l->cval, b = r->cval, v;
	bool uns = !n->type->sign;
	switch (n->op) {
	case '+': v = (int64_t)((uint64_t)a + (uint64_t)b); break;
	case '-': v = (int64_t)((uint64_t)a - (uint64_t)b); break;
	case '*': v = (int64_t)((uint64_t)a * (uint64_t)b); break;
	case '/': case '%':
		if (b == 0 || (!uns && a == INT64_MIN && b == -1))
			return;	/* left to run time, where it is reported */
		if (uns)
			v = (int64_t)(n->op == '/' ? (uint64_t)a / (uint64_t)b
						   : (uint64_t)a % (uint64_t)b);
		else
			v = n->op == '/' ? a / b : a % b;
		break;
	case '&': v = a & b; break;
	case '|': v = a | b; break;
	case '^': v = a ^ b; break;
	case T_SHL: v = (int64_t)((uint64_t)a << (b & 63)); break;
	case T_SHR: v = uns ? (int64_t)((uint64_t)a >> (b & 63)) : a >> (b & 63); break;
	case '<': v = uns ? (uint64_t)a < (uint64_t)b : a < b; break;
	case '>': v = uns ? (uint64_t)a > (uint64_t)b : a > b; break;
	case T_LE: v = uns ? (uint64_t)a <= (uint64_t)b : a <= b; break;
	case T_GE: v = uns ? (uint64_t)a >= (uint64_t)b : a >= b; break;
	case T_EQ: v = a == b; break;
	case T_NE: v = a != b; break;
	case T_AND: v = a && b; break;
	case T_OR: v = a || b; break;
	case T_XOR: v = !a != !b; break;
	default: return;
	}
	n->isconst = true;
	n->cval = conv(v, n->type);
}

static bool is_cmp(int op)
{
	return op == '<' || op == '>' || op == T_LE || op == T_GE ||
		op == T_EQ || op == T_NE;
}

/* A string compared with or assigned NULL: dtk's strings are buffers, never
 * pointers, so a string that DTrace would leave NULL (strstr( ) finding
 * nothing, a variable not yet assigned) is the empty string here, and NULL
 * stands for "".  (`strstr(s, "") != NULL` is true in DTrace when s is "",
 * and false here.) */
/* A char pointer compared with a string is read as the string it points
 * to, as DTrace compares them (proc:::exec's args[0] == "/bin/sh"). */
static bool is_char_ptr(const struct node *n)
{
	const struct type *t = n->type;
	return t && t->k == TY_PTR && t->elem && t->elem->k == TY_INT &&
	       t->elem->size == 1;
}

static void char_ptr_to_string(struct sema *s, struct node *n)
{
	struct node *c = arena_alloc(s->a, sizeof *c);

	*c = *n;
	memset(n, 0, sizeof *n);
	n->kind = N_STRINGOF;
	n->loc = c->loc;
	n->l = c;
	n->type = strsize_type(s);
}

static void null_to_empty(struct sema *s, struct node *n)
{
	struct loc loc = n->loc;
	memset(n, 0, sizeof *n);
	n->kind = N_STR;
	n->loc = loc;
	n->str = arena_strdup(s->a, "");
	n->type = str_type(s, 1);
}

static void binary(struct sema *s, struct node *n)
{
	expr(s, n->l);
	expr(s, n->r);
	struct node *l = n->l, *r = n->r;
	int op = n->op;
	if (op == T_AND || op == T_OR || op == T_XOR) {
		if (!is_scalar(l) || !is_scalar(r))
			FAIL(s, n->loc, D_OP_SCALAR, "operator %s requires operands of scalar "
			     "type", opname(op));
		n->type = &t_int;
		fold_binary(n);
		/* a constant left side decides && and || alone (the right
		 * side is then never evaluated): a tool's flag off removes
		 * the whole clause */
		if (!n->isconst && l->isconst && op != T_XOR &&
		    (op == T_AND ? l->cval == 0 : l->cval != 0))
			set_const(n, op == T_OR, &t_int);
		return;
	}
	if (is_cmp(op)) {
		if (is_str(l) && is_null_ptr(r))
			null_to_empty(s, r);
		else if (is_str(r) && is_null_ptr(l))
			null_to_empty(s, l);
		else if (is_str(l) && is_char_ptr(r))
			char_ptr_to_string(s, r);
		else if (is_str(r) && is_char_ptr(l))
			char_ptr_to_string(s, l);
		if (is_str(l) || is_str(r)) {
			if (!(is_str(l) && is_str(r)))
				FAIL(s, n->loc, D_OP_INCOMPAT, "operator %s requires operands of "
				     "compatible types: %s and %s", opname(op),
				     tname(l->type), tname(r->type));
			n->type = &t_int;
			if (l->kind == N_STR && r->kind == N_STR) {
				int c = strcmp(l->str, r->str);
				int v = op == T_EQ ? c == 0 : op == T_NE ? c != 0 :
					op == '<' ? c < 0 : op == '>' ? c > 0 :
					op == T_LE ? c <= 0 : c >= 0;
				set_const(n, v, &t_int);
			}
			return;
		}
		if (!is_scalar(l) || !is_scalar(r))
			FAIL(s, n->loc, D_OP_SCALAR, "operator %s requires operands of scalar "
			     "type: %s and %s", opname(op), tname(l->type),
			     tname(r->type));
		struct type *ct = is_ptr(l) || is_ptr(r) ? &t_ullong
			: type_arith(l->type, r->type);
		n->type = &t_int;
		if (l->isconst && r->isconst) {
			struct node tmp = *n;
			tmp.type = ct;
			fold_binary(&tmp);
			if (tmp.isconst)
				set_const(n, tmp.cval, &t_int);
		}
		n->cmptype = ct;
		return;
	}
	/* arithmetic */
	if (op == '+' || op == '-') {
		if (is_ptr(l) && is_int(r)) {
			n->type = l->type;
			return;
		}
		if (op == '+' && is_int(l) && is_ptr(r)) {
			n->type = r->type;
			return;
		}
		if (op == '-' && is_ptr(l) && is_ptr(r)) {
			n->type = &t_long;
			return;
		}
		/* a string moved by an integer, as a char * would be:
		 * s + 1 is s without its first character */
		if (op == '+' && ((is_str(l) && is_int(r)) ||
				  (is_int(l) && is_str(r)))) {
			n->type = str_type(s, (is_str(l) ? l : r)->type->size);
			return;
		}
	}
	if (!is_int(l) || !is_int(r)) {
		bool arith = op == '+' || op == '-' || op == '*' || op == '/';
		FAIL(s, n->loc, arith ? D_OP_ARITH : D_OP_INT, "operator %s "
		     "requires operands of %s type", opname(op),
		     arith ? "arithmetic" : "integral");
	}
	if (op == T_SHL || op == T_SHR)
		n->type = type_arith(l->type, l->type);
	else
		n->type = type_arith(l->type, r->type);
	if ((op == '/' || op == '%') && r->isconst && r->cval == 0)
		FAIL(s, n->loc, D_DIV_ZERO, "expression contains division by zero");
	fold_binary(n);
}

static void lhs_expr(struct sema *s, struct node *l, struct type *vt);

/* ++ and -- (prefix or postfix): applied to a variable not yet defined, they
 * define it as an int64_t, as DTrace does (dt_cook_op1), so `x++` counts
 * from 0 and `this->i++` works in a clause's first statement. */
static void incdec(struct sema *s, struct node *n)
{
	lhs_expr(s, n->l, type_by_name("int64_t"));
	if (!is_lvalue(n->l))
		FAIL(s, n->loc, D_OP_LVAL, "operator %s requires modifiable "
		     "lvalue as an operand", opname(n->op));
	if (!is_int(n->l) && !is_ptr(n->l))
		FAIL(s, n->loc, D_OP_SCALAR, "operator %s requires operand of "
		     "scalar type", opname(n->op));
	n->type = n->l->type;
}

static void unary(struct sema *s, struct node *n)
{
	if (n->op == T_INC || n->op == T_DEC) {
		incdec(s, n);
		return;
	}
	expr(s, n->l);
	struct node *l = n->l;
	switch (n->op) {
	case '-': case '+': case '~':
		if (!is_int(l))
			FAIL(s, n->loc, n->op == '~' ? D_OP_INT : D_OP_ARITH,
			     "operator %s requires an operand of %s type",
			     opname(n->op), n->op == '~' ? "integral" : "arithmetic");
		n->type = type_arith(l->type, l->type);
		if (l->isconst) {
			int64_t v = n->op == '-' ? (int64_t)(0 - (uint64_t)l->cval) :
				n->op == '~' ? ~l->cval : l->cval;
			set_const(n, conv(v, n->type), n->type);
		}
		break;
	case '!':
		if (!is_scalar(l))
			FAIL(s, n->loc, D_OP_SCALAR, "operator ! requires an operand of scalar "
			     "type");
		n->type = &t_int;
		if (l->isconst)
			set_const(n, !l->cval, &t_int);
		break;
	case '*':
		if (!is_ptr(l))
			FAIL(s, n->loc, D_DEREF_NONPTR, "cannot dereference "
			     "non-pointer type");
		if (l->type->elem->k == TY_VOID)
			FAIL(s, n->loc, D_DEREF_VOID, "cannot dereference pointer "
			     "to void");
		n->type = l->type->elem;
		break;
	case '&':
		FAIL(s, n->loc, D_ADDROF_VAR, "operator & is not supported: dtk variables "
		     "have no addresses");
	default:
		FAIL(s, n->loc, D_UNKNOWN, "operator %s is not supported", opname(n->op));
	}
}

static void self_index(struct sema *s, struct node *n);

static void lhs_expr(struct sema *s, struct node *l, struct type *vt)
{
	self_index(s, l);
	/* a variable being read-modify-written must already exist */
	if (l->kind == N_IDENT || l->kind == N_SELF || l->kind == N_THIS ||
	    l->kind == N_INDEX) {
		bool exists;
		if (l->kind == N_IDENT)
			exists = sym_find_global(s, l->name) != NULL;
		else if (l->kind == N_SELF)
			exists = sym_find(s, S_SELF, l->name) != NULL;
		else if (l->kind == N_THIS)
			exists = sym_find(s, S_THIS, l->name) != NULL;
		else
			exists = l->l->kind == N_IDENT &&
				sym_find_global(s, l->l->name) != NULL;
		if (!exists) {
			define_var(s, l, vt);
			return;
		}
	}
	expr(s, l);
	if (!is_lvalue(l))
		FAIL(s, l->loc, D_OP_LVAL, "operator = can only be applied to a writable "
		     "variable");
}

/* p[i] or *p with p a pointer (not an associative array) */
static bool is_mem_lvalue(struct sema *s, struct node *l)
{
	if ((l->kind == N_UNARY && l->op == '*') || l->kind == N_PTRMEMBER ||
	    l->kind == N_MEMBER)
		return true;
	if (l->kind != N_INDEX || l->nargs != 1)
		return false;
	struct node *b = l->l;
	struct sym *y = b->kind == N_SELF ? sym_find(s, S_SELF, b->name) :
		b->kind == N_THIS ? sym_find(s, S_THIS, b->name) :
		b->kind == N_IDENT ? sym_find_global(s, b->name) : NULL;
	if (b->kind == N_SELF || b->kind == N_THIS || b->kind == N_IDENT)
		return y && y->kind != S_ASSOC && y->type &&
			y->type->k == TY_PTR;
	return true;
}

/* p[i] = v: a store into memory the program owns (codegen_store.c) */
static void mem_store(struct sema *s, struct node *n)
{
	struct node *l = n->l;
	expr(s, l);
	/* the pointer the object is reached through: p of p[i], *p, p->m,
	 * (*p).m and p->name[i] */
	struct node *p = l->l;
	while (!is_ptr(p) && (p->kind == N_MEMBER || p->kind == N_PTRMEMBER ||
			      p->kind == N_INDEX))
		p = p->l;
	if (p->kind == N_UNARY && p->op == '*' && l->kind == N_MEMBER)
		p = p->l;
	if (!is_ptr(p) || p->type->elem->k == TY_VOID)
		FAIL(s, l->loc, D_OP_LVAL, "operator = can only be applied to a "
		     "writable variable");
	if (p->type->user)
		FAIL(s, l->loc, D_ACT_SPEC, "operator = cannot store to user "
		     "memory: use copyout( )");
	if (!is_scalar(l) || !(l->type->size == 1 || l->type->size == 2 ||
			    l->type->size == 4 || l->type->size == 8))
		FAIL(s, l->loc, D_OP_INCOMPAT, "operator = cannot store to %s",
		     tname(l->type));
	if (!is_scalar(n->r))
		FAIL(s, n->loc, D_OP_INCOMPAT, "operator = cannot assign %s to %s",
		     tname(n->r->type), tname(l->type));
	n->type = l->type;
	n->assign = AS_MEM;
}

/* a variable already defined as a string */
static bool is_string_var(struct sema *s, struct node *v)
{
	struct sym *y = v->kind == N_SELF ? sym_find(s, S_SELF, v->name) :
		v->kind == N_THIS ? sym_find(s, S_THIS, v->name) :
		v->kind == N_IDENT ? sym_find_global(s, v->name) :
		v->kind == N_INDEX && v->l->kind == N_IDENT ?
			sym_find_global(s, v->l->name) : NULL;
	return y && y->type && type_is_string(y->type);
}

/* self->p[i] with self->p a pointer: the parser made it an associative
 * array "self.p" keyed by tid first (parse.c, self_array); make it the
 * subscript of a pointer again. */
static void self_index(struct sema *s, struct node *n)
{
	struct node *b = n->l;
	if (n->kind != N_INDEX || b->kind != N_IDENT || !b->l ||
	    b->l->kind != N_SELF || sym_find_global(s, b->name))
		return;
	struct sym *y = sym_find(s, S_SELF, b->l->name);
	if (!y || !y->type || (y->type->k != TY_PTR && y->type->k != TY_ARRAY))
		return;
	n->l = b->l;
	n->args++;
	n->nargs--;
}

static void assign(struct sema *s, struct node *n)
{
	self_index(s, n->l);
	if (n->l->kind == N_AGG) {
		agg_assign(s, n);
		return;
	}
	expr(s, n->r);
	if (n->op == '=' && n->r->isconst && n->r->cval == 0 &&
	    (n->l->kind == N_SELF || n->l->kind == N_INDEX)) {
		/* `self->path = 0` frees a string variable too */
		struct sym *y = n->l->kind == N_SELF ?
			sym_find(s, S_SELF, n->l->name) :
			n->l->l->kind == N_IDENT ? sym_find_global(s, n->l->l->name)
						 : NULL;
		if (y && type_is_string(y->type)) {
			if (n->l->kind == N_INDEX) {
				for (int i = 0; i < n->l->nargs; i++)
					expr(s, n->l->args[i]);
				check_key_types(s, n->l, y, n->l->args,
						n->l->nargs, "");
				n->l->l->sym = y;
			}
			n->l->sym = y;
			n->l->type = y->type;
			n->type = y->type;
			n->sym = y;
			n->assign = AS_FREE;
			return;
		}
	}
	if (n->op == '=' && is_mem_lvalue(s, n->l)) {
		mem_store(s, n);
		return;
	}
	if (n->op == '=') {
		if (n->l->kind == N_IDENT || n->l->kind == N_SELF ||
		    n->l->kind == N_THIS || n->l->kind == N_INDEX) {
			/* indexing a pointer is not a variable */
			if (n->l->kind == N_INDEX && n->l->l->kind != N_IDENT)
				FAIL(s, n->loc, D_OP_WRITE, "operator = can only be applied "
				     "to a writable variable");
			if (n->l->kind == N_INDEX && n->l->l->kind == N_IDENT &&
			    is_decl_array(sym_find_global(s, n->l->l->name))) {
				array_index(s, n->l, sym_find_global(s, n->l->l->name));
				if (!is_scalar(n->r))
					FAIL(s, n->loc, D_OP_INCOMPAT, "operator = "
					     "cannot assign %s to %s",
					     tname(n->r->type), tname(n->l->type));
				n->type = n->l->type;
				n->sym = n->l->sym;
				return;
			}
			if (n->l->kind == N_INDEX && n->l->l->kind == N_IDENT) {
				struct sym *y = sym_find_global(s, n->l->l->name);
				if (y && y->kind != S_ASSOC)
					FAIL(s, n->l->loc, D_ARR_BADREF, "%s is not an associative "
					     "array", n->l->l->name);
			}
			if (is_null_ptr(n->r) && is_string_var(s, n->l))
				null_to_empty(s, n->r);
			define_var(s, n->l, n->r->type);
		} else {
			FAIL(s, n->loc, D_OP_WRITE, "operator = can only be applied to a "
			     "writable variable");
		}
	} else {
		lhs_expr(s, n->l, n->r->type);
		if (!is_int(n->l) && !(is_ptr(n->l) && (n->op == T_ADD_EQ ||
							n->op == T_SUB_EQ)))
			FAIL(s, n->loc, D_OP_INCOMPAT, "operands have incompatible "
			     "types: \"%s\" %s \"%s\"", tname(n->l->type),
			     opname(n->op), tname(n->r->type));
		if (!is_int(n->r))
			FAIL(s, n->loc, D_OP_INCOMPAT, "operands have incompatible "
			     "types: \"%s\" %s \"%s\"", tname(n->l->type),
			     opname(n->op), tname(n->r->type));
	}
	n->type = n->l->type;
	n->sym = n->l->sym;
}

static void index_expr(struct sema *s, struct node *n)
{
	struct node *b = n->l;
	if (b->kind == N_IDENT && is_decl_array(sym_find_global(s, b->name))) {
		array_index(s, n, sym_find_global(s, b->name));
		return;
	}
	if (b->kind == N_IDENT) {
		struct sym *y = sym_find_global(s, b->name);
		if (y && y->kind == S_TABLE) {
			if (n->nargs != 1)
				FAIL(s, n->loc, D_PROTO_LEN, "%s[ ] takes one subscript", b->name);
			expr(s, n->args[0]);
			if (!is_int(n->args[0]))
				FAIL(s, n->args[0]->loc, D_PROTO_ARG, "%s[ ] requires an integer "
				     "subscript", b->name);
			n->sym = y;
			b->sym = y;
			n->type = &t_llong;
			return;
		}
		if (y && y->kind == S_ASSOC) {
			for (int i = 0; i < n->nargs; i++)
				expr(s, n->args[i]);
			check_key_types(s, n, y, n->args, n->nargs, "");
			n->sym = y;
			b->sym = y;
			n->type = y->type;
			return;
		}
		int bi = y ? -1 : builtin_lookup(b->name);
		if (bi == B_ARGS || bi == B_UREGS) {
			if (n->nargs != 1)
				FAIL(s, n->loc, D_PROTO_LEN, "%s[ ] takes one subscript", b->name);
			expr(s, n->args[0]);
			if (!n->args[0]->isconst)
				FAIL(s, n->args[0]->loc, D_PROTO_ARG, "%s[ ] subscript must be "
				     "a constant", b->name);
			int64_t i = n->args[0]->cval;
			if (bi == B_UREGS && (i < 0 || i >= reg_count()))
				FAIL(s, n->args[0]->loc, D_UNKNOWN, "uregs[]: index "
				     "out of bounds (%lld)", (long long)i);
			if (bi == B_ARGS && (i < 0 || i >= 10))
				FAIL(s, n->args[0]->loc, D_ARGS_IDX, "index %lld is out of "
				     "range for %s[ ]", (long long)i, b->name);
			b->builtin = bi;
			n->type = &t_llong;
			if (bi == B_ARGS && s->single) {
				/* typed args[] where the probe's table says */
				const struct probe *p = s->single;
				/* (ERROR's arguments are arg0..arg5 only) */
				if (i >= p->nargs && probe_args_exact(p))
					FAIL(s, n->args[0]->loc, D_ARGS_IDX, "index %lld is out "
					     "of range for %s:%s:%s:%s args[ ]",
					     (long long)i, p->prov, p->mod, p->func,
					     p->name);
				if (i < p->nargs) {
					const char *ty = p->args[i].type;
					if (strcmp(ty, "psinfo_t *") == 0)
						n->type = type_ptr(s->a, &psinfo_type, false);
					else if (strcmp(ty, "lwpsinfo_t *") == 0)
						n->type = type_ptr(s->a, &lwpsinfo_type, false);
					else if (p->args[i].is_string ||
						 strcmp(ty, "string") == 0)
						/* proc:::exec's path: in user memory */
						n->type = type_ptr(s->a, &t_char, true);
					else if (strchr(ty, '*'))
						n->type = type_ptr(s->a, &t_void, true);
					else if (strstr(ty, "unsigned") ||
						 strstr(ty, "size_t") ||
						 strstr(ty, "umode_t"))
						n->type = &t_ulong;
					else if (strcmp(ty, "int") == 0 ||
						 strcmp(ty, "pid_t") == 0)
						n->type = &t_int;
					else if (strcmp(ty, "psinfo_t *") == 0)
						n->type = type_ptr(s->a, &psinfo_type, false);
					else if (strcmp(ty, "lwpsinfo_t *") == 0)
						n->type = type_ptr(s->a, &lwpsinfo_type, false);
				}
			}
			if (bi == B_ARGS && !s->single && s->any_proc) {
				/* proc probes of one kind share arg types */
				const struct probe *p = probetab_args(s->d->probes,
					probetab_by_id(s->d->probes, s->cl->probes[0]));
				if (p && i < p->nargs) {
					const char *ty = p->args[i].type;
					if (strcmp(ty, "psinfo_t *") == 0)
						n->type = type_ptr(s->a, &psinfo_type, false);
					else if (strcmp(ty, "lwpsinfo_t *") == 0)
						n->type = type_ptr(s->a, &lwpsinfo_type, false);
				}
			}
			return;
		}
		if (!y && bi < 0) {
			/* reading an array that was never assigned */
			FAIL(s, b->loc, D_IDENT_UNDEF, "failed to resolve %s: Unknown variable "
			     "name", b->name);
		}
	}
	expr(s, b);
	if (n->nargs != 1)
		FAIL(s, n->loc, D_PROTO_LEN, "operator [ ] takes one subscript here");
	expr(s, n->args[0]);
	if (!is_int(n->args[0]))
		FAIL(s, n->args[0]->loc, D_PROTO_ARG, "operator [ ] requires an integer "
		     "subscript");
	if (is_ptr(b)) {
		if (b->type->elem->k == TY_VOID)
			FAIL(s, n->loc, D_DEREF_VOID, "operator [ ] cannot be applied to a "
			     "void pointer");
		n->type = b->type->elem;
	} else if (b->type->k == TY_ARRAY) {
		n->type = b->type->elem;
	} else if (b->type->k == TY_STRING) {
		n->type = &t_char;
	} else {
		FAIL(s, n->loc, D_ARR_BADREF, "operator [ ] cannot be applied to %s",
		     tname(b->type));
	}
}

static void expr(struct sema *s, struct node *n)
{
	if (++s->depth > 2000)
		FAIL(s, n->loc, D_SYNTAX, "expression nested too deeply");
	switch (n->kind) {
	case N_INT: {
		struct type *t;
		uint64_t v = n->ival;
		/* the smallest of int, long, long long the suffix allows:
		 * 1ul is unsigned long */
		if (n->isunsigned)
			t = n->nlong == 2 ? &t_ullong : n->nlong == 1 ? &t_ulong
			    : v > UINT32_MAX ? &t_ullong : &t_uint;
		else if (v > INT64_MAX)
			t = &t_ullong;
		else
			t = n->nlong == 2 ? &t_llong : n->nlong == 1 ? &t_long
			    : v > INT32_MAX ? &t_llong : &t_int;
		set_const(n, (int64_t)v, t);
		break;
	}
	case N_STR:
		/* a literal longer than strsize is cut to it where it is
		 * stored, as DTrace does: "abcdefgh" is "abcdef" under
		 * strsize=6 */
		n->type = str_type(s, n->len + 1 > (size_t)s->d->opt.strsize ?
				   s->d->opt.strsize : (int)n->len + 1);
		break;
	case N_IDENT:
		ident(s, n);
		break;
	case N_MACRO:
		macro(s, n);
		break;
	case N_SELF: case N_THIS: {
		struct sym *y = sym_find(s, n->kind == N_SELF ? S_SELF : S_THIS,
					 n->name);
		if (!y) {
			FAIL(s, n->loc, D_VAR_UNDEF, "failed to resolve %s->%s: Unknown "
			     "variable name", n->kind == N_SELF ? "self" : "this",
			     n->name);
		}
		n->sym = y;
		n->type = y->type;
		break;
	}
	case N_AGG:
		if (!sym_find(s, S_AGG, n->name))
			FAIL(s, n->loc, D_IDENT_UNDEF, "failed to resolve @%s: "
			     "Unknown variable name", n->name);
		FAIL(s, n->loc, D_OP_INCOMPAT, "aggregation @%s may not be used in an expression: "
		     "use printa( ) to print it", n->name);
	case N_UNARY:
		unary(s, n);
		break;
	case N_POSTFIX:
		incdec(s, n);
		break;
	case N_BINARY:
		binary(s, n);
		break;
	case N_ASSIGN:
		assign(s, n);
		break;
	case N_TERNARY:
		expr(s, n->c);
		if (!is_scalar(n->c))
			FAIL(s, n->c->loc, D_OP_SCALAR, "operator ?: requires a scalar "
			     "condition");
		if (n->l->kind == N_CALL && func_named(s, n->l->name) &&
		    func_named(s, n->l->name)->cls != FC_SUBR)
			call(s, n->l, true);
		else
			expr(s, n->l);
		if (n->r->kind == N_CALL && func_named(s, n->r->name) &&
		    func_named(s, n->r->name)->cls != FC_SUBR)
			call(s, n->r, true);
		else
			expr(s, n->r);
		if (n->l->type->k == TY_VOID || n->r->type->k == TY_VOID) {
			n->type = &t_void;	/* the ternary as a statement */
		} else if (is_str(n->l) && is_str(n->r)) {
			n->type = strsize_type(s);
		} else if (is_scalar(n->l) && is_scalar(n->r)) {
			n->type = is_ptr(n->l) ? n->l->type : is_ptr(n->r) ?
				n->r->type : type_arith(n->l->type, n->r->type);
			if (n->c->isconst && n->l->isconst && n->r->isconst)
				set_const(n, n->c->cval ? n->l->cval : n->r->cval,
					  n->type);
		} else {
			FAIL(s, n->loc, D_OP_INCOMPAT, "operator ?: operands must have compatible "
			     "types: %s and %s", tname(n->l->type),
			     tname(n->r->type));
		}
		break;
	case N_CALL:
		call(s, n, false);
		break;
	case N_INDEX:
		self_index(s, n);
		index_expr(s, n);
		break;
	case N_MEMBER: case N_PTRMEMBER:
		member(s, n);
		break;
	case N_CAST: {
		expr(s, n->l);
		struct type *t = ctype_resolve(s, n->ctype);
		if (t->k == TY_STRING) {
			if (!is_str(n->l) && !is_ptr(n->l))
				FAIL(s, n->loc, D_CAST_INVAL, "invalid cast to string from %s",
				     tname(n->l->type));
		} else if (t->k == TY_INT || t->k == TY_PTR) {
			if (!is_scalar(n->l) && !(t->k == TY_PTR &&
						  n->l->type->k == TY_ARRAY))
				FAIL(s, n->loc, D_CAST_INVAL, "invalid cast from %s to %s",
				     tname(n->l->type), tname(t));
			if (t->k == TY_PTR && is_ptr(n->l))
				t = type_ptr(s->a, t->elem, n->l->type->user);
		} else {
			FAIL(s, n->loc, D_CAST_INVAL, "invalid cast to %s", tname(t));
		}
		n->type = t;
		if (n->l->isconst && t->k == TY_INT)
			set_const(n, conv(n->l->cval, t), t);
		break;
	}
	case N_SIZEOF: {
		struct type *t;
		if (n->ctype) {
			t = ctype_resolve(s, n->ctype);
		} else {
			expr(s, n->l);
			t = n->l->type;
		}
		set_const(n, t->size, &t_ulong);
		break;
	}
	case N_STRINGOF:
		expr(s, n->l);
		if (!is_scalar(n->l) && !is_str(n->l))
			FAIL(s, n->loc, D_STRINGOF_TYPE, "cannot apply stringof "
			     "to a value of type %s", tname(n->l->type));
		n->type = strsize_type(s);
		break;
	case N_OFFSETOF: {
		struct type *t = ctype_resolve(s, n->ctype);
		const struct sou_member *pm = t->k == TY_STRUCT && t->members ?
			sou_member(t, n->name) : NULL;
		if (pm) {
			set_const(n, pm->offset, &t_ulong);
			break;
		}
		struct kbtf *kb = sema_kbtf(s->d);
		struct kbtf_member m;
		if (t->k != TY_STRUCT || !t->btf_id || !kb ||
		    kbtf_path(kb, t->btf_id, n->name, &m) < 0)
			FAIL(s, n->loc, D_TYPE_MEMBER, "%s is not a member of %s", n->name,
			     tname(t));
		set_const(n, m.offset, &t_ulong);
		break;
	}
	default:
		FAIL(s, n->loc, D_SYNTAX, "statement used where an expression is expected");
	}
	s->depth--;
}

/* ---- statements ---- */

static void stmt(struct sema *s, struct node *n)
{
	switch (n->kind) {
	case N_EMPTY:
		break;
	case N_BLOCK:
		for (int i = 0; i < n->nargs; i++)
			stmt(s, n->args[i]);
		break;
	case N_IF:
		expr(s, n->c);
		if (!is_scalar(n->c))
			FAIL(s, n->c->loc, D_OP_SCALAR, "if condition must be a scalar");
		if (n->l)
			stmt(s, n->l);
		if (n->r)
			stmt(s, n->r);
		break;
	case N_EXPR_STMT: {
		struct node *e = n->l;
		if (e->kind == N_CALL)
			call(s, e, true);
		else
			expr(s, e);
		break;
	}
	default:
		/* an expression used as a statement */
		if (n->kind == N_CALL)
			call(s, n, true);
		else
			expr(s, n);
		break;
	}
}

/* ---- probe descriptions ---- */

struct match_acc {
	struct sema *s;
	uint32_t *ids;
	int n;
};

static void add_probe(const struct probe *p, void *arg)
{
	struct match_acc *m = arg;
	m->ids = arena_push(m->s->a, m->ids, &m->n, sizeof *m->ids);
	m->ids[m->n - 1] = p->id;
}

/* pid$target, pid$1: substitute macro variables in a description field. */
static char *expand_field(struct sema *s, const char *f, struct loc loc)
{
	if (!f || !strchr(f, '$'))
		return (char *)f;
	char out[256];
	size_t o = 0;
	for (const char *p = f; *p && o < sizeof out - 32;) {
		if (*p != '$') {
			out[o++] = *p++;
			continue;
		}
		p++;
		char name[32];
		size_t k = 0;
		while ((isalnum((unsigned char)*p) || *p == '_') && k < sizeof name - 1)
			name[k++] = *p++;
		name[k] = 0;
		struct node tmp = { .kind = N_MACRO, .name = name, .loc = loc };
		macro(s, &tmp);
		if (tmp.kind == N_STR)
			o += snprintf(out + o, sizeof out - o, "%s", tmp.str);
		else
			o += snprintf(out + o, sizeof out - o, "%lld",
				      (long long)tmp.cval);
		if (o >= sizeof out)	/* snprintf counts what did not fit */
			o = sizeof out - 1;
	}
	out[o] = 0;
	return arena_strdup(s->a, out);
}

static void match_clause(struct sema *s, struct clause *cl)
{
	struct match_acc m = { .s = s };
	for (int i = 0; i < cl->ndescs; i++) {
		struct probedesc *pd = &cl->descs[i];
		char err[256] = "";
		int before = m.n;
		const char *prov = expand_field(s, pd->prov, pd->loc);
		const char *mod = expand_field(s, pd->mod, pd->loc);
		const char *func = expand_field(s, pd->func, pd->loc);
		const char *name = expand_field(s, pd->name, pd->loc);
		int r = probetab_match(s->d->probes, prov, mod, func, name,
				       add_probe, &m, err, sizeof err);
		if (r < 0)
			FAIL(s, pd->loc, D_PDESC_INVAL, "%s", err);
		if (m.n == before && !(s->flags & DTK_C_ZDEFS) &&
		    !s->d->opt.zdefs)
			/* DTrace names the description with all four fields */
			FAIL(s, pd->loc, D_PDESC_ZERO, "probe description %s:%s:%s:%s "
			     "does not match any probes", prov ? prov : "",
			     mod ? mod : "", func ? func : "", name ? name : "");
	}
	/* sort and drop duplicates (a probe named by two descriptions) */
	for (int i = 1; i < m.n; i++)
		for (int j = i; j > 0 && m.ids[j - 1] > m.ids[j]; j--) {
			uint32_t t = m.ids[j];
			m.ids[j] = m.ids[j - 1];
			m.ids[j - 1] = t;
		}
	int k = 0;
	for (int i = 0; i < m.n; i++)
		if (k == 0 || m.ids[k - 1] != m.ids[i])
			m.ids[k++] = m.ids[i];
	cl->probes = m.ids;
	cl->nprobes = k;
}

static void clause_context(struct sema *s, struct clause *cl)
{
	s->all_syscall = s->all_entry = s->all_return = cl->nprobes > 0;
	s->any_proc = false;
	s->single = NULL;
	for (int i = 0; i < cl->nprobes; i++) {
		const struct probe *p = probetab_by_id(s->d->probes, cl->probes[i]);
		if (probe_syscall(p) < 0)
			s->all_syscall = false;
		if (provider_of(p)->same_args)
			s->any_proc = true;
		if (p->is_return)
			s->all_entry = false;
		else
			s->all_return = false;
	}
	if (cl->nprobes == 1)
		s->single = probetab_args(s->d->probes,
			probetab_by_id(s->d->probes, cl->probes[0]));
}

/* ---- declarations and pragmas ---- */

/* self int a[string]: the global array "self.a" keyed by the thread first,
 * as the parser turns self->a[k] into self.a[tid, k] */
static void self_array_decl(struct sema *s, struct decl *dc, struct type *t)
{
	size_t len = strlen(dc->name) + 6;
	char *name = arena_alloc(s->a, len);
	snprintf(name, len, "self.%s", dc->name);
	if (sym_find_global(s, name))
		FAIL(s, dc->loc, D_DECL_IDRED, "self->%s redeclared", dc->name);
	struct sym *y = sym_new(s, S_ASSOC, name, t, dc->loc);
	struct node tid = { .kind = N_IDENT, .name = "tid", .loc = dc->loc };
	expr(s, &tid);
	y->declared = true;
	y->nkeys = dc->nkeys + 1;
	y->keys = arena_alloc(s->a, sizeof *y->keys * y->nkeys);
	y->keys[0] = key_type(s, &tid);
	for (int i = 0; i < dc->nkeys; i++) {
		struct type *kt = ctype_resolve(s, dc->keys[i]);
		if (kt->k == TY_INT && kt->size < 8)
			kt = kt->sign ? &t_llong : &t_ullong;
		y->keys[i + 1] = kt;
	}
}

/* An enumerator: an int constant, one more than the one before it in its
 * enum unless it says its value. */
static void enumerator(struct sema *s, struct decl *dc)
{
	int64_t v;

	if (dc->ctype != s->enum_ct) {
		s->enum_ct = dc->ctype;
		s->enum_next = 0;
	}
	if (sym_find_global(s, dc->name) || builtin_lookup(dc->name) >= 0)
		FAIL(s, dc->loc, D_DECL_IDRED, "identifier redeclared: %s",
		     dc->name);
	if (dc->init) {
		expr(s, dc->init);
		if (!dc->init->isconst || !is_int(dc->init))
			FAIL(s, dc->init->loc, D_DECL_ENCONST, "enumerator '%s' "
			     "must be assigned an integral constant expression",
			     dc->name);
		s->enum_next = dc->init->cval;
	}
	v = s->enum_next++;
	if (v < INT32_MIN || v > INT32_MAX)
		FAIL(s, dc->loc, D_DECL_ENOFLOW, "enumerator '%s' overflows "
		     "the range of int", dc->name);
	struct node *val = arena_alloc(s->a, sizeof *val);
	val->kind = N_INT;
	val->loc = dc->loc;
	val->ival = (uint64_t)v;
	struct sym *y = sym_new(s, S_INLINE, dc->name, &t_int, dc->loc);
	y->inl = val;
}

/* A member's type as the program wrote it, for print(): "uint64_t",
 * "char [5]", "struct in *"; a struct defined in place by its kind. */
static const char *written_type(struct sema *s, const struct ctype *c,
				const struct type *t)
{
	char buf[160];
	const char *base = c->name;
	int n;

	if (strstr(base, " {...}#"))
		return NULL;		/* print() names it from t */
	n = snprintf(buf, sizeof buf, "%s%s", base, c->ptr ? " " : "");
	for (int i = 0; i < c->ptr && n < (int)sizeof buf - 1; i++)
		buf[n++] = '*', buf[n] = '\0';
	if (c->array)
		snprintf(buf + n, sizeof buf - n, " [%d]", c->array);
	(void)t;
	return arena_strdup(s->a, buf);
}

/* struct|union NAME { members }: a type of the program, found by its
 * "struct NAME" before the kernel's of the same name */
static void sou_declaration(struct sema *s, struct decl *dc)
{
	const char **names = arena_alloc(s->a, sizeof *names * (dc->nmembers + 1));
	const char **tnames = arena_alloc(s->a, sizeof *tnames * (dc->nmembers + 1));
	struct type **types = arena_alloc(s->a, sizeof *types * (dc->nmembers + 1));

	if (sym_find(s, S_TYPEDEF, dc->name))
		FAIL(s, dc->loc, D_DECL_IDRED, "%s redeclared", dc->name);
	for (int i = 0; i < dc->nmembers; i++) {
		struct decl *m = dc->members[i];

		names[i] = m->name;
		types[i] = ctype_resolve(s, m->ctype);
		tnames[i] = written_type(s, m->ctype, types[i]);
		for (int j = 0; j < i; j++)
			if (!strcmp(names[j], m->name))
				FAIL(s, m->loc, D_DECL_IDRED, "identifier "
				     "redeclared: %s", m->name);
		if (types[i]->k == TY_VOID ||
		    (types[i]->k == TY_STRUCT && !types[i]->size))
			FAIL(s, m->loc, D_DECL_INCOMPLETE, "declared member '%s' "
			     "is of incomplete type: %s", m->name,
			     tname(types[i]));
	}
	sym_new(s, S_TYPEDEF, dc->name,
		sou_define(s->a, dc->name, dc->is_union, names, types,
			   tnames, dc->nmembers), dc->loc);
}

static void declaration(struct sema *s, struct decl *dc)
{
	if (dc->kind == D_SOU) {
		sou_declaration(s, dc);
		return;
	}
	if (dc->kind == D_TYPEDEF) {
		if (sym_find(s, S_TYPEDEF, dc->name) || type_by_name(dc->name))
			FAIL(s, dc->loc, D_DECL_IDRED, "typedef %s redeclared",
			     dc->name);
		sym_new(s, S_TYPEDEF, dc->name, ctype_resolve(s, dc->ctype),
			dc->loc);
		return;
	}
	if (dc->kind == D_ENUMERATOR) {
		enumerator(s, dc);
		return;
	}
	if (dc->kind == D_INLINE) {
		if (sym_find_global(s, dc->name))
			FAIL(s, dc->loc, D_DECL_IDRED, "inline %s redeclared", dc->name);
		struct type *t = ctype_resolve(s, dc->ctype);
		expr(s, dc->init);
		if (type_is_string(t) ? !is_str(dc->init) : !is_scalar(dc->init))
			FAIL(s, dc->init->loc, D_OP_INCOMPAT, "inline %s definition uses "
			     "incompatible types: %s = %s", dc->name, tname(t),
			     tname(dc->init->type));
		struct sym *y = sym_new(s, S_INLINE, dc->name,
					type_is_string(t) ? NULL : t, dc->loc);
		y->inl = dc->init;
		if (dc->init->isconst && t->k == TY_INT) {
			dc->init->cval = conv(dc->init->cval, t);
			if (dc->init->kind != N_STR) {
				dc->init->kind = N_INT;
				dc->init->ival = (uint64_t)dc->init->cval;
			}
		}
		return;
	}
	struct type *t = ctype_resolve(s, dc->ctype);
	if (t->k == TY_VOID)
		FAIL(s, dc->loc, D_DECL_VOIDOBJ, "variable %s may not be declared void", dc->name);
	if (dc->is_self && dc->nkeys) {
		self_array_decl(s, dc, t);
		return;
	}
	enum sym_kind k = dc->is_self ? S_SELF : dc->is_this ? S_THIS :
		dc->nkeys ? S_ASSOC : S_GLOBAL;
	struct sym *old = k == S_SELF || k == S_THIS ? sym_find(s, k, dc->name)
						     : sym_find_global(s, dc->name);
	if (old)
		FAIL(s, dc->loc, D_DECL_IDRED, "%s redeclared", dc->name);
	if (builtin_lookup(dc->name) >= 0 && k != S_SELF && k != S_THIS)
		FAIL(s, dc->loc, D_DECL_IDRED, "%s is a built-in variable and may not be "
		     "redeclared", dc->name);
	struct sym *y = sym_new(s, k, dc->name, t, dc->loc);
	y->declared = true;
	if (dc->nkeys) {
		y->nkeys = dc->nkeys;
		y->keys = arena_alloc(s->a, sizeof *y->keys * dc->nkeys);
		for (int i = 0; i < dc->nkeys; i++) {
			struct type *kt = ctype_resolve(s, dc->keys[i]);
			if (kt->k == TY_INT && kt->size < 8)
				kt = kt->sign ? &t_llong : &t_ullong;
			y->keys[i] = kt;
		}
	}
}

static void pragmas(struct sema *s, struct program *pg)
{
	for (int i = 0; i < pg->npragmas; i++) {
		struct pragma *pr = &pg->pragmas[i];
		char err[256];
		if (options_set(&s->d->opt, pr->name, pr->value, err, sizeof err))
			FAIL(s, pr->loc, D_PRAGMA_OPTSET, "failed to set option "
			     "'%s'%s%s%s: %s", pr->name, pr->value ? " to '" : "",
			     pr->value ? pr->value : "", pr->value ? "'" : "",
			     err);
	}
}

static void predicate(struct sema *s, struct clause *cl)
{
	s->dg->region = "predicate";
	expr(s, cl->pred);
	if (!is_scalar(cl->pred))
		FAIL(s, cl->end.line ? cl->end : cl->pred->loc, D_PRED_SCALAR,
		     "predicate result must be of scalar type");
	s->dg->region = NULL;
}

static void actions(struct sema *s, struct clause *cl)
{
	s->dg->region = "action list";
	for (int j = 0; j < cl->nstmts; j++)
		stmt(s, cl->stmts[j]);
	s->dg->region = NULL;
}

/* DTrace checks a clause's actions before its predicate, so a predicate
 * may read a variable the actions define (`/x == 0/ { exit(x++); }`); when
 * the actions read a variable the predicate defines (`/x++ == 0/ {
 * exit(x - 1); }`) it checks the predicate first instead (dt_cook_clause). */
static void cook_clause(struct sema *s, struct clause *cl)
{
	jmp_buf outer;

	if (!cl->pred) {
		actions(s, cl);
		return;
	}
	memcpy(outer, s->dg->jmp, sizeof outer);
	if (setjmp(s->dg->jmp) == 0) {
		actions(s, cl);
		memcpy(s->dg->jmp, outer, sizeof outer);
		predicate(s, cl);
		return;
	}
	memcpy(s->dg->jmp, outer, sizeof outer);
	if (s->dg->tag != D_IDENT_UNDEF && s->dg->tag != D_VAR_UNDEF)
		longjmp(s->dg->jmp, 1);
	s->depth = 0;
	predicate(s, cl);
	actions(s, cl);
}

void sema_program(struct compile *d, struct program *pg, struct source *src, int flags)
{
	struct sema s = { .d = d, .p = &d->p, .a = d->p.arena, .dg = &d->diag,
			  .flags = flags };
	(void)t_string_dummy;
	pragmas(&s, pg);
	/* tool-set constants become inline symbols on first compile */
	for (int i = 0; i < d->nconsts; i++) {
		struct toolconst *c = &d->consts[i];
		if (sym_find_global(&s, c->name))
			continue;
		if (c->tab) {
			struct sym *y = sym_new(&s, S_TABLE, c->name, &t_llong,
						(struct loc){0});
			y->table = c->tab;
			y->ntable = c->ntab;
			continue;
		}
		struct node *v = arena_alloc(s.a, sizeof *v);
		if (c->isstr) {
			v->kind = N_STR;
			v->str = arena_strdup(s.a, c->sval);
			v->len = strlen(c->sval);
		} else {
			v->kind = N_INT;
			v->ival = (uint64_t)c->ival;
		}
		struct sym *y = sym_new(&s, S_INLINE, c->name,
					c->isstr ? NULL : &t_llong, (struct loc){0});
		y->inl = v;
	}
	if (pg->nclauses == 0 && pg->ndecls == 0 && !d->opt.empty)
		FAIL(&s, pg->end, D_EMPTY, "empty D program translation unit");
	for (int i = 0; i < pg->ndecls; i++)
		declaration(&s, pg->decls[i]);
	int nprobes = 0;
	for (int i = 0; i < pg->nclauses; i++) {
		struct clause *cl = pg->clauses[i];
		s.cl = cl;
		match_clause(&s, cl);
		nprobes += cl->nprobes;
		clause_context(&s, cl);
		cook_clause(&s, cl);
		cl->id = d->p.nclauses;
		d->p.clauses = arena_push(s.a, d->p.clauses, &d->p.nclauses,
					  sizeof *d->p.clauses);
		d->p.clauses[d->p.nclauses - 1] = cl;
	}
	src->nprobes = nprobes;
	/* an argument no $N uses is a mistake (DTrace's argref option
	 * aside); $0 is the script's name */
	if (d->nargs - 1 > s.maxarg && !d->opt.argref)
		FAIL(&s, (struct loc){0}, D_MACRO_UNUSED, "extraneous argument "
		     "'%s' ($%d is not referenced)", d->args[d->nargs - 1],
		     d->nargs - 1);
}

/* ---- for the checks of D's functions (sema.h) ---- */

struct compile *sema_compile(struct sema *s)
{
	return s->d;
}

struct arena *sema_arena(struct sema *s)
{
	return s->a;
}

struct type *sema_string(struct sema *s, int cap)
{
	return cap ? str_type(s, cap) : strsize_type(s);
}

void sema_fail(struct sema *s, struct loc loc, enum errtag tag,
	       const char *fmt, ...)
{
	char m[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	FAIL(s, loc, tag, "%s", m);
}

void sema_want(struct sema *s, struct node *call, int i, bool ok,
	       const char *proto)
{
	want(s, call, i, ok, proto);
}

void sema_expr(struct sema *s, struct node *n)
{
	expr(s, n);
}

void sema_printf(struct sema *s, struct node *call, int first, bool printa)
{
	check_printf(s, call, first, printa);
}

struct sym *sema_agg_arg(struct sema *s, struct node *call, int i)
{
	return agg_arg(s, call, i);
}

void sema_same_keys(struct sema *s, struct node *at, struct sym *a,
		    struct sym *b)
{
	same_keys(s, at, a, b);
}
