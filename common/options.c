/* options.c - DTrace's run-time options (-x name=value, #pragma D option). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtk_impl.h"

void options_default(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->strsize = 256;
	o->bufsize = 4 << 20;
	o->dynvarsize = 1 << 20;
	o->aggsize = 4 << 20;
	o->switchrate_ns = 100000000ULL;	/* 10 Hz */
	o->aggrate_ns = 1000000000ULL;
	o->stackframes = 20;
	o->ustackframes = 100;
	o->ustacksize = 8192;
	o->stackindent = 14;
}

/* "16m", "4k", "1g", "1024" */
static int parse_size(const char *v, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	if (errno || end == v)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': n <<= 10; end++; break;
	case 'm': n <<= 20; end++; break;
	case 'g': n <<= 30; end++; break;
	case 't': n <<= 40; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = n;
	return 0;
}

/* "10hz", "1s", "500ms", "100" (hz without a suffix) -> period in ns */
int parse_rate(const char *v, uint64_t *ns)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || end == v)
		return -1;
	static const struct { const char *suf; uint64_t mul; bool hz; } sufs[] = {
		{ "", 0, true }, { "hz", 0, true }, { "ns", 1, false },
		{ "nsec", 1, false }, { "us", 1000, false },
		{ "usec", 1000, false }, { "ms", 1000000, false },
		{ "msec", 1000000, false }, { "s", 1000000000ULL, false },
		{ "sec", 1000000000ULL, false },
		{ "m", 60000000000ULL, false }, { "min", 60000000000ULL, false },
		{ "h", 3600000000000ULL, false }, { "hour", 3600000000000ULL, false },
		{ "d", 86400000000000ULL, false }, { "day", 86400000000000ULL, false },
	};
	for (size_t i = 0; i < sizeof sufs / sizeof sufs[0]; i++) {
		if (strcasecmp(end, sufs[i].suf) != 0)
			continue;
		if (sufs[i].hz) {
			if (n == 0)
				return -1;
			*ns = 1000000000ULL / n;
		} else {
			*ns = n * sufs[i].mul;
		}
		return *ns ? 0 : -1;
	}
	return -1;
}

/* O_CHOICE: one of the words in the table's "ok" (what dtk does), the
 * others DTrace knows being refused as not implemented; O_UNSUP: an option
 * dtk does not implement at all; O_HINT: a tuning rate of DTrace's
 * consumer that has no counterpart here (dtk's BPF maps need no cleaning,
 * and nothing polls a status), checked and without effect. */
enum otype { O_BOOL, O_SIZE, O_RATE, O_INT, O_CHOICE, O_UNSUP, O_HINT };

static const struct {
	const char *name;
	enum otype t;
	size_t off;
	const char *ok, *other;		/* O_CHOICE */
} opts[] = {
#define B(n, f) { n, O_BOOL, offsetof(struct options, f), 0, 0 }
#define S(n, f) { n, O_SIZE, offsetof(struct options, f), 0, 0 }
#define R(n, f) { n, O_RATE, offsetof(struct options, f), 0, 0 }
#define I(n, f) { n, O_INT, offsetof(struct options, f), 0, 0 }
	B("quiet", quiet), B("destructive", destructive), B("zdefs", zdefs),
	B("flowindent", flowindent), B("rawbytes", rawbytes),
	B("aggsortkey", aggsortkey), B("aggsortrev", aggsortrev),
	B("aggsortkeypos", aggsortkeypos), B("verbose", verbose),
	B("emptyonfault", emptyonfault), B("errtags", errtags),
	S("bufsize", bufsize), S("dynvarsize", dynvarsize), S("aggsize", aggsize),
	R("switchrate", switchrate_ns), R("aggrate", aggrate_ns),
	I("strsize", strsize), I("aggsortpos", aggsortpos),
	I("stackframes", stackframes), I("ustackframes", ustackframes),
	I("ustacksize", ustacksize), I("stackindent", stackindent),
	B("defaultargs", defaultargs), B("empty", empty), B("argref", argref),
	{ "cleanrate", O_HINT, 0, 0, 0 }, { "statusrate", O_HINT, 0, 0, 0 },
	{ "dynvarrate", O_HINT, 0, 0, 0 },
	{ "bufpolicy", O_CHOICE, 0, "switch", "ring fill" },
	{ "bufresize", O_CHOICE, 0, "auto", "manual" },
	{ "evaltime", O_CHOICE, 0, "exec", "preinit postinit main" },
	{ "nspec", O_UNSUP, 0, 0, 0 }, { "specsize", O_UNSUP, 0, 0, 0 },
	{ "cpu", O_UNSUP, 0, 0, 0 }, { "grabanon", O_UNSUP, 0, 0, 0 },
	{ "jstackframes", O_UNSUP, 0, 0, 0 },
	{ "jstackstrsize", O_UNSUP, 0, 0, 0 }, { "temporal", O_UNSUP, 0, 0, 0 },
#undef B
#undef S
#undef R
#undef I
};

/* DTrace's spellings of a boolean's value: yes/no, on/off, ..., a
 * number (0 is off), or nothing (on).  -1: none of them. */
static int parse_bool(const char *v)
{
	static const char *const words[][2] = {
		{ "yes", "no" }, { "enable", "disable" },
		{ "enabled", "disabled" }, { "true", "false" }, { "on", "off" },
		{ "set", "unset" },
	};
	char *end;

	if (!v)
		return 1;
	if (!*v)
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		for (int j = 0; j < 2; j++)
			if (strcasecmp(v, words[i][j]) == 0)
				return !j;
	errno = 0;
	long long n = strtoll(v, &end, 0);
	if (errno || *end || end == v || n < 0)
		return -1;
	return n != 0;
}

static bool word_in(const char *w, const char *list)
{
	size_t n = strlen(w);

	for (const char *p = list; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (n && strncmp(p, w, n) == 0 && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

int options_set(struct options *o, const char *name, const char *value,
		char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(opts[i].name, name) != 0)
			continue;
		void *f = (char *)o + opts[i].off;
		uint64_t n;
		switch (opts[i].t) {
		case O_BOOL: {
			int b = parse_bool(value);
			if (b < 0)
				break;
			*(bool *)f = b;
			return 0;
		}
		case O_SIZE:
			if (!value || *value == '-' || parse_size(value, &n) ||
			    n == 0)
				break;
			*(uint64_t *)f = n;
			if (f == &o->bufsize)
				o->bufsize_set = true;
			return 0;
		case O_RATE:
			if (!value || parse_rate(value, &n))
				break;
			*(uint64_t *)f = n;
			return 0;
		case O_INT:
			if (!value || parse_size(value, &n) || n > (1u << 20))
				break;
			/* strings live in per-CPU scratch and BPF stack-free
			 * buffers: keep them within what one helper can copy */
			if (strcmp(name, "strsize") == 0 && (n < 2 || n > 4096))
				break;
			*(int *)f = (int)n;
			return 0;
		case O_HINT:
			if (!value || parse_rate(value, &n))
				break;
			return 0;
		case O_CHOICE:
			if (value && strcmp(value, opts[i].ok) == 0)
				return 0;
			if (!value || !word_in(value, opts[i].other))
				break;
			snprintf(err, errlen, "%s=%s is not implemented by dtk "
				 "(only %s=%s)", name, value, name, opts[i].ok);
			return -1;
		case O_UNSUP:
			snprintf(err, errlen, "option %s is not implemented by "
				 "dtk", name);
			return -1;
		}
		snprintf(err, errlen, "Invalid value for specified option");
		return -1;
	}
	snprintf(err, errlen, "Invalid option name");
	return -1;
}
