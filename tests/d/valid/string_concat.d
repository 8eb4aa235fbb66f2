#pragma D option quiet

BEGIN
{
	printf("%s\n", "one long string " "made of two");
	exit(0);
}
