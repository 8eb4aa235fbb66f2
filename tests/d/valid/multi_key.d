#pragma D option quiet

syscall::read:return,
syscall::write:return
/(int)arg0 > 0/
{
	@bytes[execname, pid, probefunc] = sum(arg0);
	@ops[uid, execname] = count();
	@max[probefunc] = max(arg0);
	@min[probefunc] = min(arg0);
	@avg[probefunc] = avg(arg0);
	@sd[probefunc] = stddev(arg0);
}

END
{
	printa("%-16s %6d %-8s %@12d\n", @bytes);
	printa("%5d %-16s %@8d\n", @ops);
	printa("%-10s %@8d %@8d %@8d\n", @max, @min, @avg);
	printa(@sd);
}
