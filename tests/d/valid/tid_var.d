syscall::futex:entry
{
	@waits[pid, tid] = count();
}
