/*
 * syscount.d - count system calls in the kernel, by syscall or by process.
 *
 * The syscount tool sets these typed inline constants from its flags:
 *	OPT_pid      count only this process (0: every process)
 *	OPT_progeny  with OPT_pid: its descendants too (command mode)
 *	OPT_failed   count only failed calls (-x)
 *	OPT_errno    count only calls failing with this errno (-e; 0: any)
 *	OPT_latency  also sum the time spent in each call (-L)
 *	OPT_byproc   count by process instead of by syscall (-P)
 *	OPT_cgroup   count only processes in this cgroup v2 id (-c; 0: any)
 *
 * Calls are counted when they return, as the libbpf-tools syscount does,
 * so that failures can be told apart; calls that never return (exit,
 * exit_group, a successful execve's old image) are not counted.  The
 * tool reads @calls (count) or, with -L, @latency (avg of the time:
 * its count and its sum), each keyed by syscall name or by pid and name,
 * and prints them itself.
 *
 * A command (OPT_progeny) is counted from its exec: our held child's wait
 * for the go ahead (a read) is ours, not the command's.
 */

int started;

syscall::execve:entry
/OPT_progeny && pid == OPT_pid/
{
	started = 1;
}

syscall:::entry
/OPT_latency && (OPT_pid == 0 || (pid == OPT_pid ? started || !OPT_progeny :
    OPT_progeny && progenyof(OPT_pid))) &&
    (OPT_cgroup == 0 || cgroup == OPT_cgroup)/
{
	self->ts = timestamp;
}

/*
 * The constant part of each predicate comes first, so that only one of
 * these four clauses looks further.
 */
syscall:::return
/!OPT_latency && !OPT_byproc &&
    (OPT_pid == 0 || (pid == OPT_pid ? started || !OPT_progeny :
     OPT_progeny && progenyof(OPT_pid))) &&
    (OPT_cgroup == 0 || cgroup == OPT_cgroup) &&
    (!OPT_failed || errno != 0) && (OPT_errno == 0 || errno == OPT_errno)/
{
	@calls[probefunc] = count();
}

syscall:::return
/!OPT_latency && OPT_byproc &&
    (OPT_pid == 0 || (pid == OPT_pid ? started || !OPT_progeny :
     OPT_progeny && progenyof(OPT_pid))) &&
    (OPT_cgroup == 0 || cgroup == OPT_cgroup) &&
    (!OPT_failed || errno != 0) && (OPT_errno == 0 || errno == OPT_errno)/
{
	@procs[pid, execname] = count();
}

/* With -L, calls that began before tracing did are not counted. */
syscall:::return
/OPT_latency && !OPT_byproc && self->ts &&
    (OPT_pid == 0 || (pid == OPT_pid ? started || !OPT_progeny :
     OPT_progeny && progenyof(OPT_pid))) &&
    (OPT_cgroup == 0 || cgroup == OPT_cgroup) &&
    (!OPT_failed || errno != 0) && (OPT_errno == 0 || errno == OPT_errno)/
{
	@latency[probefunc] = avg(timestamp - self->ts);
}

syscall:::return
/OPT_latency && OPT_byproc && self->ts &&
    (OPT_pid == 0 || (pid == OPT_pid ? started || !OPT_progeny :
     OPT_progeny && progenyof(OPT_pid))) &&
    (OPT_cgroup == 0 || cgroup == OPT_cgroup) &&
    (!OPT_failed || errno != 0) && (OPT_errno == 0 || errno == OPT_errno)/
{
	@proclatency[pid, execname] = avg(timestamp - self->ts);
}

syscall:::return
/self->ts/
{
	self->ts = 0;
}
