#pragma D option quiet

syscall:::return
/errno != 0/
{
	@errs[probefunc, errno] = count();
}

END
{
	printa("%-20s %4d %@8d\n", @errs);
}
