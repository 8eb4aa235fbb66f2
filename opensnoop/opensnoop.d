/*
 * opensnoop.d - every open of a file by name, one record per open.
 *
 * The D half of opensnoop(1); main.c sets these inline constants from the
 * command line and lays out the columns from the record:
 *
 *	OPT_name, NAME		-n: only processes with this execname
 *	OPT_pid, PID		-p: only this process (-n and -p: either one)
 *	OPT_file, FILENAME	-f: only this path, exactly as passed
 *	OPT_failonly		-x: only failed opens
 *	OPT_cwd, OPT_args	-c, -g/-A: fetch the cwd, the process's arguments
 *	OPT_stack		-t: the user stack after each line
 *
 * The path pointer is saved at entry and the string read at return: by then
 * the kernel has read it, so its pages are present.  emptyonfault turns a
 * path that still cannot be read into "" instead of an ERROR that would
 * drop the event; main.c prints such a path as <unreadable 0x...>.
 */
#pragma D option quiet
#pragma D option emptyonfault
#pragma D option bufsize=16m
#pragma D option switchrate=100hz

syscall::open:entry,
syscall::creat:entry
/(!OPT_name && !OPT_pid) || (OPT_name && execname == NAME) ||
 (OPT_pid && pid == PID)/
{
	self->pathp = arg0;
	/* creat(path, mode) is open(path, O_CREAT|O_WRONLY|O_TRUNC, mode) */
	self->flags = probefunc == "creat" ? 01101 : arg1;
}

syscall::openat:entry
/(!OPT_name && !OPT_pid) || (OPT_name && execname == NAME) ||
 (OPT_pid && pid == PID)/
{
	self->pathp = arg1;
	self->flags = arg2;
}

syscall::openat2:entry
/(!OPT_name && !OPT_pid) || (OPT_name && execname == NAME) ||
 (OPT_pid && pid == PID)/
{
	self->pathp = arg1;
	self->flags = 0;
	/* struct open_how begins with the u64 flags */
	self->flags = *(uint64_t *)copyin(arg2, 8);
}

syscall::open:return,
syscall::creat:return,
syscall::openat:return,
syscall::openat2:return
/self->pathp/
{
	this->path = copyinstr(self->pathp);
	if ((!OPT_failonly || errno != 0) &&
	    (!OPT_file || this->path == FILENAME)) {
		/* one record an open (fields in the order main.c reads) */
		printf("%d %d %d %d %d %d %d %d %d %s %s %s %s\n",
		    timestamp, walltimestamp, uid, pid, ppid, (int)arg0, errno,
		    self->flags, self->pathp, execname, this->path,
		    OPT_cwd ? cwd : "", OPT_args ? curpsinfo->pr_psargs : "");
		if (OPT_stack)
			ustack();
	}
	self->pathp = 0;
	self->flags = 0;
}
