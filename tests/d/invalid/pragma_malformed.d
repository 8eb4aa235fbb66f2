#pragma D option
BEGIN
{
}
