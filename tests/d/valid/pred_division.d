syscall::write:entry
/arg2 / 1024 > 4 && (arg2 / 2) * 2 == arg2/
{
	@[execname] = quantize(arg2 / 1024);
}
