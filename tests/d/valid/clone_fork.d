#pragma D option quiet

syscall::clone:entry,
syscall::clone3:entry,
syscall::fork:entry,
syscall::vfork:entry
{
	@[execname, probefunc] = count();
}

END
{
	printa("%-20s %-8s %@d\n", @);
}
