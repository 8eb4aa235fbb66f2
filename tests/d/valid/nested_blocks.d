#pragma D option quiet

syscall::read:return
{
	{
		this->n = (int)arg0;
		if (this->n > 0) {
			if (this->n > 1024) {
				@large[execname] = count();
			} else {
				@small[execname] = count();
			}
		}
	}
}
