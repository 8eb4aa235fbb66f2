syscall::read:entry,
syscall::nosuch*:return
{
}
