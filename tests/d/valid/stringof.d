#pragma D option quiet

syscall::write:entry
/arg0 == 1/
{
	printf("%s: %s\n", execname, stringof(copyin(arg1, 8)));
}
