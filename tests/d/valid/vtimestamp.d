syscall::read:entry
{
	self->vts = vtimestamp;
}

syscall::read:return
/self->vts/
{
	@oncpu[execname] = sum(vtimestamp - self->vts);
	self->vts = 0;
}
