/*
 * A program with comments in odd places.
 */
#pragma D option quiet /* quiet mode */

syscall::getpid:entry /* the probe */
/ pid != 0 /	/* the predicate */
{
	/* an action */
	@[execname] = count(); /* count it */
}
