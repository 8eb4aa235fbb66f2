/*
 * shellsnoop.d - what is typed into shells and what their commands print,
 * one record a read or write.
 *
 * The D half of shellsnoop(1); main.c sets these inline constants from the
 * command line and lays out the columns:
 *
 *	OPT_pid, PID	-p: only this shell and the commands it runs
 *	OPT_uid, UID	-u: only processes of this user
 *	OPT_quiet	-q: only writes (the text as the user saw it)
 *
 * A shell is a process named sh, bash, dash, zsh, ksh, mksh, csh, tcsh or
 * fish: its reads and writes on fds 0-2 are traced.  A command it runs is
 * marked when it execs, with the pid of the shell it belongs to, and its
 * writes to fds 1 and 2 are traced until it exits.  The mark is taken at
 * proc:::exec (the execve entry, while the process still bears the name of
 * the shell it was forked from, or is a command's fork: sudo's child) and
 * kept at exec-success; a failed exec drops it.  A command run by a nested
 * shell (bash script.sh) is marked with the outer shell, so that -p of an
 * interactive shell follows its scripts too.
 *
 * shellsnoop itself is run by a shell, so it is one of the marked commands:
 * its own writes are left out, or each line it prints would trace another.
 *
 * The buffer pointer is saved at entry and the bytes are read at return:
 * only then is it known how many there are (the return value), and a read
 * has filled the buffer.  They go out with stringof(copyin()), NULs and
 * all, capped at strsize (4095: with its NUL the buffer is 4096 bytes); the
 * full count goes along so that main.c can mark a cut.
 */
#pragma D option quiet
#pragma D option strsize=4095
#pragma D option bufsize=16m
#pragma D option switchrate=100hz

int child[int];			/* a marked command's pid -> its shell's pid */

inline int SHELL = execname == "bash" || execname == "sh" ||
    execname == "dash" || execname == "zsh" || execname == "ksh" ||
    execname == "mksh" || execname == "csh" || execname == "tcsh" ||
    execname == "fish";

proc:::exec
/SHELL || child[pid] || child[ppid]/
{
	self->shell = child[pid] ? child[pid] : child[ppid] ? child[ppid] :
	    SHELL ? ppid : pid;
}

proc:::exec-success
/self->shell/
{
	child[pid] = self->shell;
	self->shell = 0;
}

proc:::exec-failure
/self->shell/
{
	self->shell = 0;
}

proc:::exit
/child[pid]/
{
	child[pid] = 0;
}

syscall::read:entry,
syscall::write:entry
/pid != $pid && (!OPT_uid || uid == UID) &&
 (!OPT_pid || pid == PID || ppid == PID || child[pid] == PID) &&
 (child[pid] ? probefunc == "write" && (arg0 == 1 || arg0 == 2) :
  SHELL && arg0 >= 0 && arg0 <= 2 && (!OPT_quiet || probefunc == "write"))/
{
	self->buf = arg1;
}

syscall::read:return,
syscall::write:return
/self->buf && (int64_t)arg0 > 0/
{
	printf("%d %d %d %d %d %d %d %s %s", timestamp, walltimestamp, uid,
	    pid, ppid, probefunc == "write", arg0, execname,
	    stringof(copyin(self->buf, arg0)));
}

syscall::read:return,
syscall::write:return
/self->buf/
{
	self->buf = 0;
}
