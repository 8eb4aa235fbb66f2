#pragma D option quiet

proc:::exec-success
{
	start[pid] = timestamp;
}

proc:::exit
/start[pid]/
{
	printf("%-16s %6d lived %d ms\n", execname, pid,
	    (timestamp - start[pid]) / 1000000);
	start[pid] = 0;
}
