/* Unit tests of the SQLite store through store.h: write modes and their preconditions,
 * revisions, the change sequence, rollback, the integrity check, backup, users and tokens.
 * Each test opens its own store. (Listings are the search index's: test_index.c.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include "auth/token.h"
#include "util/timeutil.h"
#include "fixture.h"

/* What a test record is made of; json is built from it so the store's checks hold. */
/* One integer from raw SQL on the database file, bypassing the store. */
static int64_t sql_int(const struct fixture *f, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	int64_t value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

static void sql_exec(const struct fixture *f, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *error = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
		fail_msg("%s: %s", sql, error);
	sqlite3_close(db);
}

static int collect_problem(void *context, const char *problem)
{
	json_array_append_new(context, json_string(problem));
	return 0;
}

static bool problems_mention(const json_t *problems, const char *text)
{
	size_t i;
	json_t *item;
	json_array_foreach((json_t *)problems, i, item)
		if (strstr(json_string_value(item), text))
			return true;
	return false;
}

/* The number of problems bx_store_check reports (its return agreeing). */
static size_t check_count(struct bx_store *store)
{
	json_t *problems = json_array();
	int rc = bx_store_check(store, collect_problem, problems);
	size_t n = json_array_size(problems);
	if (n) {
		char *text = json_dumps(problems, JSON_INDENT(1));
		print_error("problems: %s\n", text);
		free(text);
	}
	json_decref(problems);
	assert_int_equal(rc, n ? BX_EINVALID : 0);
	return n;
}

static void create_and_get(void **state)
{
	struct fixture *f = *state;
	struct written w = put(f->store, &(struct spec){.id = "test:a", .author = "alice", .country = "CN"});
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.outcome, BX_WRITE_CREATED);
	assert_true(w.seq > 0);
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "test:a", &got), 0);
	assert_string_equal(got.id, "test:a");
	assert_string_equal(got.type, "document");
	assert_string_equal(got.status, "published");
	assert_string_equal(got.author, "alice");
	assert_string_equal(got.json, w.json);
	assert_int_equal(got.revision, 1);
	assert_int_equal(got.seq, w.seq);
	assert_false(got.deleted);
	bx_stored_free(&got);
	assert_null(got.id);
	assert_int_equal(bx_store_get_record(f->store, "test:b", &got), BX_ENOTFOUND);
	/* The same id again. */
	w = put(f->store, &(struct spec){.id = "test:a", .title = "other"});
	assert_int_equal(w.rc, BX_EEXIST);
	assert_int_equal(bx_store_get_record(f->store, "test:a", &got), 0);
	assert_int_equal(got.revision, 1);
	assert_null(strstr(got.json, "other"));
	bx_stored_free(&got);
	/* Writes happen only inside a transaction. */
	w = put_in(f->store, &(struct spec){.id = "test:c"});
	assert_int_equal(w.rc, BX_EINVAL);
	assert_int_equal(bx_store_get_record(f->store, "test:c", &got), BX_ENOTFOUND);
	/* Transactions do not nest; commit or rollback without one does nothing harmful. */
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(bx_store_begin(f->store), BX_EINVAL);
	bx_store_rollback(f->store);
	assert_int_equal(bx_store_commit(f->store), BX_EINVAL);
	bx_store_rollback(f->store);
}

static void update_preconditions(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->store, &(struct spec){.id = "test:a"}).rc, 0);
	struct written w = put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "test:a",
	                                                 .revision = 2, .base_revision = 1, .title = "second"});
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.outcome, BX_WRITE_UPDATED);
	/* Stale: revision 1 was replaced. */
	w = put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "test:a", .revision = 2,
	                                 .base_revision = 1, .title = "stale"});
	assert_int_equal(w.rc, BX_ECONFLICT);
	w = put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "test:a", .revision = 4,
	                                 .base_revision = 3, .title = "future"});
	assert_int_equal(w.rc, BX_ECONFLICT);
	w = put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "test:nothing", .revision = 2,
	                                 .base_revision = 1});
	assert_int_equal(w.rc, BX_ENOTFOUND);
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "test:a", &got), 0);
	assert_int_equal(got.revision, 2);
	assert_non_null(strstr(got.json, "second"));
	bx_stored_free(&got);
	assert_int_equal(bx_store_get_record(f->store, "test:nothing", &got), BX_ENOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revisions"), 2);
}

static void replica_writes_only_newer(void **state)
{
	struct fixture *f = *state;
	struct written w = put(f->store, &(struct spec){.mode = BX_WRITE_REPLICA, .id = "other:r",
	                                                 .revision = 5, .title = "five"});
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.outcome, BX_WRITE_CREATED);
	int64_t seq_before = w.seq;
	int64_t audit_before = sql_int(f, "SELECT count(*) FROM audit");
	for (int64_t revision = 3; revision <= 5; revision++) {
		w = put(f->store, &(struct spec){.mode = BX_WRITE_REPLICA, .id = "other:r",
		                                 .revision = revision, .title = "older or same"});
		assert_int_equal(w.rc, 0);
		assert_int_equal(w.outcome, BX_WRITE_UNCHANGED);
	}
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "other:r", &got), 0);
	assert_int_equal(got.revision, 5);
	assert_int_equal(got.seq, seq_before);
	assert_non_null(strstr(got.json, "five"));
	bx_stored_free(&got);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revisions"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit_before);
	w = put(f->store, &(struct spec){.mode = BX_WRITE_REPLICA, .id = "other:r", .revision = 7,
	                                 .title = "seven"});
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.outcome, BX_WRITE_UPDATED);
	assert_true(w.seq > seq_before);
	assert_int_equal(bx_store_get_record(f->store, "other:r", &got), 0);
	assert_int_equal(got.revision, 7);
	assert_non_null(strstr(got.json, "seven"));
	bx_stored_free(&got);
}

struct revisions_seen {
	int n;
	int64_t revisions[8];
	char titles[8][32];
};

static int collect_revision(void *context, const struct bx_stored *record)
{
	struct revisions_seen *seen = context;
	if (seen->n == 8)
		return BX_ETOOBIG;
	seen->revisions[seen->n] = record->revision;
	json_t *json = json_loads(record->json, 0, NULL);
	snprintf(seen->titles[seen->n], sizeof seen->titles[0], "%s",
	         json_string_value(json_object_get(json_object_get(json, "title"), "en")) ?: "");
	json_decref(json);
	seen->n++;
	return 0;
}

static void every_revision_kept(void **state)
{
	struct fixture *f = *state;
	static const char *const titles[] = {"one", "two", "three"};
	for (int64_t i = 0; i < 3; i++) {
		struct written w = put(f->store, &(struct spec){.mode = i ? BX_WRITE_UPDATE : BX_WRITE_CREATE,
		                                                .id = "test:r", .revision = i + 1, .base_revision = i,
		                                                .title = titles[i]});
		assert_int_equal(w.rc, 0);
	}
	struct revisions_seen seen = {0};
	assert_int_equal(bx_store_each_revision(f->store, "test:r", collect_revision, &seen), 0);
	assert_int_equal(seen.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(seen.revisions[i], i + 1);
		assert_string_equal(seen.titles[i], titles[i]);
	}
	struct bx_stored got;
	assert_int_equal(bx_store_get_revision(f->store, "test:r", 2, &got), 0);
	assert_int_equal(got.revision, 2);
	assert_non_null(strstr(got.json, "\"two\""));
	assert_string_equal(got.id, "test:r");
	bx_stored_free(&got);
	assert_int_equal(bx_store_get_revision(f->store, "test:r", 4, &got), BX_ENOTFOUND);
	assert_int_equal(bx_store_get_revision(f->store, "test:r", 0, &got), BX_ENOTFOUND);
	assert_int_equal(bx_store_get_revision(f->store, "test:r", -1, &got), BX_ENOTFOUND);
	assert_int_equal(bx_store_get_revision(f->store, "test:none", 1, &got), BX_ENOTFOUND);
	seen.n = 0;
	assert_int_equal(bx_store_each_revision(f->store, "test:none", collect_revision, &seen), BX_ENOTFOUND);
	assert_int_equal(seen.n, 0);
	/* A callback's non-zero return stops the walk and is returned. */
	seen.n = 8;
	assert_int_equal(bx_store_each_revision(f->store, "test:r", collect_revision, &seen), BX_ETOOBIG);
}

/* Collects the ids get_records passes, and stops after stop_after of them. */
struct ids_seen {
	char ids[8][32];
	int64_t revisions[8];
	size_t n, stop_after;
};

static int collect_id(void *context, const struct bx_stored *record)
{
	struct ids_seen *seen = context;
	snprintf(seen->ids[seen->n], sizeof seen->ids[0], "%s", record->id);
	seen->revisions[seen->n++] = record->revision;
	return seen->n == seen->stop_after ? BX_ETOOBIG : 0;
}

static void several_records_in_one_read(void **state)
{
	struct fixture *f = *state;
	static const char *const written[] = {"test:a", "test:b", "test:c"};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(put(f->store, &(struct spec){.id = written[i]}).rc, 0);
	assert_int_equal(put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "test:b", .revision = 2,
	                                               .base_revision = 1, .title = "two"}).rc, 0);
	/* in the order asked, the current revision, an id not found skipped */
	const char *const asked[] = {"test:c", "test:none", "test:b", "test:a"};
	struct ids_seen seen = {.stop_after = 8};
	assert_int_equal(bx_store_get_records(f->store, asked, 4, collect_id, &seen), 0);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.ids[0], "test:c");
	assert_string_equal(seen.ids[1], "test:b");
	assert_int_equal(seen.revisions[1], 2);
	assert_string_equal(seen.ids[2], "test:a");
	/* a non-zero return stops and is returned; none asked, none passed */
	seen = (struct ids_seen){.stop_after = 1};
	assert_int_equal(bx_store_get_records(f->store, asked, 4, collect_id, &seen), BX_ETOOBIG);
	assert_int_equal(seen.n, 1);
	assert_int_equal(bx_store_get_records(f->store, asked, 0, collect_id, &seen), 0);
	assert_int_equal(seen.n, 1);
	/* inside a write, the write's own state is read */
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(put_in(f->store, &(struct spec){.id = "test:d"}).rc, 0);
	const char *const fresh[] = {"test:d", "test:a"};
	seen = (struct ids_seen){.stop_after = 8};
	assert_int_equal(bx_store_get_records(f->store, fresh, 2, collect_id, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.ids[0], "test:d");
	bx_store_rollback(f->store);
	seen = (struct ids_seen){.stop_after = 8};
	assert_int_equal(bx_store_get_records(f->store, fresh, 2, collect_id, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.ids[0], "test:a");
}

static void change_sequence_increases(void **state)
{
	struct fixture *f = *state;
	static const char *const ids[] = {"test:a", "test:b", "test:a", "test:c", "test:b", "test:a"};
	int64_t revision[3] = {0, 0, 0}, last = 0;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		int k = ids[i][5] - 'a';
		struct written w = put(f->store, &(struct spec){.mode = revision[k] ? BX_WRITE_UPDATE : BX_WRITE_CREATE,
		                                                .id = ids[i], .revision = revision[k] + 1,
		                                                .base_revision = revision[k]});
		assert_int_equal(w.rc, 0);
		revision[k]++;
		if (w.seq <= last)
			fail_msg("write %zu got sequence %lld after %lld", i, (long long)w.seq, (long long)last);
		last = w.seq;
	}
	/* A rolled-back write does not make the next sequence go back. */
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(put_in(f->store, &(struct spec){.id = "test:z"}).rc, 0);
	bx_store_rollback(f->store);
	struct written w = put(f->store, &(struct spec){.id = "test:y"});
	assert_true(w.seq > last);
	/* The current row carries the sequence of its last write. */
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "test:a", &got), 0);
	assert_int_equal(got.revision, 3);
	assert_int_equal(got.seq, sql_int(f, "SELECT max(v.seq) FROM revisions v JOIN records r ON r.rid = v.rid"
	                                     " WHERE r.id = 'test:a'"));
	bx_stored_free(&got);
	assert_int_equal(check_count(f->store), 0);
}

static void rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	int64_t audit_before = sql_int(f, "SELECT count(*) FROM audit");
	assert_int_equal(bx_store_begin(f->store), 0);
	assert_int_equal(put_in(f->store, &(struct spec){.id = "test:gone", .country = "CN",
	                                                  .instrument = "cbd"}).rc, 0);
	/* Inside the transaction the write is visible to this thread. */
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "test:gone", &got), 0);
	bx_stored_free(&got);
	bx_store_rollback(f->store);
	assert_int_equal(bx_store_get_record(f->store, "test:gone", &got), BX_ENOTFOUND);
	struct revisions_seen seen = {0};
	assert_int_equal(bx_store_each_revision(f->store, "test:gone", collect_revision, &seen), BX_ENOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM records"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revisions"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit"), audit_before);
	/* A committed write leaves one audit row naming the record. */
	assert_int_equal(put(f->store, &(struct spec){.id = "test:kept", .author = "alice"}).rc, 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE target = 'test:kept' AND actor = 'alice'"
	                            " AND address = '127.0.0.1' AND revision = 1"), 1);
}

static int count_published(void *context, const struct bx_stored *record)
{
	(*(int *)context)++;
	return strcmp(record->status, "published") || record->deleted ? BX_EINVAL : 0;
}

struct type_counts {
	int64_t documents_published, drafts, withdrawn;
};

static int collect_type_count(void *context, const char *type, const char *status, int64_t count)
{
	struct type_counts *counts = context;
	if (!strcmp(type, "document") && !strcmp(status, "published"))
		counts->documents_published = count;
	if (!strcmp(status, "draft"))
		counts->drafts += count;
	if (!strcmp(status, "withdrawn"))
		counts->withdrawn += count;
	return 0;
}

static void published_and_counts(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	int n = 0;
	assert_int_equal(bx_store_each_published(f->store, count_published, &n), 0);
	assert_int_equal(n, 3);
	struct type_counts counts = {0};
	assert_int_equal(bx_store_count_by_type(f->store, collect_type_count, &counts), 0);
	assert_int_equal(counts.documents_published, 1);
	assert_int_equal(counts.drafts, 2);
	assert_int_equal(counts.withdrawn, 0);   /* tombstones are not counted */
	/* A tombstone stays readable. */
	struct bx_stored got;
	assert_int_equal(bx_store_get_record(f->store, "t:f", &got), 0);
	assert_true(got.deleted);
	assert_string_equal(got.status, "withdrawn");
	bx_stored_free(&got);
}

static void check_finds_corruption(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	assert_int_equal(put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "t:a", .revision = 2,
	                                              .base_revision = 1}).rc, 0);
	json_t *problems = json_array();
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), 0);
	assert_int_equal(json_array_size(problems), 0);

	sql_exec(f, "UPDATE records SET revision = 99 WHERE id = 't:a'");
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), BX_EINVALID);
	assert_true(json_array_size(problems) >= 1);
	assert_true(problems_mention(problems, "t:a"));
	assert_false(problems_mention(problems, "t:c"));
	json_array_clear(problems);
	sql_exec(f, "UPDATE records SET revision = 2 WHERE id = 't:a'");
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), 0);

	sql_exec(f, "UPDATE records SET status = 'lost' WHERE id = 't:c'");
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), BX_EINVALID);
	assert_true(problems_mention(problems, "t:c"));
	json_array_clear(problems);
	sql_exec(f, "UPDATE records SET status = 'published' WHERE id = 't:c'");

	sql_exec(f, "INSERT INTO users(name, role, password_hash, created) VALUES('eve', 'admin', 'plain',"
	            " '2026-01-01T00:00:00Z')");
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), BX_EINVALID);
	assert_true(problems_mention(problems, "eve"));
	json_decref(problems);
}

static void check_finds_json_mismatch(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->store, &(struct spec){.id = "t:x"}).rc, 0);
	assert_int_equal(check_count(f->store), 0);
	sql_exec(f, "UPDATE revisions SET json = json_set(json, '$.type', 'meeting')");
	json_t *problems = json_array();
	assert_int_equal(bx_store_check(f->store, collect_problem, problems), BX_EINVALID);
	assert_true(problems_mention(problems, "t:x"));
	json_decref(problems);
}

static void backup_is_a_readable_copy(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	char path[256];
	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	assert_int_equal(bx_store_backup(f->store, path), 0);
	/* Later writes do not reach the copy. */
	assert_int_equal(put(f->store, &(struct spec){.id = "t:late"}).rc, 0);

	struct bx_store *copy = NULL;
	assert_int_equal(bx_store_open(path, false, &copy), 0);
	struct bx_stored original, copied;
	assert_int_equal(bx_store_get_record(f->store, "t:a", &original), 0);
	assert_int_equal(bx_store_get_record(copy, "t:a", &copied), 0);
	assert_string_equal(copied.json, original.json);
	assert_int_equal(copied.seq, original.seq);
	bx_stored_free(&original);
	bx_stored_free(&copied);
	assert_int_equal(bx_store_get_record(copy, "t:late", &copied), BX_ENOTFOUND);
	expect_list(copy, (struct bx_list_query){.status = "draft", .see_all = true}, "t:b,t:g", 2);
	expect_list(copy, (struct bx_list_query){0}, "t:a,t:c,t:e", 3);
	char *node = NULL;
	assert_int_equal(bx_store_meta_get(copy, "node", &node), 0);
	assert_string_equal(node, "test");
	free(node);
	assert_int_equal(check_count(copy), 0);
	bx_store_close(copy);
	/* A path that cannot be created fails. */
	assert_int_not_equal(bx_store_backup(f->store, "/nonexistent-dir/backup.db"), 0);
}

static void meta_settings(void **state)
{
	struct fixture *f = *state;
	char *value = (char *)1;
	assert_int_equal(bx_store_meta_get(f->store, "name", &value), BX_ENOTFOUND);
	assert_null(value);
	assert_int_equal(bx_store_meta_set(f->store, "name", "Test node"), 0);
	assert_int_equal(bx_store_meta_set(f->store, "name", "Renamed"), 0);
	assert_int_equal(bx_store_meta_get(f->store, "name", &value), 0);
	assert_string_equal(value, "Renamed");
	free(value);
	/* Reopening keeps everything. */
	bx_store_close(f->store);
	f->store = NULL;
	assert_int_equal(bx_store_open(f->path, false, &f->store), 0);
	assert_int_equal(bx_store_meta_get(f->store, "name", &value), 0);
	assert_string_equal(value, "Renamed");
	free(value);
	/* Opening a missing database without create fails and sets *out to NULL. */
	struct bx_store *missing = (struct bx_store *)1;
	char path[256];
	snprintf(path, sizeof path, "%s/missing.db", f->dir);
	assert_int_not_equal(bx_store_open(path, false, &missing), 0);
	assert_null(missing);
}

static struct bx_user make_user(const char *name, const char *role, const char *country)
{
	return (struct bx_user){
		.name = (char *)name, .role = (char *)role, .country = (char *)country,
		.password_hash = (char *)"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		.created = (char *)"2026-01-01T00:00:00Z",
	};
}

static int count_user(void *context, const struct bx_user *user)
{
	(*(int *)context)++;
	return 0;
}

static void users(void **state)
{
	struct fixture *f = *state;
	struct bx_user alice = make_user("alice", "national", "CN");
	alice.instruments = (char *)"cbd,cites";
	assert_int_equal(bx_store_user_put(f->store, &alice, true, NULL), 0);
	struct bx_user other = make_user("alice", "editor", NULL);
	assert_int_equal(bx_store_user_put(f->store, &other, true, NULL), BX_EEXIST);
	struct bx_user got;
	assert_int_equal(bx_store_user_get(f->store, "alice", &got), 0);
	assert_string_equal(got.role, "national");
	assert_string_equal(got.country, "CN");
	assert_string_equal(got.instruments, "cbd,cites");
	assert_string_equal(got.password_hash, alice.password_hash);
	assert_false(got.disabled);
	bx_user_clear(&got);
	/* Replace. */
	other.disabled = true;
	assert_int_equal(bx_store_user_put(f->store, &other, false, NULL), 0);
	assert_int_equal(bx_store_user_get(f->store, "alice", &got), 0);
	assert_string_equal(got.role, "editor");
	assert_null(got.country);
	assert_true(got.disabled);
	bx_user_clear(&got);
	struct bx_user nobody = make_user("nobody", "editor", NULL);
	assert_int_equal(bx_store_user_put(f->store, &nobody, false, NULL), BX_ENOTFOUND);
	assert_int_equal(bx_store_user_get(f->store, "nobody", &got), BX_ENOTFOUND);
	struct bx_user bob = make_user("bob", "contributor", NULL);
	assert_int_equal(bx_store_user_put(f->store, &bob, true, NULL), 0);
	int n = 0;
	assert_int_equal(bx_store_user_each(f->store, count_user, &n), 0);
	assert_int_equal(n, 2);
	/* Account writes are audited; refused ones are not (they changed nothing). */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.create'"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.update'"
	                            " AND target = 'alice'"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE target = 'nobody'"), 0);
}

/* Does the file at path contain needle? */
static bool file_contains(const char *path, const char *needle)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return false;
	size_t n = strlen(needle), size = 0, capacity = 1 << 16;
	char *data = malloc(capacity);
	size_t got;
	while ((got = fread(data + size, 1, capacity - size, file)) > 0) {
		size += got;
		if (size == capacity)
			data = realloc(data, capacity *= 2);
	}
	fclose(file);
	bool found = false;
	for (size_t i = 0; !found && i + n <= size; i++)
		found = !memcmp(data + i, needle, n);
	free(data);
	return found;
}

static void tokens(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(sodium_init() >= 0, 1);
	struct bx_user alice = make_user("alice", "editor", NULL);
	assert_int_equal(bx_store_user_put(f->store, &alice, true, NULL), 0);
	int64_t now = bx_time_now();
	char token[BX_TOKEN_SIZE];
	unsigned char hash[BX_TOKEN_HASH_SIZE];
	bx_token_new(token, hash);
	assert_int_equal(bx_store_token_put(f->store, hash, "alice", now + 3600, NULL), 0);
	struct bx_user user;
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), 0);
	assert_string_equal(user.name, "alice");
	assert_string_equal(user.role, "editor");
	bx_user_clear(&user);
	/* At and after the expiry time the token is not found. */
	assert_int_equal(bx_store_token_user(f->store, hash, now + 3600, &user), BX_ENOTFOUND);
	assert_null(user.name);
	assert_int_equal(bx_store_token_user(f->store, hash, now + 7200, &user), BX_ENOTFOUND);
	/* An unknown hash. */
	unsigned char other[BX_TOKEN_HASH_SIZE];
	memcpy(other, hash, sizeof other);
	other[0] ^= 1;
	assert_int_equal(bx_store_token_user(f->store, other, now, &user), BX_ENOTFOUND);
	/* Only the hash is kept, never the token itself. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM tokens WHERE length(hash) = 32"), 1);
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	assert_false(file_contains(f->path, token));
	assert_false(file_contains(wal, token));
	/* Deleted. */
	assert_int_equal(bx_store_token_delete(f->store, hash, NULL), 0);
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), BX_ENOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM tokens"), 0);
	/* An already expired token is not found. */
	bx_token_new(token, hash);
	assert_int_equal(bx_store_token_put(f->store, hash, "alice", now - 10, NULL), 0);
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), BX_ENOTFOUND);
	/* A disabled user's tokens stop working. */
	bx_token_new(token, hash);
	assert_int_equal(bx_store_token_put(f->store, hash, "alice", now + 3600, NULL), 0);
	alice.disabled = true;
	struct bx_who admin = {"root", "192.0.2.7"};
	assert_int_equal(bx_store_user_put(f->store, &alice, false, &admin), 0);
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), BX_ENOTFOUND);
	/* ... and are revoked: enabling the account again does not bring them back. */
	alice.disabled = false;
	assert_int_equal(bx_store_user_put(f->store, &alice, false, &admin), 0);
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), BX_ENOTFOUND);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM audit WHERE action = 'user.update' AND"
	                            " actor = 'root' AND address = '192.0.2.7' AND target = 'alice'"), 2);
	/* A new password revokes the tokens; an update that keeps it does not. */
	bx_token_new(token, hash);
	assert_int_equal(bx_store_token_put(f->store, hash, "alice", now + 3600, NULL), 0);
	assert_int_equal(bx_store_user_put(f->store, &alice, false, NULL), 0);
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), 0);
	bx_user_clear(&user);
	char *old_hash = alice.password_hash;
	alice.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$bmV3$bmV3";
	assert_int_equal(bx_store_user_put(f->store, &alice, false, NULL), 0);
	alice.password_hash = old_hash;
	assert_int_equal(bx_store_token_user(f->store, hash, now, &user), BX_ENOTFOUND);
	/* A token for an unknown user is refused. */
	bx_token_new(token, hash);
	assert_int_not_equal(bx_store_token_put(f->store, hash, "mallory", now + 3600, NULL), 0);
}

#define STORE_TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup_empty, fixture_teardown_empty)

int main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(create_and_get),
		STORE_TEST(update_preconditions),
		STORE_TEST(replica_writes_only_newer),
		STORE_TEST(every_revision_kept),
		STORE_TEST(several_records_in_one_read),
		STORE_TEST(change_sequence_increases),
		STORE_TEST(rollback_leaves_nothing),
		STORE_TEST(published_and_counts),
		STORE_TEST(check_finds_corruption),
		STORE_TEST(check_finds_json_mismatch),
		STORE_TEST(backup_is_a_readable_copy),
		STORE_TEST(meta_settings),
		STORE_TEST(users),
		STORE_TEST(tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
