inline int LIMIT;

BEGIN
{
}
