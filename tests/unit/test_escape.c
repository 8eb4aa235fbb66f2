/* test_escape.c - escape.c: every control byte, UTF-8, truncation, modes. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "dtk.h"

static char buf[4096];

static const char *esc(const char *s, size_t n, int mode)
{
	escape_str(buf, sizeof(buf), s, n, mode);
	return buf;
}
#define ESC(lit, mode) esc(lit, sizeof(lit) - 1, mode)

/* What escape_fputs writes, for comparison with escape_str. */
static const char *esc_file(const char *s, size_t n, int mode)
{
	static char fbuf[4096];
	FILE *f = fmemopen(fbuf, sizeof(fbuf), "w");

	escape_fputs(f, s, n, mode);
	fclose(f);
	return fbuf;
}

static void test_c_mode(void)
{
	/* DTrace's %S: named escapes, octal for the rest, space kept */
	CHECK(!strcmp(ESC("a b", ESC_C), "a b"));
	CHECK(!strcmp(ESC("\n\t\r\a\b\f\v", ESC_C), "\\n\\t\\r\\a\\b\\f\\v"));
	CHECK(!strcmp(ESC("\"q\" \\", ESC_C), "\\\"q\\\" \\\\"));
	CHECK(!strcmp(ESC("x\0y", ESC_C), "x\\0y"));
	CHECK(!strcmp(ESC("\033[2J", ESC_C), "\\033[2J"));
	CHECK(!strcmp(ESC("\x7f", ESC_C), "\\177"));
	CHECK(!strcmp(ESC("\x80\xff", ESC_C), "\\200\\377"));
	/* %S escapes UTF-8 byte by byte, as DTrace does */
	CHECK(!strcmp(ESC("\xc3\xa9", ESC_C), "\\303\\251"));
}

/* Every byte 0x00-0xff, alone, in every mode: the result never holds a
 * control byte or a lone high byte, and matches the table in escape.h. */
static void test_every_byte(void)
{
	static const char named[14] = { [0] = '0', [7] = 'a', [8] = 'b', [9] = 't',
		[10] = 'n', [11] = 'v', [12] = 'f', [13] = 'r' };
	int mode, c;

	for (mode = ESC_C; mode <= ESC_TEXT; mode++) {
		for (c = 0; c < 256; c++) {
			char in = (char)c, want[8];
			const char *got = esc(&in, 1, mode);
			size_t i;

			for (i = 0; got[i]; i++)
				CHECK((unsigned char)got[i] >= 0x20 || got[i] == '\n' || got[i] == '\t');
			for (i = 0; got[i]; i++)
				CHECK((unsigned char)got[i] < 0x7f);
			if (mode == ESC_TTY && (c == '\n' || c == '\t'))
				snprintf(want, sizeof(want), "%c", c);
			else if (c < 14 && named[c])
				snprintf(want, sizeof(want), "\\%c", named[c]);
			else if (c < 0x20 || c >= 0x7f || (c == ' ' && mode == ESC_ARGS))
				snprintf(want, sizeof(want), "\\%03o", c);
			else if ((c == '"' && mode == ESC_C) || c == '\\')
				snprintf(want, sizeof(want), "\\%c", c);
			else
				snprintf(want, sizeof(want), "%c", c);
			CHECK(!strcmp(got, want));
			if (strcmp(got, want))
				printf("  mode %d byte 0x%02x: got \"%s\" want \"%s\"\n", mode, c, got, want);
			CHECK(escape_needed(&in, 1, mode) == (strcmp(got, (char[]){ in, 0 }) != 0 || c == 0));
			CHECK(!strcmp(esc_file(&in, 1, mode), got) || c == 0);
		}
	}
}

/* One field of one line: names, paths, symbols, execsnoop's arguments. */
static void test_text_mode(void)
{
	CHECK(!strcmp(ESC("evil\n[fake line]", ESC_TEXT), "evil\\n[fake line]"));
	CHECK(!strcmp(ESC("a\033[31mred", ESC_TEXT), "a\\033[31mred"));
	CHECK(!strcmp(ESC("typed \\033", ESC_TEXT), "typed \\\\033"));
	CHECK(!strcmp(ESC("caf\xc3\xa9 \"q\" x y", ESC_TEXT), "caf\xc3\xa9 \"q\" x y"));
	CHECK(!strcmp(ESC("\xc2\x9b" "2J", ESC_TEXT), "\\302\\2332J"));
	char buf[64];
	CHECK(!strcmp(escape_text(buf, sizeof(buf), "fn\x1b\n"), "fn\\033\\n"));
	/* a short buffer ends before an escape, never inside one */
	CHECK(!strcmp(escape_text(buf, 6, "ab\x1b"), "ab"));
}

static void test_tty_mode(void)
{
	/* text stays text */
	CHECK(!strcmp(ESC("ls -l\n\tok\n", ESC_TTY), "ls -l\n\tok\n"));
	CHECK(!escape_needed("ls -l\n\tok\n", 10, ESC_TTY));
	/* the terminal cannot be driven: ESC, CR, BEL, DEL all shown */
	CHECK(!strcmp(ESC("\033]0;title\a", ESC_TTY), "\\033]0;title\\a"));
	CHECK(!strcmp(ESC("a\rb", ESC_TTY), "a\\rb"));
	CHECK(!strcmp(ESC("\x7f", ESC_TTY), "\\177"));
	/* UTF-8 stays readable: é, €, emoji */
	CHECK(!strcmp(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", ESC_TTY),
		      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	CHECK(!escape_needed("caf\xc3\xa9", 5, ESC_TTY));
	/* C1 controls: CSI as UTF-8 (U+009B) and as a lone byte */
	CHECK(!strcmp(ESC("\xc2\x9b" "2J", ESC_TTY), "\\302\\2332J"));
	CHECK(!strcmp(ESC("\x9b" "2J", ESC_TTY), "\\2332J"));
	/* U+00A0 (first non-control above ASCII) passes */
	CHECK(!strcmp(ESC("\xc2\xa0", ESC_TTY), "\xc2\xa0"));
	/* bidi override U+202E */
	CHECK(!strcmp(ESC("\xe2\x80\xae", ESC_TTY), "\\342\\200\\256"));
	/* invalid: lone continuation, truncated sequence, overlong, surrogate, > U+10FFFF */
	CHECK(!strcmp(ESC("\x80", ESC_TTY), "\\200"));
	CHECK(!strcmp(ESC("\xc3", ESC_TTY), "\\303"));
	CHECK(!strcmp(ESC("\xe2\x82", ESC_TTY), "\\342\\202"));
	CHECK(!strcmp(ESC("\xc0\xaf", ESC_TTY), "\\300\\257"));
	CHECK(!strcmp(ESC("\xe0\x80\xaf", ESC_TTY), "\\340\\200\\257"));
	CHECK(!strcmp(ESC("\xed\xa0\x80", ESC_TTY), "\\355\\240\\200"));
	CHECK(!strcmp(ESC("\xf4\x90\x80\x80", ESC_TTY), "\\364\\220\\200\\200"));
	/* a valid char right after an invalid byte is still kept */
	CHECK(!strcmp(ESC("\xff\xc3\xa9", ESC_TTY), "\\377\xc3\xa9"));
	/* a quote is not special on a terminal; a backslash is doubled, so
	 * that a typed \033 does not read as an escaped ESC */
	CHECK(!strcmp(ESC("C:\\ \"x\"", ESC_TTY), "C:\\\\ \"x\""));
	CHECK(!strcmp(ESC("echo \\033[31m", ESC_TTY), "echo \\\\033[31m"));
}

static void test_args_mode(void)
{
	CHECK(!strcmp(ESC("my file", ESC_ARGS), "my\\040file"));
	CHECK(!strcmp(ESC("a\nb\tc", ESC_ARGS), "a\\nb\\tc"));
	CHECK(!strcmp(ESC("back\\slash", ESC_ARGS), "back\\\\slash"));
	CHECK(!strcmp(ESC("\"q\"", ESC_ARGS), "\"q\""));
	CHECK(!strcmp(ESC("r\xc3\xa9sum\xc3\xa9", ESC_ARGS), "r\xc3\xa9sum\xc3\xa9"));
	CHECK(!strcmp(ESC("\033", ESC_ARGS), "\\033"));
	CHECK(!escape_needed("--color=auto", 12, ESC_ARGS));
	CHECK(escape_needed("a b", 3, ESC_ARGS));
}

static void test_truncation(void)
{
	char small[6];
	size_t n;

	/* "ab\033c" -> "ab\033c" needs 7; with 6 bytes the \033 must not be cut */
	n = escape_str(small, sizeof(small), "ab\033c", 4, ESC_C);
	CHECK(n == 7);
	CHECK(!strcmp(small, "ab"));
	n = escape_str(small, sizeof(small), "abcdefgh", 8, ESC_C);
	CHECK(n == 8);
	CHECK(!strcmp(small, "abcde"));
	n = escape_str(NULL, 0, "a\nb", 3, ESC_C);
	CHECK(n == 4);
	n = escape_str(small, 1, "abc", 3, ESC_C);
	CHECK(n == 3 && small[0] == '\0');
	/* a multi-byte UTF-8 character is a unit too */
	n = escape_str(small, 3, "a\xc3\xa9", 3, ESC_TTY);
	CHECK(n == 3 && !strcmp(small, "a"));
	/* escape_fputs agrees with escape_str on a long mixed string */
	{
		const char s[] = "x\001y\xc3\xa9z\x9b\n \\\"";
		CHECK(!strcmp(esc_file(s, sizeof(s) - 1, ESC_TTY), esc(s, sizeof(s) - 1, ESC_TTY)));
		CHECK(!strcmp(esc_file(s, sizeof(s) - 1, ESC_C), esc(s, sizeof(s) - 1, ESC_C)));
		CHECK(!strcmp(esc_file(s, sizeof(s) - 1, ESC_ARGS), esc(s, sizeof(s) - 1, ESC_ARGS)));
	}
}

int main(void)
{
	test_c_mode();
	test_every_byte();
	test_tty_mode();
	test_text_mode();
	test_args_mode();
	test_truncation();
	return CHECK_DONE();
}
