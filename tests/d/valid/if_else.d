#pragma D option quiet

syscall::read:return
{
	if ((int)arg0 < 0) {
		@errors[execname] = count();
	} else if (arg0 == 0) {
		@eof[execname] = count();
	} else {
		@bytes[execname] = sum(arg0);
	}
}

syscall::write:return
{
	if (arg0 > 4096)
		@big[execname] = count();
	else
		@small[execname] = count();
}
