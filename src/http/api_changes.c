/* The changes feed (DESIGN 8): GET /api/v1/changes?since=SEQ&limit=N, the lossless way
 * nodes follow each other. The records' stored JSON goes into the answer as it is. */
#include <stdio.h>
#include "http/api.h"
#include "http/handlers.h"
#include "records/records.h"
#include "util/json.h"

#define CHANGES_LIMIT_DEFAULT 500
#define CHANGES_LIMIT_MAX 5000

static int write_change(void *context, const struct bx_change *change)
{
	struct bx_buf *out = context;
	int rc = bx_buf_printf(out, "%s{\"seq\":%lld,\"id\":", out->data[out->len - 1] == '[' ? "" : ",",
	                       (long long)change->seq);
	if (!rc)
		rc = bx_json_write_string(out, change->id);
	if (!rc)
		rc = bx_buf_printf(out, ",\"revision\":%lld,\"deleted\":%s", (long long)change->revision,
		                   change->deleted ? "true" : "false");
	if (!rc && change->json)
		rc = bx_buf_printf(out, ",\"record\":%s", change->json);
	return rc ? rc : bx_buf_puts(out, "}");
}

void bx_api_changes(struct bx_request *request, struct bx_response *response)
{
	int64_t since, limit;
	if (bx_api_query_number(request, response, "since", 0, INT64_MAX, 0, &since) ||
	    bx_api_query_number(request, response, "limit", 1, CHANGES_LIMIT_MAX, CHANGES_LIMIT_DEFAULT,
	                        &limit))
		return;
	struct bx_buf out;
	bx_buf_init(&out, SIZE_MAX);
	int64_t next;
	bool more;
	int rc = bx_buf_puts(&out, "{\"items\":[");
	if (!rc)
		rc = bx_records_changes(request->node, &request->principal, since, (int)limit, write_change,
		                        &out, &next, &more);
	if (!rc)
		rc = bx_buf_printf(&out, "],\"next\":%lld,\"more\":%s}", (long long)next, more ? "true" : "false");
	if (rc) {
		bx_buf_free(&out);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	size_t length = out.len;
	bx_reply_owned(response, 200, "application/json; charset=utf-8", bx_buf_steal(&out), length);
}
