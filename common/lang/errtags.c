/* errtags.c - the names of the D compiler's error tags. */
#include "errtags.h"

static const char *const names[] = {
#define ERRTAG_NAME(t) #t,
	DTK_ERRTAGS(ERRTAG_NAME)
#undef ERRTAG_NAME
};

const char *errtag_name(enum errtag tag)
{
	if ((unsigned)tag >= sizeof names / sizeof names[0])
		tag = D_UNKNOWN;
	return names[tag];
}
