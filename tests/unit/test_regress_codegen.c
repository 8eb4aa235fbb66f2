/* test_regress_codegen.c - the D fuzzers' findings (tests/fuzz/regress/
 * *.d: the compiler's and the code generator's) replayed through compile
 * and code generation (fuzz_codegen.c) under ASan+UBSan.  Needs tracefs
 * for the probe tables, as the fuzz target does. */
#include "../fuzz/fuzz_codegen.c"
#include "fuzz_regress.h"

int main(void)
{
	static const char *const prefixes[] = { "codegen-", "sema-", "fmt-", "parse-", NULL };

	CHECK(run_regress(prefixes) >= 1);
	return CHECK_DONE();
}
