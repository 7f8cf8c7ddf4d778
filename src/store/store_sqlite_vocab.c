/* SQLite backend: vocabularies (their info and their terms, in load order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"

enum {
	STMT_VOCAB_DELETE = SQ_STMT_VOCAB, STMT_TERMS_DELETE, STMT_TERM_ADD, STMT_VOCAB_ADD,
	STMT_VOCAB_EACH, STMT_TERM_GET, STMT_VOCAB_EXISTS,
};

int sq_vocab_replace(struct bx_store *base, const char *name, const char *info_json,
                     const struct bx_term *terms, size_t n_terms)
{
	struct sq_store *store = (struct sq_store *)base;
	int rc = bx_store_begin(base);
	if (rc)
		return rc;
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_TERMS_DELETE, "DELETE FROM terms WHERE vocab = ?");
	if (stmt)
		sq_bind_text(stmt, 1, name);
	rc = sq_step_done(conn, stmt);
	for (size_t i = 0; i < n_terms && !rc; i++) {
		stmt = sq_stmt(conn, STMT_TERM_ADD, "INSERT INTO terms(vocab, id, ord, match_text, json)"
		               " VALUES(?, ?, ?, ?, ?)");
		if (stmt) {
			sq_bind_text(stmt, 1, name);
			sq_bind_text(stmt, 2, terms[i].id);
			sqlite3_bind_int64(stmt, 3, (int64_t)i);
			sq_bind_text(stmt, 4, terms[i].match_text);
			sq_bind_text(stmt, 5, terms[i].json);
		}
		rc = sq_step_done(conn, stmt);
	}
	if (!rc) {
		stmt = sq_stmt(conn, STMT_VOCAB_ADD, "INSERT OR REPLACE INTO vocabularies(name, info, count)"
		               " VALUES(?, ?, ?)");
		if (stmt) {
			sq_bind_text(stmt, 1, name);
			sq_bind_text(stmt, 2, info_json);
			sqlite3_bind_int64(stmt, 3, (int64_t)n_terms);
		}
		rc = sq_step_done(conn, stmt);
	}
	if (!rc)
		rc = sq_audit_row(conn, NULL, "vocabulary.load", name, 0, NULL);
	return bx_store_end(base, rc);
}

/* Hands each row's first column to fn. */
static int each_text(struct sq_conn *conn, sqlite3_stmt *stmt, bx_row_fn fn, void *context)
{
	int step, rc = 0;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW)
		rc = fn(context, (const char *)sqlite3_column_text(stmt, 0));
	if (!rc && step != SQLITE_DONE)
		rc = sq_error(conn->db, step);
	sqlite3_reset(stmt);
	return rc;
}

int sq_vocab_each_info(struct bx_store *base, bx_row_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_VOCAB_EACH, "SELECT json_set(info, '$.name', name,"
	                             " '$.count', count) FROM vocabularies ORDER BY name");
	int rc = stmt ? each_text(conn, stmt, fn, context) : BX_EIO;
	sq_release(store, conn);
	return rc;
}

int sq_vocab_terms(struct bx_store *base, const char *name, const char *match, int64_t offset,
                   int limit, int64_t *total, bx_row_fn fn, void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_VOCAB_EXISTS, "SELECT 1 FROM vocabularies WHERE name = ?");
	int rc = BX_EIO;
	if (stmt) {
		sq_bind_text(stmt, 1, name);
		int step = sqlite3_step(stmt);
		sqlite3_reset(stmt);
		rc = step == SQLITE_ROW ? 0 : step == SQLITE_DONE ? BX_ENOTFOUND : sq_error(conn->db, step);
	}
	/* The match varies per call, so these two are prepared each time. */
	const char *filter = match ? " AND instr(match_text, ?2) > 0" : "";
	char sql[256];
	sqlite3_stmt *count = NULL, *page = NULL;
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM terms WHERE vocab = ?1%s", filter);
		if (sqlite3_prepare_v2(conn->db, sql, -1, &count, NULL) != SQLITE_OK)
			rc = sq_error(conn->db, sqlite3_errcode(conn->db));
	}
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT json FROM terms WHERE vocab = ?1%s ORDER BY ord"
		         " LIMIT ?3 OFFSET ?4", filter);
		if (sqlite3_prepare_v2(conn->db, sql, -1, &page, NULL) != SQLITE_OK)
			rc = sq_error(conn->db, sqlite3_errcode(conn->db));
	}
	if (!rc) {
		sq_bind_text(count, 1, name);
		sq_bind_text(page, 1, name);
		if (match) {
			sq_bind_text(count, 2, match);
			sq_bind_text(page, 2, match);
		}
		sqlite3_bind_int(page, 3, limit);
		sqlite3_bind_int64(page, 4, offset);
		*total = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
		rc = each_text(conn, page, fn, context);
	}
	sqlite3_finalize(count);
	sqlite3_finalize(page);
	sq_release(store, conn);
	return rc;
}

int sq_vocab_term(struct bx_store *base, const char *name, const char *id, char **json)
{
	const char *keys[] = {name, id};
	return sq_select_text((struct sq_store *)base, STMT_TERM_GET,
	                      "SELECT json FROM terms WHERE vocab = ? AND id = ?", keys, 2, json);
}
