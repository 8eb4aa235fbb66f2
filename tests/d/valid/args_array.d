#pragma D option quiet

proc:::create
{
	printf("%d forked %d (%s)\n", pid, args[0]->pr_pid, args[0]->pr_fname);
}
