/* test_compile.c - the checker works on the compile's state alone (struct
 * compile, lang/compile.h), made here by hand with no handle: options, the
 * built-in probe table, D's functions and an arena are all it is given.
 * What it decides lands in that state (the program's clauses and symbols),
 * and its first error in the state's diag, with the place and DTrace's tag.
 */
#include <setjmp.h>
#include <string.h>
#include "check.h"
#include "compile.h"
#include "fmt.h"
#include "func.h"
#include "parse.h"
#include "prov/provider.h"
#include "symtab.h"

static struct probetab *tab;

static void compile_init(struct compile *c)
{
	memset(c, 0, sizeof *c);
	options_default(&c->opt);
	c->probes = tab;
	c->funcs = dtk_funcs;
	c->p.arena = arena_new();
}

static void compile_free(struct compile *c)
{
	for (int i = 0; i < c->p.nspecs; i++)
		fmt_free(c->p.specs[i]);
	arena_free(c->p.arena);
}

/* Parse and check text into c: 0, or -1 with the error in c->diag. */
static int check(struct compile *c, const char *text)
{
	struct source src = { .name = "t", .desc = (char *)text };
	if (setjmp(c->diag.jmp))
		return -1;
	struct program *pg = parse_program(c->p.arena, &c->diag, "t", text, 0);
	sema_program(c, pg, &src, 0);
	return 0;
}

static const struct sym *sym(const struct compile *c, const char *name)
{
	for (const struct sym *y = c->p.syms; y; y = y->next)
		if (!strcmp(y->name, name))
			return y;
	return NULL;
}

static void test_checked(void)
{
	struct compile c;
	const struct sym *y;

	compile_init(&c);
	c.nargs = 2;
	c.args = (char *[]){ "t", "42", NULL };
	CHECK(check(&c, "syscall::read:entry,syscall::write:entry\n"
		       "/pid == $1/ { @n[probefunc] = count(); x = $1; }\n"
		       "BEGIN { printf(\"%d\\n\", 1); }") == 0);
	CHECK(c.p.nclauses == 2 && c.p.clauses[0]->nprobes == 2 &&
	      c.p.clauses[1]->nprobes == 1);
	/* $1 is the macro argument the state holds */
	CHECK((y = sym(&c, "x")) && y->kind == S_GLOBAL);
	CHECK((y = sym(&c, "n")) && y->kind == S_AGG);
	/* the printf format, parsed, kept to free with the program */
	CHECK(c.p.nspecs == 1);
	/* checked, not generated */
	CHECK(c.p.nbprogs == 0);
	compile_free(&c);
}

static void test_options(void)
{
	struct compile c;

	/* a destructive action wants the state's option, set by -w */
	compile_init(&c);
	CHECK(check(&c, "BEGIN { raise(9); }") == -1);
	CHECK(c.diag.tag == D_ACT_SPEC && c.diag.loc.line == 1);
	compile_free(&c);
	compile_init(&c);
	c.opt.destructive = true;
	CHECK(check(&c, "BEGIN { raise(9); }") == 0);
	compile_free(&c);
}

static void test_error(void)
{
	struct compile c;

	compile_init(&c);
	CHECK(check(&c, "BEGIN {\n  x = \"a\";\n  x = 1;\n}") == -1);
	CHECK(c.diag.loc.line == 3);
	CHECK(c.diag.tag == D_OP_INCOMPAT);
	CHECK(strstr(c.diag.msg, "operands have incompatible types") != NULL);
	compile_free(&c);
	/* no probe matches: the table the state was given is asked */
	compile_init(&c);
	CHECK(check(&c, "syscall::no_such_call:entry { }") == -1);
	CHECK(c.diag.tag == D_PDESC_ZERO);
	compile_free(&c);
}

int main(void)
{
	tab = probetab_open_opts(false);
	CHECK(tab != NULL);
	if (!tab)
		return CHECK_DONE();
	test_checked();
	test_options();
	test_error();
	probetab_close(tab);
	return CHECK_DONE();
}
