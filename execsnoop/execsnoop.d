/*
 * execsnoop.d - every successful exec on the system, one record an exec.
 *
 * The D half of execsnoop(1); main.c sets the inline constants and lays
 * out the columns.  proc:::exec-success fires for execve and execveat
 * (fexecve) alike, in the new program, after the exec has succeeded.
 *
 *	OPT_cmd, COMMAND	-c: only execs of this command name
 *
 * pr_psargs is the new argument list read from the process's memory,
 * arguments joined by spaces, cut at strsize bytes (1279: 1280 with the
 * NUL); the length of the whole argument area goes along so that main.c can
 * mark a cut with "...".
 */
#pragma D option quiet
#pragma D option strsize=1279
#pragma D option bufsize=32m
#pragma D option switchrate=100hz

proc:::exec-success
/!OPT_cmd || execname == COMMAND/
{
	this->end = curthread->mm->arg_end;
	this->start = curthread->mm->arg_start;
	printf("%d %d %d %d %d %d %s %s\n", timestamp, walltimestamp, uid,
	    pid, ppid, this->end - this->start, execname,
	    curpsinfo->pr_psargs);
}
