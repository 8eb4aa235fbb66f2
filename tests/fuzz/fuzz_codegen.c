/* fuzz_codegen.c - libFuzzer target: a D program the checker accepts must
 * generate BPF (or say why it cannot), never crash, hang or leak.  Nothing
 * is loaded into the kernel: compile, code generation, and the program's
 * disassembly (dtrace -S) to /dev/null.
 *
 * Input: the D program, compiled as a script with DTK_C_ZDEFS (as
 * fuzz_compile.c).  Seeds: tests/fuzz/seed.sh (the valid corpus is what
 * reaches the code generator).
 *
 *	make fuzz && tests/fuzz/seed.sh corpus && build/fuzz/fuzz_codegen corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtk_impl.h"
#include "kbtf.h"
#include "prov/provider.h"

static struct probetab *probes;
static struct kbtf *kbtf;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	probes = probetab_open();
	kbtf = kbtf_open();
	devnull = fopen("/dev/null", "w");
	return probes && devnull ? 0 : -1;
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct dtk *d;
	int err;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	d = dtk_open_shared(probes, kbtf, &err);
	if (d) {
		if (dtk_compile(d, "fuzz.d", text, DTK_C_ZDEFS) == 0) {
			if (dtk_codegen(d) != 0 && dtk_errmsg(d)[0] == '\0')
				abort();	/* a failure must say why */
			dtk_dump_program(d, devnull);
		}
		dtk_close(d);
	}
	free(text);
	return 0;
}
