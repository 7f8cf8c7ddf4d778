/* HTTP requests to other nodes (libcurl): http and https only, timeouts, a cap on the
 * size of the answer, and retries with backoff for failures that may pass. */
#ifndef BX_FETCH_H
#define BX_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

#define BX_FETCH_MAX_BYTES (64 * 1024 * 1024)
#define BX_FETCH_TRIES 3

struct bx_fetch {
	const char *url;
	const char *body;            /* POST this body when not NULL, else GET */
	size_t body_length;
	const char *content_type;    /* of the body */
	const char *token;           /* sent as Authorization: Bearer, or NULL */
	size_t max_bytes;            /* the largest answer taken (0: BX_FETCH_MAX_BYTES) */
	int tries;                   /* attempts (0: BX_FETCH_TRIES) */
	long timeout;                /* seconds for the whole request (0: 120) */
	const atomic_bool *cancel;   /* when it becomes true, stop as soon as possible; may be NULL */
};

/* Performs the request. Connection failures, timeouts, 429 and 5xx answers are tried
 * again after 0.5 s, 1 s, 2 s, ... up to tries in all. Returns 0 when an answer came (any
 * status: *status and body, which is reset first, hold the last one), else BX_EIO
 * (unreachable, cut off, cancelled) or BX_ETOOBIG (an answer over max_bytes, never
 * retried) with the reason in message. */
BX_MUST_USE int bx_fetch(const struct bx_fetch *request, long *status, struct bx_buf *body,
                         char *message, size_t message_size);

/* Appends text to url percent-encoded as a query value. */
BX_MUST_USE int bx_fetch_escape(struct bx_buf *url, const char *text);

#endif
