/* The records API: list, create, read, replace, withdraw, revisions and NDJSON import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/api.h"
#include "http/handlers.h"
#include "http/server.h"
#include "search/index.h"
#include "search/search.h"
#include "util/num.h"
#include "util/strings.h"
#include "util/timeutil.h"

static void set_etag(struct bx_response *response, int64_t revision)
{
	snprintf(response->etag, sizeof response->etag, "\"%lld\"", (long long)revision);
}

/* Answers the record as the caller may see it (revision 0: current). */
static void reply_record(struct bx_request *request, struct bx_response *response, const char *id,
                         int64_t revision, int status)
{
	char *json = NULL;
	int64_t shown;
	int rc = bx_records_read(request->node, &request->principal, id, revision, &json, &shown);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_EGONE ? "this record was withdrawn; its revisions remain"
		               : rc == BX_ENOTFOUND ? "no such record" : NULL, NULL);
		return;
	}
	bx_reply_owned(response, status, "application/json; charset=utf-8", json, strlen(json));
	set_etag(response, shown);
}

static const char *request_parameter(void *request, const char *name)
{
	return bx_request_query(request, name);
}

void bx_api_records_list(struct bx_request *request, struct bx_response *response)
{
	int64_t started = bx_time_micros();
	int64_t page;
	int size;
	if (bx_api_paging(request, response, &page, &size))
		return;
	struct bx_search_params params;
	json_t *expanded = json_object();
	const char *problem = bx_search_params_read(request->node->catalog, request_parameter, request,
	                                            &params, expanded);
	if (problem) {
		json_decref(expanded);
		bx_reply_error(response, BX_EINVAL, problem, NULL);
		return;
	}
	params.list.offset = (page - 1) * size;
	params.list.limit = size;
	const char *status = params.list.status;
	if (((status && strcmp(status, "published") &&
	      bx_api_require_signed_in(request, response, "sign in to see records that are not published")) ||
	     ((params.facets & (1u << BX_FACET_STATUS)) &&
	      bx_api_require_signed_in(request, response, "sign in to count records by status")))) {
		json_decref(expanded);
		return;
	}
	json_t *found = NULL;
	int rc = bx_search_run(request->server->search, &request->principal, &params, expanded, &found);
	if (rc) {
		json_decref(expanded);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	json_object_set_new(found, "page", json_integer(page));
	json_object_set_new(found, "size", json_integer(size));
	json_object_set_new(found, "expanded", expanded);
	json_object_set_new(found, "took_ms", json_real((double)(bx_time_micros() - started) / 1000.0));
	bx_reply_json(response, 200, found);
}

void bx_api_records_create(struct bx_request *request, struct bx_response *response)
{
	if (bx_api_require_signed_in(request, response, "sign in to create records"))
		return;
	json_t *input;
	if (bx_api_body_json(request, response, &input))
		return;
	struct bx_write_result result;
	struct bx_actor actor = bx_api_actor(request);
	bx_write_result_init(&result);
	int rc = bx_records_create(request->node, &actor, input, &result);
	if (rc) {
		bx_api_write_error(response, rc, &result);
	} else {
		reply_record(request, response, result.id, 0, 201);
		snprintf(response->location, sizeof response->location, "/api/v1/records/%s", result.id);
	}
	bx_write_result_clear(&result);
	json_decref(input);
}

void bx_api_record_get(struct bx_request *request, struct bx_response *response)
{
	reply_record(request, response, request->params[0], 0, 200);
}

void bx_api_record_replace(struct bx_request *request, struct bx_response *response)
{
	if (bx_api_require_signed_in(request, response, "sign in to edit records"))
		return;
	int64_t if_match;
	json_t *input;
	if (bx_api_if_match(request, response, &if_match) || bx_api_body_json(request, response, &input))
		return;
	struct bx_write_result result;
	struct bx_actor actor = bx_api_actor(request);
	bx_write_result_init(&result);
	int rc = bx_records_replace(request->node, &actor, request->params[0], input, if_match, &result);
	if (rc == BX_ENOTFOUND)
		bx_reply_error(response, rc, "no such record (PUT replaces; POST /api/v1/records creates)", NULL);
	else if (rc)
		bx_api_write_error(response, rc, &result);
	else
		reply_record(request, response, result.id, 0, 200);
	bx_write_result_clear(&result);
	json_decref(input);
}

void bx_api_record_withdraw(struct bx_request *request, struct bx_response *response)
{
	int64_t if_match;
	if (bx_api_if_match(request, response, &if_match))
		return;
	struct bx_write_result result;
	struct bx_actor actor = bx_api_actor(request);
	bx_write_result_init(&result);
	int rc = bx_records_withdraw(request->node, &actor, request->params[0], if_match, &result);
	if (rc == BX_ENOTFOUND)
		bx_reply_error(response, rc, "no such record", NULL);
	else if (rc == BX_EGONE)
		bx_reply_error(response, rc, "this record was withdrawn already", NULL);
	else if (rc)
		bx_api_write_error(response, rc, &result);
	else {
		bx_reply_json(response, 200, json_pack("{s:s, s:I, s:s, s:b}", "id", result.id, "revision",
		              (json_int_t)result.revision, "status", "withdrawn", "deleted", 1));
		set_etag(response, result.revision);
	}
	bx_write_result_clear(&result);
}

void bx_api_record_revisions(struct bx_request *request, struct bx_response *response)
{
	json_t *history = NULL;
	int rc = bx_records_history(request->node, &request->principal, request->params[0], &history);
	if (rc)
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such record" : NULL, NULL);
	else
		bx_reply_json(response, 200, json_pack("{s:s, s:o}", "id", request->params[0], "items", history));
}

void bx_api_record_revision(struct bx_request *request, struct bx_response *response)
{
	int64_t revision;
	if (bx_parse_int64(request->params[1], 1, INT64_MAX, &revision)) {
		bx_reply_error(response, BX_EINVAL, "a revision is a whole number from 1", NULL);
		return;
	}
	reply_record(request, response, request->params[0], revision, 200);
}

/* Flattens the import report's problems into error details with their line numbers. */
static json_t *import_details(json_t *report)
{
	json_t *details = json_array();
	size_t i, j;
	json_t *line, *error;
	json_array_foreach(json_object_get(report, "lines"), i, line) {
		json_array_foreach(json_object_get(line, "errors"), j, error) {
			json_t *detail = json_pack("{s:O, s:O, s:O}", "line", json_object_get(line, "line"),
			                           "path", json_object_get(error, "path"),
			                           "message", json_object_get(error, "message"));
			json_array_append_new(details, detail);
		}
	}
	return details;
}

void bx_api_records_import(struct bx_request *request, struct bx_response *response)
{
	static const char *const ndjson_types[] = {"application/x-ndjson", "application/ndjson",
	                                           "application/jsonl", NULL};
	if (bx_api_require_signed_in(request, response, "sign in to import records"))
		return;
	if (!bx_api_content_type_is(request, ndjson_types)) {
		bx_reply_error(response, BX_EMEDIA, "send NDJSON (one record per line) as"
		               " Content-Type: application/x-ndjson", NULL);
		return;
	}
	struct bx_import *import = NULL;
	struct bx_actor actor = bx_api_actor(request);
	int rc = bx_import_begin(request->node, &actor, true, &import);
	if (rc) {
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	bx_import_add_ndjson(import, request->body.data ? request->body.data : "", request->body.len);
	json_t *report = NULL;
	rc = bx_import_finish(import, &report);
	if (!rc) {
		bx_reply_json(response, 200, report);
		return;
	}
	if (rc == BX_EINVALID) {
		char message[128];
		snprintf(message, sizeof message, "%lld of the records are invalid; nothing was imported",
		         (long long)json_integer_value(json_object_get(report, "invalid")));
		bx_reply_error(response, rc, message, import_details(report));
	} else {
		bx_reply_error(response, rc, NULL, NULL);
	}
	json_decref(report);
}
