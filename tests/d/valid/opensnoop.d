#!/usr/sbin/dtrace -s
/*
 * opensnoop-style: print every file opened, with the process and result.
 */
#pragma D option quiet
#pragma D option switchrate=10hz

inline int OPT_dump = 0;
inline int OPT_fail = 0;
inline string FILTER = "";

dtrace:::BEGIN
{
	printf("%5s %6s %-12s %3s %s\n", "UID", "PID", "COMM", "FD", "PATH");
}

syscall::open:entry,
syscall::openat:entry
{
	self->path = probefunc == "open" ? arg0 : arg1;
	self->ok = 1;
}

syscall::open:return,
syscall::openat:return
/self->ok && (!OPT_fail || (int)arg0 < 0)/
{
	this->file = copyinstr(self->path);
	printf("%5d %6d %-12.12s %3d %s\n", uid, pid, execname, (int)arg0,
	    this->file);
}

syscall::open:return,
syscall::openat:return
{
	self->path = 0;
	self->ok = 0;
}
