BEGIN
{
	i = (long short)0;
}
