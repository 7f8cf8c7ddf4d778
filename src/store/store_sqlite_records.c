/* SQLite backend: records, their revisions and the changes. A write appends a revision
 * (whose key, assigned by the writer, is the change sequence), replaces the current row and
 * appends an audit row, all in the caller's transaction. Listings and search are the
 * search index's (src/search), which follows the changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"
#include "util/buf.h"

enum {
	STMT_FIND = SQ_STMT_RECORDS, STMT_INSERT, STMT_UPDATE, STMT_REVISION,
	STMT_GET, STMT_GET_REVISION, STMT_EACH_REVISION,
	STMT_EACH_PUBLISHED, STMT_EACH_CHANGE, STMT_COUNT_BY_TYPE, STMT_LAST_SEQ,
};

#define RECORD_COLUMNS "r.id, r.type, r.status, r.author, v.json, r.revision, r.seq, r.deleted, v.changed"
#define RECORD_FROM " FROM records r JOIN revisions v ON v.seq = r.seq"

static int read_stored(sqlite3_stmt *stmt, struct bx_stored *out)
{
	*out = (struct bx_stored){
		.id = sq_column_strdup(stmt, 0),
		.type = sq_column_strdup(stmt, 1),
		.status = sq_column_strdup(stmt, 2),
		.author = sq_column_strdup(stmt, 3),
		.json = sq_column_strdup(stmt, 4),
		.revision = sqlite3_column_int64(stmt, 5),
		.seq = sqlite3_column_int64(stmt, 6),
		.deleted = sqlite3_column_int(stmt, 7) != 0,
		.changed = sqlite3_column_int64(stmt, 8),
	};
	if (!out->id || !out->json) {
		bx_stored_free(out);
		return BX_ENOMEM;
	}
	return 0;
}

/* Reads the current row's rid and revision; *rid = 0 when the id is new. */
static int find_current(struct sq_conn *conn, const char *id, int64_t *rid, int64_t *revision)
{
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_FIND, "SELECT rid, revision FROM records WHERE id = ?");
	if (!stmt)
		return BX_EIO;
	sq_bind_text(stmt, 1, id);
	int step = sqlite3_step(stmt);
	*rid = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	*revision = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 1) : 0;
	sqlite3_reset(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : sq_error(conn->db, step);
}

static void bind_record_columns(sqlite3_stmt *stmt, const struct bx_record_write *w, int64_t seq)
{
	sq_bind_text(stmt, 1, w->type);
	sq_bind_text(stmt, 2, w->status);
	sqlite3_bind_int(stmt, 3, w->deleted);
	sqlite3_bind_int64(stmt, 4, w->revision);
	sqlite3_bind_int64(stmt, 5, seq);
	sq_bind_text(stmt, 6, w->origin);
	sq_bind_text(stmt, 7, w->author);
	sq_bind_text(stmt, 8, w->updated);
	sq_bind_text(stmt, 9, w->id);
}

/* Inserts or updates the current row, pointing at change seq; sets *rid for a new one. */
static int write_current(struct sq_conn *conn, const struct bx_record_write *w, int64_t seq,
                         int64_t *rid)
{
	bool is_new = *rid == 0;
	sqlite3_stmt *stmt = is_new
		? sq_stmt(conn, STMT_INSERT, "INSERT INTO records(type, status, deleted, revision, seq,"
		          " origin, author, updated, id) VALUES(?,?,?,?,?,?,?,?,?)")
		: sq_stmt(conn, STMT_UPDATE, "UPDATE records SET type=?, status=?, deleted=?, revision=?,"
		          " seq=?, origin=?, author=?, updated=? WHERE id=?");
	if (!stmt)
		return BX_EIO;
	bind_record_columns(stmt, w, seq);
	int rc = sq_step_done(conn, stmt);
	if (!rc && is_new)
		*rid = sqlite3_last_insert_rowid(conn->db);
	return rc;
}

static int write_revision(struct sq_conn *conn, const struct bx_record_write *w, int64_t rid,
                          int64_t seq, int64_t changed)
{
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_REVISION, "INSERT INTO revisions(seq, rid, revision,"
	                             " deleted, status, updated, author, json, changed)"
	                             " VALUES(?,?,?,?,?,?,?,?,?)");
	if (!stmt)
		return BX_EIO;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_int64(stmt, 2, rid);
	sqlite3_bind_int64(stmt, 3, w->revision);
	sqlite3_bind_int(stmt, 4, w->deleted);
	sq_bind_text(stmt, 5, w->status);
	sq_bind_text(stmt, 6, w->updated);
	sq_bind_text(stmt, 7, w->author);
	sq_bind_text(stmt, 8, w->json);
	sqlite3_bind_int64(stmt, 9, changed);
	return sq_step_done(conn, stmt);
}

int sq_put_record(struct bx_store *base, const struct bx_record_write *w,
                  enum bx_write_outcome *outcome, int64_t *seq)
{
	struct sq_store *store = (struct sq_store *)base;
	if (!sq_in_write(store))
		return BX_EINVAL;
	struct sq_conn *conn = sq_writer(store);
	int64_t rid, current;
	int rc = find_current(conn, w->id, &rid, &current);
	if (rc)
		return rc;
	*seq = 0;
	switch (w->mode) {
	case BX_WRITE_CREATE:
		if (rid)
			return BX_EEXIST;
		break;
	case BX_WRITE_UPDATE:
		if (!rid)
			return BX_ENOTFOUND;
		if (current != w->base_revision)
			return BX_ECONFLICT;
		break;
	case BX_WRITE_REPLICA:
		if (rid && current >= w->revision) {
			*outcome = BX_WRITE_UNCHANGED;
			return 0;
		}
		break;
	}
	bool is_new = rid == 0;
	*outcome = is_new ? BX_WRITE_CREATED : BX_WRITE_UPDATED;
	*seq = store->next_seq;
	rc = write_current(conn, w, *seq, &rid);
	if (!rc)
		rc = write_revision(conn, w, rid, *seq, store->changed);
	if (rc)
		return rc;
	store->next_seq++;
	return sq_audit_row(conn, w->actor, w->action, w->id, w->revision, w->address);
}

/* Runs a one-row query bound to (id[, revision]) and reads the record. */
static int get_one(struct sq_store *store, int stmt_id, const char *sql, const char *id,
                   int64_t revision, struct bx_stored *out)
{
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, stmt_id, sql);
	int rc = BX_EIO;
	if (stmt) {
		sq_bind_text(stmt, 1, id);
		if (revision)
			sqlite3_bind_int64(stmt, 2, revision);
		int step = sqlite3_step(stmt);
		if (step == SQLITE_ROW)
			rc = read_stored(stmt, out);
		else
			rc = step == SQLITE_DONE ? BX_ENOTFOUND : sq_error(conn->db, step);
		sqlite3_reset(stmt);
	}
	sq_release(store, conn);
	return rc;
}

#define GET_SQL "SELECT " RECORD_COLUMNS RECORD_FROM " WHERE r.id = ?"

int sq_get_record(struct bx_store *base, const char *id, struct bx_stored *out)
{
	return get_one((struct sq_store *)base, STMT_GET, GET_SQL, id, 0, out);
}

int sq_get_records(struct bx_store *base, const char *const *ids, size_t n_ids, bx_stored_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	/* one read transaction, not one per statement (unless a write is open) */
	bool own = conn != sq_writer(store);
	int rc = own ? sq_error(conn->db, sqlite3_exec(conn->db, "BEGIN", NULL, NULL, NULL)) : 0;
	sqlite3_stmt *stmt = rc ? NULL : sq_stmt(conn, STMT_GET, GET_SQL);
	if (!rc && !stmt)
		rc = BX_EIO;
	for (size_t i = 0; i < n_ids && !rc; i++) {
		sq_bind_text(stmt, 1, ids[i]);
		int step = sqlite3_step(stmt);
		struct bx_stored record;
		if (step == SQLITE_ROW && !(rc = read_stored(stmt, &record))) {
			rc = fn(context, &record);
			bx_stored_free(&record);
		} else if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = sq_error(conn->db, step);
		}
		sqlite3_reset(stmt);
	}
	if (own)
		sqlite3_exec(conn->db, "COMMIT", NULL, NULL, NULL);
	sq_release(store, conn);
	return rc;
}

#define REVISION_COLUMNS "r.id, r.type, v.status, v.author, v.json, v.revision, v.seq, v.deleted, v.changed"

int sq_get_revision(struct bx_store *base, const char *id, int64_t revision, struct bx_stored *out)
{
	if (revision < 1)
		return BX_ENOTFOUND;
	return get_one((struct sq_store *)base, STMT_GET_REVISION,
	               "SELECT " REVISION_COLUMNS " FROM records r JOIN revisions v ON v.rid = r.rid"
	               " WHERE r.id = ? AND v.revision = ?", id, revision, out);
}

/* Steps stmt, handing each row to fn. */
static int each_row(struct sq_conn *conn, sqlite3_stmt *stmt, bx_stored_fn fn, void *context,
                    int64_t *n_rows)
{
	int step, rc = 0;
	*n_rows = 0;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct bx_stored record;
		if ((rc = read_stored(stmt, &record)))
			break;
		(*n_rows)++;
		rc = fn(context, &record);
		bx_stored_free(&record);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = sq_error(conn->db, step);
	sqlite3_reset(stmt);
	return rc;
}

int sq_each_revision(struct bx_store *base, const char *id, bx_stored_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_EACH_REVISION,
	                             "SELECT " REVISION_COLUMNS " FROM records r JOIN revisions v"
	                             " ON v.rid = r.rid WHERE r.id = ? ORDER BY v.revision");
	int rc = BX_EIO;
	int64_t n_rows = 0;
	if (stmt) {
		sq_bind_text(stmt, 1, id);
		rc = each_row(conn, stmt, fn, context, &n_rows);
	}
	sq_release(store, conn);
	return !rc && n_rows == 0 ? BX_ENOTFOUND : rc;
}

int sq_each_published(struct bx_store *base, bx_stored_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_EACH_PUBLISHED, "SELECT " RECORD_COLUMNS RECORD_FROM
	                             " WHERE r.status = 'published' AND r.deleted = 0"
	                             " ORDER BY r.id");
	int64_t n_rows;
	int rc = stmt ? each_row(conn, stmt, fn, context, &n_rows) : BX_EIO;
	sq_release(store, conn);
	return rc;
}

int sq_each_change(struct bx_store *base, int64_t since, int limit, bx_stored_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	/* A record's current row carries the sequence of its latest revision: the revisions
	 * after since whose sequence is still current are the changes, once each. */
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_EACH_CHANGE, "SELECT " RECORD_COLUMNS
	                             " FROM revisions v JOIN records r ON r.rid = v.rid"
	                             " WHERE v.seq > ? AND r.seq = v.seq ORDER BY v.seq LIMIT ?");
	int64_t n_rows;
	int rc = BX_EIO;
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, since);
		sqlite3_bind_int(stmt, 2, limit);
		rc = each_row(conn, stmt, fn, context, &n_rows);
	}
	sq_release(store, conn);
	return rc;
}

int sq_last_seq(struct bx_store *base, int64_t *seq)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	*seq = 0;
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_LAST_SEQ, "SELECT ifnull(max(seq), 0) FROM revisions");
	int rc = BX_EIO;
	if (stmt) {
		int step = sqlite3_step(stmt);
		rc = step == SQLITE_ROW ? 0 : sq_error(conn->db, step);
		if (!rc)
			*seq = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
	}
	sq_release(store, conn);
	return rc;
}

struct count_walk {
	bx_count_fn fn;
	void *context;
};

static int count_row(sqlite3_stmt *stmt, void *context)
{
	struct count_walk *walk = context;
	return walk->fn(walk->context, (const char *)sqlite3_column_text(stmt, 0),
	                (const char *)sqlite3_column_text(stmt, 1), sqlite3_column_int64(stmt, 2));
}

int sq_count_by_type(struct bx_store *base, bx_count_fn fn, void *context)
{
	struct count_walk walk = {fn, context};
	return sq_each_row((struct sq_store *)base, STMT_COUNT_BY_TYPE, "SELECT type, status, count(*)"
	                   " FROM records WHERE deleted = 0 GROUP BY type, status ORDER BY type, status",
	                   NULL, 0, count_row, &walk);
}
