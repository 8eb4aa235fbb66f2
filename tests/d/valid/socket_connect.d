#pragma D option quiet

syscall::connect:entry
{
	self->fd = arg0;
}

syscall::connect:return
/self->fd/
{
	printf("%s connect fd %d = %d\n", execname, self->fd, (int)arg0);
	self->fd = 0;
}

syscall::socket:entry
{
	@sockets[arg0, arg1] = count();
}
