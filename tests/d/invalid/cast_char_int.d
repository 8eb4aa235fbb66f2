BEGIN
{
	i = (char int)0;
}
