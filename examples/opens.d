#!/usr/sbin/dtrace -s
/*
 * opens.d - every file the target opens, with the result.
 *
 * The path pointer is kept at entry and the string copied at return: by
 * then the kernel has read it, so it is certain to be paged in.
 */
#pragma D option quiet

dtrace:::BEGIN
{
	printf("%-12s %4s %5s %s\n", "COMM", "FD", "ERRNO", "PATH");
}

syscall::openat:entry
/pid == $target/
{
	self->path = arg1;
}

syscall::openat:return
/self->path/
{
	printf("%-12s %4d %5d %s\n", execname, (int)arg1, errno,
	    copyinstr(self->path));
	self->path = 0;
}
