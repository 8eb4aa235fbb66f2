BEGIN
{
	x = (long char)arg0;
}
