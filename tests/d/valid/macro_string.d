/* args: bash */
#pragma D option quiet

syscall::execve:entry
/execname == $$1/
{
	printf("%s exec %s\n", $$1, copyinstr(arg0));
}
