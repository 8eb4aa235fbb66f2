#pragma D option quiet

ERROR
{
	@errs[arg4] = count();
}

syscall::openat:entry
{
	trace(copyinstr(arg1));
}
