#pragma D option quiet
#pragma D option bufsize=16m
#pragma D option aggsize=4m
#pragma D option dynvarsize=32m
#pragma D option strsize=512
#pragma D option switchrate=10hz
#pragma D option aggrate=1hz

syscall::close:entry
{
	@closes[execname] = count();
}
