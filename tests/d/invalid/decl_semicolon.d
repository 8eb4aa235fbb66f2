int x

BEGIN
{
}
