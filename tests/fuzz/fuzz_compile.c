/* fuzz_compile.c - libFuzzer target: any bytes given to the D compiler must
 * end in a program or a diagnostic, never a crash, hang or leak.
 *
 * Each input is compiled twice, as a script (-s) and as a probe specifier
 * (-n), the two entry states of the parser, with DTK_C_ZDEFS so that
 * descriptions matching nothing do not stop the checker early.
 *
 *	make fuzz && tests/fuzz/seed.sh corpus && build/fuzz/fuzz_compile corpus
 *
 * Built with -DFUZZ_PARSE_ONLY it drives the parser alone, without the
 * probe tables and kernel BTF the checker reads (fast, and needs no engine):
 *
 *	clang -DFUZZ_PARSE_ONLY -fsanitize=fuzzer,address,undefined \
 *	    -Icommon -Icommon/lang tests/fuzz/fuzz_compile.c common/lang/lex.c \
 *	    common/lang/parse.c common/lang/arena.c common/lang/diag.c -o fuzz_parse
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef FUZZ_PARSE_ONLY

#include "diag.h"
#include "parse.h"

static void compile_once(const char *text, bool probespec)
{
	struct arena *a = arena_new();
	struct diag d;

	if (setjmp(d.jmp) == 0) {
		struct program *p = parse_program(a, &d, "fuzz.d", text, probespec);

		/* walk the top level so that a bad count shows up */
		for (int i = 0; i < p->nclauses; i++)
			for (int j = 0; j < p->clauses[i]->ndescs; j++)
				if (!p->clauses[i]->descs[j].name)
					abort();
	} else if (d.loc.line < 0 || d.msg[0] == '\0') {
		abort();
	}
	arena_free(a);
}

#else

#include "dtk_impl.h"
#include "kbtf.h"
#include "prov/provider.h"

/* Reading the probe tables from tracefs costs ~15 ms, which would hold the
 * fuzzer to a few dozen inputs a second: every handle borrows one table and
 * one kernel BTF, read once. */
static struct probetab *probes;
static struct kbtf *kbtf;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	probes = probetab_open();
	kbtf = kbtf_open();		/* NULL without BTF: opened per handle */
	return probes ? 0 : -1;
}

static void compile_once(const char *text, bool probespec)
{
	int err;
	struct dtk *d = dtk_open_shared(probes, kbtf, &err);

	if (!d)
		return;
	if (dtk_compile(d, "fuzz.d", text,
			DTK_C_ZDEFS | (probespec ? DTK_C_PROBESPEC : 0)) != 0 &&
	    dtk_errmsg(d)[0] == '\0')
		abort();		/* a failure must say why */
	dtk_close(d);
}

#endif

/* UBSan reports and carries on by default, which libFuzzer does not see:
 * make every report a finding (UBSAN_OPTIONS still overrides). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	compile_once(text, false);
	compile_once(text, true);
	free(text);
	return 0;
}
