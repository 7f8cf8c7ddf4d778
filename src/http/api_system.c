/* Operational endpoints: health, Prometheus metrics, and the OpenAPI description. */
#include <string.h>
#include "http/api.h"
#include "http/handlers.h"
#include "http/server.h"
#include "search/index.h"

/* docs/openapi.yaml converted to JSON at build time (openapi_data.S). */
extern const char bx_openapi_json[];
extern const unsigned int bx_openapi_json_size;

void bx_api_healthz(struct bx_request *request, struct bx_response *response)
{
	bx_reply_json(response, 200, json_pack("{s:s}", "status", "ok"));
}

static int add_count(void *out, const char *type, const char *status, int64_t count)
{
	return bx_buf_printf(out, "bioex_records{type=\"%s\",status=\"%s\"} %lld\n", type, status,
	                     (long long)count);
}

void bx_api_metrics(struct bx_request *request, struct bx_response *response)
{
	struct bx_buf text;
	bx_buf_init(&text, 4 * 1024 * 1024);
	int rc = bx_metrics_write(request->server->metrics, &text);
	if (!rc)
		rc = bx_buf_puts(&text, "# HELP bioex_records Current records by type and status.\n"
		                 "# TYPE bioex_records gauge\n");
	if (!rc)
		rc = bx_store_count_by_type(request->node->store, add_count, &text);
	struct bx_index_stats index;
	bx_search_stats(request->server->search, &index);
	if (!rc)
		rc = bx_buf_printf(&text, "# HELP bioex_search_records Records in the search index.\n"
		                   "# TYPE bioex_search_records gauge\nbioex_search_records %lld\n"
		                   "# HELP bioex_search_change The last change the search index has read.\n"
		                   "# TYPE bioex_search_change gauge\nbioex_search_change %lld\n"
		                   "# HELP bioex_search_terms Distinct terms in the search index.\n"
		                   "# TYPE bioex_search_terms gauge\nbioex_search_terms %lld\n"
		                   "# HELP bioex_search_postings_bytes Bytes of postings in the search index.\n"
		                   "# TYPE bioex_search_postings_bytes gauge\nbioex_search_postings_bytes %lld\n"
		                   "# HELP bioex_search_pairable Words whose pairs with the next word are indexed.\n"
		                   "# TYPE bioex_search_pairable gauge\nbioex_search_pairable %lld\n",
		                   (long long)index.records, (long long)index.seq, (long long)index.terms,
		                   (long long)index.postings_bytes, (long long)index.pairable);
	if (!rc)
		rc = bx_api_nodes_metrics(request->node, &text);
	if (rc)
		bx_reply_error(response, rc, NULL, NULL);
	else
		bx_reply_bytes(response, 200, "text/plain; version=0.0.4; charset=utf-8", text.data, text.len);
	bx_buf_free(&text);
}

void bx_api_openapi(struct bx_request *request, struct bx_response *response)
{
	bx_reply_bytes(response, 200, "application/json; charset=utf-8", bx_openapi_json,
	               bx_openapi_json_size);
}
