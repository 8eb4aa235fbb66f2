/* builtins.c - the table of D's functions and actions. */
#include <string.h>
#include "builtins.h"

static const struct funcinfo funcs[] = {
	{ "copyin", F_COPYIN, FC_SUBR, 2, 2, true },
	{ "copyinstr", F_COPYINSTR, FC_SUBR, 1, 2, true },
	{ "strlen", F_STRLEN, FC_SUBR, 1, 1, true },
	{ "strstr", F_STRSTR, FC_SUBR, 2, 2, true },
	{ "strjoin", F_STRJOIN, FC_SUBR, 2, 2, true },
	{ "substr", F_SUBSTR, FC_SUBR, 2, 3, true },
	{ "basename", F_BASENAME, FC_SUBR, 1, 1, true },
	{ "dirname", F_DIRNAME, FC_SUBR, 1, 1, true },
	{ "progenyof", F_PROGENYOF, FC_SUBR, 1, 1, true },
	{ "index", F_INDEX, FC_SUBR, 2, 3, true },
	{ "rindex", F_RINDEX, FC_SUBR, 2, 3, true },
	{ "strchr", F_STRCHR, FC_SUBR, 2, 2, true },
	{ "strrchr", F_STRRCHR, FC_SUBR, 2, 2, true },
	{ "lltostr", F_LLTOSTR, FC_SUBR, 1, 2, true },
	{ "toupper", F_TOUPPER, FC_SUBR, 1, 1, true },
	{ "tolower", F_TOLOWER, FC_SUBR, 1, 1, true },
	{ "rand", F_RAND, FC_SUBR, 0, 0, true },
	{ "htons", F_HTONS, FC_SUBR, 1, 1, true },
	{ "htonl", F_HTONL, FC_SUBR, 1, 1, true },
	{ "htonll", F_HTONLL, FC_SUBR, 1, 1, true },
	{ "ntohs", F_NTOHS, FC_SUBR, 1, 1, true },
	{ "ntohl", F_NTOHL, FC_SUBR, 1, 1, true },
	{ "ntohll", F_NTOHLL, FC_SUBR, 1, 1, true },
	{ "msgsize", F_MSGSIZE, FC_SUBR, 1, 1, false },
	{ "getmajor", F_GETMAJOR, FC_SUBR, 1, 1, true },
	{ "getminor", F_GETMINOR, FC_SUBR, 1, 1, true },
	{ "strtoll", F_STRTOLL, FC_SUBR, 1, 2, true },
	{ "strtok", F_STRTOK, FC_SUBR, 2, 2, true },
	{ "cleanpath", F_CLEANPATH, FC_SUBR, 1, 1, false },
	{ "copyinto", F_COPYINTO, FC_SUBR, 3, 3, false },
	{ "alloca", F_ALLOCA, FC_SUBR, 1, 1, true },
	{ "bcopy", F_BCOPY, FC_SUBR, 3, 3, false },
	{ "func", F_FUNC, FC_SUBR, 1, 1, true },
	{ "ufunc", F_UFUNC, FC_SUBR, 1, 1, true },
	{ "sym", F_SYM, FC_SUBR, 1, 1, true },
	{ "usym", F_USYM, FC_SUBR, 1, 1, true },
	{ "mod", F_MOD, FC_SUBR, 1, 1, true },
	{ "umod", F_UMOD, FC_SUBR, 1, 1, true },
	{ "uaddr", F_UADDR, FC_SUBR, 1, 1, true },
	{ "printf", F_PRINTF, FC_ACTION, 1, -1, true },
	{ "trace", F_TRACE, FC_ACTION, 1, 1, true },
	{ "printa", F_PRINTA, FC_ACTION, 1, -1, true },
	{ "exit", F_EXIT, FC_ACTION, 1, 1, true },
	{ "stack", F_STACK, FC_ACTION, 0, 1, true },
	{ "ustack", F_USTACK, FC_ACTION, 0, 2, true },
	{ "jstack", F_JSTACK, FC_ACTION, 0, 2, true },
	{ "trunc", F_TRUNC, FC_ACTION, 1, 2, true },
	{ "clear", F_CLEAR, FC_ACTION, 1, 1, true },
	{ "normalize", F_NORMALIZE, FC_ACTION, 2, 2, true },
	{ "denormalize", F_DENORMALIZE, FC_ACTION, 1, 1, true },
	{ "setopt", F_SETOPT, FC_ACTION, 1, 2, true },
	{ "tracemem", F_TRACEMEM, FC_ACTION, 2, 3, true },
	{ "printm", F_PRINTM, FC_ACTION, 2, 2, false },
	{ "ftruncate", F_FTRUNCATE, FC_ACTION, 0, 0, false },
	{ "discard", F_DISCARD, FC_ACTION, 1, 1, false },
	{ "speculate", F_SPECULATE, FC_ACTION, 1, 1, false },
	{ "commit", F_COMMIT, FC_ACTION, 1, 1, false },
	{ "speculation", F_SPECULATION, FC_SUBR, 0, 0, false },
	{ "system", F_SYSTEM, FC_DESTRUCTIVE, 1, -1, true },
	{ "raise", F_RAISE, FC_DESTRUCTIVE, 1, 1, true },
	{ "stop", F_STOP, FC_DESTRUCTIVE, 0, 0, true },
	{ "copyout", F_COPYOUT, FC_DESTRUCTIVE, 3, 3, true },
	{ "copyoutstr", F_COPYOUTSTR, FC_DESTRUCTIVE, 3, 3, true },
	{ "chill", F_CHILL, FC_DESTRUCTIVE, 1, 1, false },
	{ "panic", F_PANIC, FC_DESTRUCTIVE, 0, 0, false },
	{ "breakpoint", F_BREAKPOINT, FC_DESTRUCTIVE, 0, 0, false },
	{ "freopen", F_FREOPEN, FC_DESTRUCTIVE, 1, -1, false },
	{ "count", F_COUNT, FC_AGG, 0, 0, true },
	{ "sum", F_SUM, FC_AGG, 1, 1, true },
	{ "avg", F_AVG, FC_AGG, 1, 1, true },
	{ "min", F_MIN, FC_AGG, 1, 1, true },
	{ "max", F_MAX, FC_AGG, 1, 1, true },
	{ "stddev", F_STDDEV, FC_AGG, 1, 1, true },
	{ "quantize", F_QUANTIZE, FC_AGG, 1, 2, true },
	{ "lquantize", F_LQUANTIZE, FC_AGG, 3, 5, true },
	{ "llquantize", F_LLQUANTIZE, FC_AGG, 5, 6, true },
};

const struct funcinfo *func_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
		if (strcmp(funcs[i].name, name) == 0)
			return &funcs[i];
	return 0;
}

const struct funcinfo *func_info(enum func f)
{
	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
		if (funcs[i].id == f)
			return &funcs[i];
	return 0;
}
