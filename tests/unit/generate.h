/* generate.h - a unit test's D program compiled against the probe table
 * and kernel BTF it gives, and its code generated, never loaded: the
 * handle, or NULL (the reason printed) on failure.  Needs check.h's
 * includes and dtk_impl.h. */
#ifndef DTK_TEST_GENERATE_H
#define DTK_TEST_GENERATE_H

static struct dtk *generate_with(struct probetab *t, struct kbtf *kb,
				 const char *text)
{
	int err = 0;
	struct dtk *d = dtk_open_shared(t, kb, &err);
	if (!d)
		return NULL;
	if (dtk_compile(d, "test", text, DTK_C_PROBESPEC) < 0 ||
	    dtk_codegen(d) < 0) {
		printf("# %s: %s\n", text, dtk_errmsg(d));
		dtk_close(d);
		return NULL;
	}
	return d;
}

#endif
