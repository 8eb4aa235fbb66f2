/* test_sema.c - the checker on its own: dtk_compile parses and checks
 * (sema.c) without generating code, and what it decides is read back from
 * the symbols: each variable's kind and type, each aggregation's function,
 * and the first error of an ill-typed program, worded as DTrace words it.
 * Uses the built-in syscall table (no tracefs) and no kernel BTF unless a
 * program names kernel types (none here). */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "fmt.h"
#include "func.h"
#include "dtk_impl.h"
#include "prov/provider.h"

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
	for (const struct sym *y = d->comp.p.syms; y; y = y->next)
		if (!strcmp(y->name, name))
			return y;
	return NULL;
}

/* The error of a program that must not compile ("" if it compiled), with
 * DTrace's tag in front ("[D_TAG] ...") if tags. */
static char msg[1024];
static const char *error_with(const char *text, bool tags)
{
	int err = 0;
	struct dtk *d = dtk_open_shared(tab, NULL, &err);
	msg[0] = 0;
	if (d) {
		d->comp.opt.errtags = tags;
		if (dtk_compile(d, "t", text, DTK_C_PROBESPEC) < 0)
			snprintf(msg, sizeof msg, "%s", dtk_errmsg(d));
	}
	dtk_close(d);
	return msg;
}

static const char *error_of(const char *text)
{
	return error_with(text, false);
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
	CHECK(d->comp.p.nbprogs == 0);
	CHECK((y = sym(d, "x")) && y->kind == S_GLOBAL &&
	      y->type->k == TY_INT && y->type->size == 8);
	CHECK((y = sym(d, "s")) && y->kind == S_GLOBAL && y->type->k == TY_STRING);
	CHECK((y = sym(d, "t")) && y->kind == S_SELF && y->type->k == TY_INT);
	CHECK((y = sym(d, "n")) && y->kind == S_THIS);
	CHECK((y = sym(d, "a")) && y->kind == S_ASSOC && y->nkeys == 2 &&
	      y->keys[0]->k == TY_INT && y->keys[1]->k == TY_STRING);
	CHECK((y = sym(d, "q")) && y->kind == S_AGG && y->fn->id == F_QUANTIZE);
	/* the clause and the probes its description matched */
	CHECK(d->comp.p.nclauses == 1 && d->comp.p.clauses[0]->nprobes == 1);
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

static const char *tagged_error_of(const char *text)
{
	return error_with(text, true);
}

/* What the checker knows of an aggregating function or an action on
 * aggregations it asks the function's entry (func.h): its parameters'
 * tags and checks, its value's sign, the tags of a bad aggregation
 * argument. */
static void test_agg_entries(void)
{
	/* each program's error, with its tag */
	static const struct { const char *prog, *want; } bad[] = {
		{ "BEGIN { b = 1; @ = lquantize(1, b, 10); }",
		  "[D_LQUANT_BASETYPE]" },
		{ "BEGIN { b = 1; @ = lquantize(1, 0, 10, b); }",
		  "[D_LQUANT_STEPTYPE]" },
		{ "BEGIN { @ = lquantize(1, 0, 10, 0); }",
		  "[D_LQUANT_STEPTYPE] in action list: lquantize( ) step "
		  "must be greater than zero" },
		{ "BEGIN { @ = lquantize(1, 10, 5); }",
		  "[D_LQUANT_MISMATCH]" },
		{ "BEGIN { @ = lquantize(1, 0, 1000000); }",
		  "[D_LQUANT_STEPSMALL]" },
		{ "BEGIN { h = 6; @ = llquantize(1, 10, 0, h, 10); }",
		  "[D_LLQUANT_HMAGTYPE]" },
		{ "BEGIN { @ = llquantize(1, 1, 0, 6, 10); }",
		  "[D_LLQUANT_FACTORVAL]" },
		/* past the parameters: the increment, a plain prototype error */
		{ "BEGIN { i = 2; @ = quantize(1, i); }",
		  "[D_PROTO_ARG] in action list: quantize( ) argument #1 "
		  "must be an integer constant" },
		/* each action's own tags for what is not an aggregation */
		{ "BEGIN { trunc(@nope); }",
		  "[D_TRUNC_AGGBAD]" },
		{ "BEGIN { clear(1); }",
		  "[D_CLEAR_AGGARG]" },
		{ "BEGIN { printa(@nope); }",
		  "[D_PRINTA_AGGBAD]" },
		{ "BEGIN { normalize(1, 2); }",
		  "[D_NORMALIZE_AGGARG] in action list: normalize( ) "
		  "argument #1 is incompatible with prototype" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *m = tagged_error_of(bad[i].prog);
		if (!strstr(m, bad[i].want))
			printf("# %s: %s\n", bad[i].prog, m);
		CHECK(strstr(m, bad[i].want));
	}
	/* the parameters make the aggregation's kind, lquantize's step 1
	 * unless given; the increment does not */
	struct dtk *d = check_prog("BEGIN { @a = lquantize(1, 0, 10);"
				   " @a = lquantize(2, 0, 10, 1, 3); }");
	const struct sym *y;
	CHECK(d && (y = sym(d, "a")) && y->aggarg[0] == 0 &&
	      y->aggarg[1] == 10 && y->aggarg[2] == 1 && y->aggarg[3] == 0);
	dtk_close(d);
	CHECK(strstr(error_of("BEGIN { @a = lquantize(1, 0, 10);"
			      " @a = lquantize(1, 0, 20); }"),
		     "@a is used with lquantize( ) and with lquantize( )"));
	/* count( )'s value is unsigned, sum( )'s signed */
	CHECK(strstr(error_of("BEGIN { @c = count(); printa(\"%@s\", @c); }"),
		     "argument: uint64_t"));
	CHECK(strstr(error_of("BEGIN { @c = sum(1); printa(\"%@s\", @c); }"),
		     "argument: int64_t"));
	/* printa's first argument may be its format; trunc's is the
	 * aggregation, checked as one */
	CHECK(!*error_of("BEGIN { @c = count(); printa(\"%@d\", @c); }"));
	CHECK(strstr(error_of("BEGIN { trunc(\"x\"); }"),
		     "trunc( ) argument #1 is incompatible with prototype: "
		     "prototype: aggregation; argument: string"));
}

/* The first statement of clause i, as an expression (its N_EXPR_STMT
 * unwrapped). */
static struct node *stmt_of(struct dtk *d, int i, int j)
{
	struct node *n = d->comp.p.clauses[i]->stmts[j];
	return n->kind == N_EXPR_STMT ? n->l : n;
}

/* What the checker decides reaches the code generator in named fields
 * (ast.h): the function called, the built-in read, a comparison's type, a
 * parsed format, what an assignment stores into. */
static void test_contract(void)
{
	struct dtk *d = check_prog(
		"syscall::read:entry /uid < 5 && arg0 > -1/ {"
		" printf(\"%s %d\\n\", execname, pid); self->s = \"x\";"
		" self->s = 0; x = strlen(execname); }");
	CHECK(d && *dtk_errmsg(d) == 0);
	if (!d)
		return;
	struct node *pred = d->comp.p.clauses[0]->pred;
	/* uid is unsigned: its comparison with 5 is unsigned; arg0's is
	 * signed */
	CHECK(pred->kind == N_BINARY && pred->l->cmptype &&
	      !pred->l->cmptype->sign && pred->r->cmptype &&
	      pred->r->cmptype->sign);
	CHECK(pred->l->l->builtin == B_UID && pred->r->l->builtin == B_ARG0);
	struct node *pf = stmt_of(d, 0, 0);
	CHECK(pf->kind == N_CALL && pf->fn && pf->fn->id == F_PRINTF &&
	      (pf->fn->flags & FN_TRACES));
	/* the format, parsed: two conversions */
	CHECK(pf->args[0]->fmt && pf->args[0]->fmt->nargs == 2);
	CHECK(pf->args[1]->builtin == B_EXECNAME && pf->args[2]->builtin == B_PID);
	CHECK(stmt_of(d, 0, 1)->assign == AS_VAR);
	CHECK(stmt_of(d, 0, 2)->assign == AS_FREE);
	struct node *sl = stmt_of(d, 0, 3)->r;
	CHECK(sl->fn && strcmp(sl->fn->name, "strlen") == 0 &&
	      sl->type == &t_ulong);
	dtk_close(d);
}

/* Each D function's check: its prototype, in DTrace's words. */
static void test_func_checks(void)
{
	CHECK(strstr(error_of("BEGIN { x = strlen(1); }"),
		     "strlen( ) argument #1 is incompatible with prototype: "
		     "prototype: string; argument: int"));
	CHECK(strstr(error_of("BEGIN { x = substr(\"a\", \"b\"); }"),
		     "substr( ) argument #2 is incompatible with prototype: "
		     "prototype: int"));
	CHECK(strstr(error_of("BEGIN { x = copyin(0, 5000); }"),
		     "copyin( ) size must be between 1 and 4096"));
	CHECK(strstr(error_of("BEGIN { x = alloca(0); }"),
		     "alloca( ) size must be between 1 and 4096"));
	CHECK(strstr(error_of("BEGIN { x = htons(\"a\"); }"),
		     "prototype: uint16_t"));
	CHECK(strstr(error_of("BEGIN { x = strlen(\"a\", \"b\"); }"),
		     "strlen( ) prototype mismatch: 2 args passed, 1 expected"));
	CHECK(strstr(error_of("BEGIN { stack(arg0); }"),
		     "stack( ) argument #1 must be a constant"));
	CHECK(strstr(error_of("BEGIN { trunc(1); }"),
		     "trunc( ) argument #1 is incompatible with prototype: "
		     "prototype: aggregation"));
	CHECK(strstr(error_of("BEGIN { printa(\"%d\"); }"),
		     "printa( ) prototype mismatch: too few arguments"));
	CHECK(strstr(error_of("BEGIN { raise(9); }"),
		     "raise( ) is a destructive action"));
	CHECK(strstr(error_of("BEGIN { x = count(); }"),
		     "count( ) may only be used as the value of an aggregation"));
	CHECK(strstr(error_of("BEGIN { x = strlen; }"),
		     "strlen( ) must be called with arguments in parentheses"));
	/* the types the checks give */
	CHECK(!*error_of("BEGIN { a = lltostr(1); b = strtoll(\"1\");"
			 " c = index(\"ab\", \"b\"); d = getmajor(1);"
			 " e = strtok(NULL, \",\"); @[func(0), stack()] = count(); }"));
	struct dtk *d = check_prog("BEGIN { a = lltostr(1); b = ntohll(1);"
				   " c = rand(); }");
	const struct sym *y;
	CHECK(d && (y = sym(d, "a")) && y->type->k == TY_STRING);
	CHECK(d && (y = sym(d, "b")) && y->type == &t_ullong);
	CHECK(d && (y = sym(d, "c")) && y->type == &t_int);
	dtk_close(d);
}

/* The table of D's functions: each row is found by its name, and what the
 * checker accepts the generator can generate: a supported subroutine has
 * its check and one generator, a value or a string; an action makes no
 * value; an aggregating function has its value's size and its update. */
static void test_func_table(void)
{
	int n = 0;
	for (const struct func *f = dtk_funcs; f->name; f++, n++) {
		CHECK(func_lookup(dtk_funcs, f->name) == f);
		if (!f->supported)
			continue;
		if (f->cls == FC_AGG) {
			CHECK(f->agg_add && (f->aggbytes > 0) != !!f->agg_size);
			/* each parameter has its tag */
			CHECK(f->npar >= 0 && f->npar <= FN_MAXPAR &&
			      (!f->npar || f->npar < f->maxargs));
			for (int i = 0; i < f->npar; i++)
				CHECK(f->partag[i] != D_UNKNOWN);
			continue;
		}
		if (f->flags & FN_AGGARGS)
			CHECK(f->notagg_tag != D_UNKNOWN &&
			      f->undef_tag != D_UNKNOWN);
		CHECK(f->check != NULL);
		if (f->cls == FC_SUBR)
			CHECK(!!f->gen + !!f->gen_str == 1 && !f->act);
		else
			CHECK(!f->gen && !f->gen_str);
	}
	CHECK(n > 70);
	CHECK(func_lookup(dtk_funcs, "nosuchfunction") == NULL);
}

int main(void)
{
	tab = probetab_open_opts(false);
	CHECK(tab != NULL);
	if (!tab)
		return CHECK_DONE();
	test_types();
	test_errors();
	test_contract();
	test_func_checks();
	test_agg_entries();
	test_func_table();
	probetab_close(tab);
	return CHECK_DONE();
}
