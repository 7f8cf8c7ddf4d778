/* Fixed-window counters by key, in memory, shared by threads: "at most N events per key
 * in W seconds". Used for sign-in attempts per address and per account. */
#ifndef BX_RATELIMIT_H
#define BX_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct bx_ratelimit;

struct bx_ratelimit *bx_ratelimit_new(int max_events, int window_seconds);
void bx_ratelimit_free(struct bx_ratelimit *limit);
/* True when key has used up its events in the current window; *retry_after is then the
 * seconds until it may try again. */
bool bx_ratelimit_exceeded(struct bx_ratelimit *limit, const char *key, int64_t now, int *retry_after);
/* Counts one event for key. */
void bx_ratelimit_hit(struct bx_ratelimit *limit, const char *key, int64_t now);
/* Forgets key (e.g. after a successful sign-in). */
void bx_ratelimit_clear(struct bx_ratelimit *limit, const char *key);

#endif
