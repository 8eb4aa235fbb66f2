/* parse.c - a recursive-descent parser for D, in the manner of Lua's
 * lparser.c: one token of lookahead, one function per grammar rule, errors
 * reported at the offending token with DTrace's wording.
 *
 *	program    := { inline | declaration | clause }
 *	clause     := pspec { ',' pspec } [ '/' expr '/' ] '{' stmts '}'
 *	stmts      := { ';' | expr [';'] | if | '{' stmts '}' }
 *	expr       := cond [ assignop expr ]
 *	cond       := binary [ '?' expr ':' cond ]
 *	binary     := unary { binop binary }	(C precedence, ^^ between || and &&)
 *	unary      := prefixop unary | '(' type ')' unary | sizeof | stringof
 *		    | offsetof | postfix
 */
#include <stdio.h>
#include <string.h>

#include "lex.h"
#include "parse.h"

#define MAX_DEPTH 1000

struct parser {
	struct lexer lx;
	struct token_val tok;		/* the lookahead */
	struct arena *a;
	struct diag *d;
	struct program *prog;
	bool probespec;
	int depth;
	int nanon;			/* anonymous structs so far */
};

static void next(struct parser *p)
{
	lex_next(&p->lx, &p->tok);
}

/* The token after the end of a program item is lexed in the probe
 * description state. */
static void next_item(struct parser *p)
{
	p->lx.clause = true;
	next(p);
	p->lx.clause = false;
}

__attribute__((noreturn))
static void syntax_error(struct parser *p)
{
	if (p->tok.t == T_EOF)
		diag_fail(p->d, p->tok.loc, D_SYNTAX,
			  "syntax error near end of input");
	diag_fail(p->d, p->tok.loc, D_SYNTAX, "syntax error near \"%.*s\"",
		  p->tok.textlen > 200 ? 200 : (int)p->tok.textlen, p->tok.text);
}

static void expect(struct parser *p, int t)
{
	if (p->tok.t != t)
		syntax_error(p);
	next(p);
}

static void enter(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		diag_fail(p->d, p->tok.loc, D_SYNTAX,
			  "expression nested too deeply");
}

static void leave(struct parser *p)
{
	p->depth--;
}

static struct node *mknode(struct parser *p, enum node_kind k, struct loc loc)
{
	struct node *n = arena_alloc(p->a, sizeof(*n));

	n->kind = k;
	n->loc = loc;
	return n;
}

static void push_node(struct parser *p, struct node ***vec, int *n, struct node *x)
{
	*vec = arena_push(p->a, *vec, n, sizeof(**vec));
	(*vec)[*n - 1] = x;
}

/* --- types -------------------------------------------------------------- */

static bool is_type_start(struct parser *p)
{
	const struct token_val *t = &p->tok;

	switch (t->t) {
	case T_CHAR: case T_SHORT: case T_INT: case T_LONG: case T_SIGNED:
	case T_UNSIGNED: case T_VOID: case T_FLOAT: case T_DOUBLE:
	case T_STRING: case T_STRUCT: case T_UNION: case T_ENUM:
	case T_CONST: case T_VOLATILE: case T_USERLAND:
		return true;
	case T_NAME:
		return lex_is_type(&p->lx, t->s, t->len);
	}
	return false;
}

static void skip_qualifiers(struct parser *p)
{
	while (p->tok.t == T_CONST || p->tok.t == T_VOLATILE ||
	       p->tok.t == T_USERLAND || p->tok.t == T_RESTRICT)
		next(p);
}

/* The C arithmetic types from their specifiers, in canonical spelling. */
static const char *builtin_type(struct parser *p)
{
	int nsigned = 0, nunsigned = 0, nshort = 0, nlong = 0, base = 0;
	struct loc at = p->tok.loc;
	char words[64] = "";		/* as written, for a message */

	for (;;) {
		int t = p->tok.t;

		if (t != T_CONST && t != T_VOLATILE && t != T_RESTRICT &&
		    strlen(words) + strlen(tok_name(t)) + 2 < sizeof words) {
			strcat(words, *words ? " " : "");
			strcat(words, tok_name(t));
		}
		if (t == T_SIGNED)
			nsigned++;
		else if (t == T_UNSIGNED)
			nunsigned++;
		else if (t == T_SHORT)
			nshort++;
		else if (t == T_LONG)
			nlong++;
		else if (t == T_INT || t == T_CHAR || t == T_VOID ||
			 t == T_FLOAT || t == T_DOUBLE) {
			if (base)
				diag_fail(p->d, at, D_DECL_COMBO,
					  "invalid type combination");
			base = t;
		} else if (t != T_CONST && t != T_VOLATILE && t != T_RESTRICT)
			break;
		/* DTrace's checks (dt_decl.c), in its words */
		if (nsigned + nunsigned > 1 || nshort > 1)
			diag_fail(p->d, at, D_DECL_COMBO,
				  "invalid type combination");
		if (nshort && nlong)
			diag_fail(p->d, at, D_UNKNOWN, "failed to resolve type "
				  "%s: Unknown type name", words);
		if ((nshort || nlong) && base == T_CHAR)
			diag_fail(p->d, at, D_DECL_CHARATTR, "invalid type "
				  "declaration: short and long may not be used "
				  "with char type");
		if ((nshort || nlong || nsigned || nunsigned) && base == T_VOID)
			diag_fail(p->d, at, D_DECL_VOIDATTR, "invalid type "
				  "declaration: attributes may not be used "
				  "with void type");
		if ((nsigned || nunsigned) && base && base != T_INT &&
		    base != T_CHAR)
			diag_fail(p->d, at, D_DECL_SIGNINT, "invalid type "
				  "declaration: signed and unsigned may only be "
				  "used with integer type");
		if (nlong > 2 || (nshort && base && base != T_INT) ||
		    (nlong && base && base != T_INT &&
		     !(base == T_DOUBLE && nlong == 1)))
			diag_fail(p->d, at, D_DECL_LONGINT, "invalid type "
				  "declaration: long and long long may only be "
				  "used with integer or floating-point type");
		next(p);
	}
	if (base == T_VOID) return "void";
	if (base == T_FLOAT) return "float";
	if (base == T_DOUBLE) return nlong ? "long double" : "double";
	if (base == T_CHAR)
		return nunsigned ? "unsigned char" : nsigned ? "signed char" : "char";
	if (nshort) return nunsigned ? "unsigned short" : "short";
	if (nlong == 1) return nunsigned ? "unsigned long" : "long";
	if (nlong == 2) return nunsigned ? "unsigned long long" : "long long";
	return nunsigned ? "unsigned int" : "int";
}

static struct node *cond(struct parser *p);
static struct decl *new_decl(struct parser *p);

/* enum [NAME] '{' NAME [= cond] { ',' NAME [= cond] } [','] '}': each
 * enumerator is a declaration of its own, an integer constant */
static void enum_body(struct parser *p, struct ctype *ct)
{
	next(p);
	while (p->tok.t != '}') {
		struct decl *dc = new_decl(p);

		if (p->tok.t != T_NAME)
			syntax_error(p);
		dc->kind = D_ENUMERATOR;
		dc->name = p->tok.s;
		dc->loc = p->tok.loc;
		dc->ctype = ct;
		next(p);
		if (p->tok.t == '=') {
			next(p);
			dc->init = cond(p);
		}
		if (p->tok.t != ',')
			break;
		next(p);
	}
	expect(p, '}');
}

static struct ctype *parse_type(struct parser *p);

/* A member's optional array bound: '[' N ']' */
static struct ctype *array_bound(struct parser *p, struct ctype *ct)
{
	struct ctype *a;

	if (p->tok.t != '[')
		return ct;
	next(p);
	if (p->tok.t != T_NUM || p->tok.ival == 0 || p->tok.ival > INT32_MAX)
		diag_fail(p->d, p->tok.loc, D_DECL_ARRSUB, "positive integral "
			  "constant expression or tuple signature expected as "
			  "array declaration subscript");
	a = arena_alloc(p->a, sizeof(*a));
	*a = *ct;
	a->array = (int)p->tok.ival;
	next(p);
	expect(p, ']');
	return a;
}

/* struct|union [NAME] '{' { TYPE NAME [ '[' N ']' ] {, ...} ';' } '}': the
 * definition is a declaration of its own, pushed after its members so a
 * struct defined inside it is declared first */
static void sou_body(struct parser *p, struct ctype *ct, bool is_union)
{
	struct decl *dc = arena_alloc(p->a, sizeof(*dc));
	struct program *prog = p->prog;

	dc->kind = D_SOU;
	dc->name = ct->name;
	dc->loc = ct->loc;
	dc->is_union = is_union;
	next(p);
	while (p->tok.t != '}') {
		struct ctype *mt = parse_type(p);

		for (;;) {
			struct decl *m = arena_alloc(p->a, sizeof(*m));
			struct ctype *t = mt;

			if (p->tok.t == '*') {	/* int a, *b; */
				t = arena_alloc(p->a, sizeof(*t));
				*t = *mt;
				while (p->tok.t == '*') {
					t->ptr++;
					next(p);
				}
			}
			if (p->tok.t != T_NAME)
				syntax_error(p);
			m->kind = D_VAR;
			m->name = p->tok.s;
			m->loc = p->tok.loc;
			next(p);
			m->ctype = array_bound(p, t);
			dc->members = arena_push(p->a, dc->members,
						 &dc->nmembers, sizeof(m));
			dc->members[dc->nmembers - 1] = m;
			if (p->tok.t != ',')
				break;
			next(p);
		}
		expect(p, ';');
	}
	next(p);
	prog->decls = arena_push(p->a, prog->decls, &prog->ndecls, sizeof(dc));
	prog->decls[prog->ndecls - 1] = dc;
}

/* type := qualifiers (struct|union|enum NAME | string | typedef | builtin)
 *	   qualifiers { '*' qualifiers } */
static struct ctype *parse_type(struct parser *p)
{
	struct ctype *ct = arena_alloc(p->a, sizeof(*ct));

	ct->loc = p->tok.loc;
	skip_qualifiers(p);
	switch (p->tok.t) {
	case T_STRUCT: case T_UNION: case T_ENUM: {
		int kwt = p->tok.t;
		const char *kw = tok_name(kwt);
		size_t n;

		next(p);
		if (kwt == T_ENUM && p->tok.t == '{') {
			ct->name = "enum";	/* anonymous */
			enum_body(p, ct);
			break;
		}
		if (kwt != T_ENUM && p->tok.t == '{') {
			/* an anonymous struct: a name no program can write */
			n = strlen(kw) + 24;
			ct->name = arena_alloc(p->a, n);
			snprintf(ct->name, n, "%s {...}#%d", kw, ++p->nanon);
			sou_body(p, ct, kwt == T_UNION);
			break;
		}
		if (p->tok.t != T_NAME)
			syntax_error(p);
		n = strlen(kw) + 1 + p->tok.len + 1;
		ct->name = arena_alloc(p->a, n);
		snprintf(ct->name, n, "%s %s", kw, p->tok.s);
		next(p);
		if (kwt == T_ENUM && p->tok.t == '{')
			enum_body(p, ct);
		else if (p->tok.t == '{')
			sou_body(p, ct, kwt == T_UNION);
		break;
	}
	case T_STRING:
		ct->name = "string";
		next(p);
		break;
	case T_NAME:
		if (!lex_is_type(&p->lx, p->tok.s, p->tok.len))
			syntax_error(p);
		ct->name = p->tok.s;
		next(p);
		break;
	case T_CHAR: case T_SHORT: case T_INT: case T_LONG: case T_SIGNED:
	case T_UNSIGNED: case T_VOID: case T_FLOAT: case T_DOUBLE:
		ct->name = (char *)builtin_type(p);
		break;
	default:
		syntax_error(p);
	}
	skip_qualifiers(p);
	while (p->tok.t == '*') {
		ct->ptr++;
		next(p);
		skip_qualifiers(p);
	}
	return ct;
}

/* --- expressions -------------------------------------------------------- */

static struct node *expr(struct parser *p);
static struct node *cond(struct parser *p);
static struct node *unary(struct parser *p);

/* arguments up to the closing token, which is consumed */
static void arglist(struct parser *p, int close, struct node ***args, int *nargs)
{
	if (p->tok.t != close) {
		for (;;) {
			push_node(p, args, nargs, expr(p));
			if (p->tok.t != ',')
				break;
			next(p);
		}
	}
	expect(p, close);
}

static struct node *primary(struct parser *p)
{
	struct token_val *t = &p->tok;
	struct node *n;

	switch (t->t) {
	case T_NAME:
		n = mknode(p, N_IDENT, t->loc);
		n->name = t->s;
		next(p);
		if (p->tok.t == '(') {
			n->kind = N_CALL;
			next(p);
			arglist(p, ')', &n->args, &n->nargs);
		}
		return n;
	case T_NUM:
	case T_CHR:
		n = mknode(p, N_INT, t->loc);
		n->op = t->t;
		n->ival = t->ival;
		n->isunsigned = t->isunsigned || t->ival > (uint64_t)INT64_MAX;
		n->nlong = (uint8_t)t->nlong;
		next(p);
		return n;
	case T_STR: {
		/* adjacent literals are one string, as in C */
		char *buf = NULL;
		int len = 0;

		n = mknode(p, N_STR, t->loc);
		while (p->tok.t == T_STR) {
			for (size_t i = 0; i < p->tok.len; i++) {
				buf = arena_push(p->a, buf, &len, 1);
				buf[len - 1] = p->tok.s[i];
			}
			next(p);
		}
		n->str = arena_strndup(p->a, buf ? buf : "", (size_t)len);
		n->len = (size_t)len;
		return n;
	}
	case T_MACRO:
		n = mknode(p, N_MACRO, t->loc);
		n->name = t->s;
		n->op = t->dollar2;
		next(p);
		return n;
	case T_SELF:
	case T_THIS:
		n = mknode(p, t->t == T_SELF ? N_SELF : N_THIS, t->loc);
		next(p);
		expect(p, T_ARROW);
		if (p->tok.t != T_NAME)
			syntax_error(p);
		n->name = p->tok.s;
		next(p);
		return n;
	case T_AGG:
		n = mknode(p, N_AGG, t->loc);
		n->name = t->s;
		next(p);
		if (p->tok.t == '[') {
			next(p);
			if (p->tok.t == ']')
				syntax_error(p);
			arglist(p, ']', &n->args, &n->nargs);
		}
		return n;
	}
	syntax_error(p);
}

/* self->a[k]: a thread-local associative array is a global one whose first
 * key is the thread, named "self.a" (no D identifier holds a '.', and a BPF
 * map's name may).  sema.c undoes it where self->a is a pointer. */
static void self_array(struct parser *p, struct node *n)
{
	struct node *b = mknode(p, N_IDENT, n->l->loc), *t;
	size_t len = strlen(n->l->name) + 6;

	b->name = arena_alloc(p->a, len);
	snprintf(b->name, len, "self.%s", n->l->name);
	b->l = n->l;	/* the checker's way back when self->a is a pointer */
	n->l = b;
	t = mknode(p, N_IDENT, b->loc);
	t->name = "tid";
	push_node(p, &n->args, &n->nargs, t);
}

/* [args]  (args)  .name  ->name  ++  -- after an operand that began at loc */
static struct node *postfix(struct parser *p, struct node *l, struct loc loc)
{
	for (;;) {
		struct node *n;

		switch (p->tok.t) {
		case '[':
			n = mknode(p, N_INDEX, loc);
			n->l = l;
			next(p);
			if (p->tok.t == ']')
				syntax_error(p);
			if (l->kind == N_SELF)
				self_array(p, n);
			arglist(p, ']', &n->args, &n->nargs);
			break;
		case '.':
		case T_ARROW:
			n = mknode(p, p->tok.t == '.' ? N_MEMBER : N_PTRMEMBER, loc);
			n->l = l;
			next(p);
			if (p->tok.t != T_NAME)
				syntax_error(p);
			n->name = p->tok.s;
			next(p);
			break;
		case T_INC:
		case T_DEC:
			n = mknode(p, N_POSTFIX, loc);
			n->op = p->tok.t;
			n->l = l;
			next(p);
			break;
		default:
			return l;
		}
		l = n;
	}
}

static struct node *unary(struct parser *p)
{
	struct loc loc = p->tok.loc;
	struct node *n;

	enter(p);
	switch (p->tok.t) {
	case T_INC: case T_DEC:
	case '-': case '+': case '!': case '~': case '*': case '&':
		n = mknode(p, N_UNARY, loc);
		n->op = p->tok.t;
		next(p);
		n->l = unary(p);
		break;
	case T_SIZEOF:
		n = mknode(p, N_SIZEOF, loc);
		next(p);
		if (p->tok.t == '(') {
			struct loc ploc = p->tok.loc;

			next(p);
			if (is_type_start(p)) {
				n->ctype = parse_type(p);
				expect(p, ')');
			} else {
				n->l = expr(p);
				expect(p, ')');
				n->l = postfix(p, n->l, ploc);
			}
		} else {
			n->l = unary(p);
		}
		break;
	case T_STRINGOF:
		n = mknode(p, N_STRINGOF, loc);
		next(p);
		n->l = unary(p);
		break;
	case T_OFFSETOF:
		n = mknode(p, N_OFFSETOF, loc);
		next(p);
		expect(p, '(');
		n->ctype = parse_type(p);
		expect(p, ',');
		if (p->tok.t != T_NAME)
			syntax_error(p);
		n->name = p->tok.s;
		next(p);
		expect(p, ')');
		break;
	case '(':
		next(p);
		if (is_type_start(p)) {
			n = mknode(p, N_CAST, loc);
			n->ctype = parse_type(p);
			expect(p, ')');
			n->l = unary(p);
		} else {
			n = expr(p);
			expect(p, ')');
			n = postfix(p, n, loc);
		}
		break;
	default:
		n = postfix(p, primary(p), loc);
	}
	leave(p);
	return n;
}

/* binding power of binary operators; 0 for anything else */
static int binprec(int t)
{
	switch (t) {
	case T_OR: return 1;
	case T_XOR: return 2;
	case T_AND: return 3;
	case '|': return 4;
	case '^': return 5;
	case '&': return 6;
	case T_EQ: case T_NE: return 7;
	case '<': case '>': case T_LE: case T_GE: return 8;
	case T_SHL: case T_SHR: return 9;
	case '+': case '-': return 10;
	case '*': case '/': case '%': return 11;
	}
	return 0;
}

/* operators binding tighter than limit, left-associative */
static struct node *binary(struct parser *p, int limit)
{
	struct node *l = unary(p);
	int prec;

	while ((prec = binprec(p->tok.t)) > limit) {
		struct node *n = mknode(p, N_BINARY, p->tok.loc);

		n->op = p->tok.t;
		n->l = l;
		next(p);
		n->r = binary(p, prec);
		l = n;
	}
	return l;
}

static struct node *cond(struct parser *p)
{
	struct node *c, *n;

	enter(p);
	c = binary(p, 0);
	if (p->tok.t == '?') {
		n = mknode(p, N_TERNARY, p->tok.loc);
		n->c = c;
		next(p);
		n->l = expr(p);
		expect(p, ':');
		n->r = cond(p);
		c = n;
	}
	leave(p);
	return c;
}

static bool is_assign_op(int t)
{
	switch (t) {
	case '=': case T_ADD_EQ: case T_SUB_EQ: case T_MUL_EQ: case T_DIV_EQ:
	case T_MOD_EQ: case T_AND_EQ: case T_OR_EQ: case T_XOR_EQ:
	case T_SHL_EQ: case T_SHR_EQ:
		return true;
	}
	return false;
}

/* assignment, right-associative; D has no comma operator */
static struct node *expr(struct parser *p)
{
	struct node *l, *n;

	enter(p);
	l = cond(p);
	if (is_assign_op(p->tok.t)) {
		n = mknode(p, N_ASSIGN, p->tok.loc);
		n->op = p->tok.t;
		n->l = l;
		next(p);
		n->r = expr(p);
		l = n;
	}
	leave(p);
	return l;
}

/* --- statements --------------------------------------------------------- */

static struct node *statement(struct parser *p);

/* statements up to '}' (not consumed) */
static void stmt_list(struct parser *p, struct node ***vec, int *n)
{
	while (p->tok.t != '}') {
		struct node *s;

		if (p->tok.t == T_EOF)
			syntax_error(p);
		s = statement(p);
		if (s)
			push_node(p, vec, n, s);
	}
}

static struct node *block(struct parser *p)
{
	struct node *b = mknode(p, N_BLOCK, p->tok.loc);

	expect(p, '{');
	stmt_list(p, &b->args, &b->nargs);
	next(p);
	return b;
}

/* the body of if/else: a block, or one statement wrapped into one */
static struct node *body(struct parser *p)
{
	struct node *b, *s;

	if (p->tok.t == '{')
		return block(p);
	b = mknode(p, N_BLOCK, p->tok.loc);
	s = statement(p);
	if (s)
		push_node(p, &b->args, &b->nargs, s);
	return b;
}

static struct node *statement(struct parser *p)
{
	struct loc loc = p->tok.loc;
	struct node *n = NULL;

	enter(p);
	switch (p->tok.t) {
	case ';':
		next(p);
		break;
	case '{':
		n = block(p);
		break;
	case T_IF:
		n = mknode(p, N_IF, loc);
		next(p);
		expect(p, '(');
		n->c = expr(p);
		expect(p, ')');
		n->l = body(p);
		if (p->tok.t == T_ELSE) {
			next(p);
			n->r = body(p);
		}
		break;
	default:
		n = mknode(p, N_EXPR_STMT, loc);
		n->l = expr(p);
		if (p->tok.t == ';')
			next(p);
		else if (p->tok.t != '}')
			syntax_error(p);
	}
	leave(p);
	return n;
}

/* --- program items ------------------------------------------------------ */

bool parse_probedesc(struct arena *a, const char *text, struct probedesc *pd)
{
	const char *f[4] = { "", "", "", "" };
	size_t fn[4] = { 0, 0, 0, 0 };
	const char *s = text, *colon;
	int nf = 0;

	for (;;) {
		colon = strchr(s, ':');
		if (nf == 4)
			return false;
		f[nf] = s;
		fn[nf] = colon ? (size_t)(colon - s) : strlen(s);
		nf++;
		if (!colon)
			break;
		s = colon + 1;
	}
	/* fields are filled from the right: "BEGIN" is a name */
	char **dst[4] = { &pd->prov, &pd->mod, &pd->func, &pd->name };
	for (int i = 0; i < 4; i++) {
		int src = i - (4 - nf);

		*dst[i] = src >= 0 ? arena_strndup(a, f[src], fn[src])
				   : arena_strdup(a, "");
	}
	pd->text = arena_strdup(a, text);
	return true;
}

/* DTrace's lexer reads past the blanks after a predicate's closing '/' to
 * tell it from a division, so the nodes its parser completes there (the
 * predicate and the right side of its operators) are on the line of what
 * follows, usually the '{': errors in them are reported on that line. */
static void pred_lines(struct node *n, int line)
{
	/* ($N is expanded by DTrace's lexer, on its own line) */
	while (n && n->kind != N_MACRO) {
		n->loc.line = line;
		if (n->kind == N_BINARY || n->kind == N_ASSIGN ||
		    n->kind == N_TERNARY)
			n = n->r;
		else if (n->kind == N_UNARY || n->kind == N_CAST ||
			 n->kind == N_STRINGOF)
			n = n->l;
		else
			break;
	}
}

static void clause(struct parser *p)
{
	struct clause *c = arena_alloc(p->a, sizeof(*c));
	struct program *prog = p->prog;

	c->loc = p->tok.loc;
	for (;;) {
		struct probedesc *pd;

		if (p->tok.t != T_PSPEC)
			syntax_error(p);
		c->descs = arena_push(p->a, c->descs, &c->ndescs, sizeof(*pd));
		pd = &c->descs[c->ndescs - 1];
		pd->loc = p->tok.loc;
		if (!parse_probedesc(p->a, p->tok.s, pd))
			diag_fail(p->d, p->tok.loc, D_PDESC_INVAL,
				  "invalid probe description \"%s\": Overspecified probe description",
				  p->tok.s);
		next(p);
		if (p->tok.t != ',')
			break;
		next_item(p);
	}
	if (p->tok.t == '/') {
		p->lx.inpred = true;
		p->lx.parens = p->lx.brackets = 0;
		next(p);
		c->pred = expr(p);
		if (p->tok.t != T_EPRED)
			syntax_error(p);
		p->lx.inpred = false;
		next(p);
		pred_lines(c->pred, p->tok.loc.line);
	}
	if (p->tok.t == '{') {
		next(p);
		stmt_list(p, &c->stmts, &c->nstmts);
		c->end = p->tok.loc;
		next_item(p);
	} else if (!p->probespec) {
		/* dtrace -n BEGIN is a whole program; in a script DTrace
		 * wants a predicate or actions */
		if (c->pred)
			diag_fail(p->d, c->pred->loc, D_SYNTAX, "expected "
				  "actions { } following probe description "
				  "and predicate");
		diag_fail(p->d, c->descs[c->ndescs - 1].loc, D_SYNTAX,
			  "expected predicate and/or actions following probe "
			  "description");
	} else if (p->tok.t != T_EOF) {
		syntax_error(p);
	}
	c->id = prog->nclauses;
	prog->clauses = arena_push(p->a, prog->clauses, &prog->nclauses, sizeof(c));
	prog->clauses[prog->nclauses - 1] = c;
}

static struct decl *new_decl(struct parser *p)
{
	struct decl *dc = arena_alloc(p->a, sizeof(*dc));
	struct program *prog = p->prog;

	prog->decls = arena_push(p->a, prog->decls, &prog->ndecls, sizeof(dc));
	prog->decls[prog->ndecls - 1] = dc;
	return dc;
}

/* inline TYPE NAME = expr ; */
static void inline_def(struct parser *p)
{
	struct decl *dc;

	next(p);
	dc = new_decl(p);
	dc->kind = D_INLINE;
	dc->ctype = parse_type(p);
	if (p->tok.t != T_NAME)
		syntax_error(p);
	dc->name = p->tok.s;
	dc->loc = p->tok.loc;
	next(p);
	expect(p, '=');
	dc->init = expr(p);
	if (p->tok.t != ';')
		syntax_error(p);
	next_item(p);
}

/* typedef TYPE NAME [ '[' N ']' ] ; */
static void typedef_decl(struct parser *p)
{
	struct decl *dc;
	struct ctype *ct;

	next(p);
	ct = parse_type(p);	/* first: a struct it defines comes before it */
	dc = new_decl(p);
	dc->kind = D_TYPEDEF;
	dc->ctype = ct;
	if (p->tok.t != T_NAME)
		syntax_error(p);
	dc->name = p->tok.s;
	dc->loc = p->tok.loc;
	lex_add_typedef(&p->lx, dc->name);
	next(p);
	if (p->tok.t == '[') {
		struct ctype *ct = arena_alloc(p->a, sizeof(*ct));

		next(p);
		if (p->tok.t != T_NUM || p->tok.ival == 0 || p->tok.ival > INT32_MAX)
			syntax_error(p);
		*ct = *dc->ctype;
		ct->array = (int)p->tok.ival;
		dc->ctype = ct;
		next(p);
		expect(p, ']');
	}
	if (p->tok.t != ';')
		syntax_error(p);
	next_item(p);
}

/* A function prototype's parameters, from its '(': what a declaration of
 * a function may say (dtk declares nothing with it; D calls no function
 * of the program's). */
static void parameters(struct parser *p)
{
	int n = 0;

	expect(p, '(');
	while (p->tok.t != ')') {
		struct ctype *t;

		if (n++)
			expect(p, ',');
		if (p->tok.t == T_STATIC || p->tok.t == T_EXTERN ||
		    p->tok.t == T_REGISTER || p->tok.t == T_AUTO ||
		    p->tok.t == T_SELF || p->tok.t == T_THIS ||
		    p->tok.t == T_TYPEDEF)
			diag_fail(p->d, p->tok.loc, D_DECL_PARMCLASS,
				  "inappropriate storage class for function or "
				  "associative array parameter");
		t = parse_type(p);
		if (strcmp(t->name, "void") == 0 && !t->ptr) {
			if (p->tok.t == T_NAME)
				diag_fail(p->d, p->tok.loc, D_DECL_PROTO_NAME,
					  "void parameter may not have a name: "
					  "%s", p->tok.s);
			if (n > 1 || p->tok.t == ',')
				diag_fail(p->d, t->loc, D_DECL_PROTO_VOID,
					  "void must be sole parameter");
		}
		if (p->tok.t == T_NAME)
			next(p);
	}
	next(p);
}

/* [self|this] TYPE NAME [ '[' N ']' | '[' TYPE {, TYPE} ']' ] {, NAME ...} ;
 * [extern] TYPE NAME ( PARAMS ) ;   TYPE ( * NAME ) ( PARAMS ) ; */
static void declaration(struct parser *p)
{
	bool is_self = p->tok.t == T_SELF, is_this = p->tok.t == T_THIS;
	bool storage = is_self || is_this;
	struct ctype *ct;

	if (p->tok.t == T_REGISTER || p->tok.t == T_AUTO)
		diag_fail(p->d, p->tok.loc, D_DECL_BADCLASS, "specified "
			  "storage class not appropriate in D");
	if (is_self || is_this)
		next(p);
	while (p->tok.t == T_EXTERN || p->tok.t == T_STATIC ||
	       p->tok.t == T_SELF || p->tok.t == T_THIS) {
		if (storage)
			diag_fail(p->d, p->tok.loc, D_DECL_CLASS, "only one "
				  "storage class allowed in a declaration");
		storage = true;
		next(p);
	}
	if (storage && p->tok.t == T_NAME && !is_type_start(p)) {
		/* as in C, a storage class alone means int: "self x;" */
		ct = arena_alloc(p->a, sizeof(*ct));
		ct->loc = p->tok.loc;
		ct->name = "int";
	} else {
		ct = parse_type(p);
	}
	if (p->tok.t == ';' && (!strncmp(ct->name, "enum", 4) ||
				!strncmp(ct->name, "struct", 6) ||
				!strncmp(ct->name, "union", 5))) {
		/* enum E { ... }; declares its enumerators, struct S { ... };
		 * its type */
		next_item(p);
		return;
	}
	for (;;) {
		bool paren = p->tok.t == '(';

		if (paren) {		/* (*name)(...): a function pointer */
			next(p);
			while (p->tok.t == '*')
				next(p);
		}
		if (p->tok.t != T_NAME)
			syntax_error(p);
		struct token_val name = p->tok;
		next(p);
		if (paren)
			expect(p, ')');
		if (paren || p->tok.t == '(') {
			parameters(p);
			if (p->tok.t != ',')
				break;
			next(p);
			continue;
		}
		struct decl *dc = new_decl(p);

		dc->kind = D_VAR;
		dc->is_self = is_self;
		dc->is_this = is_this;
		dc->ctype = ct;
		dc->name = name.s;
		dc->loc = name.loc;
		if (p->tok.t == '[') {
			next(p);
			if (p->tok.t == T_NUM) {
				if (p->tok.ival == 0 || p->tok.ival > INT32_MAX)
					diag_fail(p->d, p->tok.loc, D_DECL_ARRSUB,
						  "positive integral constant "
						  "expression or tuple signature "
						  "expected as array declaration "
						  "subscript");
				dc->ctype = arena_alloc(p->a, sizeof(*ct));
				*dc->ctype = *ct;
				dc->ctype->array = (int)p->tok.ival;
				next(p);
			} else if (p->tok.t == '-' || p->tok.t == ']') {
				diag_fail(p->d, p->tok.loc, D_DECL_ARRSUB,
					  "positive integral constant "
					  "expression or tuple signature "
					  "expected as array declaration "
					  "subscript");
			} else {
				if (is_this)
					diag_fail(p->d, dc->loc, D_DECL_LOCASSC,
						  "associative arrays may not "
						  "be declared as local "
						  "variables: %s", dc->name);
				for (;;) {
					struct ctype *k = parse_type(p);

					dc->keys = arena_push(p->a, dc->keys, &dc->nkeys,
							      sizeof(k));
					dc->keys[dc->nkeys - 1] = k;
					if (p->tok.t != ',')
						break;
					next(p);
				}
			}
			expect(p, ']');
		}
		if (p->tok.t != ',')
			break;
		next(p);
	}
	if (p->tok.t != ';')
		syntax_error(p);
	next_item(p);
}

struct program *parse_program(struct arena *a, struct diag *d, const char *name,
			      const char *text, unsigned flags)
{
	struct parser ps, *p = &ps;

	memset(p, 0, sizeof(*p));
	p->a = a;
	p->d = d;
	p->probespec = flags & PARSE_PROBESPEC;
	p->prog = arena_alloc(a, sizeof(*p->prog));
	lex_init(&p->lx, a, d, name, text);
	p->lx.pspec = flags & PARSE_PSPEC;
	next_item(p);
	while (p->tok.t != T_EOF) {
		if (p->tok.t == T_PSPEC)
			clause(p);
		else if (p->tok.t == T_INLINE)
			inline_def(p);
		else if (p->tok.t == T_TYPEDEF)
			typedef_decl(p);
		else if (p->tok.t == T_SELF || p->tok.t == T_THIS ||
			 p->tok.t == T_EXTERN || p->tok.t == T_STATIC ||
			 p->tok.t == T_REGISTER || p->tok.t == T_AUTO ||
			 is_type_start(p))
			declaration(p);
		else
			syntax_error(p);
	}
	p->prog->pragmas = p->lx.pragmas;
	p->prog->npragmas = p->lx.npragmas;
	p->prog->end = p->tok.loc;
	return p->prog;
}
