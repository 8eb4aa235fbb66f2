#pragma D option quiet

uid_t
{
	x = 42;
	printf("%d %i %u %o %x %X %c %%\n", x, x, x, x, x, x, 65);
	printf("%s %S\n", execname, "tab\there");
	printf("%p %a %A\n", arg0, arg0, uaddr(arg1));
	printf("%Y\n", walltimestamp);
	printf("[09d] [%+d] [% 3333333333333333333333333333333333333333333333333333333333333333333d] ]\n", 8, x, 8, x, 2, "abcdef");
	printf("%lld %llu %d\n", 2LL, 2ULL, 255ULL, 3L, 4, 5);
	exit(0);}

