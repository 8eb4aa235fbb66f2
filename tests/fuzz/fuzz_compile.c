/* fuzz_compile.c - libFuzzer target: any bytes given to the D front end
 * must end in a program or a diagnostic, never a crash, hang or leak.
 *
 *	clang -fsanitize=fuzzer,address,undefined -Icommon \
 *	    tests/fuzz/fuzz_compile.c common/lex.c common/parse.c \
 *	    common/arena.c common/diag.c -o fuzz_compile
 *	tests/fuzz/seed.sh corpus && ./fuzz_compile corpus
 *
 * Each input is parsed twice: as a script (-s) and as a probe specifier
 * (-n), the two entry states of the parser.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"

static void parse_once(const char *text, bool probespec)
{
	struct arena *a = arena_new();
	struct diag d;

	if (setjmp(d.jmp) == 0) {
		struct program *p = parse_program(a, &d, "fuzz.d", text, probespec);

		/* touch the tree's top level so a bad count shows up */
		for (int i = 0; i < p->nclauses; i++)
			for (int j = 0; j < p->clauses[i]->ndescs; j++)
				if (!p->clauses[i]->descs[j].name)
					abort();
	} else if (d.loc.line < 0 || d.msg[0] == '\0') {
		abort();
	}
	arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse_once(text, false);
	parse_once(text, true);
	free(text);
	return 0;
}
