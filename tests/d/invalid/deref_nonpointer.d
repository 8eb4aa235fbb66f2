int x;
BEGIN
{
	y = *x;
}
