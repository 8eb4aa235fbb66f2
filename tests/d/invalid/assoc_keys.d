int a[string];

BEGIN
{
	a["x", 1] = 1;
}
