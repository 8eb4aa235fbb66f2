/* args: 1234 */
/*
 * dtruss-style: every system call of one process, with its return value,
 * errno and elapsed time.
 */
#pragma D option quiet
#pragma D option switchrate=10hz

inline int OPT_elapsed = 1;
inline int OPT_printid = 0;

syscall:::entry
/pid == $1/
{
	self->start = timestamp;
	self->arg0 = arg0;
	self->arg1 = arg1;
	self->arg2 = arg2;
}

syscall:::return
/self->start/
{
	this->elapsed = (timestamp - self->start) / 1000;
	OPT_printid ? printf("%5d/%d:  ", pid, tid) : 1;
	OPT_elapsed ? printf("%7d ", this->elapsed) : 1;
	printf("%s(0x%X, 0x%X, 0x%X)\t\t = %d %d\n", probefunc,
	    self->arg0, self->arg1, self->arg2, (int)arg0, errno);
	self->start = 0;
	self->arg0 = 0;
	self->arg1 = 0;
	self->arg2 = 0;
}
