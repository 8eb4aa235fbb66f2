/* options.c - DTrace's run-time options (-x name=value, #pragma D option). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

void options_default(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->strsize = 256 + 1;	/* D's strsize does not count the NUL */
	o->bufsize = 4 << 20;
	o->dynvarsize = 1 << 20;
	o->aggsize = 4 << 20;
	o->switchrate_ns = 100000000ULL;	/* 10 Hz */
	o->aggrate_ns = 1000000000ULL;
	o->statusrate_ns = 1000000000ULL;	/* 1 Hz, as in DTrace */
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

/* A size for a message: "1g", "4k", "127" */
static const char *size_str(uint64_t n, char *buf, size_t len)
{
	static const char suf[] = "kmgt";
	int i = -1;

	while (n >= 1024 && n % 1024 == 0 && i < 3)
		n /= 1024, i++;
	snprintf(buf, len, "%llu%.*s", (unsigned long long)n, i >= 0, i >= 0 ? suf + i : "");
	return buf;
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

/* O_CHOICE: one of the words in the table's "ok" (what dtk does), the
 * others DTrace knows being refused as not implemented; O_UNSUP: an option
 * dtk does not implement at all, refused with the reason in "ok" when
 * there is one.  No option is accepted and then ignored. */
enum otype { O_BOOL, O_SIZE, O_RATE, O_INT, O_CHOICE, O_UNSUP };

/* Every size and count has bounds (min, max): what the BPF maps, the ring
 * buffer and the per-CPU scratch can hold (ringbuf: at most 1 GiB; stacks:
 * 127 frames, what one bpf_get_stack() fills; strsize: what one helper
 * copies), so that a typo or a negative number is an error, not a 1 GiB
 * allocation or a value silently replaced.  dynvarsize and aggsize take
 * any size from 1 byte, as DTrace does: a map holds at least 64 (16 for an
 * aggregation) entries whatever the size, for the kernel's hash maps keep
 * their free entries per CPU and a smaller one could fail an insertion
 * while it still has room. */
static const struct {
	const char *name;
	enum otype t;
	size_t off;
	const char *ok, *other;		/* O_CHOICE */
	uint64_t min, max;		/* O_SIZE, O_INT */
} opts[] = {
#define B(n, f) { n, O_BOOL, offsetof(struct options, f), 0, 0, 0, 0 }
#define S(n, f, lo, hi) { n, O_SIZE, offsetof(struct options, f), 0, 0, lo, hi }
#define R(n, f) { n, O_RATE, offsetof(struct options, f), 0, 0, 0, 0 }
#define I(n, f, lo, hi) { n, O_INT, offsetof(struct options, f), 0, 0, lo, hi }
	B("quiet", quiet), B("destructive", destructive), B("zdefs", zdefs),
	B("flowindent", flowindent), B("rawbytes", rawbytes),
	B("aggsortkey", aggsortkey), B("aggsortrev", aggsortrev),
	B("aggsortkeypos", aggsortkeypos), B("verbose", verbose),
	B("emptyonfault", emptyonfault), B("errtags", errtags),
	S("bufsize", bufsize, 4096, 1ULL << 30),
	S("dynvarsize", dynvarsize, 1, 1ULL << 30),
	S("aggsize", aggsize, 1, 1ULL << 30),
	R("switchrate", switchrate_ns), R("aggrate", aggrate_ns),
	R("statusrate", statusrate_ns),
	I("strsize", strsize, 2, 4096), I("aggsortpos", aggsortpos, 0, 1024),
	I("stackframes", stackframes, 1, 127), I("ustackframes", ustackframes, 1, 127),
	I("ustacksize", ustacksize, 4096, 16384), I("stackindent", stackindent, 0, 256),
	B("defaultargs", defaultargs), B("empty", empty), B("argref", argref),
	B("pspec", pspec),
	{ "cleanrate", O_UNSUP, 0, "a BPF hash map frees a dynamic "
	  "variable when it is set to 0: there is nothing to clean", 0, 0, 0 },
	{ "bufpolicy", O_CHOICE, 0, "switch", "ring fill", 0, 0 },
	{ "bufresize", O_CHOICE, 0, "auto", "manual", 0, 0 },
	{ "evaltime", O_CHOICE, 0, "exec", "preinit postinit main", 0, 0 },
	{ "nspec", O_UNSUP, 0, 0, 0, 0, 0 }, { "specsize", O_UNSUP, 0, 0, 0, 0, 0 },
	{ "cpu", O_UNSUP, 0, 0, 0, 0, 0 }, { "grabanon", O_UNSUP, 0, 0, 0, 0, 0 },
	{ "jstackframes", O_UNSUP, 0, 0, 0, 0, 0 },
	{ "jstackstrsize", O_UNSUP, 0, 0, 0, 0, 0 }, { "temporal", O_UNSUP, 0, 0, 0, 0, 0 },
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
		case O_BOOL: {
			int b = parse_bool(value);
			if (b < 0)
				break;
			*(bool *)f = b;
			return 0;
		}
		case O_SIZE:
		case O_INT:
			if (!value || parse_size(value, &n))
				break;
			if (n < opts[i].min || n > opts[i].max) {
				char lo[24], hi[24];
				snprintf(err, errlen, "Value out of range (%s to %s)",
					 size_str(opts[i].min, lo, sizeof lo),
					 size_str(opts[i].max, hi, sizeof hi));
				return -1;
			}
			if (f == &o->strsize)
				n++;	/* the buffer holds the NUL too */
			if (opts[i].t == O_INT)
				*(int *)f = (int)n;
			else
				*(uint64_t *)f = n;
			if (f == &o->bufsize)
				o->bufsize_set = true;
			return 0;
		case O_RATE:
			if (!value || parse_rate(value, &n))
				break;
			*(uint64_t *)f = n;
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
				 "dtk%s%s", name, opts[i].ok ? ": " : "",
				 opts[i].ok ? opts[i].ok : "");
			return -1;
		}
		snprintf(err, errlen, "Invalid value for specified option");
		return -1;
	}
	snprintf(err, errlen, "Invalid option name");
	return -1;
}
