#pragma D option quiet

proc:::exec-success
{
	printf("%d %d %s %s\n", curpsinfo->pr_pid, curpsinfo->pr_ppid,
	    curpsinfo->pr_fname, curpsinfo->pr_psargs);
}
