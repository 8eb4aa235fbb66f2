/* test_parse.c - the D lexer and parser: tokens, precedence, probe
 * descriptions, pragmas, declarations and error positions. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lex.h"
#include "parse.h"

/* --- helpers ------------------------------------------------------------ */

static char errbuf[1200];

/* Tokens of text as one string: "NAME(x) + NUM(1)". */
static const char *tokens(const char *text, bool clause)
{
	static char out[2048];
	struct arena *a = arena_new();
	struct diag d;
	struct lexer lx;
	struct token_val tv;
	size_t n = 0;

	out[0] = '\0';
	if (setjmp(d.jmp)) {
		snprintf(out, sizeof(out), "error %d:%d: %s", d.loc.line, d.loc.col, d.msg);
		arena_free(a);
		return out;
	}
	lex_init(&lx, a, &d, "t.d", text);
	lx.clause = clause;
	for (;;) {
		lex_next(&lx, &tv);
		lx.clause = false;
		if (tv.t == T_EOF)
			break;
		if (n)
			n += (size_t)snprintf(out + n, sizeof(out) - n, " ");
		switch (tv.t) {
		case T_NAME: n += (size_t)snprintf(out + n, sizeof(out) - n, "NAME(%s)", tv.s); break;
		case T_NUM: n += (size_t)snprintf(out + n, sizeof(out) - n, "NUM(%llu%s%.*s)",
				(unsigned long long)tv.ival, tv.isunsigned ? "u" : "", tv.nlong, "LL"); break;
		case T_CHR: n += (size_t)snprintf(out + n, sizeof(out) - n, "CHR(%llu)", (unsigned long long)tv.ival); break;
		case T_STR: n += (size_t)snprintf(out + n, sizeof(out) - n, "STR(%s)", tv.s); break;
		case T_PSPEC: n += (size_t)snprintf(out + n, sizeof(out) - n, "PSPEC(%s)", tv.s); break;
		case T_MACRO: n += (size_t)snprintf(out + n, sizeof(out) - n, "MACRO(%s%s)", tv.dollar2 ? "$" : "", tv.s); break;
		case T_AGG: n += (size_t)snprintf(out + n, sizeof(out) - n, "AGG(%s)", tv.s); break;
		default: n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", tok_name(tv.t));
		}
		if (n >= sizeof(out))
			break;
	}
	arena_free(a);
	return out;
}

/* An expression or statement tree as an S-expression. */
static void sx(char **o, size_t *left, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(*o, *left, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= *left)
		k = (int)*left - 1;
	*o += k;
	*left -= (size_t)k;
}

static void sexp(char **o, size_t *left, const struct node *n);

static void sargs(char **o, size_t *left, const struct node *n)
{
	for (int i = 0; i < n->nargs; i++) {
		sx(o, left, " ");
		sexp(o, left, n->args[i]);
	}
}

static void sctype(char **o, size_t *left, const struct ctype *ct)
{
	sx(o, left, "%s", ct->name);
	for (int i = 0; i < ct->ptr; i++)
		sx(o, left, "*");
}

static void sexp(char **o, size_t *left, const struct node *n)
{
	if (!n) {
		sx(o, left, "nil");
		return;
	}
	switch (n->kind) {
	case N_INT: sx(o, left, "%s%llu%s", n->op == T_CHR ? "'" : "",
		       (unsigned long long)n->ival, n->isunsigned ? "u" : ""); break;
	case N_STR: sx(o, left, "\"%s\"", n->str); break;
	case N_IDENT: sx(o, left, "%s", n->name); break;
	case N_MACRO: sx(o, left, "$%s%s", n->op ? "$" : "", n->name); break;
	case N_SELF: sx(o, left, "self->%s", n->name); break;
	case N_THIS: sx(o, left, "this->%s", n->name); break;
	case N_AGG:
		sx(o, left, "(@%s", n->name);
		sargs(o, left, n);
		sx(o, left, ")");
		break;
	case N_UNARY:
		sx(o, left, "(%s ", tok_name(n->op));
		sexp(o, left, n->l);
		sx(o, left, ")");
		break;
	case N_POSTFIX:
		sx(o, left, "(post%s ", tok_name(n->op));
		sexp(o, left, n->l);
		sx(o, left, ")");
		break;
	case N_BINARY:
	case N_ASSIGN:
		sx(o, left, "(%s ", tok_name(n->op));
		sexp(o, left, n->l);
		sx(o, left, " ");
		sexp(o, left, n->r);
		sx(o, left, ")");
		break;
	case N_TERNARY:
		sx(o, left, "(? ");
		sexp(o, left, n->c);
		sx(o, left, " ");
		sexp(o, left, n->l);
		sx(o, left, " ");
		sexp(o, left, n->r);
		sx(o, left, ")");
		break;
	case N_CALL:
		sx(o, left, "(%s", n->name);
		sargs(o, left, n);
		sx(o, left, ")");
		break;
	case N_INDEX:
		sx(o, left, "([] ");
		sexp(o, left, n->l);
		sargs(o, left, n);
		sx(o, left, ")");
		break;
	case N_MEMBER:
	case N_PTRMEMBER:
		sx(o, left, "(%s ", n->kind == N_MEMBER ? "." : "->");
		sexp(o, left, n->l);
		sx(o, left, " %s)", n->name);
		break;
	case N_CAST:
		sx(o, left, "(cast ");
		sctype(o, left, n->ctype);
		sx(o, left, " ");
		sexp(o, left, n->l);
		sx(o, left, ")");
		break;
	case N_SIZEOF:
		sx(o, left, "(sizeof ");
		if (n->ctype)
			sctype(o, left, n->ctype);
		else
			sexp(o, left, n->l);
		sx(o, left, ")");
		break;
	case N_STRINGOF:
		sx(o, left, "(stringof ");
		sexp(o, left, n->l);
		sx(o, left, ")");
		break;
	case N_OFFSETOF:
		sx(o, left, "(offsetof ");
		sctype(o, left, n->ctype);
		sx(o, left, " %s)", n->name);
		break;
	case N_EXPR_STMT:
		sexp(o, left, n->l);
		sx(o, left, ";");
		break;
	case N_IF:
		sx(o, left, "(if ");
		sexp(o, left, n->c);
		sx(o, left, " ");
		sexp(o, left, n->l);
		if (n->r) {
			sx(o, left, " ");
			sexp(o, left, n->r);
		}
		sx(o, left, ")");
		break;
	case N_BLOCK:
		sx(o, left, "{");
		sargs(o, left, n);
		sx(o, left, " }");
		break;
	case N_EMPTY:
		sx(o, left, ";");
		break;
	}
}

static struct arena *arena;
static struct diag diag;

/* Parse; on error return NULL and leave "L:C: msg" in errbuf. */
static struct program *parse(const char *text, bool probespec)
{
	struct program *prog;

	if (arena)
		arena_free(arena);
	arena = arena_new();
	errbuf[0] = '\0';
	if (setjmp(diag.jmp)) {
		snprintf(errbuf, sizeof(errbuf), "%d:%d: %s", diag.loc.line,
			 diag.loc.col, diag.msg);
		return NULL;
	}
	prog = parse_program(arena, &diag, "t.d", text, probespec);
	return prog;
}

static const char *err(const char *text)
{
	if (parse(text, false))
		return "(no error)";
	return errbuf;
}

/* The first clause's statements as S-expressions joined by spaces. */
static const char *body(const char *text)
{
	static char out[4096];
	char *o = out;
	size_t left = sizeof(out);
	struct program *prog = parse(text, false);

	out[0] = '\0';
	if (!prog)
		return errbuf;
	if (prog->nclauses < 1)
		return "(no clause)";
	for (int i = 0; i < prog->clauses[0]->nstmts; i++) {
		if (i)
			sx(&o, &left, " ");
		sexp(&o, &left, prog->clauses[0]->stmts[i]);
	}
	return out;
}

/* One expression, parsed as the only statement of a BEGIN clause. */
static const char *ex(const char *e)
{
	static char text[2048];

	snprintf(text, sizeof(text), "BEGIN { %s; }", e);
	return body(text);
}

#define STREQ(a, b) (strcmp((a), (b)) == 0 || (printf("  got: %s\n  exp: %s\n", (a), (b)), 0))

/* --- the lexer ---------------------------------------------------------- */

static void test_tokens(void)
{
	CHECK(STREQ(tokens("a->b ++ -- << >> <= >= == != && || ^^", false),
		    "NAME(a) -> NAME(b) ++ -- << >> <= >= == != && || ^^"));
	CHECK(STREQ(tokens("+= -= *= /= %= &= |= ^= <<= >>= ? : , ; @ $", false) ,
		    "error 1:43: syntax error near \"$\""));
	CHECK(STREQ(tokens("+= -= *= /= %= &= |= ^= <<= >>= ? : , ;", false),
		    "+= -= *= /= %= &= |= ^= <<= >>= ? : , ;"));
	CHECK(STREQ(tokens("if else sizeof stringof offsetof inline self this "
			   "translator provider struct union enum typedef", false),
		    "if else sizeof stringof offsetof inline self this "
		    "translator provider struct union enum typedef"));
	CHECK(STREQ(tokens("unsigned signed int long short char void const volatile string x_1 `jiffies", false),
		    "unsigned signed int long short char void const volatile string NAME(x_1) NAME(`jiffies)"));
	CHECK(STREQ(tokens("0 42 0x1F 0X1f 017 10u 10UL 10ll 7LLU 18446744073709551615", false),
		    "NUM(0) NUM(42) NUM(31) NUM(31) NUM(15) NUM(10u) NUM(10uL) NUM(10LL) NUM(7uLL) NUM(18446744073709551615)"));
	CHECK(STREQ(tokens("'a' '\\n' '\\0' '\\x41' '\\101' '\\'' 'ab'", false),
		    "CHR(97) CHR(10) CHR(0) CHR(65) CHR(65) CHR(23591) CHR(24930)"));
	CHECK(STREQ(tokens("\"a\\tb\\\"c\\\\\" \"\"", false), "STR(a\tb\"c\\) STR()"));
	CHECK(STREQ(tokens("$1 $$1 $target $pid $0 $10", false),
		    "MACRO(1) MACRO($1) MACRO(target) MACRO(pid) MACRO(0) MACRO(10)"));
	CHECK(STREQ(tokens("@ @a @_x1 @[", false), "AGG() AGG(a) AGG(_x1) AGG() ["));
	CHECK(STREQ(tokens("a /* c \n */ b // d\n c", false), "NAME(a) NAME(b) NAME(c)"));
	CHECK(STREQ(tokens("a \\\n b", false), "NAME(a) NAME(b)"));
	/* at the start of an item, descriptions are one token */
	CHECK(STREQ(tokens("syscall::open*:entry", true), "PSPEC(syscall::open*:entry)"));
	CHECK(STREQ(tokens("profile:::tick-1s{", true), "PSPEC(profile:::tick-1s) {"));
	CHECK(STREQ(tokens("pid$target:libc.so.6:malloc:entry/", true),
		    "PSPEC(pid$target:libc.so.6:malloc:entry) /"));
	CHECK(STREQ(tokens("syscall::*read*:,", true), "PSPEC(syscall::*read*:) ,"));
	CHECK(STREQ(tokens("BEGIN", true), "PSPEC(BEGIN)"));
	CHECK(STREQ(tokens("int x", true), "int NAME(x)"));
	CHECK(STREQ(tokens("int*x", true), "int * NAME(x)"));
	CHECK(STREQ(tokens("uint64_t x", true), "NAME(uint64_t) NAME(x)"));
	CHECK(STREQ(tokens("inline", true), "inline"));
	CHECK(STREQ(tokens("inlined", true), "PSPEC(inlined)"));
	/* errors */
	CHECK(STREQ(tokens("\"abc", false), "error 1:1: unterminated string literal"));
	CHECK(STREQ(tokens("x \"abc\n\"", false), "error 2:1: newline encountered in string literal"));
	CHECK(STREQ(tokens("a /* b", false), "error 1:3: end-of-file encountered before matching */"));
	CHECK(STREQ(tokens("\"\\q\"", false), "STR(\\q)"));
	CHECK(STREQ(tokens("\n  18446744073709551616", false),
		    "error 2:3: constant 18446744073709551616 results in integer overflow"));
	CHECK(STREQ(tokens("09", false), "error 1:1: constant 09 contains invalid digit 9"));
	CHECK(STREQ(tokens("12abc", false), "error 1:1: constant 12abc contains invalid digit a"));
	CHECK(STREQ(tokens("1.5", false), "error 1:1: floating-point constants are not permitted"));
	CHECK(STREQ(tokens("''", false), "error 1:1: empty character constant"));
	CHECK(STREQ(tokens("'abcdefghi'", false), "error 1:1: character constant is too long"));
	CHECK(STREQ(tokens("a\n  \x01", false), "error 2:3: invalid character (0x01)"));
	CHECK(STREQ(tokens("a ` ", false), "NAME(a) NAME(`)"));
	CHECK(STREQ(tokens("x # y", false), "error 1:3: syntax error near \"#\""));
}

static void test_pragmas(void)
{
	struct program *p = parse("#!/usr/sbin/dtrace -s\n"
				  "#pragma D option quiet\n"
				  "  #pragma D option switchrate=10hz\n"
				  "#pragma D depends_on library net.d\n"
				  "#pragma ident \"x\"\n"
				  "BEGIN {\n#pragma D option bufsize=16m\n}\n", false);

	CHECK(p && p->npragmas == 3);
	if (p && p->npragmas == 3) {
		CHECK(STREQ(p->pragmas[0].name, "quiet"));
		CHECK(p->pragmas[0].value == NULL);
		CHECK(p->pragmas[0].loc.line == 2 && p->pragmas[0].loc.col == 18);
		CHECK(STREQ(p->pragmas[1].name, "switchrate"));
		CHECK(STREQ(p->pragmas[1].value, "10hz"));
		CHECK(STREQ(p->pragmas[2].name, "bufsize"));
		CHECK(STREQ(p->pragmas[2].value, "16m"));
		CHECK(p->nclauses == 1);
	}
	p = parse("#pragma D option quiet /* comment */\n#pragma D option flowindent // more\n", false);
	CHECK(p && p->npragmas == 2 && STREQ(p->pragmas[1].name, "flowindent"));
	CHECK(STREQ(err("#include <x.h>\n"), "1:1: invalid control directive: #include"));
	CHECK(STREQ(err("#pragma D option\n"), "1:1: malformed #pragma option <option>=<val>"));
	CHECK(STREQ(err("#pragma D frobnicate\n"), "1:1: invalid D pragma: frobnicate"));
}

/* --- expressions -------------------------------------------------------- */

static void test_precedence(void)
{
	CHECK(STREQ(ex("a + b * c"), "(+ a (* b c));"));
	CHECK(STREQ(ex("a - b - c"), "(- (- a b) c);"));
	CHECK(STREQ(ex("a = b = c"), "(= a (= b c));"));
	CHECK(STREQ(ex("x += 1 << 2 + 3"), "(+= x (<< 1 (+ 2 3)));"));
	CHECK(STREQ(ex("a || b ^^ c && d"), "(|| a (^^ b (&& c d)));"));
	CHECK(STREQ(ex("a | b ^ c & d == e < f << g"),
		    "(| a (^ b (& c (== d (< e (<< f g))))));"));
	CHECK(STREQ(ex("a ? b : c ? d : e"), "(? a b (? c d e));"));
	CHECK(STREQ(ex("x = a ? b = 1 : c"), "(= x (? a (= b 1) c));"));
	CHECK(STREQ(ex("-a * !b"), "(* (- a) (! b));"));
	CHECK(STREQ(ex("*p++"), "(* (post++ p));"));
	CHECK(STREQ(ex("++a[1]"), "(++ ([] a 1));"));
	CHECK(STREQ(ex("&x->y.z"), "(& (. (-> x y) z));"));
	CHECK(STREQ(ex("~a % b / c"), "(/ (% (~ a) b) c);"));
	CHECK(STREQ(ex("(a + b) * c"), "(* (+ a b) c);"));
	CHECK(STREQ(ex("a >= b != c <= d > e"), "(!= (>= a b) (> (<= c d) e));"));
	CHECK(STREQ(ex("a -= b, c"), "1:15: syntax error near \",\""));
}

static void test_primary(void)
{
	CHECK(STREQ(ex("printf(\"%d %s\\n\", pid, execname)"),
		    "(printf \"%d %s\n\" pid execname);"));
	CHECK(STREQ(ex("x = \"ab\" \"cd\""), "(= x \"abcd\");"));
	CHECK(STREQ(ex("self->ts = timestamp"), "(= self->ts timestamp);"));
	CHECK(STREQ(ex("this->buf[0] == 'a'"), "(== ([] this->buf 0) '97);"));
	CHECK(STREQ(ex("@c[execname, pid] = count()"), "(= (@c execname pid) (count));"));
	CHECK(STREQ(ex("@[probefunc] = sum(arg0)"), "(= (@ probefunc) (sum arg0));"));
	CHECK(STREQ(ex("@ = count()"), "(= (@) (count));"));
	CHECK(STREQ(ex("printa(@a)"), "(printa (@a));"));
	CHECK(STREQ(ex("x = $1 + $$2 + $target"), "(= x (+ (+ $1 $$2) $target));"));
	CHECK(STREQ(ex("x = args[0]->pr_fname"), "(= x (-> ([] args 0) pr_fname));"));
	CHECK(STREQ(ex("x = curpsinfo->pr_psargs"), "(= x (-> curpsinfo pr_psargs));"));
	CHECK(STREQ(ex("a[\"x\", 1]++"), "(post++ ([] a \"x\" 1));"));
	CHECK(STREQ(ex("x = 0xffffffffffffffff"), "(= x 18446744073709551615u);"));
	CHECK(STREQ(ex("f()(1)"), "1:12: syntax error near \"(\""));
}

static void test_casts(void)
{
	CHECK(STREQ(ex("x = (int)arg0"), "(= x (cast int arg0));"));
	CHECK(STREQ(ex("x = (unsigned long long)arg0"), "(= x (cast unsigned long long arg0));"));
	CHECK(STREQ(ex("x = (unsigned)arg0"), "(= x (cast unsigned int arg0));"));
	CHECK(STREQ(ex("x = (long int)arg0"), "(= x (cast long arg0));"));
	CHECK(STREQ(ex("x = (const char *)copyin(arg1, 16)"),
		    "(= x (cast char* (copyin arg1 16)));"));
	CHECK(STREQ(ex("x = (struct task_struct *)curthread"),
		    "(= x (cast struct task_struct* curthread));"));
	CHECK(STREQ(ex("x = (uint64_t)-1"), "(= x (cast uint64_t (- 1)));"));
	CHECK(STREQ(ex("x = (string)arg0"), "(= x (cast string arg0));"));
	CHECK(STREQ(ex("x = (x)-1"), "(= x (- x 1));"));
	CHECK(STREQ(ex("x = sizeof(int) + sizeof (x) + sizeof x"),
		    "(= x (+ (+ (sizeof int) (sizeof x)) (sizeof x)));"));
	CHECK(STREQ(ex("x = sizeof(struct task_struct *)"), "(= x (sizeof struct task_struct*));"));
	CHECK(STREQ(ex("x = stringof(arg0) + stringof arg1"),
		    "(= x (+ (stringof arg0) (stringof arg1)));"));
	CHECK(STREQ(ex("x = offsetof(struct task_struct, pid)"),
		    "(= x (offsetof struct task_struct pid));"));
	CHECK(STREQ(err("BEGIN { x = (int char)1; }"), "1:14: invalid type combination"));
	CHECK(STREQ(err("BEGIN { x = (struct)1; }"), "1:20: syntax error near \")\""));
}

/* --- statements and programs ------------------------------------------- */

static void test_statements(void)
{
	CHECK(STREQ(body("BEGIN { a = 1; b = 2 }"), "(= a 1); (= b 2);"));
	CHECK(STREQ(body("BEGIN { ;; a = 1;; }"), "(= a 1);"));
	CHECK(STREQ(body("BEGIN {}"), ""));
	CHECK(STREQ(body("BEGIN { if (a) b = 1; else c = 2; d = 3; }"),
		    "(if a { (= b 1); } { (= c 2); }) (= d 3);"));
	CHECK(STREQ(body("BEGIN { if (a) { b = 1 } else if (c) { d = 2; } }"),
		    "(if a { (= b 1); } { (if c { (= d 2); }) })"));
	CHECK(STREQ(body("BEGIN { if (a) { } }"), "(if a { })"));
	CHECK(STREQ(body("BEGIN { { a = 1; } b = 2; }"), "{ (= a 1); } (= b 2);"));
	CHECK(STREQ(body("BEGIN { OPT_x ? printf(\"x\") : 1; }"), "(? OPT_x (printf \"x\") 1);"));
	CHECK(STREQ(err("BEGIN { a = 1 b = 2 }"), "1:15: syntax error near \"b\""));
	CHECK(STREQ(err("BEGIN { if a { } }"), "1:12: syntax error near \"a\""));
	CHECK(STREQ(err("BEGIN { a = 1;"), "1:15: syntax error near end of input"));
	CHECK(STREQ(err("BEGIN { @a[] = count(); }"), "1:12: syntax error near \"]\""));
	CHECK(STREQ(err("BEGIN { a[] = 1; }"), "1:11: syntax error near \"]\""));
}

static void test_clauses(void)
{
	struct program *p;

	p = parse("syscall::open*:entry,\n  syscall::openat:entry\n/execname == \"bash\"/\n{ x = 1; }\n"
		  "profile:::tick-1s { }\nBEGIN{}END\n{}", false);
	CHECK(p && p->nclauses == 4);
	if (p && p->nclauses == 4) {
		struct clause *c = p->clauses[0];

		CHECK(c->ndescs == 2 && c->pred && c->nstmts == 1);
		CHECK(STREQ(c->descs[0].prov, "syscall"));
		CHECK(STREQ(c->descs[0].mod, ""));
		CHECK(STREQ(c->descs[0].func, "open*"));
		CHECK(STREQ(c->descs[0].name, "entry"));
		CHECK(STREQ(c->descs[0].text, "syscall::open*:entry"));
		CHECK(c->descs[1].loc.line == 2 && c->descs[1].loc.col == 3);
		CHECK(c->loc.line == 1 && c->loc.col == 1);
		CHECK(c->pred->kind == N_BINARY && c->pred->op == T_EQ);
		/* DTrace's line for a predicate: that of what follows
		 * its closing '/' */
		CHECK(c->pred->loc.line == 4 && c->pred->loc.col == 11);
		CHECK(STREQ(p->clauses[1]->descs[0].name, "tick-1s"));
		CHECK(STREQ(p->clauses[2]->descs[0].name, "BEGIN"));
		CHECK(STREQ(p->clauses[2]->descs[0].prov, ""));
		CHECK(STREQ(p->clauses[3]->descs[0].name, "END"));
		CHECK(p->clauses[3]->id == 3);
	}
	/* division inside a predicate, and the closing slash */
	p = parse("syscall:::entry / arg0 / 2 > 1 && (a / b) / { }", false);
	CHECK(p && p->nclauses == 1 && p->clauses[0]->pred &&
	      p->clauses[0]->pred->op == T_AND);
	p = parse("syscall::read:entry,syscall::write:entry", true);
	CHECK(p && p->nclauses == 1 && p->clauses[0]->ndescs == 2 &&
	      p->clauses[0]->nstmts == 0);
	p = parse("BEGIN", true);
	CHECK(p && p->nclauses == 1 && STREQ(p->clauses[0]->descs[0].name, "BEGIN"));
	p = parse("syscall:::entry /pid == 1/", true);
	CHECK(p && p->nclauses == 1 && p->clauses[0]->pred);
	p = parse("open:entry", true);
	CHECK(p && STREQ(p->clauses[0]->descs[0].func, "open") &&
	      STREQ(p->clauses[0]->descs[0].prov, ""));
	p = parse("pid$target:libc.so.6:malloc:entry { }", false);
	CHECK(p && STREQ(p->clauses[0]->descs[0].prov, "pid$target") &&
	      STREQ(p->clauses[0]->descs[0].mod, "libc.so.6"));
	p = parse(":::", false);
	CHECK(!p && STREQ(errbuf, "1:1: expected predicate and/or actions "
			  "following probe description"));
	CHECK(STREQ(err("BEGIN"), "1:1: expected predicate and/or actions "
		    "following probe description"));
	CHECK(STREQ(err("a:b:c:d:e { }"),
		    "1:1: invalid probe description \"a:b:c:d:e\": Overspecified probe description"));
	CHECK(STREQ(err("BEGIN,\n{ }"), "2:1: syntax error near \"{\""));
	CHECK(STREQ(err("BEGIN /x\n{ }"), "2:1: syntax error near \"{\""));
	CHECK(STREQ(err("BEGIN /(x/ { }"), "1:10: closing ) expected in predicate before /"));
	CHECK(STREQ(err("BEGIN\n{\n  x = 1;\n  y = ;\n}"), "4:7: syntax error near \";\""));
	CHECK(STREQ(err("BEGIN { }\n}"), "2:1: syntax error near \"}\""));
	CHECK(STREQ(err("BEGIN { x = \"a\" }}"), "1:18: syntax error near \"}\""));
}

static void test_decls(void)
{
	struct program *p;

	p = parse("inline int FOO = 42;\ninline string NAME = \"bash\";\n"
		  "int x, y;\nstring s;\nint a[string];\nint64_t b[int, string];\n"
		  "self int t;\nthis char *c;\nunsigned long long z;\nchar buf[16];\n"
		  "int*q;\nBEGIN { }", false);
	CHECK(p && p->ndecls == 12 && p->nclauses == 1);
	if (p && p->ndecls == 12) {
		struct decl **d = p->decls;

		CHECK(d[0]->kind == D_INLINE && STREQ(d[0]->name, "FOO") &&
		      d[0]->init && d[0]->init->ival == 42 && STREQ(d[0]->ctype->name, "int"));
		CHECK(d[0]->loc.line == 1 && d[0]->loc.col == 12);
		CHECK(d[1]->kind == D_INLINE && STREQ(d[1]->ctype->name, "string") &&
		      STREQ(d[1]->init->str, "bash"));
		CHECK(d[2]->kind == D_VAR && STREQ(d[2]->name, "x") && STREQ(d[3]->name, "y"));
		CHECK(STREQ(d[4]->ctype->name, "string"));
		CHECK(d[5]->nkeys == 1 && STREQ(d[5]->keys[0]->name, "string"));
		CHECK(d[6]->nkeys == 2 && STREQ(d[6]->ctype->name, "int64_t") &&
		      STREQ(d[6]->keys[0]->name, "int") && STREQ(d[6]->keys[1]->name, "string"));
		CHECK(d[7]->is_self && !d[7]->is_this && STREQ(d[7]->name, "t"));
		CHECK(d[8]->is_this && d[8]->ctype->ptr == 1 && STREQ(d[8]->ctype->name, "char"));
		CHECK(STREQ(d[9]->ctype->name, "unsigned long long"));
		CHECK(d[10]->ctype->array == 16 && STREQ(d[10]->ctype->name, "char"));
		CHECK(d[11]->ctype->ptr == 1 && STREQ(d[11]->name, "q"));
	}
	CHECK(STREQ(err("inline int X = ;"), "1:16: syntax error near \";\""));
	CHECK(STREQ(err("int x\nBEGIN { }"), "2:1: syntax error near \"BEGIN\""));
	/* a storage class alone declares an int, as in C (and DTrace) */
	CHECK(STREQ(err("self x; this y, z;"), "(no error)"));
	CHECK(STREQ(err("self ;"), "1:6: syntax error near \";\""));
	CHECK(STREQ(err("self x y;"), "1:8: syntax error near \"y\""));
}

static void test_robustness(void)
{
	char deep[8192];
	int i, n = 0;

	n += snprintf(deep + n, sizeof(deep) - (size_t)n, "BEGIN { x = ");
	for (i = 0; i < 3000; i++)
		deep[n++] = '(';
	deep[n] = '\0';
	CHECK(STREQ(err(deep), "1:345: expression nested too deeply"));
	n = snprintf(deep, sizeof(deep), "BEGIN { x = ");
	for (i = 0; i < 3000; i++)
		deep[n++] = '-';
	strcpy(deep + n, "1; }");
	CHECK(strstr(err(deep), "nested too deeply") != NULL);
	n = snprintf(deep, sizeof(deep), "BEGIN ");
	for (i = 0; i < 3000; i++)
		deep[n++] = '{';
	deep[n] = '\0';
	CHECK(strstr(err(deep), "nested too deeply") != NULL);
	/* within the limit is fine */
	n = snprintf(deep, sizeof(deep), "BEGIN { x = ");
	for (i = 0; i < 200; i++)
		deep[n++] = '(';
	deep[n++] = '1';
	for (i = 0; i < 200; i++)
		deep[n++] = ')';
	strcpy(deep + n, "; }");
	CHECK(STREQ(err(deep), "(no error)"));
	CHECK(STREQ(err(""), "(no error)"));
	CHECK(STREQ(err("/* only a comment */\n"), "(no error)"));
}

static void test_arena(void)
{
	struct arena *a = arena_new();
	int *v = NULL, n = 0;
	bool ok = true;

	for (int i = 0; i < 10000; i++) {
		v = arena_push(a, v, &n, sizeof(*v));
		if (v[n - 1] != 0)
			ok = false;
		v[n - 1] = i;
	}
	for (int i = 0; i < n; i++)
		if (v[i] != i)
			ok = false;
	CHECK(ok && n == 10000);
	char *big = arena_alloc(a, 1 << 20);
	CHECK(big[0] == 0 && big[(1 << 20) - 1] == 0);
	CHECK(STREQ(arena_strndup(a, "hello", 3), "hel"));
	CHECK(((uintptr_t)arena_alloc(a, 3) & 15) == 0);
	arena_free(a);
}

int main(void)
{
	test_arena();
	test_tokens();
	test_pragmas();
	test_precedence();
	test_primary();
	test_casts();
	test_statements();
	test_clauses();
	test_decls();
	test_robustness();
	if (arena)
		arena_free(arena);
	return CHECK_DONE();
}
