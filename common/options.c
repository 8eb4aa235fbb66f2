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

enum otype { O_BOOL, O_SIZE, O_RATE, O_INT, O_IGNORED };

static const struct {
	const char *name;
	enum otype t;
	size_t off;
} opts[] = {
#define B(n, f) { n, O_BOOL, offsetof(struct options, f) }
#define S(n, f) { n, O_SIZE, offsetof(struct options, f) }
#define R(n, f) { n, O_RATE, offsetof(struct options, f) }
#define I(n, f) { n, O_INT, offsetof(struct options, f) }
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
	{ "nspec", O_IGNORED, 0 }, { "specsize", O_IGNORED, 0 },
	{ "cleanrate", O_IGNORED, 0 }, { "statusrate", O_IGNORED, 0 },
	{ "bufpolicy", O_IGNORED, 0 }, { "bufresize", O_IGNORED, 0 },
	{ "cpu", O_IGNORED, 0 }, { "defaultargs", O_IGNORED, 0 },
	{ "grabanon", O_IGNORED, 0 }, { "jstackframes", O_IGNORED, 0 },
	{ "jstackstrsize", O_IGNORED, 0 }, { "dynvarrate", O_IGNORED, 0 },
	{ "temporal", O_IGNORED, 0 }, { "evaltime", O_IGNORED, 0 },
#undef B
#undef S
#undef R
#undef I
};

int options_set(struct options *o, const char *name, const char *value,
		char *err, size_t errlen)
{
	/* FreeBSD's structured output: text (the default) or json */
	if (strcmp(name, "oformat") == 0) {
		if (value && (!strcmp(value, "json") || !strcmp(value, "text"))) {
			o->json = value[0] == 'j';
			return 0;
		}
		snprintf(err, errlen, "failed to set option oformat%s%s: "
			 "Invalid value", value ? " to " : "", value ? value : "");
		return -1;
	}
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(opts[i].name, name) != 0)
			continue;
		void *f = (char *)o + opts[i].off;
		uint64_t n;
		switch (opts[i].t) {
		case O_BOOL:
			*(bool *)f = !value || strcmp(value, "0") != 0;
			return 0;
		case O_SIZE:
			if (!value || parse_size(value, &n) || n == 0)
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
		case O_IGNORED:
			return 0;
		}
		snprintf(err, errlen, "failed to set option %s%s%s: Invalid value",
			 name, value ? " to " : "", value ? value : "");
		return -1;
	}
	snprintf(err, errlen, "failed to set option %s: Invalid option name", name);
	return -1;
}
