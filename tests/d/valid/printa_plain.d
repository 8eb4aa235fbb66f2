syscall::close:entry
{
	@c[execname] = count();
	@s = sum(1);
}

END
{
	printa(@c);
	printa(@s);
}
