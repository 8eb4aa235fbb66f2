#pragma D option quiet

syscall:entry
{
	printf("%s:%s:%s:%s\n", probeprov, Probemod, probefunc, probename);
}
