/* SQLite backend: records, their revisions, facets and listings. A write appends a
 * revision (whose key, assigned by the writer, is the change sequence), replaces the current row
 * and its facet rows, and appends an audit row, all in the caller's transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"
#include "util/buf.h"

enum {
	STMT_FIND = SQ_STMT_RECORDS, STMT_INSERT, STMT_UPDATE, STMT_REVISION,
	STMT_FACETS_CLEAR, STMT_FACET_ADD, STMT_GET, STMT_GET_REVISION, STMT_EACH_REVISION,
	STMT_EACH_PUBLISHED, STMT_EACH_CHANGE, STMT_COUNT_BY_TYPE, STMT_FACET_ID, STMT_FACET_NEW,
};

#define RECORD_COLUMNS "r.id, r.type, r.status, r.author, v.json, r.revision, r.seq, r.deleted"
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

static void bind_record_columns(sqlite3_stmt *stmt, const struct bx_record_write *w, int64_t seq,
                                const struct bx_buf *facets)
{
	sq_bind_text(stmt, 1, w->type);
	sq_bind_text(stmt, 2, w->status);
	sqlite3_bind_int(stmt, 3, w->deleted);
	sqlite3_bind_int64(stmt, 4, w->revision);
	sqlite3_bind_int64(stmt, 5, seq);
	sq_bind_text(stmt, 6, w->date);
	sq_bind_text(stmt, 7, w->sort_title);
	sq_bind_text(stmt, 8, w->origin);
	sq_bind_text(stmt, 9, w->author);
	sq_bind_text(stmt, 10, w->updated);
	sq_bind_text(stmt, 11, w->deleted ? NULL : facets->data);
	sq_bind_text(stmt, 12, w->id);
}

/* Inserts or updates the current row, pointing at change seq; sets *rid for a new one. */
static int write_current(struct sq_conn *conn, const struct bx_record_write *w, int64_t seq,
                         const struct bx_buf *facets, int64_t *rid)
{
	bool is_new = *rid == 0;
	sqlite3_stmt *stmt = is_new
		? sq_stmt(conn, STMT_INSERT, "INSERT INTO records(type, status, deleted, revision, seq, date,"
		          " sort_title, origin, author, updated, facets, id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)")
		: sq_stmt(conn, STMT_UPDATE, "UPDATE records SET type=?, status=?, deleted=?, revision=?,"
		          " seq=?, date=?, sort_title=?, origin=?, author=?, updated=?, facets=? WHERE id=?");
	if (!stmt)
		return BX_EIO;
	bind_record_columns(stmt, w, seq, facets);
	int rc = sq_step_done(conn, stmt);
	if (!rc && is_new)
		*rid = sqlite3_last_insert_rowid(conn->db);
	return rc;
}

static int write_revision(struct sq_conn *conn, const struct bx_record_write *w, int64_t rid,
                          int64_t seq)
{
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_REVISION, "INSERT INTO revisions(seq, rid, revision,"
	                             " deleted, status, updated, author, json) VALUES(?,?,?,?,?,?,?,?)");
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
	return sq_step_done(conn, stmt);
}

/* The id of a facet value, made on first use. Ids are cached; the cache is cleared when
 * a transaction rolls back, since the ids it made are gone then. */
static int facet_id(struct sq_store *store, const struct bx_facet *facet, int64_t *fid)
{
	char key[512];
	size_t n_name = strlen(facet->name), n_value = strlen(facet->value);
	if (n_name + n_value + 2 > sizeof key)
		return BX_ETOOBIG;
	memcpy(key, facet->name, n_name);
	key[n_name] = '\x1f';
	memcpy(key + n_name + 1, facet->value, n_value + 1);
	json_t *cached = json_object_getn(store->facet_ids, key, n_name + 1 + n_value);
	if (cached) {
		*fid = json_integer_value(cached);
		return 0;
	}
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_FACET_ID, "SELECT fid FROM facet_values WHERE name = ? AND value = ?");
	if (!stmt)
		return BX_EIO;
	sq_bind_text(stmt, 1, facet->name);
	sq_bind_text(stmt, 2, facet->value);
	int step = sqlite3_step(stmt);
	*fid = step == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sq_error(conn->db, step);
	if (!*fid) {
		stmt = sq_stmt(conn, STMT_FACET_NEW, "INSERT INTO facet_values(name, value) VALUES(?, ?)");
		if (!stmt)
			return BX_EIO;
		sq_bind_text(stmt, 1, facet->name);
		sq_bind_text(stmt, 2, facet->value);
		int rc = sq_step_done(conn, stmt);
		if (rc)
			return rc;
		*fid = sqlite3_last_insert_rowid(conn->db);
	}
	json_object_setn_new(store->facet_ids, key, n_name + 1 + n_value, json_integer(*fid));
	return 0;
}

/* The record's facet value ids, in fids and as a JSON array kept in its row (so that an
 * update can delete exactly its old postings). */
static int facet_list(struct sq_store *store, const struct bx_record_write *w, int64_t *fids,
                      struct bx_buf *list)
{
	int rc = bx_buf_puts(list, "[");
	for (size_t i = 0; i < w->n_facets && !rc; i++) {
		if (!(rc = facet_id(store, &w->facets[i], &fids[i])))
			rc = bx_buf_printf(list, "%s%lld", i ? "," : "", (long long)fids[i]);
	}
	return rc ? rc : bx_buf_puts(list, "]");
}

/* Deletes the postings listed in the record's current row (before it is replaced). */
static int clear_facets(struct sq_conn *conn, int64_t rid)
{
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_FACETS_CLEAR, "DELETE FROM facet_postings WHERE rid = ?1"
	                             " AND fid IN (SELECT value FROM json_each((SELECT ifnull(facets, '[]')"
	                             " FROM records WHERE rid = ?1)))");
	if (!stmt)
		return BX_EIO;
	sqlite3_bind_int64(stmt, 1, rid);
	return sq_step_done(conn, stmt);
}

/* Inserts the record's postings, up to SQ_POSTINGS_PER_STATEMENT in one statement (one
 * statement per posting costs more in statement overhead than in B-tree work). */
static int add_facets(struct sq_conn *conn, const int64_t *fids, size_t n_fids, int64_t rid)
{
	int rc = 0;
	for (size_t done = 0; done < n_fids && !rc;) {
		size_t n = n_fids - done < SQ_POSTINGS_PER_STATEMENT ? n_fids - done : SQ_POSTINGS_PER_STATEMENT;
		char sql[80 + SQ_POSTINGS_PER_STATEMENT * 8];
		size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO facet_postings(fid, rid) VALUES");
		for (size_t i = 0; i < n; i++)
			used += (size_t)snprintf(sql + used, sizeof sql - used, "%s(?,?)", i ? "," : "");
		sqlite3_stmt *stmt = sq_stmt(conn, SQ_STMT_POSTINGS + (int)n - 1, sql);
		if (!stmt)
			return BX_EIO;
		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(stmt, (int)(2 * i + 1), fids[done + i]);
			sqlite3_bind_int64(stmt, (int)(2 * i + 2), rid);
		}
		rc = sq_step_done(conn, stmt);
		done += n;
	}
	return rc;
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
	struct bx_buf pairs;
	bx_buf_init(&pairs, 1024 * 1024);
	int64_t *fids = malloc((w->n_facets + 1) * sizeof *fids);
	rc = fids ? facet_list(store, w, fids, &pairs) : BX_ENOMEM;
	if (!rc && !is_new)
		rc = clear_facets(conn, rid);
	if (!rc)
		rc = write_current(conn, w, *seq, &pairs, &rid);
	if (!rc)
		rc = write_revision(conn, w, rid, *seq);
	if (!rc && !w->deleted && w->n_facets)
		rc = add_facets(conn, fids, w->n_facets, rid);
	bx_buf_free(&pairs);
	free(fids);
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

int sq_get_record(struct bx_store *base, const char *id, struct bx_stored *out)
{
	return get_one((struct sq_store *)base, STMT_GET,
	               "SELECT " RECORD_COLUMNS RECORD_FROM " WHERE r.id = ?", id, 0, out);
}

#define REVISION_COLUMNS "r.id, r.type, v.status, v.author, v.json, v.revision, v.seq, v.deleted"

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

int sq_count_by_type(struct bx_store *base, bx_count_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_COUNT_BY_TYPE, "SELECT type, status, count(*) FROM records"
	                             " WHERE deleted = 0 GROUP BY type, status ORDER BY type, status");
	int rc = stmt ? 0 : BX_EIO, step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW)
		rc = fn(context, (const char *)sqlite3_column_text(stmt, 0),
		        (const char *)sqlite3_column_text(stmt, 1), sqlite3_column_int64(stmt, 2));
	if (!rc && step != SQLITE_DONE)
		rc = sq_error(conn->db, step);
	if (stmt)
		sqlite3_reset(stmt);
	sq_release(store, conn);
	return rc;
}

/* Builds the WHERE clause of a listing; bind_list binds its parameters in the same order. */
static int list_where(const struct bx_list_query *q, struct bx_buf *sql)
{
	int rc = bx_buf_puts(sql, " WHERE r.deleted = 0");
	if (!rc && q->status)
		rc = bx_buf_puts(sql, " AND r.status = ?");
	else if (!rc && !q->any_status)
		rc = bx_buf_puts(sql, " AND r.status = 'published'");
	if (!rc && !q->see_all) {
		if (q->see_country)
			rc = bx_buf_puts(sql, " AND (r.status = 'published' OR r.rid IN (SELECT p.rid FROM"
			                 " facet_postings p JOIN facet_values f ON f.fid = p.fid"
			                 " WHERE f.name = 'country' AND f.value = ?))");
		else if (q->see_author)
			rc = bx_buf_puts(sql, " AND (r.status = 'published' OR r.author = ?)");
		else
			rc = bx_buf_puts(sql, " AND r.status = 'published'");
	}
	if (!rc && q->type)
		rc = bx_buf_puts(sql, " AND r.type = ?");
	if (!rc && q->year)
		rc = bx_buf_puts(sql, " AND substr(r.date, 1, 4) = ?");
	for (size_t i = 0; i < q->n_filters && !rc; i++) {
		rc = bx_buf_puts(sql, " AND r.rid IN (SELECT p.rid FROM facet_postings p JOIN facet_values f"
		                 " ON f.fid = p.fid WHERE f.name = ? AND f.value IN (");
		for (size_t v = 0; v < q->filters[i].n_values && !rc; v++)
			rc = bx_buf_puts(sql, v ? ", ?" : "?");
		if (!rc)
			rc = bx_buf_puts(sql, "))");
	}
	return rc;
}

static int bind_list(sqlite3_stmt *stmt, const struct bx_list_query *q)
{
	int index = 1;
	if (q->status)
		sq_bind_text(stmt, index++, q->status);
	if (!q->see_all && (q->see_country || q->see_author))
		sq_bind_text(stmt, index++, q->see_country ? q->see_country : q->see_author);
	if (q->type)
		sq_bind_text(stmt, index++, q->type);
	if (q->year)
		sq_bind_text(stmt, index++, q->year);
	for (size_t i = 0; i < q->n_filters; i++) {
		sq_bind_text(stmt, index++, q->filters[i].facet);
		for (size_t v = 0; v < q->filters[i].n_values; v++)
			sq_bind_text(stmt, index++, q->filters[i].values[v]);
	}
	return index;
}

static const char *const sort_clauses[] = {
	[BX_SORT_DATE_DESC] = " ORDER BY r.date IS NULL, r.date DESC, r.id",
	[BX_SORT_DATE_ASC] = " ORDER BY r.date IS NULL, r.date, r.id",
	[BX_SORT_TITLE] = " ORDER BY r.sort_title, r.id",
	[BX_SORT_UPDATED] = " ORDER BY r.updated DESC, r.id",
};

/* Prepares sql (a listing's query) on conn and binds the query's parameters; sets
 * *index to the next parameter number. */
static int prepare_listing(struct sq_conn *conn, const char *sql, const struct bx_list_query *q,
                           sqlite3_stmt **stmt, int *index)
{
	if (sqlite3_prepare_v2(conn->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return sq_error(conn->db, sqlite3_errcode(conn->db));
	*index = bind_list(*stmt, q);
	return 0;
}

int sq_list_records(struct bx_store *base, const struct bx_list_query *q, int64_t *total,
                    bx_stored_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct bx_buf where, sql;
	bx_buf_init(&where, 4096);
	bx_buf_init(&sql, 8192);
	int rc = list_where(q, &where), index;
	struct sq_conn *conn = rc ? NULL : sq_acquire(store);
	sqlite3_stmt *stmt = NULL;
	if (!rc && !conn)
		rc = BX_EIO;
	if (!rc)
		rc = bx_buf_printf(&sql, "SELECT count(*) FROM records r%s", where.data);
	if (!rc)
		rc = prepare_listing(conn, sql.data, q, &stmt, &index);
	if (!rc)
		*total = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	stmt = NULL;
	/* A page of no records (only the count is wanted) needs no second query. */
	if (!rc && q->limit != 0) {
		bx_buf_reset(&sql);
		rc = bx_buf_printf(&sql, "SELECT " RECORD_COLUMNS RECORD_FROM "%s%s LIMIT ? OFFSET ?",
		                   where.data, sort_clauses[q->sort]);
		if (!rc)
			rc = prepare_listing(conn, sql.data, q, &stmt, &index);
		if (!rc) {
			sqlite3_bind_int(stmt, index, q->limit);
			sqlite3_bind_int64(stmt, index + 1, q->offset);
			int64_t n_rows;
			rc = each_row(conn, stmt, fn, context, &n_rows);
		}
		sqlite3_finalize(stmt);
	}
	sq_release(store, conn);
	bx_buf_free(&where);
	bx_buf_free(&sql);
	return rc;
}
