BEGIN
{
	a = 3;
	a += "x";
}
