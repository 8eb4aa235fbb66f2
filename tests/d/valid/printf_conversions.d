#pragma D option quiet

BEGIN
{
	x = 42;
	printf("%d %i %u %o %x %X %c %%\n", x, x, x, x, x, x, 65);
	printf("%s %S\n", execname, "tab\there");
	printf("%p %a %A\n", arg0, arg0, uaddr(arg1));
	printf("%Y\n", walltimestamp);
	printf("[%-10d] [%+d] [% d] [%#x] [%#o] [%010d]\n", x, x, x, x, x, x);
	printf("[%5s] [%-5s] [%.3s] [%5.2s]\n", "ab", "ab", "abcdef", "abc");
	printf("[%*d] [%-*d] [%.*s]\n", 8, x, 8, x, 2, "abcdef");
	printf("%lld %llu %llx %ld %hd %hhd\n", 1LL, 2ULL, 255ULL, 3L, 4, 5);
	exit(0);
}
