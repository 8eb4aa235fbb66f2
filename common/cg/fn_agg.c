/* fn_agg.c - the checks of the aggregating functions' parameters (their
 * code is in codegen_agg.c); the table is funcs.c.  The checker's
 * @a = f(x, ...) has checked that each parameter is an integer constant,
 * and hands their values here: what is checked here is what the printer
 * and the code generator rely on. */
#include <string.h>
#include "aggfmt.h"
#include "fn.h"
#include "sema.h"

/* lquantize(x, base, limit[, step]): step 1 unless given */
void params_lquantize(struct sema *s, struct node *n, int64_t *par)
{
	if (n->nargs < 4)
		par[2] = 1;
	if (par[2] <= 0)
		sema_fail(s, n->loc, D_LQUANT_STEPTYPE,
			  "lquantize( ) step must be greater than zero");
	if (par[1] <= par[0])
		sema_fail(s, n->loc, D_LQUANT_MISMATCH, "lquantize( ) upper "
			  "bound must be greater than lower bound");
	if ((par[1] - par[0]) / par[2] > 10000)
		sema_fail(s, n->loc, D_LQUANT_STEPSMALL,
			  "lquantize( ) has too many levels");
}

/* llquantize(x, factor, low, high, steps): aggfmt.c says what is valid,
 * naming the parameter at fault */
void params_llquantize(struct sema *s, struct node *n, int64_t *par)
{
	static const enum errtag tag[] = { D_LLQUANT_STEPVAL,
		D_LLQUANT_FACTORVAL, D_LLQUANT_LMAGVAL, D_LLQUANT_HMAGVAL };
	struct agg_desc ad;
	char err[160];

	if (agg_llquantize_desc(&ad, par[0], par[1], par[2], par[3], err,
				sizeof err)) {
		const char *a = strstr(err, "argument #");
		int k = a && a[10] >= '1' && a[10] <= '3' ? a[10] - '0' : 0;
		sema_fail(s, n->loc, tag[k], "%s", err);
	}
	if (llquantize_nbuckets(&ad) > LLQUANTIZE_MAXBUCKETS)
		sema_fail(s, n->loc, D_LLQUANT_STEPVAL, "llquantize( ) has too "
			  "many buckets (%d, at most %d)",
			  llquantize_nbuckets(&ad), LLQUANTIZE_MAXBUCKETS);
}
