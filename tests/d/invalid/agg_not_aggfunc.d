syscall::read:entry
{
	@a = 1;
}
