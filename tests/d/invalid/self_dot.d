syscall::read:entry
{
	self.ts = timestamp;
}
