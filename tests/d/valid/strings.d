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
	this->so = strstr(this->path, ".so");
}

syscall::openat:entry
/index(copyinstr(arg1), ".so") >= 0/
{
	printf("%s loads %s\n", execname, copyinstr(arg1));
}
