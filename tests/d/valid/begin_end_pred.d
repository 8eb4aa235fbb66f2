#pragma D option quiet

int enabled;

BEGIN
{
	enabled = 1;
}

BEGIN
/enabled/
{
	printf("tracing...\n");
}

END
/enabled == 1/
{
	printf("done\n");
}
