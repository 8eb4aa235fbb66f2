BEGIN
{
	printf("%d\n", pid, tid);
}
