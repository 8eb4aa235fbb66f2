/* tracefs.h - finding tracefs and reading event formats from it.
 *
 * perf and bpftrace mount tracefs themselves when it is missing and they are
 * root; so do we.  Everything here fails quietly (NULL / -1): the callers fall
 * back to the built-in syscall table.
 */
#ifndef DTK_TRACEFS_H
#define DTK_TRACEFS_H

#include <stdbool.h>
#include <sys/types.h>

/* "/sys/kernel/tracing" or "/sys/kernel/debug/tracing", mounting the former
 * if nothing is mounted and we are root; NULL when there is no tracefs. */
const char *tracefs_dir(void);

/* O_DIRECTORY fd of <tracefs>/events/<subsys>, or -1. */
int tracefs_events_dir(const char *subsys);

/* Read <dirfd>/<event>/format into buf (NUL-terminated); length or -1. */
ssize_t tracefs_read_format(int dirfd, const char *event, char *buf, size_t len);

/* The fields of a format after the common_* ones and __syscall_nr:
 * "field:const char * filename;" gives type "const char *", name "filename".
 * Parses text in place; the strings point into it.  Returns the count. */
struct tracefs_field {
	const char *type, *name;
	int offset, size;
	bool is_signed;
};
int tracefs_format_fields(char *text, struct tracefs_field *out, int max);

/* The id of events/<subsys>/<event> (for perf_event_open), or -1. */
int tracefs_tracepoint_id(const char *subsys, const char *event);

/* Whether <tracefs>/<file> can be opened for reading. */
bool tracefs_readable(const char *file);

#endif
