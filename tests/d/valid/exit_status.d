#pragma D option quiet

tick-1s
{
	printf("one second\n");
	exit(0);
}
