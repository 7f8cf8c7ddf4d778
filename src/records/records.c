/* Single-record operations of the records service (see records.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/record.h"
#include "records/write.h"
#include "util/json.h"

void bx_write_result_init(struct bx_write_result *result)
{
	memset(result, 0, sizeof *result);
	result->details = json_array();
}

void bx_write_result_clear(struct bx_write_result *result)
{
	json_decref(result->details);
	memset(result, 0, sizeof *result);
}

int bx_records_create(struct bx_node *node, const struct bx_actor *actor, const json_t *input,
                      struct bx_write_result *result)
{
	return bx_records_write(node, actor, input, NULL, BX_KIND_CREATE, BX_NO_REVISION, false, result);
}

int bx_records_replace(struct bx_node *node, const struct bx_actor *actor, const char *id,
                       const json_t *input, int64_t if_match, struct bx_write_result *result)
{
	return bx_records_write(node, actor, input, id, BX_KIND_REPLACE, if_match, false, result);
}

/* 0 when principal may see the stored record at all, else BX_ENOTFOUND. */
static int check_visible(const struct bx_principal *principal, const struct bx_stored *stored)
{
	if (!strcmp(stored->status, "published") && !stored->deleted)
		return 0;
	json_t *record = json_loads(stored->json, 0, NULL);
	if (!record)
		return BX_EIO;
	int rc = bx_policy_may_see(principal, record) ? 0 : BX_ENOTFOUND;
	json_decref(record);
	return rc;
}

/* Stores the tombstone of current (parsed as record): a withdrawal here, or with
 * source_meta a withdrawal made on another node. Inside a write transaction. */
static int store_tombstone(struct bx_node *node, const struct bx_actor *actor, enum bx_write_kind kind,
                           const struct bx_stored *current, const json_t *record,
                           const json_t *source_meta, struct bx_write_result *result)
{
	int rc = bx_policy_check_write(actor->principal, record, record, result->reason,
	                               sizeof result->reason);
	struct bx_write_context context = bx_records_write_context(node, actor, kind);
	struct bx_prepared prepared = {0};
	if (!rc)
		rc = source_meta ? bx_record_tombstone_replica(&context, current, source_meta, &prepared)
		                 : bx_record_tombstone(&context, current, &prepared);
	int64_t seq;
	if (!rc)
		rc = bx_store_put_record(node->store, &prepared.write, &result->outcome, &seq);
	if (!rc) {
		snprintf(result->id, sizeof result->id, "%s", current->id);
		result->revision = prepared.write.revision;
		if (source_meta && result->outcome != BX_WRITE_UNCHANGED)
			result->outcome = BX_WRITE_WITHDRAWN;
	}
	bx_prepared_free(&prepared);
	return rc;
}

int bx_records_withdraw(struct bx_node *node, const struct bx_actor *actor, const char *id,
                        int64_t if_match, struct bx_write_result *result)
{
	if (actor->principal->role == BX_ROLE_ANONYMOUS) {
		snprintf(result->reason, sizeof result->reason, "sign in to withdraw records");
		return BX_EAUTH;
	}
	int rc = bx_store_begin(node->store);
	if (rc)
		return rc;
	struct bx_stored current = {0};
	json_t *record = NULL;
	rc = bx_store_get_record(node->store, id, &current);
	if (!rc && current.deleted)
		rc = BX_EGONE;
	if (!rc)
		rc = bx_records_check_if_match(if_match, &current, result);
	if (!rc)
		rc = check_visible(actor->principal, &current);
	if (!rc && !(record = json_loads(current.json, 0, NULL)))
		rc = BX_EIO;
	if (!rc)
		rc = store_tombstone(node, actor, BX_KIND_WITHDRAW, &current, record, NULL, result);
	json_decref(record);
	bx_stored_free(&current);
	return bx_store_end(node->store, rc);
}

int bx_records_withdraw_replica(struct bx_node *node, const struct bx_actor *actor,
                                const json_t *tombstone, struct bx_write_result *result)
{
	const char *id = json_string_value(json_object_get(tombstone, "id"));
	const json_t *source_meta = json_object_get(tombstone, "meta");
	int64_t revision = json_integer_value(json_object_get(source_meta, "revision"));
	struct bx_stored current = {0};
	json_t *record = NULL;
	snprintf(result->id, sizeof result->id, "%s", id ? id : "");
	result->outcome = BX_WRITE_UNCHANGED;
	int rc = id ? bx_store_get_record(node->store, id, &current) : BX_EINVAL;
	if (rc == BX_ENOTFOUND)   /* never held here: nothing to withdraw */
		return 0;
	result->revision = current.revision;
	bool stale = !rc && (current.deleted || (revision > 0 && revision <= current.revision));
	if (!rc && !stale && !(record = json_loads(current.json, 0, NULL)))
		rc = BX_EIO;
	if (!rc && record && bx_policy_replicates(actor->principal) &&
	    bx_records_is_from(record, node->slug))
		rc = bx_records_refuse_own(node, id, result);
	else if (!rc && record)
		rc = store_tombstone(node, actor, BX_KIND_IMPORT, &current, record, source_meta, result);
	json_decref(record);
	bx_stored_free(&current);
	return rc;
}

/* The stored JSON as principal may see it, taken from stored (whose json becomes NULL):
 * NULL when it may not see it at all. A published record whose text names none of its
 * format's private fields is handed on as it is, without parsing. */
static char *visible_json(struct bx_node *node, const struct bx_principal *principal,
                          struct bx_stored *stored, int *rc)
{
	bool published = !strcmp(stored->status, "published") && !stored->deleted;
	*rc = 0;
	if (published && !bx_catalog_may_hold_private(node->catalog, stored->type, stored->json)) {
		char *json = stored->json;
		stored->json = NULL;
		return json;
	}
	json_t *record = json_loads(stored->json, 0, NULL);
	if (!record) {
		*rc = BX_EIO;
		return NULL;
	}
	char *json = NULL;
	if (!published && !bx_policy_may_see(principal, record)) {
		*rc = BX_ENOTFOUND;
	} else {
		if (!bx_policy_sees_private(principal, record))
			bx_record_redact(node->catalog, record);
		json = json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER);
		*rc = json ? 0 : BX_ENOMEM;
	}
	json_decref(record);
	return json;
}

int bx_records_read(struct bx_node *node, const struct bx_principal *principal, const char *id,
                    int64_t revision, char **json, int64_t *revision_out)
{
	struct bx_stored current = {0}, wanted = {0};
	*json = NULL;
	int rc = bx_store_get_record(node->store, id, &current);
	if (!rc && revision == 0 && current.deleted)
		rc = BX_EGONE;
	if (!rc && revision) {
		/* An earlier revision is shown to whoever may see the record now. */
		if (!current.deleted)
			rc = check_visible(principal, &current);
		if (!rc)
			rc = bx_store_get_revision(node->store, id, revision, &wanted);
	}
	struct bx_stored *shown = revision ? &wanted : &current;
	if (!rc) {
		*json = visible_json(node, principal, shown, &rc);
		*revision_out = shown->revision;
	}
	bx_stored_free(&current);
	bx_stored_free(&wanted);
	return rc;
}

struct changes {
	struct bx_node *node;
	const struct bx_principal *principal;
	bx_change_fn fn;
	void *context;
	int64_t last;
	int scanned;
};

static int add_change(void *context, const struct bx_stored *stored)
{
	struct changes *changes = context;
	changes->last = stored->seq;
	changes->scanned++;
	bool published = !strcmp(stored->status, "published");
	if (!published && !stored->deleted)
		return 0;
	struct bx_change change = {
		.seq = stored->seq, .id = stored->id, .type = stored->type, .revision = stored->revision,
		.deleted = stored->deleted, .changed = stored->changed,
	};
	if (stored->deleted)
		return changes->fn(changes->context, &change);
	struct bx_stored copy = *stored;   /* visible_json may take the text: give it a copy */
	if (!(copy.json = strdup(stored->json)))
		return BX_ENOMEM;
	int rc;
	char *json = visible_json(changes->node, changes->principal, &copy, &rc);
	free(copy.json);
	change.json = json;
	if (!rc)
		rc = changes->fn(changes->context, &change);
	free(json);
	return rc;
}

int bx_records_changes(struct bx_node *node, const struct bx_principal *principal, int64_t since,
                       int limit, bx_change_fn fn, void *context, int64_t *next, bool *more)
{
	struct changes changes = {node, principal, fn, context, since, 0};
	int rc = bx_store_each_change(node->store, since, limit, add_change, &changes);
	*next = changes.last;
	*more = changes.scanned == limit;
	return rc;
}

struct history {
	json_t *items;
};

static int add_history_entry(void *context, const struct bx_stored *revision)
{
	struct history *history = context;
	json_t *record = json_loads(revision->json, 0, NULL);
	json_t *meta = json_object_get(record, "meta");
	json_array_append_new(history->items, json_pack("{s:I, s:s, s:O?, s:O?, s:b}",
	                      "revision", (json_int_t)revision->revision, "status", revision->status,
	                      "updated", json_object_get(meta, "updated"),
	                      "author", json_object_get(meta, "author"), "deleted", revision->deleted));
	json_decref(record);
	return 0;
}

int bx_records_history(struct bx_node *node, const struct bx_principal *principal, const char *id,
                       json_t **history_out)
{
	struct bx_stored current = {0};
	int rc = bx_store_get_record(node->store, id, &current);
	/* A withdrawn record's history is public, as its tombstone is; the content of each
	 * revision keeps its own visibility (bx_records_read). */
	if (!rc && !current.deleted)
		rc = check_visible(principal, &current);
	bx_stored_free(&current);
	struct history history = {json_array()};
	if (!rc)
		rc = bx_store_each_revision(node->store, id, add_history_entry, &history);
	if (rc) {
		json_decref(history.items);
		return rc;
	}
	*history_out = history.items;
	return 0;
}

json_t *bx_records_load_summary(const char *json, size_t length)
{
	static const char *const keys[] = {"id", "type", "status", "title", "summary", "date",
	                                   "conventions", "countries", "translations", "meta"};
	return bx_json_load_members(json, length, keys, sizeof keys / sizeof keys[0]);
}
