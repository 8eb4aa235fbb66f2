BEGIN
{
	printf("%d %s\n", pid);
}
