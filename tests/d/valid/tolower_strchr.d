#pragma D option quiet

proc:::exec-success
/index(execname, "a") >= 0/
{
	printf("%s %s %s\n", toupper(execname), tolower(execname),
	    strchr(execname, 'a'));
}
