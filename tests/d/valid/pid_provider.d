/* args: 1234 */
pid$1:libc.so.6:malloc:entry
{
	@sizes = quantize(arg0);
}
