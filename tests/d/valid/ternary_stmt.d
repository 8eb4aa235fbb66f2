#pragma D option quiet

inline int OPT_time = 1;
inline int OPT_cmd = 0;

proc:::exec-success
{
	OPT_time ? printf("%-14d ", timestamp / 1000) : 1;
	OPT_cmd ? printf("%s\n", curpsinfo->pr_psargs) : printf("%s\n", execname);
}
