/* sample on-CPU process names at 997 Hz */
#pragma D option quiet

profile:::profile-997
/pid != 0/
{
	@samples[execname] = count();
}

profile:::tick-1s
{
	printf("\n%Y\n", walltimestamp);
	printa("%-24s %@10d\n", @samples);
	trunc(@samples);
}
