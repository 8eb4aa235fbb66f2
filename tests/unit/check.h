/* check.h - the unit tests' one assertion.
 *
 * CHECK(cond) counts a check and prints file:line and the condition when it
 * fails; a test's main() ends with `return CHECK_DONE();`, which prints
 * "ok N checks" (or the failure count) and gives the exit status.
 */
#ifndef DTK_CHECK_H
#define DTK_CHECK_H

#include <stdio.h>

static int check_count, check_failed;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		check_failed++;						\
		printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

#define CHECK_DONE() (check_failed					\
	? (printf("FAILED %d of %d checks\n", check_failed, check_count), 1) \
	: (printf("ok %d checks\n", check_count), 0))

#endif
