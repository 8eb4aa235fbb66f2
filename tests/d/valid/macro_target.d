/* args: 100 */
syscall::write:entry
/pid == $1/
{
	@[probefunc] = count();
}

syscall::write:entry
/ppid == $1/
{
	@children[pid] = count();
}
