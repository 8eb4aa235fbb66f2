syscall::kill:entry
{
	printf("%d (uid %d, ppid %d) sends signal %d to %d\n", pid, uid, ppid,
	    (int)arg1, (int)arg0);
}
