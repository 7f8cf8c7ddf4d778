/* Fixed-window rate limiting (see ratelimit.h). Windows live in a jansson object (a hash
 * table) of key -> [window start, count]; expired windows are swept when it grows. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include "auth/ratelimit.h"

#define SWEEP_AT 10000

struct bx_ratelimit {
	pthread_mutex_t lock;
	json_t *windows;
	int max_events;
	int window_seconds;
};

struct bx_ratelimit *bx_ratelimit_new(int max_events, int window_seconds)
{
	struct bx_ratelimit *limit = calloc(1, sizeof *limit);
	if (!limit || !(limit->windows = json_object())) {
		free(limit);
		return NULL;
	}
	pthread_mutex_init(&limit->lock, NULL);
	limit->max_events = max_events;
	limit->window_seconds = window_seconds;
	return limit;
}

void bx_ratelimit_free(struct bx_ratelimit *limit)
{
	if (!limit)
		return;
	json_decref(limit->windows);
	pthread_mutex_destroy(&limit->lock);
	free(limit);
}

/* The live window of key, or NULL. Called with the lock held. */
static json_t *live_window(struct bx_ratelimit *limit, const char *key, int64_t now)
{
	json_t *window = json_object_get(limit->windows, key);
	if (window && json_integer_value(json_array_get(window, 0)) + limit->window_seconds <= now) {
		json_object_del(limit->windows, key);
		window = NULL;
	}
	return window;
}

bool bx_ratelimit_exceeded(struct bx_ratelimit *limit, const char *key, int64_t now, int *retry_after)
{
	pthread_mutex_lock(&limit->lock);
	json_t *window = live_window(limit, key, now);
	bool exceeded = window && json_integer_value(json_array_get(window, 1)) >= limit->max_events;
	if (exceeded)
		*retry_after = (int)(json_integer_value(json_array_get(window, 0)) + limit->window_seconds - now);
	pthread_mutex_unlock(&limit->lock);
	return exceeded;
}

void bx_ratelimit_hit(struct bx_ratelimit *limit, const char *key, int64_t now)
{
	pthread_mutex_lock(&limit->lock);
	if (json_object_size(limit->windows) >= SWEEP_AT) {
		const char *name;
		json_t *window;
		void *next;
		json_object_foreach_safe(limit->windows, next, name, window)
			live_window(limit, name, now);
	}
	json_t *window = live_window(limit, key, now);
	if (window)
		json_array_set_new(window, 1, json_integer(json_integer_value(json_array_get(window, 1)) + 1));
	else
		json_object_set_new(limit->windows, key, json_pack("[I, i]", (json_int_t)now, 1));
	pthread_mutex_unlock(&limit->lock);
}

void bx_ratelimit_clear(struct bx_ratelimit *limit, const char *key)
{
	pthread_mutex_lock(&limit->lock);
	json_object_del(limit->windows, key);
	pthread_mutex_unlock(&limit->lock);
}
