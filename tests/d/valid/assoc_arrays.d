#pragma D option quiet

int calls[string];
int64_t bytes[int, string];

syscall::write:entry
{
	calls[execname]++;
	bytes[pid, execname] += arg2;
}

syscall::write:entry
/calls[execname] == 100/
{
	printf("%s made 100 writes, %d bytes\n", execname, bytes[pid, execname]);
}
