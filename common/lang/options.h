/* options.h - DTrace's options (-x name=value, #pragma D option): what
 * they hold, set by name (options.c).  The checker sets them from pragmas,
 * the handle from -x; the generator and the consumer read them. */
#ifndef DTK_OPTIONS_H
#define DTK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct options {
	bool quiet, destructive, zdefs, flowindent, rawbytes;
	int strsize;			/* bytes incl. NUL: D's strsize + 1 */
	uint64_t bufsize;		/* ring buffer bytes (power of two) */
	uint64_t dynvarsize;		/* bytes for self-> and assoc arrays */
	uint64_t aggsize;		/* bytes for each aggregation */
	uint64_t switchrate_ns;		/* how often the consumer wakes */
	uint64_t aggrate_ns;
	uint64_t statusrate_ns;		/* how often drops are checked */
	bool aggsortkey, aggsortrev;
	int aggsortpos;
	bool aggsortkeypos;
	int stackframes, ustackframes;
	int ustacksize;			/* bytes of user stack copied */
	int stackindent;
	bool verbose;
	bool emptyonfault;		/* copyinstr() of a bad address: "" */
	bool bufsize_set;		/* bufsize given: not raised for ustack() */
	bool json;			/* oformat=json: JSON Lines (json_out.c) */
	bool errtags;			/* compile errors show their [D_TAG] */
	bool defaultargs;		/* $N past the arguments: 0 or "" */
	bool empty;			/* a program without clauses is fine */
	bool argref;			/* macro arguments may go unused */
	bool pspec;			/* every program item is a probe
					 * description (the lexer's start) */
};

int options_set(struct options *o, const char *name, const char *value,
		char *err, size_t errlen);
void options_default(struct options *o);

#endif
