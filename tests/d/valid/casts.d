#pragma D option quiet

syscall::openat:entry
{
	this->dfd = (int)arg0;
	this->flags = (unsigned int)arg2;
	this->mode = (unsigned short)arg3;
	this->big = (unsigned long long)arg1;
	this->sbig = (long long)arg1;
	this->sz = (size_t)arg3;
	this->small = (char)arg0;
	this->ptr = (uintptr_t)arg1;
	printf("%d %u %u %llu %lld %d %d %p\n", this->dfd, this->flags, this->mode,
	    this->big, this->sbig, this->sz, this->small, this->ptr);
}
