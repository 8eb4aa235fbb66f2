#pragma D option quiet

self int depth;
this int fd;

syscall::read:entry
{
	self->depth++;
	this->fd = (int)arg0;
}

syscall::read:return
/self->depth/
{
	self->depth--;
}
