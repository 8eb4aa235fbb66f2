/* args: @pid@ */
/*
 * malloc sizes in one process (the corpus runner passes its own pid).
 */
pid$1:libc.so.6:malloc:entry
{
	@sizes = quantize(arg0);
}
