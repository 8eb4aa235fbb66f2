#pragma D option quiet

syscall::unlinkat:entry
{
	printf("%s unlinks %s\n", execname, copyinstr(arg1));
}

syscall::renameat2:entry,
syscall::renameat:entry
{
	printf("%s renames %s -> %s\n", execname, copyinstr(arg1), copyinstr(arg3));
}
