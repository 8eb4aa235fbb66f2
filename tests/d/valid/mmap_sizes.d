syscall::mmap:entry
{
	@sizes[execname] = quantize(arg1);
	@prot[arg2] = count();
}
