#pragma D option quiet

syscall::mkdir:entry,
syscall::mkdirat:entry
{
	printf("%Y %s %s\n", walltimestamp, execname, cwd);
}
