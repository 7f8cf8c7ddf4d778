/* From a generic OAI-PMH endpoint's oai_dc records to bioex envelopes (docs/federation.md
 * has the table). The mapping is pure: it reads the catalog, never storage. */
#ifndef BX_HARVEST_MAP_H
#define BX_HARVEST_MAP_H

#include <jansson.h>
#include "core/catalog.h"
#include "federation/harvest_read.h"

#define BX_RECORD_ID_SIZE 200

/* The record id of an OAI identifier harvested from peer: "<peer>:<local>", the same for
 * every harvest. The identifier itself is the local part when it fits [A-Za-z0-9._-]{1,100};
 * otherwise its characters outside that set become '-', it is cut at 80 bytes, and a
 * BLAKE2b hash of the whole identifier (16 hex digits) is appended after a '.', so that
 * different identifiers never share an id. */
void bx_harvest_oai_id(const char *peer, const char *identifier, char out[BX_RECORD_ID_SIZE]);

/* Maps one oai_dc record (not deleted) harvested from peer onto the envelope: id as
 * above, type from a "type:<type>" set or a dc:type naming a bioex type whose format
 * requires no fields (else "document"), title, summary and text from dc:title and
 * dc:description, date, subjects, links, conventions and countries. Returns a new object,
 * or NULL when out of memory. */
json_t *bx_harvest_map_oai_dc(const struct bx_catalog *catalog, const char *peer,
                              const struct bx_oai_record *record);

#endif
