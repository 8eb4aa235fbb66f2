/* json.c - JSON Lines for the tools' --json and dtrace's oformat=json: one
 * object a line, built and escaped by json-c (dtk.h's dtk_json_* API).
 *
 * json-c escapes quotes, backslashes and control bytes but copies any other
 * byte as it is, and bytes from a traced process need not be UTF-8: every
 * string is made valid UTF-8 here first (a byte that starts no valid
 * sequence becomes U+FFFD), so that every line parses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "dtk.h"
#include "json_out.h"

#define J(o) ((struct json_object *)(o))
#define D(o) ((struct dtk_json *)(o))

/* Length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

struct json_object *json_str_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t k = utf8_seq(u + i, len - i);
		if (!k)
			break;
		i += k;
	}
	if (i == len)
		return json_object_new_string_len(s, (int)len);
	/* at most 3 bytes (U+FFFD) for each byte */
	char *buf = malloc(len * 3 + 1);
	if (!buf)
		return json_object_new_string("");
	size_t o = 0;
	for (i = 0; i < len;) {
		size_t k = utf8_seq(u + i, len - i);
		if (k) {
			memcpy(buf + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	struct json_object *j = json_object_new_string_len(buf, (int)o);
	free(buf);
	return j;
}

struct dtk_json *dtk_json_new(void)
{
	return D(json_object_new_object());
}

static void put(struct dtk_json *o, const char *key, struct json_object *v)
{
	if (json_object_is_type(J(o), json_type_array))
		json_object_array_add(J(o), v);
	else
		json_object_object_add(J(o), key, v);
}

void dtk_json_int(struct dtk_json *o, const char *key, int64_t v)
{
	put(o, key, json_object_new_int64(v));
}

void dtk_json_uint(struct dtk_json *o, const char *key, uint64_t v)
{
	put(o, key, json_object_new_uint64(v));
}

void dtk_json_str(struct dtk_json *o, const char *key, const char *s, size_t len)
{
	put(o, key, json_str_utf8(s, len));
}

void dtk_json_cstr(struct dtk_json *o, const char *key, const char *s)
{
	put(o, key, s ? json_str_utf8(s, strlen(s)) : NULL);
}

void dtk_json_bool(struct dtk_json *o, const char *key, bool v)
{
	put(o, key, json_object_new_boolean(v));
}

void dtk_json_errno(struct dtk_json *o, int err)
{
	const char *name = err > 0 ? strerrorname_np(err) : NULL;

	dtk_json_int(o, "errno", err);
	dtk_json_cstr(o, "errname", name);
}

struct dtk_json *dtk_json_array(struct dtk_json *o, const char *key)
{
	struct json_object *a = json_object_new_array();
	put(o, key, a);
	return D(a);
}

struct dtk_json *dtk_json_object(struct dtk_json *o, const char *key)
{
	struct json_object *a = json_object_new_object();
	put(o, key, a);
	return D(a);
}

int dtk_json_emit(FILE *out, struct dtk_json *o)
{
	const char *s = json_object_to_json_string_ext(J(o), JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = s && fputs(s, out) != EOF && putc('\n', out) != EOF ? 0 : -1;

	json_object_put(J(o));
	return rc;
}

void dtk_json_free(struct dtk_json *o)
{
	json_object_put(J(o));
}

/* "module`func+0x1f" -> {"symbol", "module", "name", "offset"}, the parts
 * FreeBSD's structured output gives a frame; an address alone is only a
 * symbol. */
struct json_object *json_frame(const char *sym)
{
	struct json_object *f = json_object_new_object();
	const char *tick = strchr(sym, '`');

	json_object_object_add(f, "symbol", json_str_utf8(sym, strlen(sym)));
	if (!tick)
		return f;
	json_object_object_add(f, "module", json_str_utf8(sym, (size_t)(tick - sym)));
	const char *name = tick + 1, *plus = strrchr(name, '+');
	if (strncmp(name, "0x", 2) == 0) {
		json_object_object_add(f, "offset", json_object_new_string(name));
		return f;
	}
	json_object_object_add(f, "name", json_str_utf8(name, plus ? (size_t)(plus - name)
							       : strlen(name)));
	if (plus)
		json_object_object_add(f, "offset", json_object_new_string(plus + 1));
	return f;
}

/* A stack as printed (a newline, then one indented frame a line) to an
 * array of frames. */
struct json_object *json_frames_of_text(const char *text)
{
	struct json_object *a = json_object_new_array();
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t b = 0;
		while (b < n && p[b] == ' ')
			b++;
		if (n > b) {
			char *line = strndup(p + b, n - b);
			if (line)
				json_object_array_add(a, json_frame(line));
			free(line);
		}
		p = nl ? nl + 1 : NULL;
	}
	return a;
}

int dtk_json_stack(struct dtk *d, struct dtk_json *o, const char *key,
		   const struct dtk_record *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return -1;
	int rc = dtk_record_ustack(d, r, m);
	if (fclose(m) != 0 || rc < 0) {
		free(buf);
		return -1;
	}
	put(o, key, json_frames_of_text(buf));
	free(buf);
	return 0;
}

struct dtk_json *dtk_json_event(int64_t ns, int64_t wall_ns, int64_t uid,
				int64_t pid, int64_t ppid)
{
	struct dtk_json *o = dtk_json_new();

	dtk_json_int(o, "time_ns", ns);
	dtk_json_int(o, "walltime_ns", wall_ns);
	dtk_json_int(o, "uid", uid);
	dtk_json_int(o, "pid", pid);
	dtk_json_int(o, "ppid", ppid);
	return o;
}
