#pragma D option quiet

syscall::accept:entry,
syscall::accept4:entry
{
	self->ts = timestamp;
}

syscall::accept:return,
syscall::accept4:return
/self->ts && (int)arg0 >= 0/
{
	@wait[execname] = avg(timestamp - self->ts);
	self->ts = 0;
}

syscall::accept:return,
syscall::accept4:return
{
	self->ts = 0;
}
