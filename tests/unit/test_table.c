/* test_table.c - tool tables (dtk_set_table): checked at compile time, and
 * looked up in the kernel when BPF is available (as root). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "dtk.h"

static struct dtk *open_with_table(void)
{
	static const int64_t t[] = { 5, 6, 7 };
	int err;
	struct dtk *d = dtk_open(&err);
	CHECK(d != NULL);
	if (d)
		CHECK(dtk_set_table(d, "T", t, 3) == 0);
	return d;
}

static void compile_errors(void)
{
	struct dtk *d = open_with_table();
	CHECK(dtk_compile(d, "t.d", "BEGIN { T = 1; }", 0) < 0);
	CHECK(strstr(dtk_errmsg(d), "T is a table and may not be assigned") != NULL);
	dtk_close(d);
	d = open_with_table();
	CHECK(dtk_compile(d, "t.d", "BEGIN { x = T; }", 0) < 0);
	CHECK(strstr(dtk_errmsg(d), "must be subscripted") != NULL);
	dtk_close(d);
	d = open_with_table();
	CHECK(dtk_compile(d, "t.d", "BEGIN { x = T[\"a\"]; }", 0) < 0);
	dtk_close(d);
	d = open_with_table();
	CHECK(dtk_compile(d, "t.d", "BEGIN { x = T[1] + 1; }", 0) == 0);
	dtk_close(d);
}

static void lookups(void)
{
	if (geteuid() != 0) {
		printf("skip: not root, no table lookups in the kernel\n");
		return;
	}
	struct dtk *d = open_with_table();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	dtk_set_output(d, out);
	CHECK(dtk_setopt(d, "quiet", NULL) == 0);
	CHECK(dtk_compile(d, "t.d", "BEGIN { i = 2; printf(\"%d %d %d %d\\n\", "
			  "T[0], T[i], T[-1], T[3]); exit(0); }", 0) == 0);
	if (dtk_go(d) == 0) {
		while (dtk_work(d, NULL, NULL) == DTK_WORK_OKAY)
			;
		dtk_finish(d);
		fflush(out);
		CHECK(buf && strcmp(buf, "5 7 0 0\n") == 0);
	} else {
		printf("skip: %s\n", dtk_errmsg(d));
	}
	dtk_close(d);
	fclose(out);
	free(buf);
}

int main(void)
{
	compile_errors();
	lookups();
	return CHECK_DONE();
}
