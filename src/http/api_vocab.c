/* The vocabularies API and the country profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/api.h"
#include "http/server.h"
#include "search/index.h"
#include "search/search.h"
#include "http/handlers.h"
#include "text/fold.h"

static int append_parsed(void *list, const char *json)
{
	json_t *value = json_loads(json, 0, NULL);
	return value ? json_array_append_new(list, value) : BX_EIO;
}

void bx_api_vocabularies(struct bx_request *request, struct bx_response *response)
{
	json_t *list = json_array();
	int rc = bx_store_vocab_each_info(request->node->store, append_parsed, list);
	if (rc) {
		json_decref(list);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	bx_reply_json(response, 200, list);
}

void bx_api_vocabulary(struct bx_request *request, struct bx_response *response)
{
	int64_t page;
	int size;
	if (bx_api_paging(request, response, &page, &size))
		return;
	const char *q = bx_request_query(request, "q");
	struct bx_buf folded;
	bx_buf_init(&folded, 4096);
	if (q && strlen(q) > 1000) {
		bx_reply_error(response, BX_EINVAL, "q: expected text of at most 1000 bytes", NULL);
		return;
	}
	if (q && bx_fold_append(q, &folded)) {
		bx_buf_free(&folded);
		bx_reply_error(response, BX_EINVAL, "q: expected UTF-8 text", NULL);
		return;
	}
	json_t *terms = json_array();
	int64_t total = 0;
	int rc = bx_store_vocab_terms(request->node->store, request->params[0],
	                              q && folded.len ? folded.data : NULL, (page - 1) * size, size,
	                              &total, append_parsed, terms);
	bx_buf_free(&folded);
	if (rc) {
		json_decref(terms);
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such vocabulary (see /api/v1/vocabularies)" : NULL, NULL);
		return;
	}
	bx_reply_json(response, 200, json_pack("{s:s, s:I, s:I, s:i, s:o}", "name", request->params[0],
	              "total", (json_int_t)total, "page", (json_int_t)page, "size", size, "terms", terms));
}

void bx_api_vocabulary_term(struct bx_request *request, struct bx_response *response)
{
	char *json = NULL;
	int rc = bx_store_vocab_term(request->node->store, request->params[0], request->params[1], &json);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such term" : NULL, NULL);
		return;
	}
	bx_reply_bytes(response, 200, "application/json; charset=utf-8", json, strlen(json));
	free(json);
}

/* The record types a country profile lists in full; other types are counted. */
static const char *const profile_types[] = {"focal-point", "national-report", "nbsap",
                                            "national-target", "expert"};
#define PROFILE_ITEMS 100

void bx_api_country(struct bx_request *request, struct bx_response *response)
{
	const char *iso = request->params[0];
	char *country_json = NULL;
	int rc = bx_store_vocab_term(request->node->store, "countries", iso, &country_json);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such country (ISO 3166 alpha-2, e.g. CN)" : NULL, NULL);
		return;
	}
	/* the counts by type in one search, then a page of each listed type */
	struct bx_list_query of_country = {.any_status = true, .sort = BX_SORT_DATE_DESC, .n_filters = 1,
	                                   .filters = {{.facet = "country", .values = {iso}, .n_values = 1}}};
	struct bx_search_params params = {.list = of_country, .facets = 1u << BX_FACET_TYPE,
	                                  .facet_size = BX_SEARCH_FACET_VALUES_MAX};
	json_t *counts = json_object(), *records = json_object(), *found = NULL;
	rc = bx_search_run(request->server->search, &request->principal, &params, NULL, &found);
	size_t i;
	json_t *count;
	json_array_foreach(json_object_get(json_object_get(found, "facets"), "type"), i, count)
		json_object_set(counts, json_string_value(json_object_get(count, "value")), json_object_get(count, "count"));
	json_decref(found);
	for (size_t t = 0; t < sizeof profile_types / sizeof profile_types[0] && !rc; t++) {
		params = (struct bx_search_params){.list = of_country};
		params.list.type = profile_types[t];
		params.list.limit = PROFILE_ITEMS;
		found = NULL;
		rc = bx_search_run(request->server->search, &request->principal, &params, NULL, &found);
		if (!rc)
			json_object_set(records, profile_types[t], json_object_get(found, "items"));
		json_decref(found);
	}
	if (rc) {
		free(country_json);
		json_decref(counts);
		json_decref(records);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	bx_reply_json(response, 200, json_pack("{s:o, s:o, s:o}", "country", json_loads(country_json, 0, NULL),
	              "counts", counts, "records", records));
	free(country_json);
}
