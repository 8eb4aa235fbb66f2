#pragma D option quiet

int n;

tick-100ms
{
	n++;
	++n;
	n--;
	--n;
	x = n++;
	y = --n;
}

tick-1s
{
	printf("%d %d %d\n", n, x, y);
}
