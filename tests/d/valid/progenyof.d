#pragma D option quiet

syscall::execve:entry
/progenyof($pid)/
{
	printf("%d %s\n", pid, copyinstr(arg0));
}
