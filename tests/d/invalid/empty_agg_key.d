syscall::read:entry
{
	@a[] = count();
}
