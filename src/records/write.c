/* The record write path (see write.h): validate, then inside the write lock read the
 * current revision, check preconditions and roles, prepare and store. */
#include <stdio.h>
#include <string.h>
#include "core/record.h"
#include "core/validate.h"
#include "records/write.h"

int bx_records_check_if_match(int64_t if_match, const struct bx_stored *current,
                              struct bx_write_result *result)
{
	if (if_match == BX_NO_REVISION || if_match == current->revision)
		return 0;
	snprintf(result->reason, sizeof result->reason,
	         "If-Match names revision %lld but the record is at revision %lld",
	         (long long)if_match, (long long)current->revision);
	return BX_EPRECONDITION;
}

static int check_preconditions(enum bx_write_kind kind, const json_t *input, int64_t if_match,
                               const struct bx_stored *current, struct bx_write_result *result)
{
	if (kind != BX_KIND_REPLACE)
		return 0;
	if (!current)
		return BX_ENOTFOUND;
	if (if_match != BX_NO_REVISION)
		return bx_records_check_if_match(if_match, current, result);
	json_t *revision = json_object_get(json_object_get(input, "meta"), "revision");
	if (!json_is_integer(revision)) {
		snprintf(result->reason, sizeof result->reason,
		         "send If-Match with the revision you edited (or meta.revision in the body)");
		return BX_ENOPRECONDITION;
	}
	if (json_integer_value(revision) != current->revision) {
		snprintf(result->reason, sizeof result->reason,
		         "revision %lld was edited but the record is now at revision %lld",
		         (long long)json_integer_value(revision), (long long)current->revision);
		return BX_ECONFLICT;
	}
	return 0;
}

/* The store mode of an import: copies carrying meta are replicas, else upserts. */
static enum bx_write_mode import_mode(bool keep_meta, const json_t *input,
                                      const struct bx_stored *current)
{
	json_t *meta = json_object_get(input, "meta");
	if (keep_meta && json_integer_value(json_object_get(meta, "revision")) > 0)
		return BX_WRITE_REPLICA;
	return current ? BX_WRITE_UPDATE : BX_WRITE_CREATE;
}

struct bx_write_context bx_records_write_context(struct bx_node *node, const struct bx_actor *actor,
                                                 enum bx_write_kind kind)
{
	const struct bx_principal *principal = actor->principal;
	return (struct bx_write_context){
		.catalog = node->catalog, .node = node->slug,
		.actor = principal->name[0] ? principal->name : NULL,
		.address = actor->address,
		.keep_meta = kind == BX_KIND_IMPORT && bx_policy_keeps_provenance(principal),
		.replicating = kind == BX_KIND_IMPORT && bx_policy_replicates(principal),
	};
}

static enum bx_write_mode write_mode(enum bx_write_kind kind, bool keep_meta, const json_t *input,
                                     const struct bx_stored *current)
{
	return kind == BX_KIND_IMPORT ? import_mode(keep_meta, input, current)
	     : kind == BX_KIND_REPLACE ? BX_WRITE_UPDATE : BX_WRITE_CREATE;
}

/* Is the prepared record the same as the current one (not withdrawn), but for meta? */
static bool same_content(const json_t *prepared, const json_t *current_record)
{
	json_t *stored = json_copy((json_t *)current_record);
	json_t *incoming = json_copy((json_t *)prepared);
	bool same = false;
	if (stored && incoming && !json_is_true(json_object_get(json_object_get(stored, "meta"), "deleted"))) {
		json_object_del(stored, "meta");
		json_object_del(incoming, "meta");
		same = json_equal(stored, incoming);
	}
	json_decref(stored);
	json_decref(incoming);
	return same;
}

bool bx_records_is_from(const json_t *record, const char *node)
{
	const char *origin = json_string_value(json_object_get(json_object_get(record, "meta"), "origin"));
	if (origin)
		return !strcmp(origin, node);
	const char *id = json_string_value(json_object_get(record, "id"));
	size_t length = strlen(node);
	return id && !strncmp(id, node, length) && id[length] == ':';
}

int bx_records_refuse_own(const struct bx_node *node, const char *id, struct bx_write_result *result)
{
	snprintf(result->id, sizeof result->id, "%s", id ? id : "");
	snprintf(result->reason, sizeof result->reason,
	         "%s is a record of this node (%s): copies from other nodes never replace it",
	         id ? id : "the record", node->slug);
	result->outcome = BX_WRITE_REFUSED;
	return 0;
}

int bx_records_prepare_new(struct bx_node *node, const struct bx_actor *actor, const json_t *input,
                           enum bx_write_kind kind, struct bx_prepared *out)
{
	struct bx_write_context context = bx_records_write_context(node, actor, kind);
	return bx_record_prepare(&context, input, NULL, bx_policy_default_status(actor->principal),
	                         write_mode(kind, context.keep_meta, input, NULL), out);
}

int bx_records_store(struct bx_node *node, const struct bx_actor *actor, const json_t *input,
                     const char *path_id, enum bx_write_kind kind, int64_t if_match,
                     struct bx_prepared *ready, struct bx_write_result *result)
{
	const char *id = path_id ? path_id : json_string_value(json_object_get(input, "id"));
	struct bx_stored current = {0};
	bool has_current = false;
	int rc = 0;
	if (id) {
		rc = bx_store_get_record(node->store, id, &current);
		has_current = rc == 0;
		if (rc == BX_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = check_preconditions(kind, input, if_match, has_current ? &current : NULL, result);
	if (!rc && kind == BX_KIND_CREATE && has_current) {
		snprintf(result->reason, sizeof result->reason, "a record %s exists already", id);
		rc = BX_EEXIST;
	}
	/* The current revision, parsed once for the role check, the next meta and the
	 * comparison of an import. */
	json_t *current_record = NULL;
	if (!rc && has_current && !(current_record = json_loads(current.json, 0, NULL)))
		rc = BX_EIO;
	struct bx_write_context context = bx_records_write_context(node, actor, kind);
	if (!rc && context.replicating && (bx_records_is_from(input, node->slug) ||
	                                   (current_record && bx_records_is_from(current_record, node->slug)))) {
		json_decref(current_record);
		bx_stored_free(&current);
		return bx_records_refuse_own(node, id, result);
	}
	if (!rc)
		rc = bx_policy_check_write(actor->principal, input, current_record, result->reason,
		                           sizeof result->reason);

	struct bx_prepared own = {0}, *prepared = &own;
	if (!rc && ready && !has_current)
		prepared = ready;
	else if (!rc)
		rc = bx_record_prepare(&context, input, current_record,
		                       bx_policy_default_status(actor->principal),
		                       write_mode(kind, context.keep_meta, input, has_current ? &current : NULL),
		                       &own);
	int64_t seq;
	/* Importing what is already here changes nothing, so imports can run again. A replica
	 * is left to the store, which writes it only when its revision is newer, so that
	 * copies keep the revision numbers of their origin. */
	bool unchanged = !rc && kind == BX_KIND_IMPORT && has_current &&
	                 prepared->write.mode != BX_WRITE_REPLICA &&
	                 same_content(prepared->record, current_record);
	if (unchanged)
		result->outcome = BX_WRITE_UNCHANGED;
	else if (!rc)
		rc = bx_store_put_record(node->store, &prepared->write, &result->outcome, &seq);
	if (!rc) {
		snprintf(result->id, sizeof result->id, "%s", prepared->write.id);
		result->revision = result->outcome == BX_WRITE_UNCHANGED ? current.revision
		                 : prepared->write.revision;
	}
	json_decref(current_record);
	bx_prepared_free(&own);
	bx_stored_free(&current);
	return rc;
}

int bx_records_validate(struct bx_node *node, const struct bx_actor *actor, const json_t *input,
                        enum bx_write_kind kind, const char *path_id, struct bx_write_result *result)
{
	const struct bx_principal *principal = actor->principal;
	if (principal->role == BX_ROLE_ANONYMOUS) {
		snprintf(result->reason, sizeof result->reason, "sign in to write records");
		return BX_EAUTH;
	}
	struct bx_validation validation = {
		.catalog = node->catalog, .node = node->slug,
		/* imports by admin or node keep foreign ids; a replace keeps the existing id */
		.foreign_ids = kind == BX_KIND_REPLACE ||
		               (kind == BX_KIND_IMPORT && bx_policy_keeps_provenance(principal)),
		.details = result->details,
	};
	if (bx_validate_record(&validation, input) > 0)
		return BX_EINVALID;
	const char *id = json_string_value(json_object_get(input, "id"));
	if (path_id && id && strcmp(id, path_id)) {
		bx_detail_add(result->details, "/id", "differs from the id in the URL");
		return BX_EINVALID;
	}
	return 0;
}

int bx_records_write(struct bx_node *node, const struct bx_actor *actor, const json_t *input,
                     const char *path_id, enum bx_write_kind kind, int64_t if_match,
                     bool in_transaction, struct bx_write_result *result)
{
	int rc = bx_records_validate(node, actor, input, kind, path_id, result);
	if (rc)
		return rc;
	json_t *with_id = NULL;
	if (path_id && !json_object_get(input, "id")) {
		with_id = json_copy((json_t *)input);
		json_object_set_new(with_id, "id", json_string(path_id));
		input = with_id;
	}
	rc = in_transaction ? 0 : bx_store_begin(node->store);
	if (!rc) {
		rc = bx_records_store(node, actor, input, path_id, kind, if_match, NULL, result);
		if (!in_transaction)
			rc = bx_store_end(node->store, rc);
	}
	json_decref(with_id);
	return rc;
}
