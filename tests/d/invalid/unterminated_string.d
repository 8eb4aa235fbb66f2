BEGIN
{
	printf("hello