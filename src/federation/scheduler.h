/* Scheduled harvests inside `bioex serve`: one background thread wakes up every second,
 * harvests the registered peers that are due, one after another, and those asked for
 * through the API. A peer with schedule S is due S seconds after its last attempt; after
 * F failures in a row, S × 2^F seconds, at most BX_SCHEDULER_MAX_DELAY (or S when S is
 * longer). Schedule 0: on demand only. */
#ifndef BX_SCHEDULER_H
#define BX_SCHEDULER_H

#include <stdint.h>
#include "node/node.h"

#define BX_SCHEDULER_MAX_DELAY (24 * 3600)

struct bx_scheduler;

/* Starts the thread. On success sets *out and returns 0; else *out is NULL. */
BX_MUST_USE int bx_scheduler_start(struct bx_node *node, struct bx_scheduler **out);
/* Stops the thread: a harvest under way is cancelled between requests (what it applied
 * stays applied). Accepts NULL. */
void bx_scheduler_stop(struct bx_scheduler *scheduler);
/* Asks for a harvest of peer slug as soon as the thread is free. BX_ELIMIT when too many
 * are waiting already. */
BX_MUST_USE int bx_scheduler_request(struct bx_scheduler *scheduler, const char *slug);

/* When a peer is next due, Unix seconds (INT64_MAX: never, schedule 0). */
int64_t bx_scheduler_next_due(const struct bx_peer *peer);

#endif
