BEGIN
{
	@ = nosuch();
}
