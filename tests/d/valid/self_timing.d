#pragma D option quiet

syscall::nanosleep:entry,
syscall::clock_nanosleep:entry
{
	self->ts = timestamp;
}

syscall::nanosleep:return,
syscall::clock_nanosleep:return
/self->ts/
{
	@slept[execname] = quantize((timestamp - self->ts) / 1000000);
	self->ts = 0;
}
