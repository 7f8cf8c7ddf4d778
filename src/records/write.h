/* The one write path shared by records.c (single writes) and import.c (batches). */
#ifndef BX_RECORDS_WRITE_H
#define BX_RECORDS_WRITE_H

#include "core/record.h"
#include "records/records.h"

enum bx_write_kind { BX_KIND_CREATE, BX_KIND_REPLACE, BX_KIND_IMPORT, BX_KIND_WITHDRAW };

/* The context core/record.c prepares a write of this kind in. */
struct bx_write_context bx_records_write_context(struct bx_node *node, const struct bx_actor *actor,
                                                 enum bx_write_kind kind);
/* 0 when if_match is BX_NO_REVISION or current's revision; else BX_EPRECONDITION with the
 * reason in result. */
int bx_records_check_if_match(int64_t if_match, const struct bx_stored *current,
                              struct bx_write_result *result);

/* Does record come from node: its meta.origin, or without one the node its id names? */
bool bx_records_is_from(const json_t *record, const char *node);
/* Marks result as refused (BX_WRITE_REFUSED, with the reason): a copy of one of this
 * node's own records, sent by another node. Returns 0: a refusal is not an error. */
int bx_records_refuse_own(const struct bx_node *node, const char *id, struct bx_write_result *result);

/* The write path in two steps, so that imports can run the first on another thread.
 *
 * bx_records_validate needs no storage: the writer may write at all and input is a valid
 * record (BX_EAUTH, BX_EINVALID with result->details). bx_records_prepare_new prepares
 * input as if its id were new, also without storage.
 *
 * bx_records_store runs inside a write transaction: it reads the current revision, checks
 * preconditions and roles, prepares (or takes `ready`, a bx_records_prepare_new result,
 * when the id is indeed new; it may be NULL) and stores. path_id: the id from the URL of
 * a replace, else NULL. Errors as bx_records_replace. */
BX_MUST_USE int bx_records_validate(struct bx_node *node, const struct bx_actor *actor,
                                    const json_t *input, enum bx_write_kind kind,
                                    const char *path_id, struct bx_write_result *result);
BX_MUST_USE int bx_records_prepare_new(struct bx_node *node, const struct bx_actor *actor,
                                       const json_t *input, enum bx_write_kind kind,
                                       struct bx_prepared *out);
BX_MUST_USE int bx_records_store(struct bx_node *node, const struct bx_actor *actor,
                                 const json_t *input, const char *path_id,
                                 enum bx_write_kind kind, int64_t if_match,
                                 struct bx_prepared *ready, struct bx_write_result *result);
/* Validates and stores, as a transaction of its own unless in_transaction. */
BX_MUST_USE int bx_records_write(struct bx_node *node, const struct bx_actor *actor,
                                 const json_t *input, const char *path_id,
                                 enum bx_write_kind kind, int64_t if_match,
                                 bool in_transaction, struct bx_write_result *result);

#endif
