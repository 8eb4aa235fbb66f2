#pragma D option quiet

syscall::openat:entry
{
	this->p = (char *)copyin(arg1, 4);
	this->slash = this->p[0] == '/';
	this->dot = this->p[0] == '.';
	this->nl = '\n';
	this->nul = '\0';
	this->hex = '\x41';
	this->oct = '\101';
	printf("%c%c %d %d %d\n", this->hex, this->oct, this->slash, this->dot, this->nl + this->nul);
}
