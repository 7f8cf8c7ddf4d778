/* Import batches (see records.h): every record of a batch goes through the one write
 * path inside a single transaction; one bad line and the whole batch is rolled back,
 * but every line is still checked so the report names every problem.
 *
 * The work is pipelined over two threads: records arrive in chunks; while the caller's
 * thread stores chunk k (in order, in the transaction), a checker thread parses,
 * validates and prepares chunk k+1 — work that needs no storage. Storing is the lighter
 * part, so once the caller's thread has stored chunk k it helps check chunk k+1; the two
 * take items by an atomic counter. A record prepared as new whose id turns out to exist
 * is prepared again against its stored revision. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/validate.h"
#include "records/write.h"
#include "util/buf.h"
#include "util/json.h"

#define CHUNK_SIZE 512

struct item {
	size_t line;
	size_t text_at;               /* the line as given: offset in the chunk's text */
	size_t length;
	json_t *record;               /* the parsed record (owned) */
	bool blank;
	bool tombstone;               /* a withdrawal made on another node (see is_tombstone) */
	int rc;                       /* the checker's verdict */
	char message[256];
	struct bx_write_result result;
	struct bx_prepared ready;     /* prepared as a new record */
	bool has_ready;
	bool checked_by_caller;       /* by the caller's thread, not the checker */
};

/* What the writer is done with, freed by the thread that checked it, which allocated it
 * (freeing on the allocating thread keeps the allocator's arenas uncontended). */
struct spent {
	json_t *record;
	json_t *details;
	struct bx_prepared ready;
};

struct chunk {
	struct item items[CHUNK_SIZE];
	size_t n;
	struct bx_buf text;           /* the lines of the items, one after another */
	atomic_size_t next_check;     /* the next item to check, taken by either thread */
	struct spent spent[2][CHUNK_SIZE];   /* [0] checked by the checker, [1] by the caller */
	size_t n_spent[2];
};

struct bx_import {
	struct bx_node *node;
	struct bx_actor actor;
	bool report_all;
	bool failed;
	int storage_error;
	size_t line;
	int64_t counts[BX_WRITE_REFUSED + 1];   /* by outcome; [0] counts invalid lines */
	bx_import_commit_fn before_commit;
	void *before_commit_context;
	json_t *lines;
	struct chunk chunks[2];
	int filling;                  /* the chunk being filled */
	int checking;                 /* the chunk checked (or being checked) and not stored, or -1 */
	bool checker_running;
	pthread_t checker;
	struct check_job {
		struct bx_import *import;
		struct chunk *chunk;
	} job;
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
	import->checking = -1;
	for (int c = 0; c < 2; c++)
		bx_buf_init(&import->chunks[c].text, SIZE_MAX);
	*out = import;
	return 0;
}

static const char *const outcome_names[] = {"invalid", "created", "updated", "unchanged", "withdrawn",
                                            "refused"};

static void report_line(struct bx_import *import, const struct item *item, int rc)
{
	const struct bx_write_result *result = &item->result;
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
	json_t *entry = json_pack("{s:I, s:s}", "line", (json_int_t)item->line,
	                          "result", rc ? "invalid" : outcome_names[result->outcome]);
	const char *id = result->id[0] ? result->id : json_string_value(json_object_get(item->record, "id"));
	if (id)
		json_object_set_new(entry, "id", json_string(id));
	if (!rc) {
		json_object_set_new(entry, "revision", json_integer(result->revision));
		if (result->outcome == BX_WRITE_REFUSED)
			json_object_set_new(entry, "reason", json_string(result->reason));
	} else {
		const char *message = item->message[0] ? item->message
		                    : result->reason[0] ? result->reason : bx_strerror(rc);
		json_t *errors = json_array_size(result->details) ? json_copy(result->details)
		               : json_pack("[{s:s, s:s}]", "path", "", "message", message);
		json_object_set_new(entry, "errors", errors);
	}
	json_array_append_new(import->lines, entry);
}

/* A line that withdraws a record, as nodes send withdrawals: {"id", "meta": {"deleted":
 * true, "revision"?, ...}}. Only imports that keep provenance (admin, node) carry them;
 * for anyone else meta is ignored, as always. */
static bool is_tombstone(const struct bx_import *import, const json_t *record)
{
	return bx_policy_keeps_provenance(import->actor.principal) &&
	       json_is_true(json_object_get(json_object_get(record, "meta"), "deleted"));
}

/* A tombstone line needs a record id and, when it has one, a revision from 1. */
static int check_tombstone(const json_t *record, struct bx_write_result *result)
{
	size_t node_length;
	const char *id = json_string_value(json_object_get(record, "id"));
	if (!id || !bx_is_record_id(id, &node_length))
		bx_detail_add(result->details, "/id", "a withdrawal names the record id it withdraws");
	json_t *revision = json_object_get(json_object_get(record, "meta"), "revision");
	if (revision && (!json_is_integer(revision) || json_integer_value(revision) < 1))
		bx_detail_add(result->details, "/meta/revision", "expected a whole number from 1");
	return json_array_size(result->details) ? BX_EINVALID : 0;
}

/* The checker's part: parse, validate, prepare as new. Touches no storage. */
static void check_item(struct bx_import *import, struct chunk *chunk, struct item *item)
{
	bx_write_result_init(&item->result);
	if (item->blank || item->rc)
		return;
	if (!item->record) {
		item->rc = bx_json_parse(chunk->text.data + item->text_at, item->length, &item->record,
		                         item->message, sizeof item->message);
		if (item->rc)
			return;
	}
	if ((item->tombstone = is_tombstone(import, item->record))) {
		item->rc = check_tombstone(item->record, &item->result);
		return;
	}
	item->rc = bx_records_validate(import->node, &import->actor, item->record, BX_KIND_IMPORT,
	                               NULL, &item->result);
	if (!item->rc)
		item->has_ready = bx_records_prepare_new(import->node, &import->actor, item->record,
		                                         BX_KIND_IMPORT, &item->ready) == 0;
}

static void free_spent(struct chunk *chunk, bool by_caller)
{
	struct spent *spent = chunk->spent[by_caller];
	for (size_t i = 0; i < chunk->n_spent[by_caller]; i++) {
		json_decref(spent[i].record);
		json_decref(spent[i].details);
		bx_prepared_free(&spent[i].ready);
	}
	chunk->n_spent[by_caller] = 0;
}

/* Checks items of the chunk until none is left; both threads run this. */
static void check_items(struct bx_import *import, struct chunk *chunk, bool by_caller)
{
	free_spent(chunk, by_caller);
	for (size_t i; (i = atomic_fetch_add(&chunk->next_check, 1)) < chunk->n;) {
		chunk->items[i].checked_by_caller = by_caller;
		check_item(import, chunk, &chunk->items[i]);
	}
}

static void *check_chunk(void *argument)
{
	struct check_job *job = argument;
	check_items(job->import, job->chunk, false);
	return NULL;
}

/* The writer's part, in line order, inside the batch's transaction. */
static void store_chunk(struct bx_import *import, struct chunk *chunk)
{
	for (size_t i = 0; i < chunk->n; i++) {
		struct item *item = &chunk->items[i];
		if (!item->blank && !import->storage_error) {
			int rc = item->rc;
			if (!rc && item->tombstone)
				rc = bx_records_withdraw_replica(import->node, &import->actor, item->record, &item->result);
			else if (!rc)
				rc = bx_records_store(import->node, &import->actor, item->record, NULL, BX_KIND_IMPORT,
				                      BX_NO_REVISION, item->has_ready ? &item->ready : NULL, &item->result);
			report_line(import, item, rc);
		}
		bool by_caller = item->checked_by_caller;
		chunk->spent[by_caller][chunk->n_spent[by_caller]++] = (struct spent){
			item->record, item->result.details, item->has_ready ? item->ready : (struct bx_prepared){0}};
		memset(item, 0, sizeof *item);
	}
	chunk->n = 0;
	bx_buf_reset(&chunk->text);
}

static void wait_for_checker(struct bx_import *import)
{
	if (import->checker_running)
		pthread_join(import->checker, NULL);
	import->checker_running = false;
}

/* Hands the full chunk to the checker, then stores the chunk it had checked before. */
static void submit(struct bx_import *import)
{
	int full = import->filling, previous = import->checking;
	wait_for_checker(import);
	atomic_store(&import->chunks[full].next_check, 0);
	import->job = (struct check_job){import, &import->chunks[full]};
	if (pthread_create(&import->checker, NULL, check_chunk, &import->job) == 0)
		import->checker_running = true;
	else
		check_chunk(&import->job);   /* no thread to be had: check here */
	import->checking = full;
	if (previous >= 0)
		store_chunk(import, &import->chunks[previous]);
	check_items(import, &import->chunks[full], true);
	import->filling = 1 - full;
}

/* Checks and stores everything added so far. */
static void drain(struct bx_import *import)
{
	if (import->chunks[import->filling].n)
		submit(import);
	wait_for_checker(import);
	if (import->checking >= 0)
		store_chunk(import, &import->chunks[import->checking]);
	import->checking = -1;
}

static struct item *next_item(struct bx_import *import)
{
	struct chunk *chunk = &import->chunks[import->filling];
	if (chunk->n == CHUNK_SIZE) {
		submit(import);
		chunk = &import->chunks[import->filling];
	}
	struct item *item = &chunk->items[chunk->n++];
	item->line = ++import->line;
	return item;
}

void bx_import_add_json(struct bx_import *import, const json_t *record)
{
	next_item(import)->record = json_incref((json_t *)record);
}

void bx_import_add_text(struct bx_import *import, const char *text, size_t length)
{
	struct item *item = next_item(import);
	struct chunk *chunk = &import->chunks[import->filling];
	if (length == 0) {
		item->blank = true;   /* blank lines are allowed and skipped */
		return;
	}
	item->text_at = chunk->text.len;
	item->length = length;
	if (bx_buf_append(&chunk->text, text, length))
		item->rc = BX_ENOMEM;
}

void bx_import_add_ndjson(struct bx_import *import, const char *text, size_t length)
{
	const char *end = text + length;
	while (text < end) {
		const char *newline = memchr(text, '\n', (size_t)(end - text));
		const char *line_end = newline ? newline : end;
		size_t n = (size_t)(line_end - text);
		while (n && (text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '\t'))
			n--;
		bx_import_add_text(import, text, n);
		text = newline ? newline + 1 : end;
	}
}

void bx_import_before_commit(struct bx_import *import, bx_import_commit_fn fn, void *context)
{
	import->before_commit = fn;
	import->before_commit_context = context;
}

int bx_import_finish(struct bx_import *import, json_t **report)
{
	drain(import);
	for (int c = 0; c < 2; c++) {
		for (int by_caller = 0; by_caller < 2; by_caller++)
			free_spent(&import->chunks[c], by_caller);
		bx_buf_free(&import->chunks[c].text);
	}
	int rc = import->storage_error ? import->storage_error : import->failed ? BX_EINVALID : 0;
	if (!rc && import->before_commit)
		rc = import->before_commit(import->before_commit_context);
	rc = bx_store_end(import->node->store, rc);
	bool committed = rc == 0;
	*report = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "committed", committed,
	                    "created", committed ? (json_int_t)import->counts[BX_WRITE_CREATED] : 0,
	                    "updated", committed ? (json_int_t)import->counts[BX_WRITE_UPDATED] : 0,
	                    "unchanged", committed ? (json_int_t)import->counts[BX_WRITE_UNCHANGED] : 0,
	                    "withdrawn", committed ? (json_int_t)import->counts[BX_WRITE_WITHDRAWN] : 0,
	                    "refused", committed ? (json_int_t)import->counts[BX_WRITE_REFUSED] : 0,
	                    "invalid", (json_int_t)import->counts[0], "lines", import->lines);
	free(import);
	return rc;
}
