/* tracefs.c - find (or mount) tracefs and read event formats. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "tracefs.h"

#define TRACEFS_MAGIC	0x74726163

static bool is_tracefs(const char *dir)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && (unsigned long)st.f_type == TRACEFS_MAGIC;
}

const char *tracefs_dir(void)
{
	static const char *dir;
	static bool looked;

	if (looked)
		return dir;
	looked = true;
	if (is_tracefs("/sys/kernel/tracing"))
		return dir = "/sys/kernel/tracing";
	/* debugfs automounts tracefs at its tracing/ directory on first use */
	if (access("/sys/kernel/debug/tracing/events", X_OK) == 0 &&
	    is_tracefs("/sys/kernel/debug/tracing"))
		return dir = "/sys/kernel/debug/tracing";
	if (geteuid() == 0 &&
	    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return dir = "/sys/kernel/tracing";
	/* a racing mount by someone else is as good as ours */
	if (is_tracefs("/sys/kernel/tracing"))
		return dir = "/sys/kernel/tracing";
	return NULL;
}

int tracefs_events_dir(const char *subsys)
{
	const char *dir = tracefs_dir();
	char path[256];

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/events/%s", dir, subsys);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

ssize_t tracefs_read_format(int dirfd, const char *event, char *buf, size_t len)
{
	char path[256];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/format", event);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* tracefs hands out the whole format in one read when the buffer is
	 * big enough; loop for the case it is not */
	while ((size_t)got + 1 < len &&
	       (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;" */
static bool parse_field(char *line, struct tracefs_field *f)
{
	char *decl, *end, *name, *p;

	decl = strstr(line, "field:");
	if (!decl)
		return false;
	decl += 6;
	end = strchr(decl, ';');
	if (!end)
		return false;
	*end = '\0';
	/* the name is the last word; arrays ("char comm[16]") keep their
	 * brackets in the name, which no syscall argument has */
	name = strrchr(decl, ' ');
	if (!name)
		return false;
	*name++ = '\0';
	for (p = name - 2; p >= decl && *p == ' '; p--)
		*p = '\0';
	f->type = decl;
	f->name = name;
	p = strstr(end + 1, "offset:");
	f->offset = p ? atoi(p + 7) : 0;
	p = strstr(end + 1, "size:");
	f->size = p ? atoi(p + 5) : 0;
	p = strstr(end + 1, "signed:");
	f->is_signed = p && p[7] == '1';
	return true;
}

int tracefs_format_fields(char *text, struct tracefs_field *out, int max)
{
	char *line, *next;
	int n = 0;

	for (line = text; line && *line && n < max; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "print fmt:", 10) == 0)
			break;
		if (!parse_field(line, &out[n]))
			continue;
		if (strncmp(out[n].name, "common_", 7) == 0 ||
		    strcmp(out[n].name, "__syscall_nr") == 0)
			continue;
		n++;
	}
	return n;
}

int tracefs_tracepoint_id(const char *subsys, const char *event)
{
	const char *dir = tracefs_dir();
	char path[512], buf[32];
	ssize_t n;
	int fd;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", dir, subsys, event);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

bool tracefs_readable(const char *file)
{
	const char *dir = tracefs_dir();
	char path[512];
	int fd;

	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
