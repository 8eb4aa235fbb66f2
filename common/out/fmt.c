/* fmt.c - D's printf: parsing, argument checking, formatting (fmt.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dtk.h"
#include "fmt.h"

static const struct {
	char conv;
	enum fmt_argclass cls;
	const char *proto;	/* DTrace's wording of the types it takes */
} convtab[] = {
	{ 'a', FA_SYM, "pointer or integer" },
	{ 'A', FA_USYM, "pointer or integer (with -p/-c) or _usymaddr (without -p/-c)" },
	{ 'c', FA_CHAR, "char, short, or int" },
	{ 'C', FA_CHAR, "char, short, or int" },
	{ 'd', FA_INT, "char, short, int, long, or long long" },
	{ 'i', FA_INT, "char, short, int, long, or long long" },
	{ 'o', FA_UINT, "char, short, int, long, or long long" },
	{ 'u', FA_UINT, "char, short, int, long, or long long" },
	{ 'x', FA_UINT, "char, short, int, long, or long long" },
	{ 'X', FA_UINT, "char, short, int, long, or long long" },
	{ 'e', FA_FLOAT, "float, double, or long double" },
	{ 'E', FA_FLOAT, "float, double, or long double" },
	{ 'f', FA_FLOAT, "float, double, or long double" },
	{ 'g', FA_FLOAT, "float, double, or long double" },
	{ 'G', FA_FLOAT, "float, double, or long double" },
	{ 'k', FA_STACK, "stack" },
	{ 'p', FA_PTR, "pointer or integer" },
	{ 's', FA_STRING, "char [] or string (or use stringof)" },
	{ 'S', FA_STRING, "char [] or string (or use stringof)" },
	{ 'T', FA_TIME, "int64_t" },
	{ 'Y', FA_TIME, "int64_t" },
	{ '%', FA_NONE, "void" },
};

static int conv_lookup(char c)
{
	size_t i;

	for (i = 0; i < sizeof(convtab) / sizeof(convtab[0]); i++)
		if (convtab[i].conv == c)
			return (int)i;
	return -1;
}

int fmt_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *fmt_conv_name(const struct fmt_conv *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%c", c->flags & FMT_AGG ? "@" : "", c->length, c->conv);
	return buf;
}

void fmt_free(struct fmt_spec *spec)
{
	free(spec->items);
	free(spec->fmt);
	memset(spec, 0, sizeof(*spec));
}

/* Parse the conversion whose '%' is at *pp; leaves *pp on its last char. */
static int parse_conv(const char **pp, struct fmt_conv *c, char *err, size_t errlen)
{
	const char *p = *pp;
	bool dot = false, digits = false;
	size_t nlen = 0;
	int n;

	c->prec = -1;
	for (;;) {
		char ch = *++p;

		switch (ch) {
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			if (!dot && !digits && ch == '0') {
				c->flags |= FMT_ZERO;
				continue;
			}
			for (n = 0; *p >= '0' && *p <= '9'; p++) {
				if (n > (INT_MAX - 9) / 10)
					return fmt_seterr(err, errlen, "format conversion #%d "
						      "has a%s too large", c->index, dot ?
						      " precision" : "n output width");
				n = n * 10 + (*p - '0');
			}
			p--;
			if (dot)
				c->prec = n;
			else
				c->width = n;
			digits = true;
			continue;
		case '#': c->flags |= FMT_ALT; continue;
		case '+': c->flags |= FMT_PLUS; continue;
		case '-': c->flags |= FMT_LEFT; continue;
		case ' ': c->flags |= FMT_SPACE; continue;
		case '\'': c->flags |= FMT_GROUP; continue;
		case '@': c->flags |= FMT_AGG; continue;
		case '?': c->width = 16; continue;	/* a 64-bit pointer's width */
		case '*': {
			unsigned f = dot ? FMT_DYNPREC : FMT_DYNWIDTH;

			if (c->flags & f)
				return fmt_seterr(err, errlen, "format conversion #%d has more than "
					      "one '*' specified for the output %s", c->index,
					      dot ? "precision" : "width");
			c->flags |= f;
			continue;
		}
		case '.':
			if (dot)
				return fmt_seterr(err, errlen, "format conversion #%d has more "
					      "than one '.' specified", c->index);
			dot = true;
			digits = false;
			c->prec = 0;	/* "%.d": a bare dot is precision 0, as in C */
			continue;
		case '$':
			return fmt_seterr(err, errlen, "format conversion #%d uses unsupported "
				      "positional format (%%n$)", c->index);
		case '%':
			if (p[-1] == '%')
				break;
			return fmt_seterr(err, errlen, "format conversion #%d cannot be combined "
				      "with other format flags: %%%%", c->index);
		case '\0':
			return fmt_seterr(err, errlen, "format conversion #%d name expected "
				      "before end of format string", c->index);
		case 'h': case 'l': case 'L': case 'z': case 'j': case 't':
			if (nlen < sizeof(c->length) - 1)
				c->length[nlen++] = ch;
			continue;
		default:
			break;
		}
		if ((n = conv_lookup(ch)) < 0)
			return fmt_seterr(err, errlen, "format conversion #%d is undefined: %%%s%c",
				      c->index, c->length, ch);
		if (c->flags & FMT_DYNPREC)
			c->prec = -1;
		c->conv = ch;
		c->cls = convtab[n].cls;
		*pp = p;
		return 0;
	}
}

int fmt_parse(const char *fmt, struct fmt_spec *out, char *err, size_t errlen)
{
	const char *p, *q;
	int nconv = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	if ((out->fmt = strdup(fmt)) == NULL)
		return fmt_seterr(err, errlen, "out of memory");
	for (q = out->fmt;; q = p + 1) {
		struct fmt_item *it;

		p = strchr(q, '%');
		if (p == NULL && *q == '\0' && out->nitems > 0)
			break;
		if (out->nitems == cap) {
			cap = cap ? cap * 2 : 8;
			it = realloc(out->items, cap * sizeof(*it));
			if (it == NULL) {
				fmt_free(out);
				return fmt_seterr(err, errlen, "out of memory");
			}
			out->items = it;
		}
		it = &out->items[out->nitems++];
		memset(it, 0, sizeof(*it));
		it->text = q;
		it->textlen = p ? (size_t)(p - q) : strlen(q);
		if (p == NULL)
			break;
		it->has_conv = true;
		it->conv.index = ++nconv;
		if (parse_conv(&p, &it->conv, err, errlen) < 0) {
			fmt_free(out);
			return -1;
		}
		if (it->conv.flags & FMT_DYNWIDTH)
			out->nargs++;
		if (it->conv.flags & FMT_DYNPREC)
			out->nargs++;
		if (it->conv.flags & FMT_AGG)
			out->nagg++;
		else if (it->conv.conv != '%')
			out->nargs++;
	}
	return 0;
}

/* --- checking -------------------------------------------------------- */

static int checkerr(enum fmt_checkerr code, char *err, size_t errlen,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int checkerr(enum fmt_checkerr code, char *err, size_t errlen,
		    const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

bool fmt_arg_ok(const struct fmt_conv *c, const struct fmt_argtype *t, bool have_target)
{
	bool intlike = t->tc == FT_INT || t->tc == FT_PTR;

	switch (c->cls) {
	case FA_NONE: return true;
	case FA_INT:
	case FA_UINT: return t->tc == FT_INT;
	case FA_CHAR: return t->tc == FT_INT && t->size <= 4;
	case FA_PTR: return intlike;
	case FA_SYM: return intlike || t->tc == FT_SYMADDR;
	case FA_USYM: return t->tc == FT_USYMADDR || (have_target && intlike);
	case FA_STRING: return t->tc == FT_STRING;
	case FA_FLOAT: return t->tc == FT_FLOAT;
	case FA_TIME: return t->tc == FT_INT && t->size == 8;
	case FA_STACK: return t->tc == FT_STACK;
	}
	return false;
}

static const char *proto_of(const struct fmt_conv *c)
{
	int i = conv_lookup(c->conv);

	return i < 0 ? "?" : convtab[i].proto;
}

int fmt_check(const struct fmt_spec *spec, const char *func,
	      const struct fmt_argtype *args, int nargs, int argoff,
	      const struct fmt_argtype *aggtype, bool have_target,
	      char *err, size_t errlen)
{
	int i, j = 0;
	char name[8];

	if (spec->fmt[0] == '\0')
		return checkerr(FMT_E_EMPTY, err, errlen, "%s( ) format string is empty", func);
	for (i = 0; i < spec->nitems; i++) {
		const struct fmt_conv *c = &spec->items[i].conv;
		const struct fmt_argtype *t;
		static const unsigned dyn[2] = { FMT_DYNWIDTH, FMT_DYNPREC };
		char vname[32];
		int d;

		if (!spec->items[i].has_conv || c->conv == '%')
			continue;
		fmt_conv_name(c, name, sizeof(name));
		for (d = 0; d < 2; d++) {
			const char *star = d ? ".*" : "*";

			if (!(c->flags & dyn[d]))
				continue;
			if (j >= nargs)
				return checkerr(FMT_E_DYN_MISSING, err, errlen, "%s( ) prototype mismatch: conversion "
					      "#%d (%%%s) is missing a corresponding \"%s\" argument",
					      func, c->index, name, star);
			if (args[j].tc != FT_INT)
				return checkerr(FMT_E_DYN_TYPE, err, errlen, "%s( ) argument #%d is incompatible "
					      "with conversion #%d prototype:\n\tconversion: %% %s %s\n"
					      "\t prototype: int\n\t  argument: %s", func,
					      j + argoff + 1, c->index, star, name, args[j].name);
			j++;
		}
		if (c->flags & FMT_AGG) {
			if (aggtype == NULL)
				return checkerr(FMT_E_AGGCONV, err, errlen, "%%@ conversion requires an aggregation"
					      " and is not for use with %s( )", func);
			snprintf(vname, sizeof(vname), "aggregating action");
			t = aggtype;
		} else if (j >= nargs) {
			return checkerr(FMT_E_MISSING, err, errlen, "%s( ) prototype mismatch: conversion #%d "
				      "(%%%s) is missing a corresponding value argument",
				      func, c->index, name);
		} else {
			snprintf(vname, sizeof(vname), "argument #%d", j + argoff + 1);
			t = &args[j++];
		}
		if (!fmt_arg_ok(c, t, have_target))
			return checkerr(FMT_E_TYPE, err, errlen, "%s( ) %s is incompatible with conversion "
				      "#%d prototype:\n\tconversion: %%%s\n\t prototype: %s\n"
				      "\t  argument: %s", func, vname, c->index, name,
				      proto_of(c), t->name ? t->name : "?");
	}
	if (aggtype == NULL && j < nargs)
		return checkerr(FMT_E_EXTRA, err, errlen, "%s( ) prototype mismatch: only %d arguments "
			      "required by this format string", func, j);
	return 0;
}

/* --- run time -------------------------------------------------------- */

/* The one place a format made at run time reaches the C library.  cfmt()
 * builds it from a parsed conversion, so it holds exactly one directive
 * and the caller passes exactly the argument that directive takes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
static int cprintf(FILE *out, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfprintf(out, f, ap);
	va_end(ap);
	return n;
}
#pragma GCC diagnostic pop

/* "%" flags width .prec len conv */
static const char *cfmt(char *f, size_t n, const struct fmt_conv *c, int width, int prec,
			const char *len, char conv)
{
	size_t o = 0;

	f[o++] = '%';
	if (c->flags & FMT_ALT) f[o++] = '#';
	if (c->flags & FMT_ZERO) f[o++] = '0';
	if (c->flags & FMT_LEFT) f[o++] = '-';
	if (c->flags & FMT_PLUS) f[o++] = '+';
	if (c->flags & FMT_GROUP) f[o++] = '\'';
	if (c->flags & FMT_SPACE) f[o++] = ' ';
	if (width != 0)
		o += snprintf(f + o, n - o, "%d", width);
	if (prec >= 0)
		o += snprintf(f + o, n - o, ".%d", prec);
	snprintf(f + o, n - o, "%s%c", len, conv);
	return f;
}

/* An integer value cut to its size, sign- or zero-extended. */
static int64_t int_at_size(const struct fmt_val *v, bool as_signed)
{
	uint64_t u = (uint64_t)v->i.v;

	switch (v->i.size) {
	case 1: return as_signed ? (int8_t)u : (int64_t)(uint8_t)u;
	case 2: return as_signed ? (int16_t)u : (int64_t)(uint16_t)u;
	case 4: return as_signed ? (int32_t)u : (int64_t)(uint32_t)u;
	default: return (int64_t)u;
	}
}

static int print_str(FILE *out, const struct fmt_conv *c, int width, int prec,
		     const char *s, size_t len)
{
	char f[48];
	size_t n = strnlen(s, len);

	/* the precision bounds the read: s need not be NUL-terminated */
	if (prec < 0 || (size_t)prec > n)
		prec = (int)n;
	return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "", 's'), s);
}

static int print_escaped(FILE *out, const struct fmt_conv *c, int width, int prec,
			 const char *s, size_t len)
{
	size_t need = escape_str(NULL, 0, s, len, ESC_C);
	char *buf = malloc(need + 1);
	int r;

	if (buf == NULL)
		return -1;
	escape_str(buf, need + 1, s, len, ESC_C);
	r = print_str(out, c, width, prec, buf, need);
	free(buf);
	return r;
}

static void time_str(char *buf, size_t len, uint64_t ns, bool rfc822)
{
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t sec = (time_t)(ns / 1000000000);
	struct tm tm;

	if (localtime_r(&sec, &tm) == NULL) {
		snprintf(buf, len, "%llu", (unsigned long long)ns);
		return;
	}
	if (rfc822)
		strftime(buf, len, "%a, %d %b %G %T %Z", &tm);
	else	/* ctime()'s fields with the year first: "1973 Dec  3 17:20:00" */
		snprintf(buf, len, "%d %s %2d %02d:%02d:%02d", tm.tm_year + 1900,
			 mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void fmt_symstr(char *buf, size_t len, const struct fmt_ctx *ctx, bool user,
		int pid, uint64_t addr)
{
	struct fmt_sym s = { NULL, NULL, 0 };
	unsigned long long a = addr;
	int r = -1;

	if (ctx && user && ctx->usym)
		r = ctx->usym(ctx->arg, pid ? pid : ctx->target, addr, &s);
	else if (ctx && !user && ctx->ksym)
		r = ctx->ksym(ctx->arg, addr, &s);
	if (r != 0 || s.object == NULL) {
		snprintf(buf, len, "0x%llx", a);
		return;
	}
	if (user && strrchr(s.object, '/'))
		s.object = strrchr(s.object, '/') + 1;
	/* file and symbol names are the traced binary's bytes */
	char obj[256], name[256];
	s.object = escape_text(obj, sizeof(obj), s.object);
	if (s.name)
		s.name = escape_text(name, sizeof(name), s.name);
	if (s.name == NULL)
		snprintf(buf, len, "%s`0x%llx", s.object, a);
	else if (addr > s.value)
		snprintf(buf, len, "%s`%s+0x%llx", s.object, s.name,
			 (unsigned long long)(addr - s.value));
	else
		snprintf(buf, len, "%s`%s", s.object, s.name);
}

/* The frames of the tracing machinery itself at the top of a kernel stack
 * taken in a BPF program: the program, bpf_trace_run*, __bpf_trace_* (the
 * probe site is below them, as DTrace's stack() starts there). */
static bool bpf_frame(const struct fmt_ctx *ctx, uint64_t pc)
{
	struct fmt_sym s = { 0 };
	if (!ctx || !ctx->ksym || ctx->ksym(ctx->arg, pc, &s) != 0 || !s.name)
		return false;
	return (s.object && strcmp(s.object, "bpf") == 0) ||
		strncmp(s.name, "bpf_prog_", 9) == 0 ||
		strncmp(s.name, "bpf_trace_run", 13) == 0 ||
		strncmp(s.name, "__bpf_trace_", 12) == 0;
}

void fmt_print_stack(FILE *out, const struct fmt_val *v, int indent, int width,
		     const struct fmt_ctx *ctx)
{
	struct fmt_conv c = { .conv = 's', .prec = -1 };
	char sym[512];
	int i = 0;

	fputc('\n', out);
	if (!v->stk.user)
		while (i < v->stk.depth && v->stk.pcs[i] && bpf_frame(ctx, v->stk.pcs[i]))
			i++;
	for (; i < v->stk.depth && v->stk.pcs[i] != 0; i++) {
		fprintf(out, "%*s", indent, "");
		fmt_symstr(sym, sizeof(sym), ctx, v->stk.user, v->stk.pid, v->stk.pcs[i]);
		print_str(out, &c, width, -1, sym, sizeof(sym));
		fputc('\n', out);
	}
}

int fmt_print_conv(FILE *out, const struct fmt_conv *c, int width, int prec,
		   const struct fmt_val *v, const struct fmt_ctx *ctx)
{
	char f[48], buf[512];
	struct fmt_conv sc = *c;

	switch (c->conv) {
	case '%':
		fputc('%', out);
		return 0;
	case 's':
		if (v->kind != FV_STR)
			return -1;
		return print_str(out, c, width, prec, v->s.p, v->s.len);
	case 'S':
		if (v->kind != FV_STR)
			return -1;
		return print_escaped(out, c, width, prec, v->s.p, strnlen(v->s.p, v->s.len));
	case 'e': case 'E': case 'f': case 'g': case 'G': {
		double d = v->kind == FV_FLOAT ? v->f : v->kind == FV_INT ?
			(v->i.is_signed ? (double)v->i.v : (double)(uint64_t)v->i.v) : 0;

		if (v->kind == FV_STR || v->kind == FV_STACK)
			return -1;
		return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "", c->conv), d);
	}
	case 'k':
		if (v->kind != FV_STACK)
			return -1;
		/* DTrace: a left-justified %k indents every frame by the width */
		if (c->flags & FMT_LEFT) {
			fmt_print_stack(out, v, width < 0 ? -width : width, 0, ctx);
		} else {
			fmt_print_stack(out, v, width < 0 ? -width : 0, width < 0 ? 0 : width, ctx);
		}
		return 0;
	default:
		break;
	}

	if (v->kind != FV_INT)
		return -1;
	switch (c->conv) {
	case 'd': case 'i':
		if (!v->i.is_signed)
			return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "ll", 'u'),
				       (unsigned long long)int_at_size(v, false));
		return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "ll", c->conv),
			       (long long)int_at_size(v, true));
	case 'u': case 'o': case 'x': case 'X':
		return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "ll", c->conv),
			       (unsigned long long)int_at_size(v, false));
	case 'p':
		return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "ll", 'x'),
			       (unsigned long long)int_at_size(v, false));
	case 'c':
		return cprintf(out, cfmt(f, sizeof(f), c, width, prec, "", 'c'),
			       (int)int_at_size(v, true));
	case 'C': {
		char ch = (char)int_at_size(v, true);

		return print_escaped(out, c, width, prec, &ch, 1);
	}
	case 'a':
	case 'A':
		fmt_symstr(buf, sizeof(buf), ctx, c->conv == 'A', v->i.pid,
			   (uint64_t)int_at_size(v, false));
		break;
	case 'Y':
	case 'T':
		time_str(buf, sizeof(buf), (uint64_t)v->i.v, c->conv == 'T');
		break;
	default:
		return -1;
	}
	sc.conv = 's';
	return print_str(out, &sc, width, prec, buf, sizeof(buf));
}

static int next_int(const struct fmt_val *vals, int nvals, int *k, int *out)
{
	if (*k >= nvals || vals[*k].kind != FV_INT)
		return -1;
	*out = (int)int_at_size(&vals[(*k)++], true);
	return 0;
}

int fmt_print_agg(FILE *out, const struct fmt_spec *spec, const struct fmt_val *vals,
		  int nvals, const struct fmt_ctx *ctx, fmt_agg_printer agg, void *aggarg)
{
	int i, k = 0;

	for (i = 0; i < spec->nitems; i++) {
		const struct fmt_item *it = &spec->items[i];
		const struct fmt_conv *c = &it->conv;
		int width = c->width, prec = c->prec;

		if (it->textlen)
			fwrite(it->text, 1, it->textlen, out);
		if (!it->has_conv)
			continue;
		if (c->conv == '%') {
			fputc('%', out);
			continue;
		}
		if ((c->flags & FMT_DYNWIDTH) && next_int(vals, nvals, &k, &width) < 0)
			return -1;
		if ((c->flags & FMT_DYNPREC) && next_int(vals, nvals, &k, &prec) < 0)
			return -1;
		if (prec < -1)
			prec = -1;	/* C: a negative precision is taken as none */
		if (c->flags & FMT_AGG) {
			if (agg == NULL || agg(aggarg, out, c, width, prec) < 0)
				return -1;
			continue;
		}
		if (k >= nvals || fmt_print_conv(out, c, width, prec, &vals[k], ctx) < 0)
			return -1;
		k++;
	}
	return k;
}

int fmt_print(FILE *out, const struct fmt_spec *spec, const struct fmt_val *vals,
	      int nvals, const struct fmt_ctx *ctx)
{
	return fmt_print_agg(out, spec, vals, nvals, ctx, NULL, NULL);
}

/* --- trace() --------------------------------------------------------- */

/* isprint() || isspace() in the C locale, plus \a and \b (dt_print_bytes) */
static bool printable(char c)
{
	return (c >= ' ' && c <= '~') || (c >= '\a' && c <= '\r');
}

void fmt_hexdump(FILE *out, const unsigned char *c, size_t n)
{
	const int margin = 5;
	size_t i, j;

	fprintf(out, "\n%*s      ", margin, "");
	for (i = 0; i < 16; i++)
		fprintf(out, "  %c", "0123456789abcdef"[i]);
	fprintf(out, "  0123456789abcdef\n");
	for (i = 0; i < n; i += 16) {
		fprintf(out, "%*s%5zx:", margin, "", i);
		for (j = i; j < i + 16 && j < n; j++)
			fprintf(out, " %02x", c[j]);
		for (; j % 16; j++)
			fprintf(out, "   ");
		fprintf(out, "  ");
		for (j = i; j < i + 16 && j < n; j++)
			fputc(c[j] < ' ' || c[j] > '~' ? '.' : c[j], out);
		fputc('\n', out);
	}
}

void fmt_print_bytes(FILE *out, const void *data, size_t n, int width, bool quiet)
{
	const char *c = data;
	size_t i, j;

	if (n == 0)
		return;
	for (i = 0; i < n && printable(c[i]); i++)
		;
	if (i == n) {
		/* all printable, no NUL: a string that fills its buffer */
		fprintf(out, "  %-*.*s", width < 0 ? -width : width, (int)n, c);
		return;
	}
	if (c[i] == '\0' && i > 0) {
		for (j = i + 1; j < n && c[j] == '\0'; j++)
			;
		if (j == n) {
			if (quiet)
				fprintf(out, "%s", c);
			else
				fprintf(out, " %s%*s", width < 0 ? " " : "", width, c);
			return;
		}
	}
	fmt_hexdump(out, data, n);
}

void fmt_trace(FILE *out, const struct fmt_val *v, bool quiet, const struct fmt_ctx *ctx)
{
	switch (v->kind) {
	case FV_INT: {
		/* dtrace-utils' dt_print_trace: the value's own signedness,
		 * width by size (signed 19/10/5/3, unsigned 20/10/5/3) */
		static const int swidth[9] = { 0, 3, 5, 0, 10, 0, 0, 0, 19 };
		static const int uwidth[9] = { 0, 3, 5, 0, 10, 0, 0, 0, 20 };
		int sz = v->i.size <= 8 && swidth[v->i.size] ? v->i.size : 8;
		int64_t x = int_at_size(v, v->i.is_signed);

		if (quiet)
			fprintf(out, v->i.is_signed ? "%lld" : "%llu", (long long)x);
		else if (v->i.is_signed)
			fprintf(out, " %*lld", swidth[sz], (long long)x);
		else
			fprintf(out, " %*llu", uwidth[sz], (unsigned long long)x);
		return;
	}
	case FV_STR: {
		size_t n = strnlen(v->s.p, v->s.len), i;

		/* a string record: printable text, then only NULs (or the end) */
		for (i = 0; i < n && printable(v->s.p[i]); i++)
			;
		if (i == n) {
			for (i = n; i < v->s.len && v->s.p[i] == '\0'; i++)
				;
		}
		if (i == v->s.len) {
			if (quiet)
				fprintf(out, "%.*s", (int)n, v->s.p);
			else
				fprintf(out, "  %-33.*s", (int)n, v->s.p);
			return;
		}
		fmt_print_bytes(out, v->s.p, v->s.len, -33, quiet);
		return;
	}
	case FV_FLOAT:
		fprintf(out, quiet ? "%g" : " %16g", v->f);
		return;
	case FV_STACK:
		fmt_print_stack(out, v, ctx && ctx->stackindent ? ctx->stackindent : 14, 0, ctx);
		return;
	}
}
