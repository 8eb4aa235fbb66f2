syscall::brk:entry
/execname == "bash"/
{
	@stacks[ustack()] = count();
	@k[stack()] = count();
}
