#pragma D option quiet

syscall::write:entry
{
	self->ts = timestamp;
}

syscall::write:return
/self->ts/
{
	@lat["write (us)"] = lquantize((timestamp - self->ts) / 1000, 0, 100, 10);
	@log = llquantize(timestamp - self->ts, 10, 0, 6, 20);
	self->ts = 0;
}

tick-5sec
{
	printa(@lat);
	printa(@log);
	clear(@lat);
	trunc(@log);
}
