syscall::openat:entry
/(arg3 & 0789) != 0/
{
}
