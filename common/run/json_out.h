/* json_out.h - dtrace -x oformat=json (FreeBSD's structured output, as JSON
 * Lines): the consumer's branch points, and what json.c shares with it.
 *
 * One object a line:
 *   a probe firing  {"timestamp","cpu","id","provider","module","function",
 *                    "name","output":[...]} where each action adds one item:
 *                    printf {"message","values":[...]}, trace {"value"},
 *                    stack()/ustack() {"stack-frames"/"ustack-frames":[{
 *                    "symbol","module","name","offset"}]}
 *   an aggregation  {"aggregation-name","aggregation-function",
 *                    "aggregation-data":[{"keys":[...],"count"|"sum"|...}]}
 *                    histograms with "buckets":[{"value","count"}] (the
 *                    under- and overflow buckets: "below", "atleast")
 *   a drop, a fault the pseudo-probes dtrace:INTERNAL:INTERNAL:DROP/ERROR
 */
#ifndef DTK_JSON_OUT_H
#define DTK_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aggfmt.h"
#include "dtk_impl.h"

struct json_object;

/* json.c: a string made valid UTF-8; one frame "mod`name+0x1f" as an
 * object; the frames of a printed stack (one a line) as an array. */
struct json_object *json_str_utf8(const char *s, size_t len);
struct json_object *json_frame(const char *sym);
struct json_object *json_frames_of_text(const char *text);

/* A record of action a from probe p on cpu: true when it was consumed (the
 * text path must not see it). */
bool json_out_record(struct dtk *d, const struct action *a, const struct probe *p,
		     const char *rec, size_t size, int cpu);
/* Write the firings still being assembled. */
void json_out_flush(struct dtk *d);
/* One aggregation's entries, sorted. */
void json_out_agg(struct dtk *d, const struct sym *y, const struct agg_desc *desc,
		  const struct agg_entry *e, int n, uint64_t normal);
/* n records of drop kind (enum drop_kind) lost on cpu. */
void json_out_drop(struct dtk *d, int kind, int cpu, uint64_t n);
void json_out_free(struct dtk *d);

/* consume.c */
struct fmt_ctx fctx(struct dtk *d);
int decode_vals(struct dtk *d, const struct action *a, const char *rec,
		size_t size, struct fmt_val *vals, int max);

#endif
