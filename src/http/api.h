/* Helpers the JSON API handlers share: reading bodies, query parameters and
 * preconditions, and answering a records-service result. Each returns 0 when the
 * handler may go on, or an error after it has already filled the response. */
#ifndef BX_API_H
#define BX_API_H

#include <jansson.h>
#include <stdint.h>
#include "auth/token.h"
#include "http/request.h"
#include "http/response.h"
#include "records/records.h"

#define BX_PAGE_SIZE_DEFAULT 20
#define BX_PAGE_SIZE_MAX 100

/* Parses the body as JSON (Content-Type application/json): 415, 400 otherwise. */
int bx_api_body_json(struct bx_request *request, struct bx_response *response, json_t **out);
/* True when the Content-Type's media type is one of the NULL-terminated list. */
bool bx_api_content_type_is(struct bx_request *request, const char *const *media_types);
/* Reads page (>= 1) and size (1..BX_PAGE_SIZE_MAX): 400 for anything else. */
/* Reads the whole-number query parameter name (fallback when absent); answers 400 and
 * returns BX_EINVAL when it is not a number from min to max. */
int bx_api_query_number(struct bx_request *request, struct bx_response *response, const char *name,
                        int64_t min, int64_t max, int64_t fallback, int64_t *out);
int bx_api_paging(struct bx_request *request, struct bx_response *response, int64_t *page, int *size);
/* Reads If-Match ("3", W/"3" or 3) into *revision, BX_NO_REVISION when absent; 400 if bad. */
int bx_api_if_match(struct bx_request *request, struct bx_response *response, int64_t *revision);
/* Answers a failed records-service call: its details for 422, its reason otherwise. */
void bx_api_write_error(struct bx_response *response, int error, struct bx_write_result *result);
/* Answers 401 with message for anonymous callers; 0 for signed-in ones. */
int bx_api_require_signed_in(struct bx_request *request, struct bx_response *response,
                             const char *message);
/* Answers 401 for anonymous callers and 403 for non-admins; 0 for admins. */
int bx_api_require_admin(struct bx_request *request, struct bx_response *response);
/* Appends the harvest state of every registered peer to /metrics (api_nodes.c). */
int bx_api_nodes_metrics(struct bx_node *node, struct bx_buf *out);
/* Sign-in, shared by the API and the web pages. bx_api_sign_in_attempt counts an attempt
 * from the request's address: BX_ELIMIT (with *retry_after, seconds) past the limit.
 * bx_api_sign_in then checks the account's limit and the password (failures are audited)
 * and makes a token: sets token (wipe it after use), *expires (Unix seconds) and *user
 * (bx_user_clear it) and returns 0; BX_ELIMIT, BX_EAUTH (wrong name or password, or a
 * disabled account), BX_EIO. */
BX_MUST_USE int bx_api_sign_in_attempt(struct bx_request *request, int *retry_after);
BX_MUST_USE int bx_api_sign_in(struct bx_request *request, const char *name, const char *password,
                               char token[BX_TOKEN_SIZE], int64_t *expires, struct bx_user *user,
                               int *retry_after);
/* The actor of a request. */
struct bx_actor bx_api_actor(struct bx_request *request);

#endif
