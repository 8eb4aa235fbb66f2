BEGIN
{
	base = 1;
	@ = lquantize(1, base, 1000);
}
