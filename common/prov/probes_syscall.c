/* probes_syscall.c - syscall::NAME:entry|return, two for every system call
 * of the built-in table (in the probe table's order of names), and their
 * arguments, read when a program or dtrace -l asks for them: from tracefs'
 * events/syscalls/sys_enter_NAME/format where it can be read, else the
 * built-in table's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes_impl.h"
#include "systab.h"
#include "tracefs.h"

/* A syscall argument is a NUL-terminated user string when its type is a
 * plain `char *` or `const char *` and no argument gives its length.  The
 * kernel's formats put that length right after the buffer (read/write's
 * count, getcwd's size, readlink's bufsiz, sethostname's len, syslog's len,
 * getsockopt's optlen, mq_timedsend's msg_len), so a char pointer followed
 * by a length is a buffer.  shmat/shmdt's `char *shmaddr` is an address
 * typed char * for history's sake.  What remains is paths (filename,
 * pathname, oldname, newname, dev_name, dir_name, specialfile, put_old...),
 * names (xattr, mqueue, memfd, acct, umount) and key/fs type strings. */
static bool is_length_name(const char *n)
{
	size_t l = strlen(n);

	return !strcmp(n, "count") || !strcmp(n, "bufsiz") ||
	       (l >= 3 && !strcmp(n + l - 3, "len")) ||
	       (l >= 4 && !strcmp(n + l - 4, "size"));
}

static void syscall_arg_kinds(struct probe *p)
{
	for (int i = 0; i < p->nargs; i++) {
		struct probe_arg *a = &p->args[i];
		bool charp = !strcmp(a->type, "char *") ||
			     !strcmp(a->type, "const char *");

		a->is_user_ptr = strchr(a->type, '*') || strstr(a->type, "__user");
		a->is_string = charp && strcmp(a->name, "shmaddr") &&
			       !(i + 1 < p->nargs &&
				 is_length_name(p->args[i + 1].name));
	}
}

/* A syscall's arguments from its tracefs format; false when there is none
 * (no tracefs, or a syscall the kernel has no event for). */
static bool read_sysargs(struct probetab *t, const struct systab_entry *e,
			 struct probe *p)
{
	struct tracefs_field f[PROBE_MAXARGS];
	char ev[128], buf[4096];
	int n;

	if (!t->use_tracefs)
		return false;
	if (t->sysdir == -1) {
		t->sysdir = tracefs_events_dir("syscalls");
		if (t->sysdir < 0)
			t->sysdir = -2;
	}
	if (t->sysdir < 0)
		return false;
	snprintf(ev, sizeof(ev), "sys_enter_%s", e->event ? e->event : e->name);
	if (tracefs_read_format(t->sysdir, ev, buf, sizeof(buf)) <= 0)
		return false;
	n = tracefs_format_fields(buf, f, PROBE_MAXARGS);
	for (int i = 0; i < n; i++)
		probe_set_arg(p, arena_strdup(t->arena, f[i].type),
			      arena_strdup(t->arena, f[i].name));
	t->from_tracefs = true;
	return true;
}

void syscall_args(struct probetab *t, struct probe *p)
{
	const struct sysname *s = probetab_sysname(t, p->func);

	if (!s)
		return;
	const struct systab_entry *e = &systab[s->idx];
	if (!read_sysargs(t, e, p))
		for (int j = 0; j < e->nargs && j < PROBE_MAXARGS; j++)
			probe_set_arg(p, e->args[j].type, e->args[j].name);
	syscall_arg_kinds(p);
}

int syscall_event_id(struct probetab *t, const struct probe *p, char *name,
		     size_t len)
{
	const struct sysname *s = probetab_sysname(t, p->func);

	if (!s)
		return -1;
	const struct systab_entry *e = &systab[s->idx];
	snprintf(name, len, "sys_%s_%s", p->is_return ? "exit" : "enter",
		 e->event ? e->event : e->name);
	return tracefs_tracepoint_id("syscalls", name);
}

void syscall_probes(struct probetab *t, bool use_tracefs)
{
	(void)use_tracefs;	/* read when the arguments are asked for */
	/* listing order: by name, entry then return; the entry's arguments
	 * are read when asked for (probetab_args) */
	for (int i = 0; i < t->nsys; i++) {
		const struct sysname *s = &t->sys_by_name[i];
		struct probe *p;

		p = probetab_add(t, PROV_SYSCALL, "syscall", "", s->name, "entry");
		p->sub = s->nr;
		p->args_pending = true;
		p = probetab_add(t, PROV_SYSCALL, "syscall", "", s->name, "return");
		p->sub = s->nr;
		p->is_return = true;
		probe_set_arg(p, "long", "ret");
	}
}
