BEGIN
{
	printf("[%3333333333333d]\n", 8);
}
