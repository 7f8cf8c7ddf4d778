/* The records service: every way a record is written or read (API, web, import,
 * command line) goes through here, so validation, roles, revisions and the audit log
 * apply the same everywhere. A write is validated, authorized against the current
 * revision, prepared and stored in one transaction. */
#ifndef BX_RECORDS_H
#define BX_RECORDS_H

#include <jansson.h>
#include "auth/policy.h"
#include "node/node.h"

/* Who is acting, and from where (address NULL on the command line). */
struct bx_actor {
	const struct bx_principal *principal;
	const char *address;
};

/* What a write did, or why it did not. */
struct bx_write_result {
	char id[200];
	int64_t revision;
	enum bx_write_outcome outcome;
	json_t *details;     /* validation problems, {"path", "message"} (owned) */
	char reason[256];    /* why a write was refused, for BX_EPERM, BX_EAUTH, conflicts */
};

void bx_write_result_init(struct bx_write_result *result);
void bx_write_result_clear(struct bx_write_result *result);

#define BX_NO_REVISION (-1)

/* Creates a record. BX_EINVALID (details set), BX_EAUTH, BX_EPERM, BX_EEXIST. */
BX_MUST_USE int bx_records_create(struct bx_node *node, const struct bx_actor *actor,
                                  const json_t *input, struct bx_write_result *result);
/* Replaces record id. if_match is the revision of an If-Match header or BX_NO_REVISION;
 * without it, input's meta.revision is the precondition. BX_EPRECONDITION (If-Match
 * differs), BX_ECONFLICT (meta.revision is stale), BX_ENOPRECONDITION (neither given),
 * BX_ENOTFOUND, and the errors of create. */
BX_MUST_USE int bx_records_replace(struct bx_node *node, const struct bx_actor *actor,
                                   const char *id, const json_t *input, int64_t if_match,
                                   struct bx_write_result *result);
/* Withdraws record id, leaving a tombstone. if_match as for replace, but optional. */
BX_MUST_USE int bx_records_withdraw(struct bx_node *node, const struct bx_actor *actor,
                                    const char *id, int64_t if_match,
                                    struct bx_write_result *result);
/* Applies a withdrawal made on another node, inside the caller's write transaction.
 * tombstone is {"id", "meta": {"revision"?, "updated"?, "author"?, "deleted": true}}: the
 * local copy is withdrawn at meta.revision when that is newer than it (without a revision,
 * at its next one). Sets result->outcome to BX_WRITE_WITHDRAWN, or BX_WRITE_UNCHANGED when
 * there is nothing to do (unknown id, already withdrawn, not newer), or BX_WRITE_REFUSED
 * when a node (bx_policy_replicates) would withdraw one of this node's own records. */
BX_MUST_USE int bx_records_withdraw_replica(struct bx_node *node, const struct bx_actor *actor,
                                            const json_t *tombstone, struct bx_write_result *result);

/* The record (revision 0: the current one) as the principal may see it: private fields
 * removed unless allowed. Sets *json (malloc'ed) and *revision. BX_ENOTFOUND when it does
 * not exist or may not be seen; BX_EGONE when withdrawn. */
BX_MUST_USE int bx_records_read(struct bx_node *node, const struct bx_principal *principal,
                                const char *id, int64_t revision, char **json, int64_t *revision_out);
/* The revision history: [{"revision", "status", "updated", "author", "deleted"}]. */
BX_MUST_USE int bx_records_history(struct bx_node *node, const struct bx_principal *principal,
                                   const char *id, json_t **history);

/* One entry of the changes feed (DESIGN 8): a published record as the reader may see
 * it, or a withdrawal (deleted, json NULL). changed: when it was stored here, Unix seconds. */
struct bx_change {
	int64_t seq;
	const char *id;
	const char *type;
	int64_t revision;
	bool deleted;
	int64_t changed;
	const char *json;
};
typedef int (*bx_change_fn)(void *context, const struct bx_change *change);

/* The changes after sequence since, in sequence order, scanning at most limit: published
 * records (private fields removed unless the principal may see them) and withdrawals;
 * drafts and submissions are skipped. Sets *next to the last sequence scanned (since when
 * none) and *more when limit were scanned, so that more may follow. A non-zero return of
 * fn stops the scan and is returned. */
BX_MUST_USE int bx_records_changes(struct bx_node *node, const struct bx_principal *principal,
                                   int64_t since, int limit, bx_change_fn fn, void *context,
                                   int64_t *next, bool *more);

/* What a listing shows of the record stored as json[0..length): its id, type, status,
 * title, summary, date, conventions, countries, translations and meta, parsed without the
 * rest (bx_json_load_members). NULL when json is not an object or memory runs out. */
json_t *bx_records_load_summary(const char *json, size_t length);

/* Imports: a batch of records written all or nothing. */
struct bx_import;

/* Starts a batch. With report_all every line gets an entry in the report; otherwise only
 * the lines with problems. */
BX_MUST_USE int bx_import_begin(struct bx_node *node, const struct bx_actor *actor,
                                bool report_all, struct bx_import **out);
/* Adds one record given as JSON text (a line of NDJSON; an empty one is skipped). Problems are recorded in the
 * report; the batch goes on so that every line is checked. */
void bx_import_add_text(struct bx_import *import, const char *text, size_t length);
void bx_import_add_json(struct bx_import *import, const json_t *record);
/* Adds every line of an NDJSON text (LF or CRLF line ends, trailing blanks ignored). */
void bx_import_add_ndjson(struct bx_import *import, const char *text, size_t length);
/* Called inside the batch's transaction once every line is stored and all were good, so
 * that what it writes (a harvest cursor) commits with the records; a non-zero return
 * rolls the batch back and is what bx_import_finish returns. */
typedef int (*bx_import_commit_fn)(void *context);
void bx_import_before_commit(struct bx_import *import, bx_import_commit_fn fn, void *context);
/* Commits when every line was good (returns 0), else rolls back (BX_EINVALID, or the
 * storage error). Sets *report to {"committed","created","updated","unchanged","withdrawn",
 * "refused","invalid","lines":[...]}. Imports that keep provenance (admin, node) may carry
 * withdrawals: a line {"id", "meta": {"deleted": true, "revision"?}} withdraws the record
 * as bx_records_withdraw_replica does. */
BX_MUST_USE int bx_import_finish(struct bx_import *import, json_t **report);

#endif
