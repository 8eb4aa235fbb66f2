/* builtins.h - D's built-in variables and functions, shared by the checker
 * (names, types, argument counts) and the code generator (ids). */
#ifndef DTK_BUILTINS_H
#define DTK_BUILTINS_H

#include <stdbool.h>

enum builtin {
	B_PID, B_TID, B_PPID, B_UID, B_GID, B_EXECNAME, B_TIMESTAMP,
	B_VTIMESTAMP, B_WALLTIMESTAMP, B_CPU, B_ERRNO,
	B_ARG0, B_ARG1, B_ARG2, B_ARG3, B_ARG4, B_ARG5, B_ARG6, B_ARG7,
	B_ARG8, B_ARG9,
	B_ARGS, B_PROBEPROV, B_PROBEMOD, B_PROBEFUNC, B_PROBENAME,
	B_CURPSINFO, B_CURLWPSINFO, B_CWD, B_CURTHREAD, B_ZONENAME,
	B_EPID, B_ID, B_USTACKDEPTH, B_STACKDEPTH, B_CALLER, B_UCALLER,
	B_IPL, B_ROOTDIR, B_UREGS,
	B_CGROUP,	/* Linux: the cgroup v2 id (the inode of its directory) */
	B_NBUILTINS
};

enum func {
	/* subroutines: produce values */
	F_COPYIN, F_COPYINSTR, F_STRLEN, F_STRSTR, F_STRJOIN, F_SUBSTR,
	F_BASENAME, F_DIRNAME, F_PROGENYOF, F_INDEX, F_RINDEX, F_STRCHR,
	F_STRRCHR, F_LLTOSTR, F_TOUPPER, F_TOLOWER, F_RAND, F_HTONS, F_HTONL,
	F_HTONLL, F_NTOHS, F_NTOHL, F_NTOHLL, F_MSGSIZE, F_GETMAJOR,
	F_GETMINOR, F_STRTOLL, F_STRTOK, F_CLEANPATH, F_COPYINTO, F_ALLOCA, F_BCOPY,
	F_FUNC, F_UFUNC, F_SYM, F_USYM, F_MOD, F_UMOD, F_UADDR,
	/* actions: statements only */
	F_PRINTF, F_TRACE, F_PRINTA, F_EXIT, F_STACK, F_USTACK, F_JSTACK,
	F_TRUNC, F_CLEAR, F_NORMALIZE, F_DENORMALIZE, F_SETOPT, F_TRACEMEM,
	F_PRINTM, F_FTRUNCATE, F_DISCARD, F_SPECULATE, F_COMMIT, F_SPECULATION,
	/* destructive actions */
	F_SYSTEM, F_RAISE, F_STOP, F_COPYOUT, F_COPYOUTSTR, F_CHILL, F_PANIC,
	F_BREAKPOINT, F_FREOPEN,
	/* aggregating functions */
	F_COUNT, F_SUM, F_AVG, F_MIN, F_MAX, F_STDDEV, F_QUANTIZE,
	F_LQUANTIZE, F_LLQUANTIZE,
	F_NFUNCS
};

enum fclass { FC_SUBR, FC_ACTION, FC_DESTRUCTIVE, FC_AGG };

struct funcinfo {
	const char *name;
	enum func id;
	enum fclass cls;
	int minargs, maxargs;	/* maxargs -1: variadic */
	bool supported;		/* false: recognised, but not on Linux/BPF */
};

const struct funcinfo *func_lookup(const char *name);
const struct funcinfo *func_info(enum func f);

/* psinfo_t / lwpsinfo_t members */
enum psmember {
	PS_PR_PID, PS_PR_PPID, PS_PR_PGID, PS_PR_SID, PS_PR_UID, PS_PR_EUID,
	PS_PR_GID, PS_PR_EGID, PS_PR_ADDR, PS_PR_FNAME, PS_PR_PSARGS,
	PS_PR_START, PS_PR_PROJID, PS_PR_TASKID, PS_PR_ZONEID, PS_PR_NLWP,
	PS_PR_DMODEL, PS_PR_ARGC, PS_PR_CONTRACT, PS_PR_TTYDEV,
	/* lwpsinfo_t */
	PS_PR_LWPID, PS_PR_PRI, PS_PR_STATE, PS_PR_SNAME, PS_PR_FLAG,
	PS_PR_ONPRO, PS_PR_NICE,
	PS_NMEMBERS
};

#endif
