BEGIN
{
	printf("%d\n", pid;
}
