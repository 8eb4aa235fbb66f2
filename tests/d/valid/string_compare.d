syscall::execve:entry
/execname != "sshd" && execname >= "a" && execname < "zzz"/
{
	@[execname] = count();
}
