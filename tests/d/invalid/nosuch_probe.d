syscall::nosuch:entry
{
}
