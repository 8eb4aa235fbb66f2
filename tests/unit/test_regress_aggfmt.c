/* test_regress_aggfmt.c - the aggregation formatting fuzzer's findings
 * (tests/fuzz/regress/aggfmt-*), replayed under ASan+UBSan. */
#include "../fuzz/fuzz_aggfmt.c"
#include "fuzz_regress.h"

int main(void)
{
	static const char *const prefixes[] = { "aggfmt-", NULL };

	CHECK(run_regress(prefixes) >= 1);
	return CHECK_DONE();
}
