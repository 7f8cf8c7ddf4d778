/* Responses and the error mapping (see response.h). */
#include <stdlib.h>
#include <string.h>
#include "http/response.h"
#include "util/json.h"
#include "util/error.h"

void bx_response_init(struct bx_response *response)
{
	memset(response, 0, sizeof *response);
	bx_buf_init(&response->body, BX_MAX_RESPONSE);
	response->status = 500;
	response->content_type = "application/json; charset=utf-8";
}

void bx_response_free(struct bx_response *response)
{
	bx_buf_free(&response->body);
}

int bx_response_header(struct bx_response *response, const char *name, const char *value)
{
	struct bx_header *header = &response->headers[response->n_headers];
	if (response->n_headers == BX_MAX_HEADERS || strlen(value) >= sizeof header->value)
		return BX_ETOOBIG;
	header->name = name;
	memcpy(header->value, value, strlen(value) + 1);
	response->n_headers++;
	return 0;
}

static const struct {
	int error;
	int status;
	const char *code;
} error_map[] = {
	{BX_EINVAL, 400, "bad_request"},
	{BX_EAUTH, 401, "unauthorized"},
	{BX_EPERM, 403, "forbidden"},
	{BX_ENOTFOUND, 404, "not_found"},
	{BX_EMETHOD, 405, "method_not_allowed"},
	{BX_ECONFLICT, 409, "revision_conflict"},
	{BX_EEXIST, 409, "already_exists"},
	{BX_EGONE, 410, "withdrawn"},
	{BX_EPRECONDITION, 412, "precondition_failed"},
	{BX_ETOOBIG, 413, "too_large"},
	{BX_EMEDIA, 415, "unsupported_media_type"},
	{BX_EINVALID, 422, "validation_failed"},
	{BX_ENOPRECONDITION, 428, "precondition_required"},
	{BX_ELIMIT, 429, "rate_limited"},
	{BX_ENOMEM, 500, "internal_error"},
	{BX_EIO, 500, "internal_error"},
};

static size_t find_error(int error)
{
	for (size_t i = 0; i < sizeof error_map / sizeof error_map[0]; i++)
		if (error_map[i].error == error)
			return i;
	return sizeof error_map / sizeof error_map[0] - 1;
}

void bx_reply_json(struct bx_response *response, int status, json_t *value)
{
	bx_buf_reset(&response->body);
	int rc = bx_json_write(&response->body, value);
	json_decref(value);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ETOOBIG ? "the response is too large" : "cannot produce the response",
		               NULL);
		return;
	}
	response->status = status;
	response->content_type = "application/json; charset=utf-8";
}

void bx_reply_bytes(struct bx_response *response, int status, const char *content_type,
                    const char *bytes, size_t length)
{
	bx_buf_reset(&response->body);
	if (bx_buf_append(&response->body, bytes, length)) {
		bx_reply_error(response, BX_ETOOBIG, "the response is too large", NULL);
		return;
	}
	response->status = status;
	response->content_type = content_type;
}

void bx_reply_owned(struct bx_response *response, int status, const char *content_type,
                    char *bytes, size_t length)
{
	if (bx_buf_adopt(&response->body, bytes, length)) {
		bx_reply_error(response, BX_ETOOBIG, "the response is too large", NULL);
		return;
	}
	response->status = status;
	response->content_type = content_type;
}

void bx_reply_error(struct bx_response *response, int error, const char *message, json_t *details)
{
	size_t i = find_error(error);
	json_t *body = json_pack("{s:{s:s, s:s}}", "error", "code", error_map[i].code, "message",
	                         message && *message ? message : bx_strerror(error));
	if (details)
		json_object_set_new(json_object_get(body, "error"), "details", details);
	bx_buf_reset(&response->body);
	if (!body || bx_json_write(&response->body, body))
		bx_buf_reset(&response->body);
	json_decref(body);
	response->status = error_map[i].status;
	response->content_type = "application/json; charset=utf-8";
	response->authenticate = error == BX_EAUTH;
}
