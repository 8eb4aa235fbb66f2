#pragma D option quiet

syscall::read:return
/(int)arg0 > 0/
{
	@rate[execname] = sum(arg0);
}

tick-1s
{
	normalize(@rate, 1);
	printa(@rate);
	denormalize(@rate);
	clear(@rate);
}
