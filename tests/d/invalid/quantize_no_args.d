syscall::read:return
{
	@q = quantize();
}
