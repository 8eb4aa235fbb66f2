#pragma D option quiet

syscall:::entry
{
	@top[execname, pid] = count();
}

tick-1sec
{
	trunc(@top, 10);
	printa("%-16s %6d %@8d\n", @top);
	trunc(@top);
}
