syscall::read:entry
{
	@c = count();
	x = @c + 1;
}
