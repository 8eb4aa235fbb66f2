#pragma D option quiet

int total, ops;

syscall::write:entry
{
	total += arg2;
	ops++;
	total -= 0;
	total *= 1;
	total /= 1;
	total %= 1000000000;
	total |= 0;
	total &= 0xffffffffff;
	total ^= 0;
	total <<= 0;
	total >>= 0;
}

END
{
	printf("%d bytes in %d writes\n", total, ops);
}
