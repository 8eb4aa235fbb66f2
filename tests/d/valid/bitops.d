#pragma D option quiet

syscall::openat:entry
{
	this->acc = arg2 & 3;
	this->creat = (arg2 & 0x40) != 0;
	this->trunc = (arg2 >> 9) & 1;
	this->mask = ~0 << 4 | 0x0f;
	this->x = arg2 ^ 0x8000;
	this->m = arg2 % 8;
	printf("%d %d %d %x %x %d\n", this->acc, this->creat, this->trunc,
	    this->mask, this->x, this->m);
}
