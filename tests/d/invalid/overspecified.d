syscall:vmlinux:read:entry:x
{
}
