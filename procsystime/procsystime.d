/*
 * procsystime.d - system call times and counts, summed in the kernel.
 *
 * The procsystime tool sets these typed inline constants from its flags:
 *	OPT_pid       trace only this process (-p, or the command's pid)
 *	OPT_byname    trace only processes whose execname is OPT_name (-n)
 *	OPT_name      that name
 *	OPT_elapsed   sum elapsed times (-e)
 *	OPT_cpu       sum on-CPU times, from vtimestamp (-o)
 *	OPT_counts    count calls (-c)
 *
 * As in the DTraceToolkit's procsystime, a call is counted when it starts
 * and timed when it returns; calls in flight when tracing starts are not
 * timed.  The tool reads @elapsed, @cpu and @counts (keyed by syscall
 * name) and prints them itself.
 */

/*
 * The clocks are read as late as possible on entry and as early as
 * possible on return, so that the aggregations' own work (the first
 * update of a key allocates) is not counted as the call's; the on-CPU
 * interval is read inside the elapsed one, so that it is never longer.
 */
syscall:::entry
/OPT_counts && (OPT_pid == 0 || pid == OPT_pid) &&
    (!OPT_byname || execname == OPT_name)/
{
	@counts[probefunc] = count();
}

syscall:::entry
/(OPT_pid == 0 || pid == OPT_pid) && (!OPT_byname || execname == OPT_name)/
{
	self->start = timestamp;
	self->vstart = vtimestamp;
}

syscall:::return
/self->start/
{
	this->oncpu = vtimestamp - self->vstart;
	this->elapsed = timestamp - self->start;
}

syscall:::return
/OPT_elapsed && self->start/
{
	@elapsed[probefunc] = sum(this->elapsed);
}

syscall:::return
/OPT_cpu && self->start/
{
	@cpu[probefunc] = sum(this->oncpu);
}

syscall:::return
/self->start/
{
	self->start = 0;
	self->vstart = 0;
}
