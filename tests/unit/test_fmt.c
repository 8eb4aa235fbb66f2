/* test_fmt.c - fmt.c: parsing, DTrace's error wording, argument checks,
 * C-exact formatting, %a %A %Y %S %k, and trace()'s layout. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "fmt.h"

static char out[8192];
static char err[512];

/* Format with a fresh parse; returns the output (or "<parse error>"). */
static const char *pf(const char *fmt, const struct fmt_val *v, int n,
		      const struct fmt_ctx *ctx, int *used)
{
	struct fmt_spec sp;
	FILE *f;
	int r;

	if (fmt_parse(fmt, &sp, err, sizeof(err)) < 0)
		return "<parse error>";
	out[0] = '\0';
	f = fmemopen(out, sizeof(out), "w");
	r = fmt_print(f, &sp, v, n, ctx);
	fclose(f);
	fmt_free(&sp);
	if (used)
		*used = r;
	return out;
}

#define PF(fmt, ...) pf(fmt, (struct fmt_val[]){ __VA_ARGS__ }, \
	(int)(sizeof((struct fmt_val[]){ __VA_ARGS__ }) / sizeof(struct fmt_val)), NULL, NULL)
#define I64(v) FMT_INT(v, 8, true)
#define U64(v) FMT_INT(v, 8, false)
#define I32(v) FMT_INT(v, 4, true)

static const char *parse_err(const char *fmt)
{
	struct fmt_spec sp;

	err[0] = '\0';
	if (fmt_parse(fmt, &sp, err, sizeof(err)) == 0) {
		fmt_free(&sp);
		return "<no error>";
	}
	return err;
}

static void test_parse(void)
{
	struct fmt_spec sp;

	CHECK(fmt_parse("pid %d: %-16s%5.2x|%%|%*.*d\n", &sp, err, sizeof(err)) == 0);
	CHECK(sp.nitems == 6);
	CHECK(sp.nargs == 6);
	CHECK(sp.items[0].textlen == 4 && !strncmp(sp.items[0].text, "pid ", 4));
	CHECK(sp.items[0].conv.conv == 'd' && sp.items[0].conv.cls == FA_INT);
	CHECK(sp.items[1].conv.conv == 's' && sp.items[1].conv.width == 16 &&
	      (sp.items[1].conv.flags & FMT_LEFT) && sp.items[1].conv.cls == FA_STRING);
	CHECK(sp.items[2].conv.width == 5 && sp.items[2].conv.prec == 2 &&
	      sp.items[2].conv.cls == FA_UINT);
	CHECK(sp.items[3].conv.conv == '%' && sp.items[3].conv.cls == FA_NONE);
	CHECK((sp.items[4].conv.flags & (FMT_DYNWIDTH | FMT_DYNPREC)) ==
	      (FMT_DYNWIDTH | FMT_DYNPREC) && sp.items[4].conv.prec == -1);
	CHECK(!sp.items[5].has_conv && sp.items[5].textlen == 1);
	CHECK(sp.items[4].conv.index == 5);
	fmt_free(&sp);

	/* length modifiers are accepted and remembered */
	CHECK(fmt_parse("%lld %hx %zu %ju %hhd %Lf %lu", &sp, err, sizeof(err)) == 0);
	CHECK(!strcmp(sp.items[0].conv.length, "ll") && sp.items[0].conv.conv == 'd');
	CHECK(!strcmp(sp.items[4].conv.length, "hh"));
	CHECK(sp.nargs == 7);
	fmt_free(&sp);

	/* printa's aggregation conversions */
	CHECK(fmt_parse("%-20s %@8d %@u\n", &sp, err, sizeof(err)) == 0);
	CHECK(sp.nargs == 1 && sp.nagg == 2);
	CHECK((sp.items[1].conv.flags & FMT_AGG) && sp.items[1].conv.width == 8 &&
	      sp.items[1].conv.cls == FA_INT);
	fmt_free(&sp);

	/* %? is a pointer's width */
	CHECK(fmt_parse("%?p", &sp, err, sizeof(err)) == 0);
	CHECK(sp.items[0].conv.width == 16);
	fmt_free(&sp);

	/* empty format and plain text */
	CHECK(fmt_parse("", &sp, err, sizeof(err)) == 0 && sp.nitems == 1 && sp.nargs == 0);
	fmt_free(&sp);
	CHECK(fmt_parse("hello", &sp, err, sizeof(err)) == 0 && sp.nitems == 1 &&
	      !sp.items[0].has_conv);
	fmt_free(&sp);

	/* DTrace's messages */
	CHECK(!strcmp(parse_err("%d %k %w"), "format conversion #3 is undefined: %w"));
	CHECK(!strcmp(parse_err("a %q"), "format conversion #1 is undefined: %q"));
	CHECK(!strcmp(parse_err("%F"), "format conversion #1 is undefined: %F"));
	CHECK(!strcmp(parse_err("%lq"), "format conversion #1 is undefined: %lq"));
	CHECK(!strcmp(parse_err("%d %"), "format conversion #2 name expected before "
		      "end of format string"));
	CHECK(!strcmp(parse_err("%1.2.3d"), "format conversion #1 has more than one '.' "
		      "specified"));
	CHECK(!strcmp(parse_err("%1$d"), "format conversion #1 uses unsupported "
		      "positional format (%n$)"));
	CHECK(!strcmp(parse_err("%-%"), "format conversion #1 cannot be combined with "
		      "other format flags: %%"));
	CHECK(!strcmp(parse_err("%**d"), "format conversion #1 has more than one '*' "
		      "specified for the output width"));
	CHECK(!strcmp(parse_err("%.**d"), "format conversion #1 has more than one '*' "
		      "specified for the output precision"));
}

static const struct fmt_argtype t_int = { FT_INT, 4, true, "int" };
static const struct fmt_argtype t_u64 = { FT_INT, 8, false, "uint64_t" };
static const struct fmt_argtype t_i64 = { FT_INT, 8, true, "int64_t" };
static const struct fmt_argtype t_long = { FT_INT, 8, true, "long" };
static const struct fmt_argtype t_str = { FT_STRING, 256, false, "string" };
static const struct fmt_argtype t_ptr = { FT_PTR, 8, false, "char *" };
static const struct fmt_argtype t_stack = { FT_STACK, 8, false, "stack" };
static const struct fmt_argtype t_sym = { FT_SYMADDR, 8, false, "_symaddr" };
static const struct fmt_argtype t_usym = { FT_USYMADDR, 8, false, "_usymaddr" };

static const char *check(const char *fmt, const struct fmt_argtype *args, int n,
			 const struct fmt_argtype *agg)
{
	struct fmt_spec sp;
	int r;

	if (fmt_parse(fmt, &sp, err, sizeof(err)) < 0)
		return "<parse error>";
	err[0] = '\0';
	r = fmt_check(&sp, agg ? "printa" : "printf", args, n, 1, agg, false, err, sizeof(err));
	fmt_free(&sp);
	return r == 0 ? "ok" : err;
}
#define ARGS(...) (struct fmt_argtype[]){ __VA_ARGS__ }, \
	(int)(sizeof((struct fmt_argtype[]){ __VA_ARGS__ }) / sizeof(struct fmt_argtype))

static void test_check(void)
{
	struct fmt_conv c = { .conv = 'c', .cls = FA_CHAR };

	CHECK(!strcmp(check("%d %s %p %x\n", ARGS(t_int, t_str, t_ptr, t_u64), NULL), "ok"));
	CHECK(!strcmp(check("%Y %a %k", ARGS(t_u64, t_sym, t_stack), NULL), "ok"));
	CHECK(!strcmp(check("%a %p", ARGS(t_long, t_long), NULL), "ok"));
	CHECK(!strcmp(check("%*d", ARGS(t_int, t_long), NULL), "ok"));
	CHECK(!strcmp(check("%d", ARGS(t_str), NULL),
		      "printf( ) argument #2 is incompatible with conversion #1 prototype:\n"
		      "\tconversion: %d\n\t prototype: char, short, int, long, or long long\n"
		      "\t  argument: string"));
	CHECK(!strcmp(check("%d %s", ARGS(t_int, t_int), NULL),
		      "printf( ) argument #3 is incompatible with conversion #2 prototype:\n"
		      "\tconversion: %s\n\t prototype: char [] or string (or use stringof)\n"
		      "\t  argument: int"));
	CHECK(!strcmp(check("%d %d", ARGS(t_int), NULL),
		      "printf( ) prototype mismatch: conversion #2 (%d) is missing a "
		      "corresponding value argument"));
	CHECK(!strcmp(check("%d", ARGS(t_int, t_int), NULL),
		      "printf( ) prototype mismatch: only 1 arguments required by this "
		      "format string"));
	CHECK(!strcmp(check("%*d", ARGS(t_str, t_int), NULL),
		      "printf( ) argument #2 is incompatible with conversion #1 prototype:\n"
		      "\tconversion: % * d\n\t prototype: int\n\t  argument: string"));
	CHECK(!strcmp(check("%.*s", ARGS(t_int), NULL),
		      "printf( ) prototype mismatch: conversion #1 (%s) is missing a "
		      "corresponding value argument"));
	CHECK(!strcmp(check("%*d", NULL, 0, NULL), "printf( ) prototype mismatch: "
		      "conversion #1 (%d) is missing a corresponding \"*\" argument"));
	CHECK(!strcmp(check("%f", ARGS(t_int), NULL),
		      "printf( ) argument #2 is incompatible with conversion #1 prototype:\n"
		      "\tconversion: %f\n\t prototype: float, double, or long double\n"
		      "\t  argument: int"));
	CHECK(!strcmp(check("%Y", ARGS(t_int), NULL),
		      "printf( ) argument #2 is incompatible with conversion #1 prototype:\n"
		      "\tconversion: %Y\n\t prototype: int64_t\n\t  argument: int"));
	CHECK(!strcmp(check("%@d", NULL, 0, NULL),
		      "%@ conversion requires an aggregation and is not for use with printf( )"));
	CHECK(!strcmp(check("", NULL, 0, NULL), "printf( ) format string is empty"));
	/* %A takes integers only when there is a target process */
	CHECK(!strcmp(check("%A", ARGS(t_usym), NULL), "ok"));
	CHECK(strcmp(check("%A", ARGS(t_long), NULL), "ok") != 0);
	c.conv = 'A', c.cls = FA_USYM;
	CHECK(fmt_arg_ok(&c, &t_long, true));
	/* %c takes at most an int */
	c.conv = 'c', c.cls = FA_CHAR;
	CHECK(fmt_arg_ok(&c, &t_int, false));
	CHECK(!fmt_arg_ok(&c, &t_long, false));
	/* printa: keys in order, the value at %@, keys may be left out */
	CHECK(!strcmp(check("%s %d %@d\n", ARGS(t_str, t_int), &t_i64), "ok"));
	CHECK(!strcmp(check("%s %@d\n", ARGS(t_str, t_int), &t_u64), "ok"));
	CHECK(!strcmp(check("%@s\n", ARGS(t_str), &t_i64),
		      "printa( ) aggregating action is incompatible with conversion #1 "
		      "prototype:\n\tconversion: %@s\n\t prototype: char [] or string (or use "
		      "stringof)\n\t  argument: int64_t"));
}

/* Every flag, width and precision prints as C's printf would. */
static void test_c_exact(void)
{
	static const char *ifmts[] = { "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d",
		"%8.3d", "%-+8d|", "%x", "%#x", "%#o", "%X", "%#010x", "%u", "%o", "%'d",
		"%.0d", "%+.0d", "%i", "%-#12X|", "%0+9d" };
	static const long long ivals[] = { 0, 1, -1, 42, -42, 123456789, -2147483648LL,
		9223372036854775807LL };
	char want[256];
	size_t i, j;

	for (i = 0; i < sizeof(ifmts) / sizeof(ifmts[0]); i++) {
		for (j = 0; j < sizeof(ivals) / sizeof(ivals[0]); j++) {
			char cf[32];
			const char *got;
			bool uns = strpbrk(ifmts[i], "xXuo") != NULL;

			/* the same directive with ll, as C sees a 64-bit value */
			snprintf(cf, sizeof(cf), "%.*sll%s", (int)strcspn(ifmts[i], "dxXuoi"),
				 ifmts[i], ifmts[i] + strcspn(ifmts[i], "dxXuoi"));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			if (uns)
				snprintf(want, sizeof(want), cf, (unsigned long long)ivals[j]);
			else
				snprintf(want, sizeof(want), cf, ivals[j]);
#pragma GCC diagnostic pop
			got = PF(ifmts[i], I64(ivals[j]));
			CHECK(!strcmp(got, want));
			if (strcmp(got, want))
				printf("  %s of %lld: got \"%s\" want \"%s\"\n", ifmts[i], ivals[j], got, want);
		}
	}
	CHECK(!strcmp(PF("[%s|%10s|%-10s|%.2s|%5.1s|%-5.0s]", FMT_STR("abc"), FMT_STR("abc"),
			 FMT_STR("abc"), FMT_STR("abc"), FMT_STR("abc"), FMT_STR("abc")),
		      "[abc|       abc|abc       |ab|    a|     ]"));
	CHECK(!strcmp(PF("%c%c%3c%-3c|", I32('o'), I32('k'), I32('x'), I32('y')), "ok  xy  |"));
	CHECK(!strcmp(PF("100%% %d%%", I32(5)), "100% 5%"));
	CHECK(!strcmp(PF("%e %.2f %g %G", (struct fmt_val){ .kind = FV_FLOAT, .f = 1234.5 },
			 (struct fmt_val){ .kind = FV_FLOAT, .f = 3.14159 },
			 (struct fmt_val){ .kind = FV_FLOAT, .f = 0.0001 },
			 (struct fmt_val){ .kind = FV_FLOAT, .f = 1e20 }),
		      "1.234500e+03 3.14 0.0001 1E+20"));
}

static void test_dtrace_semantics(void)
{
	int used = 0;

	/* an unsigned argument prints as %u through %d */
	CHECK(!strcmp(PF("%d", U64(-1)), "18446744073709551615"));
	CHECK(!strcmp(PF("%d", FMT_INT(-1, 4, false)), "4294967295"));
	/* the argument's size bounds %x and friends */
	CHECK(!strcmp(PF("%x %x %x %x", FMT_INT(-1, 1, true), FMT_INT(-1, 2, true),
			 FMT_INT(-1, 4, true), FMT_INT(-1, 8, true)),
		      "ff ffff ffffffff ffffffffffffffff"));
	CHECK(!strcmp(PF("%d %d", FMT_INT(0x1ff, 1, true), FMT_INT(0x18000, 2, true)),
		      "-1 -32768"));
	/* %p: hex without 0x, as DTrace prints it */
	CHECK(!strcmp(PF("%p %#p %?p|", U64(0xffffffff81000000ULL), U64(0x1000), U64(0xbeef)),
		      "ffffffff81000000 0x1000             beef|"));
	/* length modifiers change nothing */
	CHECK(!strcmp(PF("%lld %hd %lx %zu", I64(-5), I32(7), U64(255), U64(3)), "-5 7 ff 3"));
	/* dynamic width and precision; a negative width left-justifies */
	CHECK(!strcmp(PF("[%*d][%*d][%.*s][%*.*s]", I32(4), I32(7), I32(-4), I32(7),
			 I32(2), FMT_STR("abcdef"), I32(5), I32(3), FMT_STR("abcdef")),
		      "[   7][7   ][ab][  abc]"));
	CHECK(!strcmp(PF("[%.*d]", I32(-1), I32(7)), "[7]"));
	/* %s of a buffer that is not NUL-terminated stops at its length */
	CHECK(!strcmp(PF("[%s]", FMT_STRN("abcdef", 3)), "[abc]"));
	CHECK(!strcmp(PF("[%s]", FMT_STRN("ab\0cd", 5)), "[ab]"));
	/* %S and %C escape as C */
	CHECK(!strcmp(PF("%S", FMT_STR("a\tb\n\033[0m\"q\"\\")),
		      "a\\tb\\n\\033[0m\\\"q\\\"\\\\"));
	CHECK(!strcmp(PF("[%8S]", FMT_STR("a\n")), "[     a\\n]"));
	CHECK(!strcmp(PF("%C%C%C", I32('a'), I32('\n'), I32(0x7f)), "a\\n\\177"));
	/* values used: every argument, dynamic ones included */
	pf("%*d %s", (struct fmt_val[]){ I32(3), I32(1), FMT_STR("x") }, 3, NULL, &used);
	CHECK(used == 3);
	/* too few values, or the wrong kind: -1 */
	pf("%d %d", (struct fmt_val[]){ I32(3) }, 1, NULL, &used);
	CHECK(used == -1);
	pf("%d", (struct fmt_val[]){ FMT_STR("x") }, 1, NULL, &used);
	CHECK(used == -1);
	pf("%s", (struct fmt_val[]){ I32(1) }, 1, NULL, &used);
	CHECK(used == -1);
	/* %@ in printf has nothing to print */
	pf("%@d", (struct fmt_val[]){ I32(1) }, 1, NULL, &used);
	CHECK(used == -1);
}

static int fake_ksym(void *arg, uint64_t addr, struct fmt_sym *s)
{
	(void)arg;
	if (addr >= 0xffffffff81000000ULL && addr < 0xffffffff81000100ULL) {
		s->object = "kernel";
		s->name = "do_sys_open";
		s->value = 0xffffffff81000000ULL;
		return 0;
	}
	if (addr >= 0xffffffffc0000000ULL) {
		s->object = "ext4";	/* module known, symbol not */
		s->name = NULL;
		return 0;
	}
	return -1;
}

static int fake_usym(void *arg, int pid, uint64_t addr, struct fmt_sym *s)
{
	(void)arg;
	if (pid != 42)
		return -1;
	if (addr >= 0x401000 && addr < 0x402000) {
		s->object = "/usr/bin/bash";
		s->name = "main";
		s->value = 0x401000;
		return 0;
	}
	return -1;
}

static void test_symbols_time_stacks(void)
{
	struct fmt_ctx ctx = { fake_ksym, fake_usym, NULL, 42, 0 };
	struct fmt_val a[4];
	uint64_t pcs[] = { 0xffffffff81000010ULL, 0xffffffff81000000ULL,
			   0xffffffffc0001234ULL, 0x1234, 0 };
	struct fmt_val stk = { .kind = FV_STACK,
			       .stk = { .pcs = pcs, .depth = 8, .pid = 0, .user = false } };

	a[0] = U64(0xffffffff81000010ULL);
	a[1] = U64(0xffffffff81000000ULL);
	a[2] = U64(0xffffffffc0001234ULL);
	a[3] = U64(0x10);
	CHECK(!strcmp(pf("%a|%a|%a|%a", a, 4, &ctx, NULL),
		      "kernel`do_sys_open+0x10|kernel`do_sys_open|ext4`0xffffffffc0001234|0x10"));
	CHECK(!strcmp(pf("[%-30a]", a, 1, &ctx, NULL), "[kernel`do_sys_open+0x10       ]"));
	/* without symbolizers: hex */
	CHECK(!strcmp(pf("%a", a, 1, NULL, NULL), "0xffffffff81000010"));
	/* %A: user symbols of the target (or the value's own pid); basename */
	a[0] = U64(0x401abc);
	CHECK(!strcmp(pf("%A", a, 1, &ctx, NULL), "bash`main+0xabc"));
	a[0].i.pid = 7;
	CHECK(!strcmp(pf("%A", a, 1, &ctx, NULL), "0x401abc"));

	/* %Y: ctime's fields, year first; %T: RFC 822 */
	setenv("TZ", "UTC", 1);
	tzset();
	a[0] = U64(1795431312123456789ULL);	/* 2026-11-23 10:55:12 UTC */
	CHECK(!strcmp(pf("%Y", a, 1, &ctx, NULL), "2026 Nov 23 10:55:12"));
	a[0] = U64(123456789000000000ULL);	/* 1973-11-29 21:33:09 */
	CHECK(!strcmp(pf("%Y", a, 1, &ctx, NULL), "1973 Nov 29 21:33:09"));
	a[0] = U64(1772524800ULL * 1000000000ULL);	/* 2026-03-03 08:00:00: day padded */
	CHECK(!strcmp(pf("[%Y]", a, 1, &ctx, NULL), "[2026 Mar  3 08:00:00]"));
	CHECK(!strcmp(pf("%T", a, 1, &ctx, NULL), "Tue, 03 Mar 2026 08:00:00 UTC"));
	CHECK(!strcmp(pf("[%-22Y]", a, 1, &ctx, NULL), "[2026 Mar  3 08:00:00  ]"));

	/* %k and trace(stack()) */
	CHECK(!strcmp(pf("%k", &stk, 1, &ctx, NULL),
		      "\nkernel`do_sys_open+0x10\nkernel`do_sys_open\n"
		      "ext4`0xffffffffc0001234\n0x1234\n"));
	CHECK(!strcmp(pf("%-4k", &stk, 1, &ctx, NULL),
		      "\n    kernel`do_sys_open+0x10\n    kernel`do_sys_open\n"
		      "    ext4`0xffffffffc0001234\n    0x1234\n"));
	{
		FILE *f = fmemopen(out, sizeof(out), "w");

		fmt_trace(f, &stk, false, &ctx);
		fclose(f);
		CHECK(!strcmp(out, "\n              kernel`do_sys_open+0x10\n"
			      "              kernel`do_sys_open\n"
			      "              ext4`0xffffffffc0001234\n"
			      "              0x1234\n"));
	}
}

static const char *tr(struct fmt_val v, bool quiet)
{
	FILE *f;

	out[0] = '\0';
	f = fmemopen(out, sizeof(out), "w");
	fmt_trace(f, &v, quiet, NULL);
	fclose(f);
	return out;
}

static void test_trace(void)
{
	char buf[32] = "bash";

	/* dtrace-utils' widths: signed 19 10 5 3, unsigned 20 10 5 3 */
	CHECK(!strcmp(tr(I64(12345), false), "               12345"));
	CHECK(!strcmp(tr(I64(-1), false), "                  -1"));
	CHECK(!strcmp(tr(I64(-1), true), "-1"));
	CHECK(!strcmp(tr(I32(-7), false), "         -7"));
	CHECK(!strcmp(tr(FMT_INT(-1, 2, true), false), "    -1"));
	CHECK(!strcmp(tr(FMT_INT(-1, 2, false), false), " 65535"));
	CHECK(!strcmp(tr(FMT_INT(-1, 8, false), false), " 18446744073709551615"));
	CHECK(!strcmp(tr(FMT_INT(-2, 1, true), true), "-2"));
	CHECK(!strcmp(tr(FMT_INT(200, 1, false), false), " 200"));
	CHECK(!strcmp(tr(FMT_INT(5, 1, false), true), "5"));
	/* strings: "  %-33s" (quiet: as they are), buffer or exact length */
	CHECK(!strcmp(tr(FMT_STRN(buf, sizeof(buf)), false),
		      "  bash                             "));
	CHECK(!strcmp(tr(FMT_STR("bash"), false), "  bash                             "));
	CHECK(!strcmp(tr(FMT_STRN(buf, sizeof(buf)), true), "bash"));
	CHECK(!strcmp(tr(FMT_STR(""), true), ""));
	/* not a string: DTrace's hex dump */
	CHECK(!strcmp(tr(FMT_STRN("ab\001c\0\0", 6), false),
		      "\n             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n"
		      "         0: 61 62 01 63 00 00                                ab.c..\n"));
	{
		char two[20] = "ab";

		memcpy(two + 10, "junk", 4);	/* bytes after the NUL: not a string */
		tr(FMT_STRN(two, 20), false);
		CHECK(!strncmp(out, "\n             0  1", 18));
		CHECK(strstr(out, "         0: 61 62 00 00 00 00 00 00 00 00 6a 75 6e 6b 00 00"
			      "  ab........junk..\n        10: 00 00 00 00") != NULL);
	}
}

int main(void)
{
	test_parse();
	test_check();
	test_c_exact();
	test_dtrace_semantics();
	test_symbols_time_stacks();
	test_trace();
	return CHECK_DONE();
}
