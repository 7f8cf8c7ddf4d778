/* SQLite backend: connections (one writer, a pool of readers), write transactions,
 * settings, online backup and integrity checks. WAL mode with synchronous=FULL, so a
 * committed write is on disk before the caller acknowledges it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"
#include "util/timeutil.h"
#include "util/log.h"

static __thread struct sq_store *writing_store;

int sq_error(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return 0;
	case SQLITE_NOMEM: return BX_ENOMEM;
	case SQLITE_CONSTRAINT: return BX_EEXIST;
	case SQLITE_TOOBIG: return BX_ETOOBIG;
	}
	bx_log(BX_LOG_ERROR, "sqlite: %s (%d)", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc);
	return BX_EIO;
}

int sq_step_done(struct sq_conn *conn, sqlite3_stmt *stmt)
{
	if (!stmt)
		return BX_EIO;
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : sq_error(conn->db, rc);
}

char *sq_column_strdup(sqlite3_stmt *stmt, int column)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);
	return text ? strdup((const char *)text) : NULL;
}

void sq_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text)
		sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, index);
}

sqlite3_stmt *sq_stmt(struct sq_conn *conn, int id, const char *sql)
{
	sqlite3_stmt *stmt = conn->cached[id];
	if (stmt) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	if (sqlite3_prepare_v3(conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		bx_log(BX_LOG_ERROR, "sqlite prepare: %s", sqlite3_errmsg(conn->db));
		return NULL;
	}
	conn->cached[id] = stmt;
	return stmt;
}

/* Process-wide SQLite settings, made once before the first connection: no memory
 * statistics (they take a global mutex on every allocation). */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int conn_open(const char *path, int flags, struct sq_conn *conn)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	pthread_once(&configured, configure_sqlite);
	memset(conn, 0, sizeof *conn);
	int rc = sqlite3_open_v2(path, &conn->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		bx_log(BX_LOG_ERROR, "cannot open %s: %s", path,
		       conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc));
		sqlite3_close(conn->db);
		conn->db = NULL;
		return BX_EIO;
	}
	sqlite3_busy_timeout(conn->db, 10000);
	rc = sqlite3_exec(conn->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	                  "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", NULL, NULL, NULL);
	return sq_error(conn->db, rc);
}

static void conn_close(struct sq_conn *conn)
{
	for (size_t i = 0; i < sizeof conn->cached / sizeof conn->cached[0]; i++)
		sqlite3_finalize(conn->cached[i]);
	sqlite3_close(conn->db);
	memset(conn, 0, sizeof *conn);
}

bool sq_in_write(struct sq_store *store)
{
	return writing_store == store;
}

struct sq_conn *sq_writer(struct sq_store *store)
{
	return &store->writer;
}

struct sq_conn *sq_acquire(struct sq_store *store)
{
	if (sq_in_write(store))
		return &store->writer;
	struct sq_conn *conn = NULL;
	pthread_mutex_lock(&store->pool_lock);
	if (store->n_idle > 0)
		conn = store->idle[--store->n_idle];
	pthread_mutex_unlock(&store->pool_lock);
	if (conn)
		return conn;
	conn = malloc(sizeof *conn);
	if (!conn)
		return NULL;
	if (conn_open(store->path, SQLITE_OPEN_READONLY, conn)) {
		free(conn);
		return NULL;
	}
	return conn;
}

void sq_release(struct sq_store *store, struct sq_conn *conn)
{
	if (!conn || conn == &store->writer)
		return;
	pthread_mutex_lock(&store->pool_lock);
	if (store->n_idle < SQ_MAX_READERS) {
		store->idle[store->n_idle++] = conn;
		conn = NULL;
	}
	pthread_mutex_unlock(&store->pool_lock);
	if (conn) {
		conn_close(conn);
		free(conn);
	}
}

static void sq_close(struct bx_store *base)
{
	struct sq_store *store = (struct sq_store *)base;
	for (int i = 0; i < store->n_idle; i++) {
		conn_close(store->idle[i]);
		free(store->idle[i]);
	}
	conn_close(&store->writer);
	pthread_mutex_destroy(&store->write_lock);
	pthread_mutex_destroy(&store->pool_lock);
	free(store->path);
	free(store);
}

enum { STMT_META_GET = SQ_STMT_STORE, STMT_META_SET };

int sq_select_row(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                  int n_texts, int (*read)(sqlite3_stmt *stmt, void *out), void *out)
{
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, stmt_id, sql);
	int rc = BX_EIO;
	if (stmt) {
		for (int i = 0; i < n_texts; i++)
			sq_bind_text(stmt, i + 1, texts[i]);
		int step = sqlite3_step(stmt);
		if (step == SQLITE_ROW)
			rc = read(stmt, out);
		else
			rc = step == SQLITE_DONE ? BX_ENOTFOUND : sq_error(conn->db, step);
		sqlite3_reset(stmt);
	}
	sq_release(store, conn);
	return rc;
}

int sq_each_row(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                int n_texts, int (*row)(sqlite3_stmt *stmt, void *context), void *context)
{
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, stmt_id, sql);
	int rc = stmt ? 0 : BX_EIO, step = SQLITE_DONE;
	for (int i = 0; stmt && i < n_texts; i++)
		sq_bind_text(stmt, i + 1, texts[i]);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW)
		rc = row(stmt, context);
	if (!rc && step != SQLITE_DONE)
		rc = sq_error(conn->db, step);
	if (stmt)
		sqlite3_reset(stmt);
	sq_release(store, conn);
	return rc;
}

static int read_text(sqlite3_stmt *stmt, void *out)
{
	return (*(char **)out = sq_column_strdup(stmt, 0)) ? 0 : BX_ENOMEM;
}

int sq_select_text(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                   int n_texts, char **out)
{
	*out = NULL;
	return sq_select_row(store, stmt_id, sql, texts, n_texts, read_text, out);
}

static int sq_meta_get(struct bx_store *base, const char *key, char **value)
{
	return sq_select_text((struct sq_store *)base, STMT_META_GET, "SELECT value FROM meta WHERE key = ?",
	                      &key, 1, value);
}

static int sq_meta_set(struct bx_store *base, const char *key, const char *value)
{
	struct sq_store *store = (struct sq_store *)base;
	bool own = !sq_in_write(store);
	int rc = own ? bx_store_begin(base) : 0;
	if (rc)
		return rc;
	sqlite3_stmt *stmt = sq_stmt(&store->writer, STMT_META_SET,
	                             "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
	if (stmt) {
		sq_bind_text(stmt, 1, key);
		sq_bind_text(stmt, 2, value);
	}
	rc = sq_step_done(&store->writer, stmt);
	if (own)
		rc = bx_store_end(base, rc);
	return rc;
}

static int sq_begin(struct bx_store *base)
{
	struct sq_store *store = (struct sq_store *)base;
	if (sq_in_write(store))
		return BX_EINVAL;
	pthread_mutex_lock(&store->write_lock);
	int rc = sqlite3_exec(store->writer.db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		pthread_mutex_unlock(&store->write_lock);
		return sq_error(store->writer.db, rc);
	}
	sqlite3_stmt *stmt = NULL;
	/* The change sequence goes on from the last revision; so does the clock, so that
	 * revisions are stored in the order of their times even if the system clock steps back. */
	rc = sqlite3_prepare_v2(store->writer.db, "SELECT ifnull(max(seq), 0) + 1,"
	                        " ifnull((SELECT changed FROM revisions ORDER BY seq DESC LIMIT 1), 0)"
	                        " FROM revisions", -1, &stmt, NULL);
	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
		store->next_seq = sqlite3_column_int64(stmt, 0);
		int64_t last = sqlite3_column_int64(stmt, 1), now = (int64_t)bx_time_now();
		store->changed = now > last ? now : last;
	} else {
		rc = SQLITE_ERROR;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		rc = sq_error(store->writer.db, sqlite3_errcode(store->writer.db));
		sqlite3_exec(store->writer.db, "ROLLBACK", NULL, NULL, NULL);
		pthread_mutex_unlock(&store->write_lock);
		return rc;
	}
	writing_store = store;
	return 0;
}

static void end_write(struct sq_store *store)
{
	writing_store = NULL;
	pthread_mutex_unlock(&store->write_lock);
}

static int sq_commit(struct bx_store *base)
{
	struct sq_store *store = (struct sq_store *)base;
	if (!sq_in_write(store))
		return BX_EINVAL;
	int rc = sqlite3_exec(store->writer.db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_error(store->writer.db, rc);
		sqlite3_exec(store->writer.db, "ROLLBACK", NULL, NULL, NULL);
	}
	end_write(store);
	return rc;
}

static void sq_rollback(struct bx_store *base)
{
	struct sq_store *store = (struct sq_store *)base;
	if (!sq_in_write(store))
		return;
	sqlite3_exec(store->writer.db, "ROLLBACK", NULL, NULL, NULL);
	end_write(store);
}

static int sq_backup(struct bx_store *base, const char *path)
{
	struct sq_store *store = (struct sq_store *)base;
	sqlite3 *target = NULL;
	int rc = sqlite3_open_v2(path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		bx_log(BX_LOG_ERROR, "cannot create %s: %s", path, sqlite3_errstr(rc));
		sqlite3_close(target);
		return BX_EIO;
	}
	struct sq_conn *source = sq_acquire(store);
	if (!source) {
		sqlite3_close(target);
		return BX_EIO;
	}
	sqlite3_backup *backup = sqlite3_backup_init(target, "main", source->db, "main");
	if (!backup) {
		rc = sq_error(target, sqlite3_errcode(target));
	} else {
		/* One step copies every page from one read snapshot: in WAL mode writers go on
		 * meanwhile. (Smaller steps restart whenever another connection writes, so a
		 * busy node could keep a stepwise backup from ever finishing.) */
		for (int attempt = 0; attempt < 200; attempt++) {
			rc = sqlite3_backup_step(backup, -1);
			if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
				break;
			sqlite3_sleep(50);
		}
		sqlite3_backup_finish(backup);
		rc = rc == SQLITE_DONE ? 0 : sq_error(target, rc);
	}
	sq_release(store, source);
	if (!rc)
		rc = sq_error(target, sqlite3_exec(target, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL));
	sqlite3_close(target);
	return rc;
}

/* Each query selects problems as text, one row each; a sound store selects nothing. */
static const char *const invariant_checks[] = {
	"SELECT 'sqlite: ' || integrity_check FROM pragma_integrity_check"
	"  WHERE integrity_check <> 'ok'",
	"SELECT 'sqlite foreign key: ' || \"table\" || ' row ' || rowid FROM pragma_foreign_key_check",
	"SELECT 'record ' || r.id || ': its current change ' || r.seq || ' is not its revision '"
	"  || r.revision FROM records r WHERE NOT EXISTS (SELECT 1 FROM revisions v"
	"  WHERE v.seq = r.seq AND v.rid = r.rid AND v.revision = r.revision)",
	"SELECT 'record ' || r.id || ': revision ' || r.revision || ' is not the newest'"
	"  FROM records r WHERE r.revision <> (SELECT max(revision) FROM revisions v WHERE v.rid = r.rid)",
	"SELECT 'record ' || r.id || ': sequence ' || r.seq || ' is not its last change'"
	"  FROM records r WHERE r.seq <> (SELECT max(seq) FROM revisions v WHERE v.rid = r.rid)",
	"SELECT 'record ' || r.id || ' revision ' || v.revision || ': JSON is not valid'"
	"  FROM revisions v JOIN records r ON r.rid = v.rid WHERE NOT json_valid(v.json)",
	"SELECT 'record ' || r.id || ': JSON id, type or status differs from its columns'"
	"  FROM records r JOIN revisions v ON v.seq = r.seq WHERE json_extract(v.json, '$.id') IS NOT r.id"
	"  OR json_extract(v.json, '$.type') IS NOT r.type OR json_extract(v.json, '$.status') IS NOT r.status",
	"SELECT 'record ' || r.id || ' revision ' || v.revision || ': meta.revision differs'"
	"  FROM revisions v JOIN records r ON r.rid = v.rid"
	"  WHERE json_extract(v.json, '$.meta.revision') IS NOT v.revision",
	"SELECT 'record ' || id || ': bad status ' || status FROM records"
	"  WHERE status NOT IN ('draft', 'submitted', 'published', 'withdrawn')",
	"SELECT 'vocabulary ' || v.name || ': count ' || v.count || ' but '"
	"  || (SELECT count(*) FROM terms t WHERE t.vocab = v.name) || ' terms' FROM vocabularies v"
	"  WHERE v.count <> (SELECT count(*) FROM terms t WHERE t.vocab = v.name)",
	"SELECT 'user ' || name || ': password is not an argon2id hash' FROM users"
	"  WHERE password_hash NOT LIKE '$argon2id$%'",
	"SELECT 'meta: node slug missing' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'node')",
};

static int sq_check(struct bx_store *base, int (*report)(void *, const char *), void *context)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	if (!conn)
		return BX_EIO;
	int problems = 0, rc = 0;
	for (size_t i = 0; i < sizeof invariant_checks / sizeof invariant_checks[0] && !rc; i++) {
		sqlite3_stmt *stmt = NULL;
		if (sqlite3_prepare_v2(conn->db, invariant_checks[i], -1, &stmt, NULL) != SQLITE_OK) {
			rc = sq_error(conn->db, sqlite3_errcode(conn->db));
			break;
		}
		int step;
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
			problems++;
			if ((rc = report(context, (const char *)sqlite3_column_text(stmt, 0))))
				break;
		}
		if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
			rc = sq_error(conn->db, step);
		sqlite3_finalize(stmt);
	}
	sq_release(store, conn);
	return rc ? rc : problems ? BX_EINVALID : 0;
}

static const struct bx_store_ops sqlite_ops = {
	.close = sq_close,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.put_record = sq_put_record,
	.get_record = sq_get_record,
	.get_records = sq_get_records,
	.get_revision = sq_get_revision,
	.each_revision = sq_each_revision,
	.each_published = sq_each_published,
	.each_change = sq_each_change,
	.count_by_type = sq_count_by_type,
	.last_seq = sq_last_seq,
	.peer_put = sq_peer_put,
	.peer_get = sq_peer_get,
	.peer_each = sq_peer_each,
	.peer_set_cursor = sq_peer_set_cursor,
	.harvest_put = sq_harvest_put,
	.harvest_each = sq_harvest_each,
	.vocab_replace = sq_vocab_replace,
	.vocab_each_info = sq_vocab_each_info,
	.vocab_terms = sq_vocab_terms,
	.vocab_term = sq_vocab_term,
	.user_put = sq_user_put,
	.user_get = sq_user_get,
	.user_each = sq_user_each,
	.token_put = sq_token_put,
	.token_user = sq_token_user,
	.token_delete = sq_token_delete,
	.audit = sq_audit,
	.backup = sq_backup,
	.check = sq_check,
};

int bx_store_sqlite_open(const char *path, bool create, struct bx_store **out)
{
	*out = NULL;
	struct sq_store *store = calloc(1, sizeof *store);
	if (!store || !(store->path = strdup(path))) {
		free(store);
		return BX_ENOMEM;
	}
	store->base.ops = &sqlite_ops;
	pthread_mutex_init(&store->write_lock, NULL);
	pthread_mutex_init(&store->pool_lock, NULL);
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = conn_open(path, flags, &store->writer);
	if (!rc)
		rc = sq_error(store->writer.db, sqlite3_exec(store->writer.db,
		              "PRAGMA journal_mode=WAL", NULL, NULL, NULL));
	if (!rc)
		rc = sq_migrate(store->writer.db);
	if (rc) {
		sq_close(&store->base);
		return rc;
	}
	*out = &store->base;
	return 0;
}
