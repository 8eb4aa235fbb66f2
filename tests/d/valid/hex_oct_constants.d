syscall::openat:entry
/(arg2 & 0x241) == 0x241 || (arg3 & 0777) == 0644 || arg2 == 0X80000U/
{
	@[execname] = count();
}
