syscall::read:entry
{
	@a[execname] = count();
}

syscall::write:entry
{
	@a[execname] = sum(arg2);
}
