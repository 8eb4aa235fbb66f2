/* cpp.c - run the C preprocessor over a D program as DTrace does. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "dtk.h"

/* The macros dtrace-utils defines for every program (dt_open.c), and the
 * D version it claims (2.0.1, as DT_VERSION_NUMBER packs it). */
static const char *const predefined[] = {
	"-D__linux", "-D__unix", "-D__SVR4", "-D__SUNW_D=1", "-U__GNUC__",
	"-D__SUNW_D_64",
};
#define D_VERSION_DEF "-D__SUNW_D_VERSION=0x02000001"

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

char *dtk_preprocess(const char *path, char *const *args, int nargs,
		     const char *text, char *err, size_t errlen)
{
	const char *cpp = path ? path : "cpp";
	struct utsname u;
	char uts[80] = "-D__Linux";
	int in = -1, out[2] = { -1, -1 }, status;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;

	if (uname(&u) == 0)
		snprintf(uts, sizeof uts, "-D__%s", u.sysname);
	const char **argv = calloc((size_t)nargs + 16, sizeof *argv);
	if (!argv) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	int n = 0;
	argv[n++] = cpp;
	for (size_t i = 0; i < sizeof predefined / sizeof *predefined; i++)
		argv[n++] = predefined[i];
	argv[n++] = uts;
	for (int i = 0; i < nargs; i++)
		argv[n++] = args[i];
	argv[n++] = D_VERSION_DEF;
	argv[n++] = "-std=c99";
	argv[n] = NULL;

	/* the program on a memory file, so that cpp reads it all while we
	 * read what it writes */
	in = memfd_create("dtk-cpp-input", MFD_CLOEXEC);
	if (in < 0 || write_all(in, text, strlen(text)) < 0 ||
	    lseek(in, 0, SEEK_SET) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "failed to start the preprocessor: %s",
			 strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "failed to fork the preprocessor: %s",
			 strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		if (dup2(in, 0) < 0 || dup2(out[1], 1) < 0)
			_exit(127);
		execvp(cpp, (char *const *)argv);
		fprintf(stderr, "dtrace: failed to run %s: %s\n", cpp,
			strerror(errno));
		_exit(127);
	}
	close(out[1]);
	out[1] = -1;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 16384);
			if (!nb) {
				kill(pid, SIGKILL);
				break;
			}
			buf = nb;
		}
		ssize_t r = read(out[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "Preprocessor failed to process input "
			 "program");
		goto fail;
	}
	buf[len] = '\0';
	close(in);
	close(out[0]);
	free(argv);
	return buf;
fail:
	if (in >= 0)
		close(in);
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	free(buf);
	free(argv);
	return NULL;
}
