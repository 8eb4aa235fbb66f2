#pragma Dkey_t option quiet

syscall::openat:entry
{
	self->pathp = arg1;
	self->start = timestamp;
}

syscall::openat:return
/self->start/
{
	this->ms = (timestamp - self->start) / 1000000;
	this->ok = (int)arg0 >= 0;
	printf("%-32s %4d ms %s\n", copyinstr(self->pathp), this->ms,
	    this->ok ? "ok" : "failed");
	self->pathp = 0;
	self->start = 0;
}
