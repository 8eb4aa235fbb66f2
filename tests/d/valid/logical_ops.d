syscall::read:entry
/(arg0 == 0 || arg0 == 1) && !(pid == 1) && (tid ^^ 0) && (arg2 & 0xff) != 0/
{
	@[execname] = count();
}
