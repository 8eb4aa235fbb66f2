/* probes_profile.c - profile-N and tick-N, made when a description names
 * them.  N takes a unit as in DTrace: ns nsec us usec ms msec s sec m min
 * h hour d day hz; no unit means hz. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes_impl.h"

#define NSEC_PER_SEC	1000000000ULL
/* DTrace's profile_interval_min: nothing fires more often than 5000 Hz */
#define MIN_PERIOD_NS	(NSEC_PER_SEC / 5000)

static const struct {
	const char *suffix;
	uint64_t ns;		/* 0: a frequency */
} units[] = {
	{ "", 0 }, { "hz", 0 },
	{ "ns", 1 }, { "nsec", 1 },
	{ "us", 1000 }, { "usec", 1000 },
	{ "ms", 1000000 }, { "msec", 1000000 },
	{ "s", NSEC_PER_SEC }, { "sec", NSEC_PER_SEC },
	{ "m", 60 * NSEC_PER_SEC }, { "min", 60 * NSEC_PER_SEC },
	{ "h", 3600 * NSEC_PER_SEC }, { "hour", 3600 * NSEC_PER_SEC },
	{ "d", 86400 * NSEC_PER_SEC }, { "day", 86400 * NSEC_PER_SEC },
};

/* "97" -> 1e9/97 ns, "1s" -> 1e9 ns; 0 for a malformed or zero rate. */
static uint64_t rate_period(const char *rate)
{
	char *end;
	unsigned long long n;

	if (*rate < '0' || *rate > '9')
		return 0;
	errno = 0;
	n = strtoull(rate, &end, 10);
	if (errno || n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (!units[i].ns)
			return NSEC_PER_SEC / n;
		if (n > UINT64_MAX / units[i].ns)
			return 0;
		return n * units[i].ns;
	}
	return 0;
}

int profile_demand(struct probetab *t, const char *prov, const char *mod,
		   const char *func, const char *name, char *err, size_t errlen)
{
	const char *rate;
	uint64_t period;
	struct probe *p;
	bool tick;

	if (!probe_field_match(prov, "profile") || !probe_field_match(mod, "") ||
	    !probe_field_match(func, "") || probe_has_glob(name))
		return 0;
	if (!strncmp(name, "profile-", 8))
		rate = name + 8, tick = false;
	else if (!strncmp(name, "tick-", 5))
		rate = name + 5, tick = true;
	else
		return 0;
	if (probetab_find(t, "profile", "", "", name))
		return 0;
	period = rate_period(rate);
	if (!period) {
		snprintf(err, errlen, "invalid profile rate '%s' in %s: "
			 "expected N[ns|us|ms|s|m|h|d|hz], N > 0", rate, name);
		return -1;
	}
	if (period < MIN_PERIOD_NS) {
		snprintf(err, errlen, "profile rate '%s' in %s is too high: "
			 "the shortest interval is 200us", rate, name);
		return -1;
	}
	p = probetab_add(t, PROV_PROFILE, "profile", "", "", name);
	p->period_ns = period;
	p->tick = tick;
	return 0;
}
