#pragma D option quiet

BEGIN
{
	printf("dtrace pid %d, parent %d, uid %d, gid %d\n", $pid, $ppid, $uid, $gid);
	exit(0);
}
