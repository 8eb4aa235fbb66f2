BEGIN
{
}

syscall::getpid:entry
{}

END
{
	;
}
