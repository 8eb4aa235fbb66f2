BEGIN
{
	x = nosuchvar + 1;
}
