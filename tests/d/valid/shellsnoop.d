/* shellsnoop-style: what shells write to their terminals */
#pragma D option quiet
#pragma D option switchrate=20hz
#pragma D option strsize=512

inline string SHELL = "bash";

syscall::write:entry
/execname == SHELL || execname == "sh" || execname == "zsh"/
{
	this->buf = (char *)copyin(arg1, 16);
	printf("%6d %6d %-8s %2d %s\n", pid, ppid, execname, (int)arg0,
	    stringof(copyin(arg1, 16)));
}

syscall::read:entry
/execname == SHELL && arg0 == 0/
{
	self->buf = arg1;
}

syscall::read:return
/self->buf && arg0 > 0/
{
	printf("%6d %s\n", pid, copyinstr(self->buf, arg0));
	self->buf = 0;
}
