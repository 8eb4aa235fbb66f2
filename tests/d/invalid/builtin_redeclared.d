int pid;

BEGIN
{
}
