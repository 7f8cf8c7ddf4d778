/* SQLite backend: the peers this node harvests and the record of every harvest run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"

enum {
	STMT_PEER_INSERT = SQ_STMT_PEERS, STMT_PEER_UPDATE, STMT_PEER_GET, STMT_PEER_EACH,
	STMT_PEER_CURSOR, STMT_HARVEST_INSERT, STMT_PEER_AFTER_RUN, STMT_HARVEST_EACH,
};

int sq_peer_put(struct bx_store *base, const struct bx_peer *peer, bool create,
                const struct bx_who *who)
{
	struct sq_store *store = (struct sq_store *)base;
	int rc = bx_store_begin(base);
	if (rc)
		return rc;
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = create
		? sq_stmt(conn, STMT_PEER_INSERT, "INSERT INTO peers(url, kind, schedule, created, slug)"
		          " VALUES(?,?,?,?,?) ON CONFLICT(slug) DO NOTHING")
		: sq_stmt(conn, STMT_PEER_UPDATE, "UPDATE peers SET url=?, kind=?, schedule=?,"
		          " created=ifnull(?, created) WHERE slug=?");
	if (stmt) {
		sq_bind_text(stmt, 1, peer->url);
		sq_bind_text(stmt, 2, peer->kind);
		sqlite3_bind_int64(stmt, 3, peer->schedule);
		sq_bind_text(stmt, 4, peer->created);
		sq_bind_text(stmt, 5, peer->slug);
	}
	rc = sq_step_done(conn, stmt);
	if (!rc && sqlite3_changes(conn->db) == 0)
		rc = create ? BX_EEXIST : BX_ENOTFOUND;
	if (!rc)
		rc = sq_audit_row(conn, who ? who->actor : NULL, create ? "peer.create" : "peer.update",
		                  peer->slug, 0, who ? who->address : NULL);
	return bx_store_end(base, rc);
}

#define PEER_COLUMNS "slug, url, kind, schedule, cursor, records, last_attempt, last_success," \
	" last_error, failures, created"

static int read_peer(sqlite3_stmt *stmt, void *row)
{
	struct bx_peer *out = row;
	*out = (struct bx_peer){
		.slug = sq_column_strdup(stmt, 0),
		.url = sq_column_strdup(stmt, 1),
		.kind = sq_column_strdup(stmt, 2),
		.schedule = sqlite3_column_int64(stmt, 3),
		.cursor = sq_column_strdup(stmt, 4),
		.records = sqlite3_column_int64(stmt, 5),
		.last_attempt = sq_column_strdup(stmt, 6),
		.last_success = sq_column_strdup(stmt, 7),
		.last_error = sq_column_strdup(stmt, 8),
		.failures = sqlite3_column_int64(stmt, 9),
		.created = sq_column_strdup(stmt, 10),
	};
	if (!out->slug || !out->url || !out->kind) {
		bx_peer_clear(out);
		return BX_ENOMEM;
	}
	return 0;
}

int sq_peer_get(struct bx_store *base, const char *slug, struct bx_peer *out)
{
	return sq_select_row((struct sq_store *)base, STMT_PEER_GET,
	                     "SELECT " PEER_COLUMNS " FROM peers WHERE slug = ?", &slug, 1, read_peer, out);
}

struct peer_walk {
	bx_peer_fn fn;
	void *context;
};

static int peer_row(sqlite3_stmt *stmt, void *context)
{
	struct peer_walk *walk = context;
	struct bx_peer peer;
	int rc = read_peer(stmt, &peer);
	if (!rc)
		rc = walk->fn(walk->context, &peer);
	bx_peer_clear(&peer);
	return rc;
}

int sq_peer_each(struct bx_store *base, bx_peer_fn fn, void *context)
{
	struct peer_walk walk = {fn, context};
	return sq_each_row((struct sq_store *)base, STMT_PEER_EACH,
	                   "SELECT " PEER_COLUMNS " FROM peers ORDER BY slug", NULL, 0, peer_row, &walk);
}

int sq_peer_set_cursor(struct bx_store *base, const char *slug, const char *cursor)
{
	struct sq_store *store = (struct sq_store *)base;
	if (!sq_in_write(store))
		return BX_EINVAL;
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_PEER_CURSOR, "UPDATE peers SET cursor = ? WHERE slug = ?");
	if (stmt) {
		sq_bind_text(stmt, 1, cursor);
		sq_bind_text(stmt, 2, slug);
	}
	int rc = sq_step_done(conn, stmt);
	return !rc && sqlite3_changes(conn->db) == 0 ? BX_ENOTFOUND : rc;
}

int sq_harvest_put(struct bx_store *base, const struct bx_harvest_run *run)
{
	struct sq_store *store = (struct sq_store *)base;
	int rc = bx_store_begin(base);
	if (rc)
		return rc;
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_HARVEST_INSERT, "INSERT INTO harvests(peer, url, started,"
	                             " finished, added, updated, deleted, error) VALUES(?,?,?,?,?,?,?,?)");
	if (stmt) {
		sq_bind_text(stmt, 1, run->peer);
		sq_bind_text(stmt, 2, run->url);
		sq_bind_text(stmt, 3, run->started);
		sq_bind_text(stmt, 4, run->finished);
		sqlite3_bind_int64(stmt, 5, run->added);
		sqlite3_bind_int64(stmt, 6, run->updated);
		sqlite3_bind_int64(stmt, 7, run->deleted);
		sq_bind_text(stmt, 8, run->error);
	}
	rc = sq_step_done(conn, stmt);
	if (!rc && run->peer) {
		stmt = sq_stmt(conn, STMT_PEER_AFTER_RUN, "UPDATE peers SET last_attempt = ?1,"
		               " last_success = CASE WHEN ?2 IS NULL THEN ?3 ELSE last_success END,"
		               " last_error = ?2,"
		               " failures = CASE WHEN ?2 IS NULL THEN 0 ELSE failures + 1 END,"
		               " records = max(0, records + ?4) WHERE slug = ?5");
		if (stmt) {
			sq_bind_text(stmt, 1, run->started);
			sq_bind_text(stmt, 2, run->error);
			sq_bind_text(stmt, 3, run->finished);
			sqlite3_bind_int64(stmt, 4, run->added - run->deleted);
			sq_bind_text(stmt, 5, run->peer);
		}
		rc = sq_step_done(conn, stmt);
	}
	return bx_store_end(base, rc);
}

struct harvest_walk {
	bx_harvest_fn fn;
	void *context;
};

static int harvest_row(sqlite3_stmt *stmt, void *context)
{
	struct harvest_walk *walk = context;
	struct bx_harvest_run run = {
		.peer = (const char *)sqlite3_column_text(stmt, 0),
		.url = (const char *)sqlite3_column_text(stmt, 1),
		.started = (const char *)sqlite3_column_text(stmt, 2),
		.finished = (const char *)sqlite3_column_text(stmt, 3),
		.added = sqlite3_column_int64(stmt, 4),
		.updated = sqlite3_column_int64(stmt, 5),
		.deleted = sqlite3_column_int64(stmt, 6),
		.error = (const char *)sqlite3_column_text(stmt, 7),
	};
	return walk->fn(walk->context, &run);
}

int sq_harvest_each(struct bx_store *base, const char *slug, int limit, bx_harvest_fn fn,
                    void *context)
{
	struct harvest_walk walk = {fn, context};
	char limit_text[16];   /* bound as text, which SQLite's LIMIT reads as the number */
	snprintf(limit_text, sizeof limit_text, "%d", limit);
	const char *texts[] = {slug, limit_text};
	return sq_each_row((struct sq_store *)base, STMT_HARVEST_EACH, "SELECT peer, url, started, finished,"
	                   " added, updated, deleted, error FROM harvests WHERE ?1 IS NULL OR peer = ?1"
	                   " ORDER BY id DESC LIMIT ?2", texts, 2, harvest_row, &walk);
}
