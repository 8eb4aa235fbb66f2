syscall::openat:entry
{
	@ = count();
}
