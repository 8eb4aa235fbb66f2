/* print_type.h - print(p)'s output: the object at data (what addr points
 * to) shown with its type t, in dtrace-utils' layout (print_type.c). */
#ifndef DTK_PRINT_TYPE_H
#define DTK_PRINT_TYPE_H

#include <stdint.h>
#include <stdio.h>
#include "types.h"

void print_type(FILE *out, uint64_t addr, const struct type *t,
		const void *data);

#endif
