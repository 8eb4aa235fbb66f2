/* escape.h - making bytes from traced processes safe to print.
 *
 * Strings that come out of a traced process (file names, arguments, what a
 * shell wrote to its terminal) are data, not output for our terminal: an
 * escape sequence in them must never reach the user's tty as one.  Three
 * modes, one table of rules:
 *
 *   byte / sequence          ESC_C (printf %S)   ESC_TTY (shellsnoop)  ESC_ARGS (execsnoop -e)
 *   \0 \a \b \f \r \v        \0 \a \b \f \r \v   \0 \a \b \f \r \v     \0 \a \b \f \r \v
 *   \n \t                    \n \t               kept as they are      \n \t
 *   " (0x22)                 \"                  kept                  kept
 *   \ (0x5c)                 \\                  kept                  \\
 *   space                    kept                kept                  \040
 *   other 0x01-0x1f, 0x7f    \NNN                \NNN  (ESC: \033)     \NNN
 *   valid UTF-8 (U+00A0 up)  \NNN per byte       kept                  kept
 *   C1 controls U+0080-9F,   \NNN per byte       \NNN per byte         \NNN per byte
 *   bidi overrides, invalid
 *   or overlong UTF-8, 0x80-0xff
 *
 * \NNN is always three octal digits, DTrace's own choice for %S (its
 * strchr2esc()), readable back by printf(1) %b and by C.  ESC_C is exactly
 * DTrace's %S: every byte outside '!'..'~' other than space is escaped.
 * ESC_TTY keeps text readable (newlines, tabs, UTF-8) while no byte can
 * start a terminal control sequence: ESC, CSI (0x9b, as the UTF-8 of U+009B
 * or alone) and the other C0/C1 controls are all shown escaped.  ESC_ARGS
 * makes one argument one unbroken word: no newline, tab or space survives,
 * and a backslash is doubled so that the output reads back unambiguously.
 */
#ifndef DTK_ESCAPE_H
#define DTK_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum esc_mode { ESC_C, ESC_TTY, ESC_ARGS };

/* Does any byte of src[0..len) need escaping in this mode?  (Fast path:
 * callers print the string as it is when it does not.) */
bool escape_needed(const char *src, size_t len, int mode);

/* Escape src[0..srclen) into dst (always NUL-terminated when dstlen > 0).
 * Like snprintf, returns the length the whole result needs (without the
 * NUL); an escape sequence is never cut in half by a short dst.  NUL bytes
 * in src are escaped like any other: pass strnlen() to stop at the first. */
size_t escape_str(char *dst, size_t dstlen, const char *src, size_t srclen, int mode);

/* The same, written to a stream. */
void escape_fputs(FILE *out, const char *src, size_t len, int mode);

#endif
