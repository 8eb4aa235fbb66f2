BEGIN
{
	x = 'abcdefghij';
}
