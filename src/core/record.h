/* Turns a valid record into what the store keeps: the canonical JSON (envelope keys in
 * a fixed order, lists without repeats, regions added from countries, server-written
 * meta), its facet values and its sort keys. Also hides private fields. */
#ifndef BX_RECORD_H
#define BX_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include "core/catalog.h"
#include "store/store.h"

struct bx_write_context {
	const struct bx_catalog *catalog;
	const char *node;        /* this node's slug */
	const char *actor;       /* the user writing, NULL for the command line */
	const char *address;     /* where the request came from, NULL for the command line */
	bool keep_meta;          /* a copy from elsewhere: keep the meta it carries */
	bool replicating;        /* written by another node (harvest, push): meta.harvested is
	                            set to now */
};

struct bx_prepared {
	json_t *record;          /* the canonical record (owned) */
	char *json;              /* its serialization */
	struct bx_record_write write;            /* ready for bx_store_put_record */
};

/* Prepares input (already validated) as the next revision after current_record (the
 * parsed current revision, whose meta.revision it follows; NULL for a new record), with
 * status default_status when input has none. mode is the store write mode. On success
 * fills *out (free with bx_prepared_free) and returns 0. */
BX_MUST_USE int bx_record_prepare(const struct bx_write_context *context, const json_t *input,
                                  const json_t *current_record, const char *default_status,
                                  enum bx_write_mode mode, struct bx_prepared *out);
/* Prepares the tombstone that withdraws current. */
BX_MUST_USE int bx_record_tombstone(const struct bx_write_context *context,
                                    const struct bx_stored *current, struct bx_prepared *out);
/* Prepares the tombstone of a withdrawal made elsewhere: source_meta (the tombstone's meta
 * as the other node sent it) gives its revision (a replica write, stored only if newer;
 * without one, the next revision here), updated and author. */
BX_MUST_USE int bx_record_tombstone_replica(const struct bx_write_context *context,
                                            const struct bx_stored *current,
                                            const json_t *source_meta, struct bx_prepared *out);
void bx_prepared_free(struct bx_prepared *prepared);

/* Called once per facet value of a record: ("instrument", "cbd"), ("country", "CN"),
 * ("region", ...), ("target", ...), ("subject", ...), ("language", "zh"). Values are
 * borrowed from the record. A non-zero return stops the walk and is returned. */
typedef int (*bx_facet_fn)(void *context, const char *name, const char *value);
/* Walks the multi-valued facets of a canonical record (type, status and year are
 * single-valued and read from the record directly), each language once. */
BX_MUST_USE int bx_record_each_facet(const json_t *record, bx_facet_fn fn, void *context);

/* Removes the fields its format marks x-private from record (in place). */
void bx_record_redact(const struct bx_catalog *catalog, json_t *record);

#endif
