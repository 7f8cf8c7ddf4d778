/* Import batches (see records.h): every record of a batch goes through the one write
 * path inside a single transaction; one bad line and the whole batch is rolled back,
 * but every line is still checked so the report names every problem. */
#include <stdlib.h>
#include <string.h>
#include "records/write.h"
#include "util/json.h"

struct bx_import {
	struct bx_node *node;
	struct bx_actor actor;
	bool report_all;
	bool failed;
	int storage_error;
	size_t line;
	int64_t counts[4];   /* by outcome; [0] counts invalid lines */
	json_t *lines;
};

int bx_import_begin(struct bx_node *node, const struct bx_actor *actor, bool report_all,
                    struct bx_import **out)
{
	struct bx_import *import = calloc(1, sizeof *import);
	*out = NULL;
	if (!import || !(import->lines = json_array())) {
		free(import);
		return BX_ENOMEM;
	}
	int rc = bx_store_begin(node->store);
	if (rc) {
		json_decref(import->lines);
		free(import);
		return rc;
	}
	import->node = node;
	import->actor = *actor;
	import->report_all = report_all;
	*out = import;
	return 0;
}

static const char *const outcome_names[] = {"invalid", "created", "updated", "unchanged"};

static void report_line(struct bx_import *import, int rc, const struct bx_write_result *result,
                        const char *message)
{
	if (rc) {
		import->failed = true;
		import->counts[0]++;
		if (rc == BX_EIO || rc == BX_ENOMEM)
			import->storage_error = rc;
	} else {
		import->counts[result->outcome]++;
		if (!import->report_all)
			return;
	}
	json_t *entry = json_pack("{s:I, s:s}", "line", (json_int_t)import->line,
	                          "result", rc ? "invalid" : outcome_names[result->outcome]);
	if (result && result->id[0])
		json_object_set_new(entry, "id", json_string(result->id));
	if (!rc && result)
		json_object_set_new(entry, "revision", json_integer(result->revision));
	if (rc) {
		json_t *errors = result && json_array_size(result->details) ? json_copy(result->details)
		               : json_pack("[{s:s, s:s}]", "path", "", "message", message);
		json_object_set_new(entry, "errors", errors);
	}
	json_array_append_new(import->lines, entry);
}

void bx_import_add_json(struct bx_import *import, const json_t *record)
{
	import->line++;
	if (import->storage_error)
		return;
	struct bx_write_result result;
	bx_write_result_init(&result);
	int rc = bx_records_write(import->node, &import->actor, record, NULL, BX_KIND_IMPORT,
	                          BX_NO_REVISION, true, &result);
	const char *id = json_string_value(json_object_get(record, "id"));
	if (rc && !result.id[0] && id)
		snprintf(result.id, sizeof result.id, "%s", id);
	report_line(import, rc, &result, result.reason[0] ? result.reason : bx_strerror(rc));
	bx_write_result_clear(&result);
}

void bx_import_add_text(struct bx_import *import, const char *text, size_t length)
{
	char message[256];
	json_t *record = NULL;
	if (length == 0) {
		import->line++;   /* blank lines are allowed and skipped */
		return;
	}
	if (bx_json_parse(text, length, &record, message, sizeof message)) {
		import->line++;
		report_line(import, BX_EINVAL, NULL, message);
		return;
	}
	bx_import_add_json(import, record);
	json_decref(record);
}

int bx_import_finish(struct bx_import *import, json_t **report)
{
	int rc = import->storage_error ? import->storage_error : import->failed ? BX_EINVALID : 0;
	if (rc)
		bx_store_rollback(import->node->store);
	else
		rc = bx_store_commit(import->node->store);
	bool committed = rc == 0;
	*report = json_pack("{s:b, s:I, s:I, s:I, s:I, s:o}", "committed", committed,
	                    "created", committed ? (json_int_t)import->counts[BX_WRITE_CREATED] : 0,
	                    "updated", committed ? (json_int_t)import->counts[BX_WRITE_UPDATED] : 0,
	                    "unchanged", committed ? (json_int_t)import->counts[BX_WRITE_UNCHANGED] : 0,
	                    "invalid", (json_int_t)import->counts[0], "lines", import->lines);
	free(import);
	return rc;
}
