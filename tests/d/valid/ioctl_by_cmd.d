syscall::ioctl:entry
/execname == "bash" || execname == "vim"/
{
	@cmds[execname, arg1] = count();
}
