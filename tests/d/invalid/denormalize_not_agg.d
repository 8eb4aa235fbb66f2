BEGIN
{
	denormalize(count());
}
