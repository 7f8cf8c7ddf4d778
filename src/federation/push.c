/* Push to a central node (see push.h). A batch is NDJSON built from this node's changes
 * feed as the node principal sees it (private fields included): each record as stored,
 * with its meta, and each withdrawal as the tombstone line {"id", "meta": {"revision",
 * "deleted": true}} that the harvester applies too, so push and pull give the same copy. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/fetch.h"
#include "federation/push.h"
#include "records/records.h"
#include "util/json.h"
#include "util/num.h"

#define MAX_BATCH_BYTES (8 * 1024 * 1024)   /* well under the central node's 16 MiB body cap */
#define BATCH_FULL 1

static int fail(char *error, size_t size, int rc, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *error, size_t size, int rc, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(error, size, format, args);
	va_end(args);
	return rc;
}

/* The message of an error answer ({"error": {"message", "details"}}), else its status. */
static void describe_answer(const char *url, long status, const struct bx_buf *body, char *error,
                            size_t size)
{
	json_t *answer = body->len ? json_loadb(body->data, body->len, 0, NULL) : NULL;
	json_t *problem = json_object_get(answer, "error");
	json_t *detail = json_array_get(json_object_get(problem, "details"), 0);
	const char *message = json_string_value(json_object_get(problem, "message"));
	char first[300] = "";
	if (detail)
		snprintf(first, sizeof first, " (line %lld, %s: %s)",
		         (long long)json_integer_value(json_object_get(detail, "line")),
		         json_string_value(json_object_get(detail, "path")) ?: "",
		         json_string_value(json_object_get(detail, "message")) ?: "");
	snprintf(error, size, "%s answered HTTP %ld%s%s%s", url, status, message ? ": " : "",
	         message ? message : "", first);
	json_decref(answer);
}

int bx_push_login(const char *url, const char *user, const char *password, char *token,
                  size_t token_size, char *message, size_t message_size)
{
	char login[2200];
	snprintf(login, sizeof login, "%s/api/v1/auth/login", url);
	json_t *credentials = json_pack("{s:s, s:s}", "username", user, "password", password);
	char *body = credentials ? json_dumps(credentials, JSON_COMPACT) : NULL;
	json_decref(credentials);
	if (!body)
		return fail(message, message_size, BX_ENOMEM, "out of memory");
	struct bx_fetch request = {.url = login, .body = body, .body_length = strlen(body),
	                           .content_type = "application/json", .max_bytes = 64 * 1024};
	long status;
	struct bx_buf answer;
	int rc = bx_fetch(&request, &status, &answer, message, message_size);
	sodium_memzero(body, strlen(body));
	free(body);
	json_t *reply = !rc && status == 200 ? json_loadb(answer.data, answer.len, 0, NULL) : NULL;
	const char *value = json_string_value(json_object_get(reply, "token"));
	if (!rc && !value)
		describe_answer(login, status, &answer, message, message_size);
	if (!rc && value && strlen(value) < token_size)
		snprintf(token, token_size, "%s", value);
	rc = rc ? rc : value && strlen(value) < token_size ? 0 : BX_EAUTH;
	json_decref(reply);
	bx_buf_free(&answer);
	return rc;
}

static void logout(const char *url, const char *token)
{
	char path[2200], ignored[256];
	snprintf(path, sizeof path, "%s/api/v1/auth/logout", url);
	struct bx_fetch request = {.url = path, .body = "", .token = token, .tries = 1,
	                           .max_bytes = 64 * 1024};
	long status;
	struct bx_buf answer;
	if (bx_fetch(&request, &status, &answer, ignored, sizeof ignored) == 0)
		bx_buf_free(&answer);
}

struct batch {
	struct bx_buf lines;
	int64_t last_seq;     /* the last change in lines */
	int64_t n;
};

static int add_line(void *context, const struct bx_change *change)
{
	struct batch *batch = context;
	int rc;
	if (change->deleted) {
		rc = bx_buf_puts(&batch->lines, "{\"id\":");
		if (!rc)
			rc = bx_json_write_string(&batch->lines, change->id);
		if (!rc)
			rc = bx_buf_printf(&batch->lines, ",\"meta\":{\"revision\":%lld,\"deleted\":true}}\n",
			                   (long long)change->revision);
	} else {
		rc = bx_buf_puts(&batch->lines, change->json);
		if (!rc)
			rc = bx_buf_puts(&batch->lines, "\n");
	}
	if (rc)
		return rc;
	batch->last_seq = change->seq;
	batch->n++;
	return batch->lines.len >= MAX_BATCH_BYTES ? BATCH_FULL : 0;
}

static void count_report(struct bx_push_result *result, const struct bx_buf *body)
{
	json_t *report = json_loadb(body->data ? body->data : "", body->len, 0, NULL);
	result->created += json_integer_value(json_object_get(report, "created"));
	result->updated += json_integer_value(json_object_get(report, "updated"));
	result->withdrawn += json_integer_value(json_object_get(report, "withdrawn"));
	result->unchanged += json_integer_value(json_object_get(report, "unchanged"));
	result->refused += json_integer_value(json_object_get(report, "refused"));
	json_decref(report);
}

/* Sends the batch; 0 when the central node accepted it. */
static int send_batch(const char *url, const char *token, const struct batch *batch,
                      struct bx_push_result *result)
{
	char import[2200];
	snprintf(import, sizeof import, "%s/api/v1/records:import", url);
	struct bx_fetch request = {.url = import, .body = batch->lines.data, .body_length = batch->lines.len,
	                           .content_type = "application/x-ndjson", .token = token,
	                           .max_bytes = 64 * 1024 * 1024};
	long status;
	struct bx_buf answer;
	int rc = bx_fetch(&request, &status, &answer, result->error, sizeof result->error);
	if (!rc && status != 200) {
		describe_answer(import, status, &answer, result->error, sizeof result->error);
		rc = status == 401 || status == 403 ? BX_EPERM : status == 422 ? BX_EINVALID : BX_EIO;
	}
	if (!rc)
		count_report(result, &answer);
	bx_buf_free(&answer);
	return rc;
}

/* Builds, sends and confirms one batch from the cursor; sets *more. */
static int push_batch(struct bx_node *node, const struct bx_push_options *options, const char *token,
                      const char *cursor_key, struct bx_push_result *result, bool *more)
{
	const struct bx_principal principal = {.role = BX_ROLE_NODE, .name = "push"};
	struct batch batch = {.last_seq = result->cursor};
	bx_buf_init(&batch.lines, MAX_BATCH_BYTES + BX_FETCH_MAX_BYTES);
	int64_t next;
	int limit = options->batch > 0 ? options->batch : BX_PUSH_BATCH;
	int rc = bx_records_changes(node, &principal, result->cursor, limit, add_line, &batch, &next, more);
	if (rc == BATCH_FULL) {
		rc = 0;
		next = batch.last_seq;
		*more = true;
	}
	if (rc)
		rc = fail(result->error, sizeof result->error, rc, "cannot read this node's changes: %s",
		          bx_strerror(rc));
	if (!rc && batch.n)
		rc = send_batch(options->url, token, &batch, result);
	char value[24];
	snprintf(value, sizeof value, "%lld", (long long)next);
	if (!rc && next != result->cursor && (rc = bx_store_meta_set(node->store, cursor_key, value)))
		fail(result->error, sizeof result->error, rc, "cannot save the push cursor: %s", bx_strerror(rc));
	if (!rc) {
		result->cursor = next;
		result->sent += batch.n;
		result->batches += batch.n > 0;
	}
	bx_buf_free(&batch.lines);
	return rc;
}

int bx_push(struct bx_node *node, const struct bx_push_options *options, struct bx_push_result *result)
{
	memset(result, 0, sizeof *result);
	char cursor_key[2100], token[256], *saved = NULL;
	snprintf(cursor_key, sizeof cursor_key, "push:%s", options->url);
	int rc = bx_store_meta_get(node->store, cursor_key, &saved);
	if (rc == BX_ENOTFOUND)
		rc = 0;
	if (!rc && saved && bx_parse_int64(saved, 0, INT64_MAX, &result->cursor))
		result->cursor = 0;
	free(saved);
	if (rc)
		return fail(result->error, sizeof result->error, rc, "cannot read the push cursor: %s", bx_strerror(rc));
	rc = bx_push_login(options->url, options->user, options->password, token, sizeof token,
	                   result->error, sizeof result->error);
	if (rc)
		return rc;
	bool more = true;
	while (!rc && more)
		rc = push_batch(node, options, token, cursor_key, result, &more);
	logout(options->url, token);
	sodium_memzero(token, sizeof token);
	return rc;
}
