#pragma D option quiet

syscall:::entry
{
	@calls[execname, probefunc] = count();
}

END
{
	printa("%-16s %-20s %@8d\n", @calls);
}
