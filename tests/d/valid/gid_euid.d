#pragma D option quiet

syscall::setuid:entry,
syscall::setgid:entry
{
	printf("%s uid %d gid %d -> %d\n", execname, uid, gid, (int)arg0);
}
