syscall::read:entry
/pid == $3/
{
}
