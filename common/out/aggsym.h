/* aggsym.h - aggregation keys made by func(), sym(), mod() and ufunc(),
 * usym(), umod(), uaddr(), as DTrace aggregates them.
 *
 * The BPF program keys by the address it was given (plus the pid for user
 * addresses); DTrace's consumer keys by what the address names: the
 * function for func()/sym()/ufunc()/usym() ("module`function"), the module
 * for mod()/umod(), the function and offset for uaddr().  So every key is
 * named here, then entries whose keys now read the same are merged into
 * one, their values aggregated together (one row per function, not per
 * instruction).
 */
#ifndef DTK_AGGSYM_H
#define DTK_AGGSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggfmt.h"
#include "fmt.h"

/* What a key names: the function (func(), sym(), ufunc(), usym()), the
 * module (mod(), umod()), the function and offset (uaddr()). */
enum aggsym_what { AGGSYM_FUNC, AGGSYM_MOD, AGGSYM_ADDR };

/* What a key at addr prints as, into buf: "module`function", "module",
 * "module`function+0x1f", or the address in hex when nothing names it.
 * user: a user address (ufunc() & co.), of process pid. */
void aggsym_name(char *buf, size_t len, const struct fmt_ctx *ctx,
		 enum aggsym_what what, bool user, int pid, uint64_t addr);

/* Merge the entries of an aggregation whose keys are equal: n entries,
 * entry i has keys kv[i * nkeys ...] and values vals[i * nw ...].  The
 * arrays are compacted in place (sorted by key); returns the new count,
 * or -1 (nothing changed) without memory. */
int aggsym_merge(struct fmt_val *kv, int nkeys, int64_t *vals, size_t nw,
		 const struct agg_desc *desc, int n);

#endif
