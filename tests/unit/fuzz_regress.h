/* fuzz_regress.h - replay the fuzzers' past findings (tests/fuzz/regress)
 * through a fuzz target built into a unit test (ASan+UBSan), so that
 * `make check` fails when one comes back.  A test file includes one
 * target's source, then this, and calls run_regress() with the prefix of
 * the findings that target made. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define REGRESS_DIR "tests/fuzz/regress"

/* Run every finding whose name starts with one of prefixes (NULL-ended);
 * returns how many ran.  A finding that crashes ends the test binary,
 * which the runner reports as the test's failure. */
static int run_regress(const char *const *prefixes)
{
	DIR *dir = opendir(REGRESS_DIR);
	struct dirent *e;
	int n = 0;

	CHECK(dir != NULL);
	if (!dir)
		return 0;
	CHECK(LLVMFuzzerInitialize(NULL, NULL) == 0);
	while ((e = readdir(dir))) {
		const char *const *p;
		char path[512];
		FILE *f;
		uint8_t *buf;
		long len;

		for (p = prefixes; *p && strncmp(e->d_name, *p, strlen(*p)); p++)
			;
		if (!*p)
			continue;
		snprintf(path, sizeof(path), "%s/%s", REGRESS_DIR, e->d_name);
		f = fopen(path, "rb");
		CHECK(f != NULL);
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		buf = malloc(len > 0 ? (size_t)len : 1);
		CHECK(buf && fread(buf, 1, (size_t)len, f) == (size_t)len);
		fclose(f);
		printf("replaying %s\n", e->d_name);
		fflush(stdout);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
		n++;
	}
	closedir(dir);
	return n;
}
