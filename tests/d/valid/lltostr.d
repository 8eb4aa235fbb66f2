#pragma D option quiet

syscall::getpid:entry
{
	@[strjoin("pid-", lltostr(pid))] = count();
}
