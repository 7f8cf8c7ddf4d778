/* A response being built by a handler, and the one place where error codes become
 * HTTP statuses and JSON error bodies. */
#ifndef BX_RESPONSE_H
#define BX_RESPONSE_H

#include <jansson.h>
#include <stdbool.h>
#include "util/buf.h"

#define BX_MAX_RESPONSE (256 * 1024 * 1024)
#define BX_MAX_HEADERS 8

struct bx_response {
	int status;
	const char *content_type;
	struct bx_buf body;
	char etag[32];
	char location[512];
	char retry_after[16];
	char allow[64];
	bool authenticate;     /* add WWW-Authenticate: Bearer */
	struct bx_header {     /* more headers (web pages: Set-Cookie, Content-Security-Policy) */
		const char *name;
		char value[256];
	} headers[BX_MAX_HEADERS];
	int n_headers;
};

/* Adds a header to send. BX_ETOOBIG when BX_MAX_HEADERS are set or value is longer than
 * a header's room; nothing is added then. */
BX_MUST_USE int bx_response_header(struct bx_response *response, const char *name, const char *value);

void bx_response_init(struct bx_response *response);
void bx_response_free(struct bx_response *response);

/* Answers value (taken over) as JSON with status. */
void bx_reply_json(struct bx_response *response, int status, json_t *value);
/* Answers raw bytes with a content type. */
void bx_reply_bytes(struct bx_response *response, int status, const char *content_type,
                    const char *bytes, size_t length);
/* Answers bytes (malloc'ed, NUL-terminated at length), taking them over: no copy. */
void bx_reply_owned(struct bx_response *response, int status, const char *content_type,
                    char *bytes, size_t length);
/* Answers an error: the HTTP status and code that error (a BX_E* code) maps to, the
 * message, and details (taken over; may be NULL). */
void bx_reply_error(struct bx_response *response, int error, const char *message, json_t *details);

#endif
