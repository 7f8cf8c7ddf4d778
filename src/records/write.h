/* The one write path shared by records.c (single writes) and import.c (batches). */
#ifndef BX_RECORDS_WRITE_H
#define BX_RECORDS_WRITE_H

#include "records/records.h"

enum bx_write_kind { BX_KIND_CREATE, BX_KIND_REPLACE, BX_KIND_IMPORT };

/* Validates, authorizes against the current revision, prepares and stores input.
 * path_id: the id from the URL for a replace, else NULL. When in_transaction is false
 * the write is a transaction of its own. Errors as bx_records_replace. */
BX_MUST_USE int bx_records_write(struct bx_node *node, const struct bx_actor *actor,
                                 const json_t *input, const char *path_id,
                                 enum bx_write_kind kind, int64_t if_match,
                                 bool in_transaction, struct bx_write_result *result);

#endif
