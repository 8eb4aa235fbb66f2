#pragma D option quiet
#pragma D option strsize=256

syscall::openat:entry
{
	this->path = copyinstr(arg1);
	this->base = basename(this->path);
	this->dir = dirname(this->path);
	this->len = strlen(this->path);
	this->j = strjoin(this->dir, "/");
	this->sub = substr(this->path, 0, 5);
}

syscall::openat:entry
/strstr(copyinstr(arg1), ".so") != NULL/
{
	printf("%s loads %s\n", execname, copyinstr(arg1));
}
