END
{
	printa("%s %@d\n", "FD");
}
