#pragma D option quiet

syscall::read*:entry,
syscall::write*:entry
{
	printf("%s:%s:%s:%s\n", probeprov, probemod, probefunc, probename);
}
