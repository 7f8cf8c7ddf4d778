/* Shared handler helpers (see api.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "http/api.h"
#include "util/json.h"
#include "util/num.h"

bool bx_api_content_type_is(struct bx_request *request, const char *const *media_types)
{
	const char *header = bx_request_header(request, "Content-Type");
	if (!header)
		return false;
	size_t length = strcspn(header, "; \t");
	for (const char *const *type = media_types; *type; type++)
		if (strlen(*type) == length && !strncasecmp(header, *type, length))
			return true;
	return false;
}

int bx_api_body_json(struct bx_request *request, struct bx_response *response, json_t **out)
{
	static const char *const json_types[] = {"application/json", NULL};
	*out = NULL;
	if (!bx_api_content_type_is(request, json_types)) {
		bx_reply_error(response, BX_EMEDIA, "send the body as Content-Type: application/json", NULL);
		return BX_EMEDIA;
	}
	char message[256];
	if (!request->body.len) {
		bx_reply_error(response, BX_EINVAL, "the body is empty; expected a JSON object", NULL);
		return BX_EINVAL;
	}
	if (bx_json_parse(request->body.data, request->body.len, out, message, sizeof message)) {
		bx_reply_error(response, BX_EINVAL, message, NULL);
		return BX_EINVAL;
	}
	return 0;
}

int bx_api_query_number(struct bx_request *request, struct bx_response *response, const char *name,
                        int64_t min, int64_t max, int64_t fallback, int64_t *out)
{
	const char *text = bx_request_query(request, name);
	*out = fallback;
	if (text && bx_parse_int64(text, min, max, out)) {
		char message[128];
		snprintf(message, sizeof message, "%s: expected a whole number from %lld to %lld", name,
		         (long long)min, (long long)max);
		bx_reply_error(response, BX_EINVAL, message, NULL);
		return BX_EINVAL;
	}
	return 0;
}

int bx_api_paging(struct bx_request *request, struct bx_response *response, int64_t *page, int *size)
{
	int64_t size_value = BX_PAGE_SIZE_DEFAULT;
	int rc = bx_api_query_number(request, response, "page", 1, 1000000, 1, page);
	if (!rc)
		rc = bx_api_query_number(request, response, "size", 1, BX_PAGE_SIZE_MAX, BX_PAGE_SIZE_DEFAULT, &size_value);
	*size = (int)size_value;
	return rc;
}

int bx_api_if_match(struct bx_request *request, struct bx_response *response, int64_t *revision)
{
	const char *header = bx_request_header(request, "If-Match");
	*revision = BX_NO_REVISION;
	if (!header)
		return 0;
	char value[32];
	if (!strncmp(header, "W/", 2))
		header += 2;
	size_t length = strlen(header);
	if (length >= 2 && header[0] == '"' && header[length - 1] == '"')
		snprintf(value, sizeof value, "%.*s", (int)(length - 2), header + 1);
	else
		snprintf(value, sizeof value, "%s", header);
	if (bx_parse_int64(value, 1, INT64_MAX, revision)) {
		bx_reply_error(response, BX_EINVAL, "If-Match: expected the revision as an ETag such as \"3\"", NULL);
		return BX_EINVAL;
	}
	return 0;
}

void bx_api_write_error(struct bx_response *response, int error, struct bx_write_result *result)
{
	if (error == BX_EINVALID) {
		size_t n = json_array_size(result->details);
		json_t *first = json_array_get(result->details, 0);
		char message[600];
		snprintf(message, sizeof message, "%s: %s%s", json_string_value(json_object_get(first, "path")),
		         json_string_value(json_object_get(first, "message")),
		         n > 1 ? " (and more, see details)" : "");
		bx_reply_error(response, error, message, json_incref(result->details));
		return;
	}
	bx_reply_error(response, error, result->reason[0] ? result->reason : NULL, NULL);
}

int bx_api_require_signed_in(struct bx_request *request, struct bx_response *response,
                             const char *message)
{
	if (request->principal.role != BX_ROLE_ANONYMOUS)
		return 0;
	bx_reply_error(response, BX_EAUTH, message, NULL);
	return BX_EAUTH;
}

int bx_api_require_admin(struct bx_request *request, struct bx_response *response)
{
	if (bx_api_require_signed_in(request, response, "sign in as an administrator"))
		return BX_EAUTH;
	if (!bx_policy_is_admin(&request->principal)) {
		bx_reply_error(response, BX_EPERM, "only administrators may do this", NULL);
		return BX_EPERM;
	}
	return 0;
}

struct bx_actor bx_api_actor(struct bx_request *request)
{
	return (struct bx_actor){&request->principal, request->address};
}
