/* systab.h - the built-in syscall table of the build architecture.
 *
 * Generated from tracefs and the UAPI headers by scripts/gen-systab.py.  It
 * gives every syscall number its name; the arguments are the fallback for
 * when tracefs cannot be read at run time.
 */
#ifndef DTK_SYSTAB_H
#define DTK_SYSTAB_H

#define SYSTAB_MAXARGS 6

struct systab_arg {
	const char *type, *name;	/* "const char *", "filename" */
};

struct systab_entry {
	int nr;
	const char *name;	/* ABI name: "stat", as strace and man pages say */
	const char *event;	/* tracefs event: sys_enter_<event> ("newstat"),
				 * NULL if the generating kernel had none */
	int nargs;
	struct systab_arg args[SYSTAB_MAXARGS];
};

/* Entries sorted by number. */
extern const struct systab_entry *const systab;
extern const int systab_len;

#endif
