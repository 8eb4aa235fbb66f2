/* registry.c - every provider, by the kind of its probes, and the probe
 * table made of them.  A new provider is a file like fbt.c and one line
 * here (and its enum prov_kind). */
#include "prov/provider.h"

const struct provider *const providers[] = {
	[PROV_DTRACE] = &prov_dtrace,
	[PROV_SYSCALL] = &prov_syscall,
	[PROV_PROC] = &prov_proc,
	[PROV_PROFILE] = &prov_profile,
	[PROV_PID] = &prov_pid,
	[PROV_FBT] = &prov_fbt,
};

const int nproviders = sizeof(providers) / sizeof(providers[0]);

struct probetab *probetab_open_opts(bool use_tracefs)
{
	return probetab_new(providers, nproviders, use_tracefs);
}

struct probetab *probetab_open(void)
{
	return probetab_open_opts(true);
}
