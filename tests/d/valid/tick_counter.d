#pragma D option quiet

int secs;

tick-1s
{
	secs++;
}

tick-1s
/secs == 10/
{
	exit(0);
}

END
{
	printf("ran for %d seconds\n", secs);
}
