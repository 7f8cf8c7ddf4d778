/* The record validator: the envelope of DESIGN 4.1 and the record type's format, against
 * the catalog's vocabularies. It reports every problem, each with a JSON pointer. */
#ifndef BX_VALIDATE_H
#define BX_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include "core/catalog.h"

#define BX_MAX_LIST 200                  /* values per list field */
#define BX_MAX_LSTRING (1024 * 1024)     /* bytes per language value */
#define BX_MAX_JSON_DEPTH 64

struct bx_validation {
	const struct bx_catalog *catalog;
	const char *node;        /* this node's slug: the node part of new ids */
	bool foreign_ids;        /* ids of other nodes are kept (imports by admin or node) */
	json_t *details;         /* problems are appended here as {"path", "message"} */
};

/* Validates record, appending one detail per problem to v->details. Returns the number
 * of problems found (0: valid). */
size_t bx_validate_record(struct bx_validation *v, const json_t *record);

/* Appends {"path": pointer, "message": message} to details. */
void bx_detail_add(json_t *details, const char *pointer, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* True for a syntactically valid record id "<node>:<local>"; sets *node_length. */
bool bx_is_record_id(const char *id, size_t *node_length);
/* True for a node slug [a-z0-9-]{2,32}. */
bool bx_is_node_slug(const char *slug);
/* True for an http or https URL with a host and no blanks, quotes or angle brackets. */
bool bx_is_http_url(const char *text);
/* True for a language tag as lstrings use them (BCP 47 shape). */
bool bx_is_language_tag(const char *tag);

#endif
