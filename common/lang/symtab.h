/* symtab.h - the program's names as the checker records them (sema.c):
 * built-ins, variables of each scope, aggregations, inline constants and
 * the tool's tables; the generator gives them maps and offsets. */
#ifndef DTK_SYMTAB_H
#define DTK_SYMTAB_H

#include <stdbool.h>
#include <stdint.h>
#include "ast.h"
#include "types.h"

enum sym_kind {
	S_BUILTIN,	/* pid, execname, ... (id: enum builtin) */
	S_GLOBAL,	/* global scalar or string (off in the globals map) */
	S_ASSOC,	/* global associative array (map) */
	S_SELF,		/* self-> variable (map keyed by tid) */
	S_THIS,		/* this-> variable (scratch slot per clause) */
	S_AGG,		/* @aggregation (map) */
	S_INLINE,	/* inline constant or tool-set constant (inl) */
	S_TABLE,	/* a tool-set table of integers (table, ntable) */
	S_TYPEDEF,	/* a type the program named with typedef (type) */
};

struct sym {
	enum sym_kind kind;
	const char *name;
	struct type *type;
	struct type **keys;		/* assoc arrays and aggregations */
	int nkeys;
	int keysize;			/* bytes of the map key */
	const struct func *fn;		/* S_AGG: its aggregating function */
	int off;			/* S_GLOBAL: offset; S_THIS: scratch offset */
	int map;			/* index into prog->maps, -1 if none */
	struct node *inl;		/* S_INLINE value */
	struct loc loc;
	bool declared;
	/* aggregations */
	int64_t aggarg[4];		/* lquantize lo,hi,step; llquantize b,lo,hi,steps */
	int vsize;			/* aggregation value bytes */
	bool printed;			/* printa'd somewhere: not printed at exit */
	uint64_t normal;		/* normalize() factor, 0 for none */
	const int64_t *table;		/* S_TABLE */
	int ntable;
	struct sym *next;
};

#endif
