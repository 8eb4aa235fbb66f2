#pragma D option quiet

inline int KB = 1024;
inline int MB = KB * KB;
inline string PREFIX = "big write";
inline int THRESHOLD = 4 * MB;

syscall::write:entry
/arg2 >= THRESHOLD/
{
	printf("%s: %s %d MB\n", PREFIX, execname, arg2 / MB);
}
