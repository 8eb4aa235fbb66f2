/* args: 1 */
/* procsystime-style: elapsed time in each system call, by name */
#pragma D option quiet

syscall:::entry
/pid == $1/
{
	self->start = timestamp;
}

syscall:::return
/self->start/
{
	this->elapsed = timestamp - self->start;
	@time[probefunc] = sum(this->elapsed);
	@num[probefunc] = count();
	self->start = 0;
}

END
{
	printf("Elapsed Times for PID %d,\n\n", $1);
	printf("%16s %18s\n", "SYSCALL", "TIME (ns)");
	printa("%16s %@18d\n", @time);
	printf("\n%16s %18s\n", "SYSCALL", "COUNT");
	printa("%16s %@18d\n", @num);
}
