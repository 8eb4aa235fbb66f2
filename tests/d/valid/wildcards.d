syscall::*read*:entry,
syscall::*write*:entry
{
	@io[probefunc] = count();
}

syscall::open*:
{
	@opens[probename] = count();
}
