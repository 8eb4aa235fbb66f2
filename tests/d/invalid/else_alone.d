BEGIN
{
	x = 1;
	else {
	}
}
