/* What harvest.c shares with the passes of each kind of peer (harvest_bioex.c,
 * harvest_oai_dc.c); nothing outside src/federation includes it. */
#ifndef BX_HARVEST_INTERNAL_H
#define BX_HARVEST_INTERNAL_H

#include <jansson.h>
#include "federation/harvest.h"
#include "records/records.h"
#include "util/buf.h"

/* One run in progress. */
struct bx_harvest_run_state {
	struct bx_node *node;
	const struct bx_harvest_options *options;
	const char *peer;                 /* the registered peer's slug, or NULL */
	const char *url;                  /* the base URL, without a trailing '/' */
	const char *cursor;               /* where this run starts (NULL: the beginning) */
	struct bx_principal principal;    /* role node, named "harvest:<peer>" */
	struct bx_actor actor;
	struct bx_harvest_result *result;
};

/* GETs url into body (bx_buf_free it). 0 on an HTTP 200 answer; otherwise the reason is
 * in the result's error. */
BX_MUST_USE int bx_harvest_get(struct bx_harvest_run_state *run, const char *url, struct bx_buf *body);
/* Applies lines (records and tombstone lines, records.h) as one import by the run's
 * principal, and for a registered peer saves cursor in the same transaction. Adds the
 * outcome to the result's counts. */
BX_MUST_USE int bx_harvest_apply(struct bx_harvest_run_state *run, const json_t *lines,
                                 const char *cursor);
/* Saves cursor alone, in a transaction of its own (registered peers only). */
BX_MUST_USE int bx_harvest_save_cursor(struct bx_harvest_run_state *run, const char *cursor);
/* Sets the result's error (printf-style) and returns rc. */
int bx_harvest_fail(struct bx_harvest_run_state *run, int rc, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* The passes: from the run's cursor to the end of what the peer has. */
BX_MUST_USE int bx_harvest_bioex(struct bx_harvest_run_state *run);
BX_MUST_USE int bx_harvest_oai_dc(struct bx_harvest_run_state *run);

#endif
