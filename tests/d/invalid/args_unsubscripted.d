syscall::read:entry
{
	x = args;
}
