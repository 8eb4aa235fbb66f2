BEGIN
{
	printf("%s", stringof(exit(0)));
}
