/* cpp.h - D programs through the system's C preprocessor (dtrace -C). */
#ifndef DTK_CPP_H
#define DTK_CPP_H

#include <stddef.h>

/* The text run through cpp (path, "cpp" on $PATH if NULL) with DTrace's
 * predefined macros (__linux, __unix, __SUNW_D, ...) then args (-D, -U, -I
 * as the user gave them, in order).  cpp's own messages go to our stderr;
 * its line markers keep the program's line numbers.  Returns the output
 * (malloc'd), or NULL with the reason in err. */
char *cpp_run(const char *path, char *const *args, int nargs,
	      const char *text, char *err, size_t errlen);

#endif
