/* The harvest thread of `bioex serve` (see scheduler.h). Requests from the API wait in a
 * small fixed queue; due peers are found by reading the registry every second. One
 * harvest runs at a time, so a peer is never harvested twice at once by this server. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "federation/harvest.h"
#include "federation/scheduler.h"
#include "util/log.h"
#include "util/timeutil.h"

#define MAX_REQUESTS 64
#define SLUG_SIZE 33

struct bx_scheduler {
	struct bx_node *node;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_bool stop;
	char requested[MAX_REQUESTS][SLUG_SIZE];   /* guarded by lock */
	int n_requested;
};

int64_t bx_scheduler_next_due(const struct bx_peer *peer)
{
	if (peer->schedule <= 0)
		return INT64_MAX;
	int64_t last = bx_time_parse_iso(peer->last_attempt);
	if (last < 0)
		return 0;
	int64_t cap = peer->schedule > BX_SCHEDULER_MAX_DELAY ? peer->schedule : BX_SCHEDULER_MAX_DELAY;
	int64_t delay = peer->schedule;
	for (int64_t f = 0; f < peer->failures && delay < cap; f++)
		delay *= 2;
	return last + (delay < cap ? delay : cap);
}

static void harvest_peer(struct bx_scheduler *scheduler, const char *slug)
{
	struct bx_harvest_options options = {.peer = slug, .cancel = &scheduler->stop};
	struct bx_harvest_result result;
	if (bx_harvest(scheduler->node, &options, &result))
		bx_log(BX_LOG_DEBUG, "scheduled harvest of %s failed: %s", slug, result.error);
}

/* Takes the oldest request into slug; false when there is none. */
static bool take_request(struct bx_scheduler *scheduler, char slug[SLUG_SIZE])
{
	pthread_mutex_lock(&scheduler->lock);
	bool found = scheduler->n_requested > 0;
	if (found) {
		memcpy(slug, scheduler->requested[0], SLUG_SIZE);
		scheduler->n_requested--;
		memmove(scheduler->requested[0], scheduler->requested[1],
		        (size_t)scheduler->n_requested * SLUG_SIZE);
	}
	pthread_mutex_unlock(&scheduler->lock);
	return found;
}

struct due_list {
	char (*slugs)[SLUG_SIZE];
	size_t n, capacity;
	int64_t now;
};

static int add_if_due(void *context, const struct bx_peer *peer)
{
	struct due_list *due = context;
	if (bx_scheduler_next_due(peer) > due->now || strlen(peer->slug) >= SLUG_SIZE)
		return 0;
	if (due->n == due->capacity) {
		size_t capacity = due->capacity ? 2 * due->capacity : 16;
		char (*grown)[SLUG_SIZE] = realloc(due->slugs, capacity * SLUG_SIZE);
		if (!grown)
			return BX_ENOMEM;
		due->slugs = grown;
		due->capacity = capacity;
	}
	memcpy(due->slugs[due->n++], peer->slug, strlen(peer->slug) + 1);
	return 0;
}

/* Harvests every due peer, serving requests that come meanwhile first. */
static void harvest_due(struct bx_scheduler *scheduler)
{
	struct due_list due = {.now = (int64_t)bx_time_now()};
	int rc = bx_store_peer_each(scheduler->node->store, add_if_due, &due);
	if (rc)
		bx_log(BX_LOG_WARN, "cannot read the peers to harvest: %s", bx_strerror(rc));
	char slug[SLUG_SIZE];
	for (size_t i = 0; i < due.n && !atomic_load(&scheduler->stop); i++) {
		while (take_request(scheduler, slug) && !atomic_load(&scheduler->stop))
			harvest_peer(scheduler, slug);
		harvest_peer(scheduler, due.slugs[i]);
	}
	free(due.slugs);
}

static void *run(void *argument)
{
	struct bx_scheduler *scheduler = argument;
	char slug[SLUG_SIZE];
	while (!atomic_load(&scheduler->stop)) {
		while (take_request(scheduler, slug) && !atomic_load(&scheduler->stop))
			harvest_peer(scheduler, slug);
		harvest_due(scheduler);
		pthread_mutex_lock(&scheduler->lock);
		if (!scheduler->n_requested && !atomic_load(&scheduler->stop)) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&scheduler->wake, &scheduler->lock, &until);
		}
		pthread_mutex_unlock(&scheduler->lock);
	}
	return NULL;
}

int bx_scheduler_start(struct bx_node *node, struct bx_scheduler **out)
{
	struct bx_scheduler *scheduler = calloc(1, sizeof *scheduler);
	*out = NULL;
	if (!scheduler)
		return BX_ENOMEM;
	scheduler->node = node;
	atomic_init(&scheduler->stop, false);
	pthread_mutex_init(&scheduler->lock, NULL);
	pthread_cond_init(&scheduler->wake, NULL);
	/* The thread takes no signals: SIGINT and SIGTERM are for the server's sigwait. */
	sigset_t all, before;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &before);
	int failed = pthread_create(&scheduler->thread, NULL, run, scheduler);
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	if (failed) {
		pthread_cond_destroy(&scheduler->wake);
		pthread_mutex_destroy(&scheduler->lock);
		free(scheduler);
		return BX_EIO;
	}
	*out = scheduler;
	return 0;
}

void bx_scheduler_stop(struct bx_scheduler *scheduler)
{
	if (!scheduler)
		return;
	pthread_mutex_lock(&scheduler->lock);
	atomic_store(&scheduler->stop, true);
	pthread_cond_signal(&scheduler->wake);
	pthread_mutex_unlock(&scheduler->lock);
	pthread_join(scheduler->thread, NULL);
	pthread_cond_destroy(&scheduler->wake);
	pthread_mutex_destroy(&scheduler->lock);
	free(scheduler);
}

int bx_scheduler_request(struct bx_scheduler *scheduler, const char *slug)
{
	if (strlen(slug) >= SLUG_SIZE)
		return BX_EINVAL;
	int rc = 0;
	pthread_mutex_lock(&scheduler->lock);
	bool queued = false;
	for (int i = 0; i < scheduler->n_requested && !queued; i++)
		queued = !strcmp(scheduler->requested[i], slug);
	if (!queued && scheduler->n_requested == MAX_REQUESTS)
		rc = BX_ELIMIT;
	else if (!queued)
		memcpy(scheduler->requested[scheduler->n_requested++], slug, strlen(slug) + 1);
	pthread_cond_signal(&scheduler->wake);
	pthread_mutex_unlock(&scheduler->lock);
	return rc;
}
