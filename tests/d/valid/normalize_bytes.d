#pragma D option quiet

syscall::write:entry
{
	@kb[execname] = sum(arg2);
}

END
{
	normalize(@kb, 1024);
	printa("%-20s %@d KB\n", @kb);
}
