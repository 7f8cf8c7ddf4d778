/* The harvester (DESIGN 8): brings another node's records here, from a bioex peer's
 * changes feed (lossless: replicas keeping their meta) or a generic OAI-PMH endpoint
 * (oai_dc mapped onto the envelope). Each page is applied in one transaction together
 * with the peer's cursor, so an interrupted harvest resumes where it stopped; each run is
 * recorded. docs/federation.md describes the whole. */
#ifndef BX_HARVEST_H
#define BX_HARVEST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "node/node.h"

#define BX_HARVEST_PAGE_SIZE 1000      /* changes asked for per page of a bioex peer */
#define BX_HARVEST_KIND_SIZE 16

struct bx_harvest_options {
	const char *peer;        /* a registered peer's slug; NULL: harvest url without a cursor */
	const char *url;         /* NULL: the peer's */
	const char *kind;        /* "bioex" or "oai-pmh"; NULL: the peer's, else detected */
	const char *set;         /* OAI-PMH: harvest this set only */
	const char *from;        /* OAI-PMH: from this datestamp, instead of the cursor's */
	const char *token;       /* a bearer token for the peer (role node: private fields), or NULL */
	int page_size;           /* bioex: changes per page (0: BX_HARVEST_PAGE_SIZE) */
	const atomic_bool *cancel;   /* stop between requests when it becomes true; may be NULL */
};

struct bx_harvest_result {
	char kind[BX_HARVEST_KIND_SIZE];
	int64_t added, updated, deleted;   /* created here, replaced, withdrawn */
	int64_t unchanged;       /* already here at that revision (or with that content) */
	int64_t refused;         /* copies of this node's own records, never applied */
	int64_t skipped;         /* OAI-PMH records that could not be mapped to a valid record */
	int64_t pages;           /* pages applied */
	char error[512];         /* why the run failed; "" when it succeeded */
};

/* Runs one harvest and records it (bx_store_harvest_put). Pages applied before a failure
 * stay applied, with the cursor after them. Returns 0, or an error code with the reason
 * in result->error: BX_ENOTFOUND (unknown peer), BX_EINVAL (bad options, or an answer that
 * is not a changes-feed page or OAI-PMH), BX_EIO (unreachable, HTTP error), BX_ETOOBIG, or
 * a storage error. */
BX_MUST_USE int bx_harvest(struct bx_node *node, const struct bx_harvest_options *options,
                           struct bx_harvest_result *result);

/* Finds what url is: "bioex" when url/api/v1/changes answers a changes-feed page, else
 * "oai-pmh" when url?verb=Identify answers an OAI-PMH Identify. Returns 0 and sets kind,
 * or BX_EINVAL/BX_EIO with the reason in message. tries: attempts per request (0: the
 * default). */
BX_MUST_USE int bx_harvest_detect(const char *url, const char *token, int tries,
                                  const atomic_bool *cancel, char kind[BX_HARVEST_KIND_SIZE],
                                  char *message, size_t message_size);

#endif
