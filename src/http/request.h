/* A request as handlers see it: method, path parameters, query, headers, body and who
 * is asking. Handlers never touch the connection; the accessors below do. */
#ifndef BX_REQUEST_H
#define BX_REQUEST_H

#include <stdbool.h>
#include "auth/policy.h"
#include "node/node.h"
#include "util/buf.h"

#define BX_MAX_PARAMS 4

struct bx_server;

struct bx_request {
	void *connection;            /* the server's connection handle; opaque to handlers */
	struct bx_server *server;
	struct bx_node *node;
	const char *method;
	const char *path;
	const char *params[BX_MAX_PARAMS];   /* {id}, {n}, ... of the matched route */
	int route;                           /* the matched route's index (router.h), or -1 */
	char path_segments[2048];            /* the path split at '/'; params point here */
	struct bx_buf body;
	bool body_too_big;
	char address[64];                    /* the client's IP address */
	struct bx_principal principal;       /* anonymous unless a valid token was sent */
	char token_hash[32];
	bool has_token;
	int64_t started;                     /* microseconds, for the request log */
};

/* A request header or query parameter, or NULL. */
const char *bx_request_header(const struct bx_request *request, const char *name);
const char *bx_request_query(const struct bx_request *request, const char *name);
/* The value of a cookie the request carries, or NULL. */
const char *bx_request_cookie(const struct bx_request *request, const char *name);
/* Calls fn once per query parameter, in the order sent and repeats included (value NULL
 * for a name without "="); a non-zero return of fn stops and is returned. */
typedef int (*bx_query_fn)(void *context, const char *name, const char *value);
int bx_request_each_query(const struct bx_request *request, bx_query_fn fn, void *context);

#endif
