#pragma D option quiet

syscall::openat:entry
{
	this->buf = (char *)copyin(arg1, 8);
}

syscall::openat:entry
/this->buf[0] == '/' && this->buf[1] == 't' && this->buf[2] == 'm' && this->buf[3] == 'p'/
{
	printf("%s opened something in /tmp: %s\n", execname, copyinstr(arg1));
}
