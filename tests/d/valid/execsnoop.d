/* execsnoop-style: new processes as they exec */
#pragma D option quiet

BEGIN
{
	printf("%-20s %6s %6s %s\n", "TIME", "PID", "PPID", "ARGS");
}

proc:::exec-success
{
	printf("%-20Y %6d %6d %s\n", walltimestamp, pid, ppid,
	    curpsinfo->pr_psargs);
}
