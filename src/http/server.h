/* The HTTP server: libmicrohttpd with a thread per connection, one node behind it. */
#ifndef BX_SERVER_H
#define BX_SERVER_H

#include <semaphore.h>
#include "auth/ratelimit.h"
#include "federation/scheduler.h"
#include "http/metrics.h"
#include "node/node.h"
#include "search/search.h"
#include "web/web.h"

#define BX_DEFAULT_MAX_BODY (16 * 1024 * 1024)

struct bx_server_config {
	const char *listen;      /* "127.0.0.1:8080", "[::1]:8080"; port 0 picks a free one */
	int threads;
	size_t max_body;         /* 0: BX_DEFAULT_MAX_BODY */
	struct bx_search *search;   /* search over the node (bx_search_open) */
	struct bx_scheduler *scheduler;   /* scheduled harvests (bx_scheduler_start), or NULL */
};

/* State shared by every request. */
struct bx_server {
	struct bx_node *node;
	struct bx_search *search;
	struct bx_scheduler *scheduler;
	struct bx_metrics *metrics;
	struct bx_ratelimit *logins_by_address;
	struct bx_ratelimit *failures_by_account;
	struct bx_web *web;         /* the web interface's catalogues and keys (web/web.h) */
	size_t max_body;
	sem_t answering;            /* --threads requests are answered at once, at most */
};

/* Serves until SIGINT or SIGTERM. Prints "listening on http://ADDR:PORT" on standard
 * output once ready. Returns 0 after a clean stop. */
BX_MUST_USE int bx_server_run(struct bx_node *node, const struct bx_server_config *config);

#endif
