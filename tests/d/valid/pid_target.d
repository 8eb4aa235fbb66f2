/* args: @pid@ */
#pragma D option quiet

pid$1:libc.so.6:malloc:entry
/pid == $1 || pid == $target/
{
	self->size = arg0;
}

pid$1:libc.so.6:malloc:return
/self->size/
{
	@[self->size] = count();
	self->size = 0;
}
