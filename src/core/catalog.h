/* The catalog: what validating and preparing records needs from the vocabularies and
 * formats, held in memory for a node's lifetime (read-only once loaded, so threads share
 * it). Rebuilt from the store; a server picks up reloaded vocabularies at restart. */
#ifndef BX_CATALOG_H
#define BX_CATALOG_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include "store/store.h"

struct bx_catalog;

/* Builds the catalog from the store's vocabularies. Sets *out, or NULL on failure. */
BX_MUST_USE int bx_catalog_load(struct bx_store *store, struct bx_catalog **out);
void bx_catalog_free(struct bx_catalog *catalog);

bool bx_catalog_has_vocabulary(const struct bx_catalog *catalog, const char *vocabulary);
bool bx_catalog_has_term(const struct bx_catalog *catalog, const char *vocabulary, const char *id);
/* Every record type's fields schema by type name, in load order (borrowed). */
const json_t *bx_catalog_formats(const struct bx_catalog *catalog);
/* The fields schema of a record type, or NULL for an unknown type (borrowed). */
const json_t *bx_catalog_format(const struct bx_catalog *catalog, const char *type);
/* Might a record of type, stored as json, hold fields its format marks x-private? False
 * only when the format has none or json names none of them (a cheap, safe test). */
bool bx_catalog_may_hold_private(const struct bx_catalog *catalog, const char *type,
                                 const char *json);
/* The M49 regions a country belongs to, most specific first (borrowed; NULL if none). */
const json_t *bx_catalog_regions_of(const struct bx_catalog *catalog, const char *country);
/* The targets the crosswalk maps to target by exactMatch or closeMatch, in either
 * direction (gbf:3 gives aichi:11 and aichi:11 gives gbf:3). Borrowed; NULL when none. */
const json_t *bx_catalog_crosswalk(const struct bx_catalog *catalog, const char *target);
/* The compiled form of a pattern of a loaded format; NULL if it was not in one. */
const regex_t *bx_catalog_pattern(const struct bx_catalog *catalog, const char *pattern);

#endif
