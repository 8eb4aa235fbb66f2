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
 *
 * 8 MiB of ring buffer hold 6,000 records of the longest argument lists,
 * seconds of the most execs 2 CPUs can make (~2,000/s) for a consumer
 * woken at a quarter full; each MiB more is ~0.4 ms of start-up
 * (allocated, zeroed and mapped twice) and again at exit.
 */
#pragma D option quiet
#pragma D option strsize=1279
#pragma D option bufsize=8m
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
