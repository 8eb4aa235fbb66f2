proc:::exec-success
{
	trace(curpsinfo->pr_nosuch);
}
