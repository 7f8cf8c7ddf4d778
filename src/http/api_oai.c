/* The OAI-PMH endpoint (DESIGN 8): /oai by GET, or by POST with a form body, answered
 * by src/federation/oai.c; and /oai/bioex-record.xsd, the schema of its bioex format. */
#include <string.h>
#include "federation/oai.h"
#include "http/api.h"
#include "http/handlers.h"

/* docs/bioex-record.xsd, embedded at build time (bioex_record_xsd.S). */
extern const char bx_bioex_record_xsd[];
extern const unsigned int bx_bioex_record_xsd_size;

static int add_query_argument(void *context, const char *name, const char *value)
{
	return bx_oai_args_add(context, name, value);
}

void bx_api_oai(struct bx_request *request, struct bx_response *response)
{
	static const char *const form_types[] = {"application/x-www-form-urlencoded", NULL};
	bool post = !strcmp(request->method, "POST");
	if (post && request->body.len && !bx_api_content_type_is(request, form_types)) {
		bx_reply_error(response, BX_EMEDIA,
		               "send the arguments as Content-Type: application/x-www-form-urlencoded", NULL);
		return;
	}
	struct bx_oai_args args;
	bx_oai_args_init(&args);
	int rc = bx_request_each_query(request, add_query_argument, &args);
	if (!rc && post)
		rc = bx_oai_args_add_form(&args, request->body.data, request->body.len);
	struct bx_buf out;
	bx_buf_init(&out, BX_MAX_RESPONSE);
	if (!rc)
		rc = bx_oai_respond(request->node, &args, bx_request_header(request, "Host"), &out);
	bx_oai_args_clear(&args);
	if (rc) {
		bx_buf_free(&out);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	size_t length = out.len;
	bx_reply_owned(response, 200, "text/xml; charset=utf-8", bx_buf_steal(&out), length);
}

void bx_api_oai_schema(struct bx_request *request, struct bx_response *response)
{
	bx_reply_bytes(response, 200, "application/xml; charset=utf-8", bx_bioex_record_xsd,
	               bx_bioex_record_xsd_size);
}
