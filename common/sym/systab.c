/* systab.c - choose the syscall table of the architecture we build for. */
#include <stddef.h>
#include "systab.h"

#if defined(__x86_64__)
#include "systab_x86_64.h"
#elif defined(__aarch64__)
#include "systab_aarch64.h"
#else
#error "no syscall table for this architecture (see scripts/gen-systab.py)"
#endif

const struct systab_entry *const systab = systab_entries;
const int systab_len = sizeof(systab_entries) / sizeof(systab_entries[0]);
