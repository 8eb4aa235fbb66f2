/* lex.c - the D lexer, in the manner of Lua's llex.c: one function reads the
 * next token from a NUL-terminated buffer, tracking line and column.
 *
 * Error wording follows DTrace's dt_lex.l wherever it has one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

/* character classes on bytes, independent of the locale */
#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c)	(((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z')
#define IS_IDSTART(c)	(IS_ALPHA(c) || (c) == '_' || (c) == '`')
#define IS_IDCHAR(c)	(IS_IDSTART(c) || IS_DIGIT(c))
#define IS_XDIGIT(c)	(IS_DIGIT(c) || (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'f'))
#define IS_BLANK(c)	((c) == ' ' || (c) == '\t' || (c) == '\f' || (c) == '\v' || (c) == '\r')

/* probe description characters (DTrace's RGX_PSPEC) */
static bool is_pspec_start(int c)
{
	return IS_ALPHA(c) || c == '_' || (c && strchr("-$:.?*\\[]!", c));
}

static bool is_pspec_char(int c)
{
	return is_pspec_start(c) || IS_DIGIT(c) || c == '`';
}

static const struct { const char *name; int t; } keywords[] = {
	{ "auto", T_AUTO }, { "break", T_BREAK }, { "case", T_CASE },
	{ "char", T_CHAR }, { "const", T_CONST }, { "continue", T_CONTINUE },
	{ "counter", T_COUNTER }, { "default", T_DEFAULT }, { "do", T_DO },
	{ "double", T_DOUBLE }, { "else", T_ELSE }, { "enum", T_ENUM },
	{ "extern", T_EXTERN }, { "float", T_FLOAT }, { "for", T_FOR },
	{ "goto", T_GOTO }, { "if", T_IF }, { "import", T_IMPORT },
	{ "inline", T_INLINE }, { "int", T_INT }, { "long", T_LONG },
	{ "offsetof", T_OFFSETOF }, { "probe", T_PROBE },
	{ "provider", T_PROVIDER }, { "register", T_REGISTER },
	{ "restrict", T_RESTRICT }, { "return", T_RETURN }, { "self", T_SELF },
	{ "short", T_SHORT }, { "signed", T_SIGNED }, { "sizeof", T_SIZEOF },
	{ "static", T_STATIC }, { "string", T_STRING },
	{ "stringof", T_STRINGOF }, { "struct", T_STRUCT },
	{ "switch", T_SWITCH }, { "this", T_THIS },
	{ "translator", T_TRANSLATOR }, { "typedef", T_TYPEDEF },
	{ "union", T_UNION }, { "unsigned", T_UNSIGNED },
	{ "userland", T_USERLAND }, { "void", T_VOID },
	{ "volatile", T_VOLATILE }, { "while", T_WHILE }, { "xlate", T_XLATE },
};

static const char *const op_names[] = {
	[T_ARROW - T_ARROW] = "->", [T_INC - T_ARROW] = "++",
	[T_DEC - T_ARROW] = "--", [T_SHL - T_ARROW] = "<<",
	[T_SHR - T_ARROW] = ">>", [T_LE - T_ARROW] = "<=",
	[T_GE - T_ARROW] = ">=", [T_EQ - T_ARROW] = "==",
	[T_NE - T_ARROW] = "!=", [T_AND - T_ARROW] = "&&",
	[T_OR - T_ARROW] = "||", [T_XOR - T_ARROW] = "^^",
	[T_ADD_EQ - T_ARROW] = "+=", [T_SUB_EQ - T_ARROW] = "-=",
	[T_MUL_EQ - T_ARROW] = "*=", [T_DIV_EQ - T_ARROW] = "/=",
	[T_MOD_EQ - T_ARROW] = "%=", [T_AND_EQ - T_ARROW] = "&=",
	[T_OR_EQ - T_ARROW] = "|=", [T_XOR_EQ - T_ARROW] = "^=",
	[T_SHL_EQ - T_ARROW] = "<<=", [T_SHR_EQ - T_ARROW] = ">>=",
};

/* Type names a cast or declaration may start with, besides the keywords:
 * the C99 fixed-size integers, the POSIX and Solaris typedefs D programs
 * use, and DTrace's translated structures.  Structs are written "struct X". */
static const char *const typedefs[] = {
	"int8_t", "int16_t", "int32_t", "int64_t", "intptr_t", "intmax_t",
	"uint8_t", "uint16_t", "uint32_t", "uint64_t", "uintptr_t", "uintmax_t",
	"__s8", "__s16", "__s32", "__s64", "__u8", "__u16", "__u32", "__u64",
	"size_t", "ssize_t", "ptrdiff_t", "off_t", "off64_t", "loff_t",
	"pid_t", "uid_t", "gid_t", "id_t", "time_t", "dev_t", "ino_t",
	"mode_t", "nlink_t", "clock_t", "key_t", "socklen_t", "caddr_t",
	"daddr_t", "uchar_t", "ushort_t", "uint_t", "ulong_t", "longlong_t",
	"u_longlong_t", "boolean_t", "hrtime_t", "major_t", "minor_t",
	"processorid_t", "psetid_t", "zoneid_t", "taskid_t", "projid_t",
	"ctid_t", "dtrace_id_t", "psinfo_t", "lwpsinfo_t", "bufinfo_t",
	"devinfo_t", "fileinfo_t", "cpuinfo_t", "bool", "_Bool",
};

bool lex_is_typedef(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(typedefs) / sizeof(typedefs[0]); i++)
		if (strlen(typedefs[i]) == n && !memcmp(typedefs[i], name, n))
			return true;
	return false;
}

bool lex_is_type(const struct lexer *lx, const char *name, size_t n)
{
	for (int i = 0; i < lx->ntypenames; i++)
		if (strlen(lx->typenames[i]) == n && !memcmp(lx->typenames[i], name, n))
			return true;
	return lex_is_typedef(name, n);
}

void lex_add_typedef(struct lexer *lx, const char *name)
{
	lx->typenames = arena_push(lx->a, lx->typenames, &lx->ntypenames,
				   sizeof(*lx->typenames));
	lx->typenames[lx->ntypenames - 1] = arena_strdup(lx->a, name);
}

static int keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == n && !memcmp(keywords[i].name, s, n))
			return keywords[i].t;
	return 0;
}

const char *tok_name(int t)
{
	static char one[2][2];
	static int which;

	switch (t) {
	case T_EOF: return "end of input";
	case T_NAME: return "identifier";
	case T_NUM: return "integer constant";
	case T_CHR: return "character constant";
	case T_STR: return "string literal";
	case T_PSPEC: return "probe description";
	case T_MACRO: return "macro variable";
	case T_AGG: return "aggregation";
	case T_EPRED: return "/";
	}
	if (t >= T_ARROW && t <= T_SHR_EQ)
		return op_names[t - T_ARROW];
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].t == t)
			return keywords[i].name;
	if (t > 0 && t < 256) {
		which ^= 1;
		one[which][0] = (char)t;
		one[which][1] = '\0';
		return one[which];
	}
	return "?";
}

void lex_init(struct lexer *lx, struct arena *a, struct diag *d,
	      const char *file, const char *text)
{
	memset(lx, 0, sizeof(*lx));
	lx->a = a;
	lx->d = d;
	lx->file = file;
	lx->src = lx->p = text;
	lx->end = text + strlen(text);
	lx->line = lx->col = 1;
	lx->bol = true;
	lx->clause = true;
}

/* --- reading characters ------------------------------------------------ */

static int cur(struct lexer *lx)
{
	return lx->p < lx->end ? (unsigned char)*lx->p : 0;
}

static int peek(struct lexer *lx, size_t k)
{
	return (size_t)(lx->end - lx->p) > k ? (unsigned char)lx->p[k] : 0;
}

static void adv(struct lexer *lx)
{
	if (lx->p >= lx->end)
		return;
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
		lx->bol = true;
	} else {
		lx->col++;
		if (!IS_BLANK(*lx->p))
			lx->bol = false;
	}
	lx->p++;
}

static struct loc here(struct lexer *lx)
{
	return (struct loc){ lx->file, lx->line, lx->col };
}

/* A comment from its opening slash; D's comments do not nest. */
static void skip_comment(struct lexer *lx)
{
	struct loc start = here(lx);

	adv(lx);
	adv(lx);
	for (;;) {
		int c = cur(lx);

		if (c == 0)
			diag_fail(lx->d, start,
				  D_SYNTAX, "end-of-file encountered before matching */");
		if (c == '/' && peek(lx, 1) == '*')
			diag_fail(lx->d, here(lx), D_SYNTAX, "/* encountered inside a comment");
		if (c == '*' && peek(lx, 1) == '/')
			break;
		adv(lx);
	}
	adv(lx);
	adv(lx);
}

/* --- control lines: #pragma D option, #! ------------------------------- */

static void add_pragma(struct lexer *lx, struct loc loc, const char *w, size_t n)
{
	const char *eq = memchr(w, '=', n);
	struct pragma *pr;

	lx->pragmas = arena_push(lx->a, lx->pragmas, &lx->npragmas, sizeof(*pr));
	pr = &lx->pragmas[lx->npragmas - 1];
	pr->loc = loc;
	if (!eq) {
		pr->name = arena_strndup(lx->a, w, n);
		return;
	}
	pr->name = arena_strndup(lx->a, w, (size_t)(eq - w));
	n -= (size_t)(eq + 1 - w);
	w = eq + 1;
	if (n >= 2 && w[0] == '"' && w[n - 1] == '"') {
		w++;
		n -= 2;
	}
	pr->value = arena_strndup(lx->a, w, n);
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* A line whose first non-blank is '#'.  Words are split at blanks; a quoted
 * word keeps its blanks. */
static void control_line(struct lexer *lx)
{
	struct loc start = here(lx);
	const char *w[64];
	size_t wn[64];
	struct loc wloc[64];
	int nw = 0;

	adv(lx);				/* '#' */
	if (cur(lx) == '!') {			/* #!/usr/sbin/dtrace -s */
		while (cur(lx) && cur(lx) != '\n')
			adv(lx);
		return;
	}
	for (;;) {
		int c;

		while (IS_BLANK(cur(lx)))
			adv(lx);
		c = cur(lx);
		if (c == '/' && peek(lx, 1) == '/') {
			while (cur(lx) && cur(lx) != '\n')
				adv(lx);
			break;
		}
		if (c == '/' && peek(lx, 1) == '*') {
			skip_comment(lx);
			continue;
		}
		if (c == 0 && nw > 0)
			/* DTrace reads a control line up to its newline */
			diag_fail(lx->d, here(lx), D_SYNTAX, "end-of-file "
				  "encountered before end of control line");
		if (c == 0 || c == '\n')
			break;
		if (nw < 64) {
			w[nw] = lx->p;
			wloc[nw] = here(lx);
		}
		while ((c = cur(lx)) && c != '\n' && !IS_BLANK(c)) {
			if (c == '"') {
				adv(lx);
				while ((c = cur(lx)) && c != '\n' && c != '"')
					adv(lx);
				if (c != '"')
					diag_fail(lx->d, here(lx),
						  D_STR_NL, "newline encountered in string literal");
			}
			adv(lx);
		}
		if (nw < 64)
			wn[nw] = (size_t)(lx->p - w[nw]);
		nw++;
	}
	if (nw > 64)
		nw = 64;

	if (nw > 0 && (IS_DIGIT(*w[0]) || word_is(w[0], wn[0], "line"))) {
		/* cpp's line markers, "# 12 "file"": the next line is 12 */
		const char *num = IS_DIGIT(*w[0]) ? w[0] : nw > 1 ? w[1] : "";
		if (IS_DIGIT(*num))
			lx->line = atoi(num) - 1;
		return;
	}
	if (nw == 0 || word_is(w[0], wn[0], "ident"))
		return;			/* null directive */
	if (!word_is(w[0], wn[0], "pragma"))
		diag_fail(lx->d, start, D_PRAGCTL_INVAL, "invalid control directive: #%.*s",
			  (int)wn[0], w[0]);
	if (nw < 2 || !word_is(w[1], wn[1], "D"))
		return;			/* #pragma ident and other compilers' */
	if (nw >= 3 && word_is(w[2], wn[2], "error")) {
		char msg[512] = "";
		size_t n = 0;
		for (int i = 3; i < nw && n < sizeof msg - 1; i++) {
			const char *wd = w[i];
			size_t len = wn[i];
			if (len >= 2 && wd[0] == '"' && wd[len - 1] == '"') {
				wd++;
				len -= 2;
			}
			n += (size_t)snprintf(msg + n, sizeof msg - n, "%.*s ",
					      (int)len, wd);
		}
		diag_fail(lx->d, start, D_PRAGERR, "#error: %s", msg);
	}
	if (nw >= 3 && (word_is(w[2], wn[2], "attributes") ||
			word_is(w[2], wn[2], "binding")) && nw < 5)
		diag_fail(lx->d, start, D_PRAGMA_MALFORM, "malformed #pragma "
			  "%.*s %s <ident>", (int)wn[2], w[2],
			  *w[2] == 'a' ? "<attributes>" : "\"version\"");
	if (nw >= 3 && word_is(w[2], wn[2], "option")) {
		if (nw < 4 || *w[3] == '=')
			diag_fail(lx->d, start,
				  D_PRAGMA_MALFORM, "malformed #pragma option <option>=<val>");
		for (int i = 3; i < nw; i++) {
			add_pragma(lx, wloc[i], w[i], wn[i]);
			/* it changes how what follows is read */
			if (word_is(w[i], wn[i], "pspec"))
				lx->pspec = true;
		}
		return;
	}
	static const char *const known[] = { "attributes", "binding",
		"depends_on", "error", "ident", "line" };
	for (size_t i = 0; nw >= 3 && i < sizeof(known) / sizeof(known[0]); i++)
		if (word_is(w[2], wn[2], known[i]))
			return;
	diag_fail(lx->d, start, D_PRAGMA_INVAL, "invalid D pragma: %.*s",
		  nw >= 3 ? (int)wn[2] : 0, nw >= 3 ? w[2] : "");
}

/* Blanks, newlines, comments, line continuations and control lines. */
static void skip_space(struct lexer *lx)
{
	for (;;) {
		int c = cur(lx);

		if (IS_BLANK(c) || c == '\n') {
			adv(lx);
		} else if (c == '\\' && peek(lx, 1) == '\n') {
			adv(lx);
			adv(lx);
		} else if (c == '#' && lx->bol) {
			control_line(lx);
		} else if (c == '/' && peek(lx, 1) == '*') {
			skip_comment(lx);
		} else if (c == '/' && peek(lx, 1) == '/') {
			while (cur(lx) && cur(lx) != '\n')
				adv(lx);
		} else {
			return;
		}
	}
}

/* --- literals ----------------------------------------------------------- */

/* One character of a string or character constant, escapes resolved;
 * DTrace keeps an escape it does not know as it is, backslash included:
 * -1 stands for that backslash, the character after it comes next. */
static int read_char(struct lexer *lx)
{
	int c = cur(lx), v;

	adv(lx);
	if (c != '\\')
		return c;
	c = cur(lx);
	switch (c) {
	case 'n': case 't': case 'r': case 'v': case 'f': case 'b': case 'a':
	case '\\': case '"': case 'x':
		break;
	default:
		if (c < '0' || c > '7')
			return -1;
	}
	adv(lx);
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'v': return '\v';
	case 'f': return '\f';
	case 'b': return '\b';
	case 'a': return '\a';
	case '\\': case '"': return c;
	case 'x':
		for (v = 0; IS_XDIGIT(cur(lx)); adv(lx)) {
			int d = cur(lx);

			v = v * 16 + (IS_DIGIT(d) ? d - '0' : (d | 0x20) - 'a' + 10);
		}
		return v & 0xff;
	default:		/* '0'..'7' */
		v = c - '0';
		for (int i = 0; i < 2 && cur(lx) >= '0' && cur(lx) <= '7'; i++, adv(lx))
			v = v * 8 + cur(lx) - '0';
		return v & 0xff;
	}
}

static void read_string(struct lexer *lx, struct token_val *tv)
{
	char *buf = NULL;
	int n = 0;
	struct loc start = here(lx);

	adv(lx);			/* opening quote */
	for (;;) {
		int c = cur(lx);

		if (c == '"')
			break;
		if (c == '\n' || (c == '\\' && peek(lx, 1) == '\n')) {
			/* DTrace counts the newline before it complains */
			struct loc at = here(lx);
			at.line++;
			at.col = 1;
			diag_fail(lx->d, at, D_STR_NL, "newline encountered in "
				  "string literal");
		}
		if (c == 0 || (c == '\\' && lx->p + 1 >= lx->end))
			diag_fail(lx->d, start, D_SYNTAX, "unterminated string literal");
		c = read_char(lx);
		if (c < 0) {		/* an unknown escape, kept */
			buf = arena_push(lx->a, buf, &n, 1);
			buf[n - 1] = '\\';
			c = cur(lx);
			adv(lx);
		}
		buf = arena_push(lx->a, buf, &n, 1);
		buf[n - 1] = (char)c;
	}
	adv(lx);
	tv->t = T_STR;
	tv->s = arena_strndup(lx->a, buf ? buf : "", (size_t)n);
	tv->len = (size_t)n;
}

static void read_charconst(struct lexer *lx, struct token_val *tv)
{
	struct loc start = here(lx);
	uint64_t v = 0;
	int n = 0;

	adv(lx);
	for (;;) {
		int c = cur(lx);

		if (c == '\'')
			break;
		if (c == '\n' || (c == '\\' && peek(lx, 1) == '\n'))
			diag_fail(lx->d, start, D_CHR_NL, "newline encountered in character constant");
		if (c == 0 || (c == '\\' && lx->p + 1 >= lx->end))
			diag_fail(lx->d, start, D_SYNTAX, "unterminated character constant");
		c = read_char(lx);
		if (c < 0) {		/* an unknown escape, kept */
			if (++n > 8)
				diag_fail(lx->d, start, D_CHR_OFLOW,
					  "character constant is too long");
			v = v << 8 | '\\';
			c = cur(lx);
			adv(lx);
		}
		if (++n > 8)
			diag_fail(lx->d, start, D_CHR_OFLOW, "character constant is too long");
		v = v << 8 | (unsigned char)c;
	}
	adv(lx);
	if (n == 0)
		diag_fail(lx->d, start, D_CHR_NULL, "empty character constant");
	tv->t = T_CHR;
	tv->ival = v;
}

static void read_number(struct lexer *lx, struct token_val *tv)
{
	const char *s = lx->p, *q;
	struct loc start = here(lx);
	uint64_t v = 0;
	unsigned base = 10;
	int nu = 0;
	bool overflow = false;

	while (IS_IDCHAR(cur(lx)) && cur(lx) != '`')
		adv(lx);
	/* 1.5, 1., 1e5: DTrace has no floating point */
	if (cur(lx) == '.' && peek(lx, 1) != '.')
		diag_fail(lx->d, start, D_SYNTAX, "floating-point constants are not permitted");
	if ((s[1] | 0x20) != 'x' || s[0] != '0') {
		for (q = s; IS_DIGIT(*q); q++)
			;
		if ((*q | 0x20) == 'e' && (IS_DIGIT(q[1]) ||
		    ((q[1] == '+' || q[1] == '-') && IS_DIGIT(q[2]))))
			diag_fail(lx->d, start, D_SYNTAX, "floating-point constants are not permitted");
	}

	q = s;
	if (q[0] == '0' && (q[1] | 0x20) == 'x' && IS_XDIGIT(q[2])) {
		base = 16;
		q += 2;
	} else if (q[0] == '0') {
		base = 8;
	}
	for (; q < lx->p; q++) {
		unsigned d;

		if (IS_DIGIT(*q))
			d = (unsigned)(*q - '0');
		else if (base == 16 && IS_XDIGIT(*q))
			d = (unsigned)((*q | 0x20) - 'a' + 10);
		else
			break;
		if (d >= base)
			diag_fail(lx->d, start, D_INT_DIGIT, "constant %.*s contains invalid digit %c",
				  (int)(lx->p - s), s, *q);
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		diag_fail(lx->d, start, D_INT_OFLOW, "constant %.*s results in integer overflow",
			  (int)(lx->p - s), s);
	/* the suffix: u, l, ll, ul, ull, lu, llu in either case (not lL) */
	size_t i = 0, n = (size_t)(lx->p - q);

	if (i < n && (q[i] | 0x20) == 'u')
		nu = 1, i++;
	if (i < n && (q[i] | 0x20) == 'l') {
		tv->nlong = 1;
		if (i + 1 < n && q[i + 1] == q[i])
			tv->nlong = 2, i++;
		i++;
	}
	if (!nu && i < n && (q[i] | 0x20) == 'u')
		nu = 1, i++;
	if (i < n)
		diag_fail(lx->d, start, D_INT_DIGIT, "constant %.*s contains invalid digit %c",
			  (int)(lx->p - s), s, q[i]);
	tv->t = T_NUM;
	tv->ival = v;
	tv->isunsigned = nu > 0;
}

/* $1  $$1  $target  $$target */
static void read_macro(struct lexer *lx, struct token_val *tv)
{
	struct loc start = here(lx);
	const char *s;

	adv(lx);
	if (cur(lx) == '$') {
		tv->dollar2 = true;
		adv(lx);
	}
	s = lx->p;
	if (IS_DIGIT(cur(lx))) {
		while (IS_DIGIT(cur(lx)))
			adv(lx);
	} else if (IS_ALPHA(cur(lx)) || cur(lx) == '_') {
		while (IS_ALPHA(cur(lx)) || IS_DIGIT(cur(lx)) || cur(lx) == '_')
			adv(lx);
	} else {
		diag_fail(lx->d, start, D_SYNTAX, "syntax error near \"%s\"",
			  tv->dollar2 ? "$$" : "$");
	}
	tv->t = T_MACRO;
	tv->s = arena_strndup(lx->a, s, (size_t)(lx->p - s));
}

/* --- operators ---------------------------------------------------------- */

static int two(struct lexer *lx, int t)
{
	adv(lx);
	adv(lx);
	return t;
}

static int three(struct lexer *lx, int t)
{
	adv(lx);
	return two(lx, t);
}

/* The '/' ending a predicate is the one followed by ';', '{', '/' or the
 * end of input (DTrace's lookahead rule). */
static int slash(struct lexer *lx)
{
	const char *q = lx->p + 1;

	if (lx->inpred) {
		while (q < lx->end && (IS_BLANK(*q) || *q == '\n'))
			q++;
		if (q >= lx->end || *q == ';' || *q == '{' || *q == '/') {
			if (lx->parens > 0)
				diag_fail(lx->d, here(lx),
					  D_SYNTAX, "closing ) expected in predicate before /");
			if (lx->brackets > 0)
				diag_fail(lx->d, here(lx),
					  D_SYNTAX, "closing ] expected in predicate before /");
			adv(lx);
			return T_EPRED;
		}
	}
	adv(lx);
	return '/';
}

static int read_operator(struct lexer *lx)
{
	int c = cur(lx), c1 = peek(lx, 1), c2 = peek(lx, 2);

	switch (c) {
	case '-':
		if (c1 == '>') return two(lx, T_ARROW);
		if (c1 == '-') return two(lx, T_DEC);
		if (c1 == '=') return two(lx, T_SUB_EQ);
		break;
	case '+':
		if (c1 == '+') return two(lx, T_INC);
		if (c1 == '=') return two(lx, T_ADD_EQ);
		break;
	case '<':
		if (c1 == '<') return c2 == '=' ? three(lx, T_SHL_EQ) : two(lx, T_SHL);
		if (c1 == '=') return two(lx, T_LE);
		break;
	case '>':
		if (c1 == '>') return c2 == '=' ? three(lx, T_SHR_EQ) : two(lx, T_SHR);
		if (c1 == '=') return two(lx, T_GE);
		break;
	case '=':
		if (c1 == '=') return two(lx, T_EQ);
		break;
	case '!':
		if (c1 == '=') return two(lx, T_NE);
		break;
	case '&':
		if (c1 == '&') return two(lx, T_AND);
		if (c1 == '=') return two(lx, T_AND_EQ);
		break;
	case '|':
		if (c1 == '|') return two(lx, T_OR);
		if (c1 == '=') return two(lx, T_OR_EQ);
		break;
	case '^':
		if (c1 == '^') return two(lx, T_XOR);
		if (c1 == '=') return two(lx, T_XOR_EQ);
		break;
	case '*':
		if (c1 == '=') return two(lx, T_MUL_EQ);
		break;
	case '%':
		if (c1 == '=') return two(lx, T_MOD_EQ);
		break;
	case '/':
		if (c1 == '=') return two(lx, T_DIV_EQ);
		return slash(lx);
	case '(': lx->parens++; break;
	case ')': lx->parens--; break;
	case '[': lx->brackets++; break;
	case ']': lx->brackets--; break;
	case '.':
		if (IS_DIGIT(c1))
			diag_fail(lx->d, here(lx),
				  D_SYNTAX, "floating-point constants are not permitted");
		break;
	case '{': case '}': case ';': case ',': case '?': case ':': case '~':
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			diag_fail(lx->d, here(lx), D_SYNTAX, "syntax error near \"%c\"", c);
		diag_fail(lx->d, here(lx), D_SYNTAX, "invalid character (0x%02x)", c);
	}
	adv(lx);
	return c;
}

/* --- the probe description state -------------------------------------- */

/* At the start of a program item: a run of description characters is a
 * T_PSPEC unless it is a keyword or type name beginning a declaration.  As in
 * DTrace, "int*x;" is a declaration (the part before '*' names a type) while
 * anything with a ':' is always a description.  Returns false to lex the
 * text as ordinary tokens. */
static bool read_pspec(struct lexer *lx, struct token_val *tv)
{
	const char *s = lx->p, *q = s, *id_end;

	if (!is_pspec_start(cur(lx)))
		return false;
	while (q < lx->end && is_pspec_char((unsigned char)*q))
		q++;
	if (!memchr(s, ':', (size_t)(q - s)) && !lx->pspec) {
		const char *star = memchr(s, '*', (size_t)(q - s));
		const char *e;

		id_end = star && star > s ? star : q;
		for (e = s; e < id_end && (IS_ALPHA(*e) || *e == '_' ||
		     (e > s && IS_DIGIT(*e))); e++)
			;
		if (e == id_end && e > s &&
		    (keyword(s, (size_t)(e - s)) ||
		     lex_is_type(lx, s, (size_t)(e - s))))
			return false;
	}
	while (lx->p < q)
		adv(lx);
	tv->t = T_PSPEC;
	tv->s = arena_strndup(lx->a, s, (size_t)(q - s));
	tv->len = (size_t)(q - s);
	return true;
}

/* --- the entry point ---------------------------------------------------- */

void lex_next(struct lexer *lx, struct token_val *tv)
{
	int c;

	memset(tv, 0, sizeof(*tv));
	skip_space(lx);
	tv->loc = here(lx);
	tv->text = lx->p;
	c = cur(lx);
	if (c == 0) {
		tv->t = T_EOF;
	} else if (lx->clause && read_pspec(lx, tv)) {
		/* done */
	} else if (IS_IDSTART(c)) {
		const char *s = lx->p;

		while (IS_IDCHAR(cur(lx)))
			adv(lx);
		tv->t = keyword(s, (size_t)(lx->p - s));
		if (!tv->t) {
			tv->t = T_NAME;
			tv->s = arena_strndup(lx->a, s, (size_t)(lx->p - s));
			tv->len = (size_t)(lx->p - s);
		}
	} else if (IS_DIGIT(c)) {
		read_number(lx, tv);
	} else if (c == '"') {
		read_string(lx, tv);
	} else if (c == '\'') {
		read_charconst(lx, tv);
	} else if (c == '$') {
		read_macro(lx, tv);
	} else if (c == '@') {
		const char *s;

		adv(lx);
		s = lx->p;
		if (IS_ALPHA(cur(lx)) || cur(lx) == '_')
			while (IS_ALPHA(cur(lx)) || IS_DIGIT(cur(lx)) || cur(lx) == '_')
				adv(lx);
		tv->t = T_AGG;
		tv->s = arena_strndup(lx->a, s, (size_t)(lx->p - s));
	} else {
		tv->t = read_operator(lx);
	}
	tv->textlen = (size_t)(lx->p - tv->text);
}
