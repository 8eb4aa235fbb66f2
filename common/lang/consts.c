/* consts.c - D's predefined integer constants: signal names (SIGKILL),
 * CLD_* codes and errno names (ENOENT), taken from the C library of the
 * machine the compiler runs on, which is the machine being traced. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "consts.h"
#include "dtk.h"

#define C(x) { #x, x }
static const struct { const char *name; int64_t v; } consts[] = {
	C(SIGHUP), C(SIGINT), C(SIGQUIT), C(SIGILL), C(SIGTRAP), C(SIGABRT),
	C(SIGIOT), C(SIGBUS), C(SIGFPE), C(SIGKILL), C(SIGUSR1), C(SIGSEGV),
	C(SIGUSR2), C(SIGPIPE), C(SIGALRM), C(SIGTERM), C(SIGSTKFLT),
	C(SIGCHLD), C(SIGCONT), C(SIGSTOP), C(SIGTSTP), C(SIGTTIN), C(SIGTTOU),
	C(SIGURG), C(SIGXCPU), C(SIGXFSZ), C(SIGVTALRM), C(SIGPROF),
	C(SIGWINCH), C(SIGIO), C(SIGPOLL), C(SIGPWR), C(SIGSYS),
	{ "SIGCLD", SIGCHLD },
	/* proc:::exit's args[0], as waitid(2) reports a child's end */
	C(CLD_EXITED), C(CLD_KILLED), C(CLD_DUMPED), C(CLD_TRAPPED),
	C(CLD_STOPPED), C(CLD_CONTINUED),
	/* DTrace's fault codes, ERROR's arg4 */
	{ "DTRACEFLT_UNKNOWN", DTRACEFLT_UNKNOWN },
	{ "DTRACEFLT_BADADDR", DTRACEFLT_BADADDR },
	{ "DTRACEFLT_BADALIGN", DTRACEFLT_BADALIGN },
	{ "DTRACEFLT_ILLOP", DTRACEFLT_ILLOP },
	{ "DTRACEFLT_DIVZERO", DTRACEFLT_DIVZERO },
	C(EPERM), C(ENOENT), C(ESRCH), C(EINTR), C(EIO), C(ENXIO), C(E2BIG),
	C(ENOEXEC), C(EBADF), C(ECHILD), C(EAGAIN), C(ENOMEM), C(EACCES),
	C(EFAULT), C(ENOTBLK), C(EBUSY), C(EEXIST), C(EXDEV), C(ENODEV),
	C(ENOTDIR), C(EISDIR), C(EINVAL), C(ENFILE), C(EMFILE), C(ENOTTY),
	C(ETXTBSY), C(EFBIG), C(ENOSPC), C(ESPIPE), C(EROFS), C(EMLINK),
	C(EPIPE), C(EDOM), C(ERANGE), C(EDEADLK), C(ENAMETOOLONG), C(ENOLCK),
	C(ENOSYS), C(ENOTEMPTY), C(ELOOP), C(EWOULDBLOCK), C(ENOMSG),
	C(EIDRM), C(ENOSTR), C(ENODATA), C(ETIME), C(ENOSR), C(EREMOTE),
	C(ENOLINK), C(EPROTO), C(EMULTIHOP), C(EBADMSG), C(EOVERFLOW),
	C(EILSEQ), C(EUSERS), C(ENOTSOCK), C(EDESTADDRREQ), C(EMSGSIZE),
	C(EPROTOTYPE), C(ENOPROTOOPT), C(EPROTONOSUPPORT), C(ESOCKTNOSUPPORT),
	C(EOPNOTSUPP), C(ENOTSUP), C(EPFNOSUPPORT), C(EAFNOSUPPORT),
	C(EADDRINUSE), C(EADDRNOTAVAIL), C(ENETDOWN), C(ENETUNREACH),
	C(ENETRESET), C(ECONNABORTED), C(ECONNRESET), C(ENOBUFS), C(EISCONN),
	C(ENOTCONN), C(ESHUTDOWN), C(ETOOMANYREFS), C(ETIMEDOUT),
	C(ECONNREFUSED), C(EHOSTDOWN), C(EHOSTUNREACH), C(EALREADY),
	C(EINPROGRESS), C(ESTALE), C(EDQUOT), C(ECANCELED), C(EOWNERDEAD),
	C(ENOTRECOVERABLE),
};
#undef C

bool d_constant(const char *name, int64_t *v)
{
	if (name[0] != 'S' && name[0] != 'E' && name[0] != 'D' && name[0] != 'C')
		return false;
	for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
		if (strcmp(consts[i].name, name) == 0) {
			*v = consts[i].v;
			return true;
		}
	return false;
}

int errno_by_name(const char *name)
{
	int64_t v;
	if (name[0] == 'E' && d_constant(name, &v))
		return (int)v;
	return -1;
}

int dtk_errno_by_name(const char *name)
{
	return errno_by_name(name);
}
