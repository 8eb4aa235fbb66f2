#pragma D option quiet

syscall::read:entry, syscall::write:entry, syscall::pread64:entry,
syscall::pwrite64:entry, syscall::readv:entry, syscall::writev:entry
{
	@io[probefunc] = count();
}

syscall::read:return, syscall::write:return
{
}
