/* test_sema.c - the checker on its own: dtk_compile parses and checks
 * (sema.c) without generating code, and what it decides is read back from
 * the symbols: each variable's kind and type, each aggregation's function,
 * and the first error of an ill-typed program, worded as DTrace words it.
 * Uses the built-in syscall table (no tracefs) and no kernel BTF unless a
 * program names kernel types (none here). */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "func.h"
#include "dtk_impl.h"

static struct probetab *tab;

static struct dtk *check_prog(const char *text)
{
	int err = 0;
	struct dtk *d = dtk_open_shared(tab, NULL, &err);
	if (d && dtk_compile(d, "t", text, DTK_C_PROBESPEC) < 0)
		printf("# %s: %s\n", text, dtk_errmsg(d));
	return d;
}

static const struct sym *sym(struct dtk *d, const char *name)
{
	for (const struct sym *y = d->p.syms; y; y = y->next)
		if (!strcmp(y->name, name))
			return y;
	return NULL;
}

/* The error of a program that must not compile ("" if it compiled). */
static char msg[1024];
static const char *error_of(const char *text)
{
	int err = 0;
	struct dtk *d = dtk_open_shared(tab, NULL, &err);
	msg[0] = 0;
	if (d && dtk_compile(d, "t", text, DTK_C_PROBESPEC) < 0)
		snprintf(msg, sizeof msg, "%s", dtk_errmsg(d));
	dtk_close(d);
	return msg;
}

static void test_types(void)
{
	struct dtk *d = check_prog(
		"syscall::read:entry { x = arg0; s = \"abc\"; self->t = timestamp;"
		" this->n = 1; a[pid, execname] = 2; @q = quantize(arg2); }");
	const struct sym *y;

	CHECK(d && *dtk_errmsg(d) == 0);
	if (!d)
		return;
	/* checked, not generated: no BPF program yet */
	CHECK(d->p.nbprogs == 0);
	CHECK((y = sym(d, "x")) && y->kind == S_GLOBAL &&
	      y->type->k == TY_INT && y->type->size == 8);
	CHECK((y = sym(d, "s")) && y->kind == S_GLOBAL && y->type->k == TY_STRING);
	CHECK((y = sym(d, "t")) && y->kind == S_SELF && y->type->k == TY_INT);
	CHECK((y = sym(d, "n")) && y->kind == S_THIS);
	CHECK((y = sym(d, "a")) && y->kind == S_ASSOC && y->nkeys == 2 &&
	      y->keys[0]->k == TY_INT && y->keys[1]->k == TY_STRING);
	CHECK((y = sym(d, "q")) && y->kind == S_AGG && y->fn->id == F_QUANTIZE);
	/* the clause and the probes its description matched */
	CHECK(d->p.nclauses == 1 && d->p.clauses[0]->nprobes == 1);
	dtk_close(d);
}

static void test_errors(void)
{
	CHECK(strstr(error_of("BEGIN { x = \"a\"; x = 1; }"),
		     "operands have incompatible types: \"string\" = \"int\""));
	CHECK(strstr(error_of("BEGIN { x = 1; } END { x = \"s\"; }"),
		     "incompatible types"));
	CHECK(strstr(error_of("BEGIN { @a = count(); @a = sum(1); }"),
		     "@a is used with count( ) and with sum( )"));
	CHECK(strstr(error_of("BEGIN { foo(); }"), "undefined function name: foo"));
	CHECK(strstr(error_of("BEGIN { trace(y); }"), "failed to resolve y"));
	CHECK(strstr(error_of("BEGIN { printf(\"%d\\n\", \"s\"); }"),
		     "argument #2 is incompatible with conversion #1"));
	CHECK(strstr(error_of("syscall::nosuchcall:entry { }"),
		     "does not match any probes"));
	/* a well-typed program has no error */
	CHECK(!*error_of("BEGIN { x = 1; } END { x = x + 2; }"));
}

int main(void)
{
	tab = probetab_open_opts(false);
	CHECK(tab != NULL);
	if (!tab)
		return CHECK_DONE();
	test_types();
	test_errors();
	probetab_close(tab);
	return CHECK_DONE();
}
