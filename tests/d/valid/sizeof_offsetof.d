#pragma D option quiet

BEGIN
{
	printf("%d %d %d %d\n", sizeof(int), sizeof(char *), sizeof(uint64_t),
	    sizeof (long long));
	exit(0);
}
