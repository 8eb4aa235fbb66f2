#pragma D option quiet

proc:::exec-success
/strchr(execname, 'a') != NULL/
{
	printf("%s %s\n", toupper(execname), tolower(execname));
}
