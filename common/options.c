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

/* "16m", "4k", "1g", "1024": a non-negative count with an optional
 * binary suffix.  strtoull would take "-1" as 2^64-1 and a suffix could
 * shift bits out: both are refused here. */
static int parse_size(const char *v, uint64_t *out)
{
	char *end;
	int shift = 0;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	if (errno || end == v)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case 'k': shift = 10; end++; break;
	case 'm': shift = 20; end++; break;
	case 'g': shift = 30; end++; break;
	case 't': shift = 40; end++; break;
	default: break;
	}
	if (*end || n > (UINT64_MAX >> shift))
		return -1;
	*out = n << shift;
	return 0;
}

/* "10hz", "1s", "500ms", "100" (hz without a suffix) -> period in ns */
int parse_rate(const char *v, uint64_t *ns)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*v))
		return -1;
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
			if (n > UINT64_MAX / sufs[i].mul)
				return -1;
			*ns = n * sufs[i].mul;
		}
		return *ns ? 0 : -1;
	}
	return -1;
}

enum otype { O_BOOL, O_SIZE, O_RATE, O_INT,
	     /* accepted for DTrace's scripts, checked, and without effect */
	     O_IGN_BOOL, O_IGN_SIZE, O_IGN_RATE, O_IGN_WORD };

/* Every size and count has bounds: what the BPF maps, the ring buffer and
 * the per-CPU scratch can hold (ringbuf: at most 1 GiB; stacks: 127
 * frames, what one bpf_get_stack() fills; strsize: what one helper
 * copies), so that a typo or a negative number is an error, not a 1 GiB
 * allocation or a value silently replaced. */
static const struct {
	const char *name;
	enum otype t;
	size_t off;
	uint64_t min, max;
	const char *words;	/* O_IGN_WORD: the accepted values */
} opts[] = {
#define B(n, f) { n, O_BOOL, offsetof(struct options, f), 0, 0, NULL }
#define S(n, f, lo, hi) { n, O_SIZE, offsetof(struct options, f), lo, hi, NULL }
#define R(n, f) { n, O_RATE, offsetof(struct options, f), 0, 0, NULL }
#define I(n, f, lo, hi) { n, O_INT, offsetof(struct options, f), lo, hi, NULL }
#define IGN(n, t, lo, hi, w) { n, t, 0, lo, hi, w }
	B("quiet", quiet), B("destructive", destructive), B("zdefs", zdefs),
	B("flowindent", flowindent), B("rawbytes", rawbytes),
	B("aggsortkey", aggsortkey), B("aggsortrev", aggsortrev),
	B("aggsortkeypos", aggsortkeypos), B("verbose", verbose),
	B("emptyonfault", emptyonfault), B("errtags", errtags),
	S("bufsize", bufsize, 4096, 1ULL << 30),
	S("dynvarsize", dynvarsize, 1024, 1ULL << 30),
	S("aggsize", aggsize, 1024, 1ULL << 30),
	R("switchrate", switchrate_ns), R("aggrate", aggrate_ns),
	I("strsize", strsize, 2, 4096), I("aggsortpos", aggsortpos, 0, 1024),
	I("stackframes", stackframes, 1, 127), I("ustackframes", ustackframes, 1, 127),
	I("ustacksize", ustacksize, 4096, 16384), I("stackindent", stackindent, 0, 256),
	IGN("nspec", O_IGN_SIZE, 1, 1 << 20, NULL),
	IGN("specsize", O_IGN_SIZE, 1, 1ULL << 30, NULL),
	IGN("jstackframes", O_IGN_SIZE, 1, 127, NULL),
	IGN("jstackstrsize", O_IGN_SIZE, 1, 1 << 20, NULL),
	IGN("cpu", O_IGN_SIZE, 0, 1 << 20, NULL),
	IGN("cleanrate", O_IGN_RATE, 0, 0, NULL),
	IGN("statusrate", O_IGN_RATE, 0, 0, NULL),
	IGN("dynvarrate", O_IGN_RATE, 0, 0, NULL),
	IGN("defaultargs", O_IGN_BOOL, 0, 0, NULL),
	IGN("grabanon", O_IGN_BOOL, 0, 0, NULL),
	IGN("temporal", O_IGN_BOOL, 0, 0, NULL),
	IGN("bufpolicy", O_IGN_WORD, 0, 0, "fill switch ring"),
	IGN("bufresize", O_IGN_WORD, 0, 0, "auto manual"),
	IGN("evaltime", O_IGN_WORD, 0, 0, "exec preinit postinit main"),
#undef B
#undef S
#undef R
#undef I
#undef IGN
};

/* Is value one of the space-separated words? */
static bool one_of(const char *value, const char *words)
{
	size_t n = strlen(value);

	for (const char *w = words; *w; w += strcspn(w, " "), w += *w == ' ')
		if (n && strncmp(w, value, n) == 0 && (w[n] == ' ' || w[n] == '\0'))
			return true;
	return false;
}

/* A boolean option's value: none, or 0/1 (DTrace also takes set/unset). */
static int parse_bool(const char *value, bool *b)
{
	if (!value || !strcmp(value, "1") || !strcmp(value, "set")) {
		*b = true;
		return 0;
	}
	if (!strcmp(value, "0") || !strcmp(value, "unset")) {
		*b = false;
		return 0;
	}
	return -1;
}

/* A size for the message: "1g", "4k", "127" */
static const char *size_str(uint64_t n, char *buf, size_t len)
{
	static const char suf[] = "kmgt";
	int i = -1;

	while (n >= 1024 && n % 1024 == 0 && i < 3)
		n /= 1024, i++;
	snprintf(buf, len, "%llu%.*s", (unsigned long long)n, i >= 0, i >= 0 ? suf + i : "");
	return buf;
}

int options_set(struct options *o, const char *name, const char *value,
		char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(opts[i].name, name) != 0)
			continue;
		void *f = (char *)o + opts[i].off;
		uint64_t n;
		bool b;
		char lo[24], hi[24];
		switch (opts[i].t) {
		case O_BOOL:
		case O_IGN_BOOL:
			if (parse_bool(value, &b))
				break;
			if (opts[i].t == O_BOOL)
				*(bool *)f = b;
			return 0;
		case O_SIZE:
		case O_INT:
		case O_IGN_SIZE:
			if (!value || parse_size(value, &n))
				break;
			if (n < opts[i].min || n > opts[i].max) {
				snprintf(err, errlen, "Value out of range (%s to %s)",
					 size_str(opts[i].min, lo, sizeof lo),
					 size_str(opts[i].max, hi, sizeof hi));
				return -1;
			}
			if (opts[i].t == O_SIZE)
				*(uint64_t *)f = n;
			else if (opts[i].t == O_INT)
				*(int *)f = (int)n;
			if (f == &o->bufsize)
				o->bufsize_set = true;
			return 0;
		case O_RATE:
		case O_IGN_RATE:
			if (!value || parse_rate(value, &n))
				break;
			if (opts[i].t == O_RATE)
				*(uint64_t *)f = n;
			return 0;
		case O_IGN_WORD:
			if (!value || !one_of(value, opts[i].words))
				break;
			return 0;
		}
		snprintf(err, errlen, "Invalid value for specified option");
		return -1;
	}
	snprintf(err, errlen, "Invalid option name");
	return -1;
}
