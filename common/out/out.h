/* out.h - formatting output: what common/out/ offers the groups above it
 * (every other).  A file there includes this, or the headers named here
 * (tests/includes.sh checks).  Escaping traced bytes (escape.c) is public
 * API, in common/dtk.h.
 *
 *   fmt.h     D's printf: formats parsed at compile time, records
 *             formatted at run time
 *   aggfmt.h  aggregations' values, merging and printing
 *   aggsym.h  aggregation keys that name symbols (func(), usym()...)
 *   flow.h    -F's indented probe lines
 *   lines.h   output assembled per CPU, a whole line at a time
 */
#ifndef DTK_OUT_H
#define DTK_OUT_H

#include "aggfmt.h"
#include "aggsym.h"
#include "flow.h"
#include "fmt.h"
#include "lines.h"

#endif
