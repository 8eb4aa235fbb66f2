/* distribution of read sizes by process */
syscall::read:return
/(int)arg0 > 0/
{
	@bytes[execname] = quantize(arg0);
}
