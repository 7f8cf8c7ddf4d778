/* Unit tests of the peer registry and harvest runs in the store (store_sqlite_peers.c):
 * create and replace, the cursor only inside a write transaction and rolled back with it,
 * the state a run leaves (last success or error, failures, records), runs newest first,
 * and the scheduler's due time computed from that state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "federation/scheduler.h"
#include "util/timeutil.h"
#include "fixture.h"

static struct bx_peer peer_named(const char *slug, int64_t schedule)
{
	return (struct bx_peer){.slug = (char *)slug, .url = (char *)"http://127.0.0.1:9", .kind = (char *)"bioex",
	                        .schedule = schedule, .created = (char *)"2026-01-01T00:00:00Z"};
}

static void put_and_get(void **state)
{
	struct fixture *f = *state;
	struct bx_peer fr = peer_named("fr", 60), out;
	assert_int_equal(bx_store_peer_put(f->store, &fr, true, NULL), 0);
	assert_int_equal(bx_store_peer_put(f->store, &fr, true, NULL), BX_EEXIST);
	struct bx_peer unknown = peer_named("xx", 1);
	assert_int_equal(bx_store_peer_put(f->store, &unknown, false, NULL), BX_ENOTFOUND);
	assert_int_equal(bx_store_peer_get(f->store, "xx", &out), BX_ENOTFOUND);
	assert_int_equal(bx_store_peer_get(f->store, "fr", &out), 0);
	assert_string_equal(out.url, "http://127.0.0.1:9");
	assert_string_equal(out.kind, "bioex");
	assert_int_equal(out.schedule, 60);
	assert_null(out.cursor);
	assert_null(out.last_success);
	assert_int_equal(out.records, 0);
	bx_peer_clear(&out);
	/* Replacing the settings keeps the state. */
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(bx_store_peer_set_cursor(f->store, "fr", "41"), 0);
	assert_int_equal(bx_store_commit(f->store), 0);
	fr.url = (char *)"https://fr.example.org";
	fr.created = NULL;
	assert_int_equal(bx_store_peer_put(f->store, &fr, false, NULL), 0);
	assert_int_equal(bx_store_peer_get(f->store, "fr", &out), 0);
	assert_string_equal(out.url, "https://fr.example.org");
	assert_string_equal(out.cursor, "41");
	assert_string_equal(out.created, "2026-01-01T00:00:00Z");
	bx_peer_clear(&out);
}

static void cursor_needs_a_transaction_and_rolls_back_with_it(void **state)
{
	struct fixture *f = *state;
	struct bx_peer fr = peer_named("fr", 0), out;
	assert_int_equal(bx_store_peer_put(f->store, &fr, true, NULL), 0);
	assert_int_equal(bx_store_peer_set_cursor(f->store, "fr", "7"), BX_EINVAL);
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(bx_store_peer_set_cursor(f->store, "nobody", "7"), BX_ENOTFOUND);
	assert_int_equal(bx_store_peer_set_cursor(f->store, "fr", "7"), 0);
	bx_store_rollback(f->store);
	assert_int_equal(bx_store_peer_get(f->store, "fr", &out), 0);
	assert_null(out.cursor);
	bx_peer_clear(&out);
}

struct runs {
	int n;
	int64_t added[8];
	bool failed[8];
};

static int collect_run(void *context, const struct bx_harvest_run *run)
{
	struct runs *runs = context;
	runs->added[runs->n] = run->added;
	runs->failed[runs->n++] = run->error != NULL;
	return 0;
}

static void runs_update_the_peer_state(void **state)
{
	struct fixture *f = *state;
	struct bx_peer fr = peer_named("fr", 10), out;
	assert_int_equal(bx_store_peer_put(f->store, &fr, true, NULL), 0);
	struct bx_harvest_run ok = {.peer = "fr", .url = fr.url, .started = "2026-01-01T00:00:00Z",
	                            .finished = "2026-01-01T00:00:05Z", .added = 5, .deleted = 1};
	assert_int_equal(bx_store_harvest_put(f->store, &ok), 0);
	struct bx_harvest_run failed = {.peer = "fr", .url = fr.url, .started = "2026-01-01T01:00:00Z",
	                                .finished = "2026-01-01T01:00:01Z", .added = 2, .error = "refused"};
	assert_int_equal(bx_store_harvest_put(f->store, &failed), 0);
	assert_int_equal(bx_store_harvest_put(f->store, &failed), 0);
	assert_int_equal(bx_store_peer_get(f->store, "fr", &out), 0);
	assert_int_equal(out.records, 8);    /* 5 - 1, then 2 and 2: what failed runs applied stays */
	assert_int_equal(out.failures, 2);
	assert_string_equal(out.last_success, "2026-01-01T00:00:05Z");
	assert_string_equal(out.last_attempt, "2026-01-01T01:00:00Z");
	assert_string_equal(out.last_error, "refused");
	/* Backoff: 10 s × 2^2 after the last attempt. */
	assert_int_equal(bx_scheduler_next_due(&out), bx_time_parse_iso("2026-01-01T01:00:40Z"));
	bx_peer_clear(&out);
	assert_int_equal(bx_store_harvest_put(f->store, &ok), 0);
	assert_int_equal(bx_store_peer_get(f->store, "fr", &out), 0);
	assert_int_equal(out.failures, 0);
	assert_null(out.last_error);
	bx_peer_clear(&out);
	struct runs runs = {0};
	assert_int_equal(bx_store_harvest_each(f->store, "fr", 3, collect_run, &runs), 0);
	assert_int_equal(runs.n, 3);
	assert_false(runs.failed[0]);
	assert_true(runs.failed[1] && runs.failed[2]);
	assert_int_equal(runs.added[1], 2);
	/* A run of a URL harvested without registering is kept, and touches no peer. */
	struct bx_harvest_run loose = {.url = "http://elsewhere", .started = ok.started, .finished = ok.finished};
	assert_int_equal(bx_store_harvest_put(f->store, &loose), 0);
	runs.n = 0;
	assert_int_equal(bx_store_harvest_each(f->store, NULL, 8, collect_run, &runs), 0);
	assert_int_equal(runs.n, 5);
}

#define ORDER_SIZE 16

static int append_slug(void *context, const struct bx_peer *peer)
{
	char *order = context;
	size_t used = strlen(order);
	snprintf(order + used, ORDER_SIZE - used, "%s", peer->slug);
	return 0;
}

static void each_in_slug_order(void **state)
{
	struct fixture *f = *state;
	const char *slugs[] = {"mx", "ar", "cn"};
	for (int i = 0; i < 3; i++) {
		struct bx_peer peer = peer_named(slugs[i], 0);
		assert_int_equal(bx_store_peer_put(f->store, &peer, true, NULL), 0);
	}
	char order[ORDER_SIZE] = "";
	assert_int_equal(bx_store_peer_each(f->store, append_slug, order), 0);
	assert_string_equal(order, "arcnmx");
}

static void due_times(void **state)
{
	struct bx_peer peer = peer_named("fr", 0);
	assert_int_equal(bx_scheduler_next_due(&peer), INT64_MAX);     /* on demand only */
	peer.schedule = 60;
	assert_int_equal(bx_scheduler_next_due(&peer), 0);             /* never tried: now */
	peer.last_attempt = (char *)"2026-01-01T00:00:00Z";
	int64_t start = bx_time_parse_iso(peer.last_attempt);
	assert_int_equal(bx_scheduler_next_due(&peer), start + 60);
	peer.failures = 40;                                             /* capped */
	assert_int_equal(bx_scheduler_next_due(&peer), start + BX_SCHEDULER_MAX_DELAY);
	peer.schedule = 2 * BX_SCHEDULER_MAX_DELAY;                     /* never less than the schedule */
	assert_int_equal(bx_scheduler_next_due(&peer), start + 2 * BX_SCHEDULER_MAX_DELAY);
	peer.last_attempt = (char *)"yesterday";
	assert_int_equal(bx_scheduler_next_due(&peer), 0);
	assert_int_equal(bx_time_parse_iso("2026-01-01T00:00:00+01:00"), -1);
}

#define PEER_TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup_empty, fixture_teardown_empty)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PEER_TEST(put_and_get),
		PEER_TEST(cursor_needs_a_transaction_and_rolls_back_with_it),
		PEER_TEST(runs_update_the_peer_state),
		PEER_TEST(each_in_slug_order),
		cmocka_unit_test(due_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
