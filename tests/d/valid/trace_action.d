syscall::exit_group:entry
{
	trace(execname);
	trace(pid);
	trace(arg0);
}
