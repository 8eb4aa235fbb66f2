/* escape.c - making bytes from traced processes safe to print (escape.h). */
#include <string.h>
#include "dtk.h"

/* Length of the valid UTF-8 sequence at s (2..4), or 0 if there is none.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cpp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf, cp;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f, lo = c == 0xe0 ? 0xa0 : 0x80,
		hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07, lo = c == 0xf0 ? 0x90 : 0x80,
		hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*cpp = cp;
	return len;
}

/* Code points a terminal or a text renderer acts on: C1 controls (0x9b is
 * CSI) and the bidirectional overrides that reorder what follows them. */
static bool cp_is_control(unsigned cp)
{
	return cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static char named_escape(unsigned char c)
{
	switch (c) {
	case '\0': return '0';
	case '\a': return 'a';
	case '\b': return 'b';
	case '\f': return 'f';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\v': return 'v';
	default: return 0;
	}
}

/* The next unit of src at s: how many input bytes it takes (*used) and its
 * output, written to out (at most 16 bytes).  Returns the output length. */
static size_t next_unit(const unsigned char *s, size_t n, int mode, char *out, size_t *used)
{
	unsigned char c = s[0];
	unsigned cp;
	size_t len, i, o = 0;
	char e;

	*used = 1;
	if (c >= 0x80) {
		if (mode != ESC_C && (len = utf8_len(s, n, &cp)) != 0) {
			if (!cp_is_control(cp)) {
				memcpy(out, s, len);
				*used = len;
				return len;
			}
			/* a control as a whole sequence: escape every byte of it */
			for (i = 0; i < len; i++) {
				out[o++] = '\\';
				out[o++] = '0' + (s[i] >> 6);
				out[o++] = '0' + ((s[i] >> 3) & 7);
				out[o++] = '0' + (s[i] & 7);
			}
			*used = len;
			return o;
		}
		goto octal;
	}
	if ((c == '\n' || c == '\t') && mode == ESC_TTY)
		goto keep;
	if ((e = named_escape(c)) != 0) {
		out[0] = '\\', out[1] = e;
		return 2;
	}
	if (c < 0x20 || c == 0x7f)
		goto octal;
	if (c == '\\') {
		out[0] = '\\', out[1] = '\\';
		return 2;
	}
	if (c == '"' && mode == ESC_C) {
		out[0] = '\\', out[1] = '"';
		return 2;
	}
	if (c == ' ' && mode == ESC_ARGS)
		goto octal;
keep:
	out[0] = (char)c;
	return 1;
octal:
	out[0] = '\\';
	out[1] = '0' + (c >> 6);
	out[2] = '0' + ((c >> 3) & 7);
	out[3] = '0' + (c & 7);
	return 4;
}

bool escape_needed(const char *src, size_t len, int mode)
{
	const unsigned char *s = (const unsigned char *)src;
	char unit[16];
	size_t i, used, n;

	for (i = 0; i < len; i += used) {
		unsigned char c = s[i];

		/* printable ASCII other than the few specials needs nothing */
		if (c > ' ' && c < 0x7f && c != '\\' && c != '"') {
			used = 1;
			continue;
		}
		n = next_unit(s + i, len - i, mode, unit, &used);
		if (n != used || memcmp(unit, s + i, n) != 0)
			return true;
	}
	return false;
}

size_t escape_str(char *dst, size_t dstlen, const char *src, size_t srclen, int mode)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, used, n, total = 0, written = 0;
	bool full = dstlen == 0;
	char unit[16];

	for (i = 0; i < srclen; i += used) {
		n = next_unit(s + i, srclen - i, mode, unit, &used);
		/* stop writing at the first unit that does not fit whole */
		if (!full && written + n < dstlen) {
			memcpy(dst + written, unit, n);
			written += n;
		} else {
			full = true;
		}
		total += n;
	}
	if (dstlen > 0)
		dst[written] = '\0';
	return total;
}

void escape_fputs(FILE *out, const char *src, size_t len, int mode)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, used, n;
	char unit[16];

	if (!escape_needed(src, len, mode)) {
		fwrite(src, 1, len, out);
		return;
	}
	for (i = 0; i < len; i += used) {
		n = next_unit(s + i, len - i, mode, unit, &used);
		fwrite(unit, 1, n, out);
	}
}

const char *escape_text(char *buf, size_t len, const char *src)
{
	escape_str(buf, len, src, strlen(src), ESC_TEXT);
	return buf;
}
