/* The SQLite schema as numbered migrations, applied in order at open. The number of the
 * last one applied is kept in PRAGMA user_version; a migration is never edited once
 * released — a change is a new migration at the end. */
#include <stdio.h>
#include <sqlite3.h>
#include "store/store_sqlite.h"
#include "util/log.h"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE records("
	"  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,"
	"  status TEXT NOT NULL, deleted INTEGER NOT NULL, revision INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL, date TEXT, sort_title TEXT, origin TEXT, author TEXT,"
	"  updated TEXT NOT NULL, facets TEXT);"
	"CREATE INDEX records_type ON records(type, status);"
	"CREATE INDEX records_date ON records(status, date);"
	"CREATE TABLE revisions("
	"  seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL REFERENCES records(rid),"
	"  revision INTEGER NOT NULL, deleted INTEGER NOT NULL, status TEXT NOT NULL,"
	"  updated TEXT NOT NULL, author TEXT, json TEXT NOT NULL, UNIQUE(rid, revision));"
	"CREATE TABLE facet_values(fid INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL,"
	"  UNIQUE(name, value));"
	"CREATE TABLE facet_postings(fid INTEGER NOT NULL, rid INTEGER NOT NULL,"
	"  PRIMARY KEY(fid, rid)) WITHOUT ROWID;"
	"CREATE TABLE vocabularies(name TEXT PRIMARY KEY, info TEXT NOT NULL,"
	"  count INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE terms(vocab TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL,"
	"  match_text TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(vocab, id)) WITHOUT ROWID;"
	"CREATE INDEX terms_ord ON terms(vocab, ord);"
	"CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL, country TEXT,"
	"  instruments TEXT, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
	"  created TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE tokens(hash BLOB PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name),"
	"  expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT,"
	"  action TEXT NOT NULL, target TEXT, revision INTEGER, address TEXT);",
	/* 2: listings and facets moved to the search index, which follows the changes */
	"DROP TABLE facet_postings;"
	"DROP TABLE facet_values;"
	"DROP INDEX records_date;"
	"ALTER TABLE records DROP COLUMN facets;"
	"ALTER TABLE records DROP COLUMN date;"
	"ALTER TABLE records DROP COLUMN sort_title;",
	/* 3: federation — when each revision was stored here (OAI-PMH datestamps), the peers
	 * this node harvests and the runs of those harvests */
	"ALTER TABLE revisions ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;"
	"UPDATE revisions SET changed = ifnull(CAST(strftime('%s', updated) AS INTEGER), 0);"
	"CREATE TABLE peers(slug TEXT PRIMARY KEY, url TEXT NOT NULL, kind TEXT NOT NULL,"
	"  schedule INTEGER NOT NULL, cursor TEXT, records INTEGER NOT NULL DEFAULT 0,"
	"  last_attempt TEXT, last_success TEXT, last_error TEXT,"
	"  failures INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE harvests(id INTEGER PRIMARY KEY, peer TEXT, url TEXT NOT NULL,"
	"  started TEXT NOT NULL, finished TEXT NOT NULL, added INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL, deleted INTEGER NOT NULL, error TEXT);"
	"CREATE INDEX harvests_peer ON harvests(peer, id);",
};

int sq_migrate(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	int version = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return sq_error(db, sqlite3_errcode(db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);

	int n_migrations = (int)(sizeof migrations / sizeof migrations[0]);
	if (version > n_migrations) {
		bx_log(BX_LOG_ERROR, "database schema %d is newer than this program (%d)", version,
		       n_migrations);
		return BX_EIO;
	}
	for (int i = version; i < n_migrations; i++) {
		char set_version[64];
		snprintf(set_version, sizeof set_version, "PRAGMA user_version = %d", i + 1);
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, migrations[i], NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, set_version, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			int err = sq_error(db, rc);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err;
		}
		bx_log(BX_LOG_DEBUG, "applied schema migration %d", i + 1);
	}
	return 0;
}
