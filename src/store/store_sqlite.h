/* Internals shared by the SQLite backend's files: the store object, its connections
 * and the statement helpers. Nothing outside src/store includes this. */
#ifndef BX_STORE_SQLITE_H
#define BX_STORE_SQLITE_H

#include <pthread.h>
#include <jansson.h>
#include <sqlite3.h>
#include "store/store.h"

#define SQ_MAX_READERS 32

struct sq_conn {
	sqlite3 *db;
	sqlite3_stmt *cached[80];   /* prepared statements by statement id, made on first use */
};

struct sq_store {
	struct bx_store base;
	char *path;
	struct sq_conn writer;
	int64_t next_seq;           /* the next change sequence; set at begin, under write_lock */
	int64_t changed;            /* the transaction's time (Unix seconds), never before the last one's */
	pthread_mutex_t write_lock;
	pthread_mutex_t pool_lock;
	struct sq_conn *idle[SQ_MAX_READERS];
	int n_idle;
};

/* A connection for reading: the writer when this thread is inside a write transaction
 * (so it sees its own writes), else one from the pool. Give it back with sq_release. */
struct sq_conn *sq_acquire(struct sq_store *store);
void sq_release(struct sq_store *store, struct sq_conn *conn);
/* The writer connection; only valid inside bx_store_begin ... commit/rollback. */
struct sq_conn *sq_writer(struct sq_store *store);
bool sq_in_write(struct sq_store *store);

/* The cached prepared statement for sql on conn, reset and with bindings cleared.
 * Statement ids are fixed per call site (see the enum in each file). */
sqlite3_stmt *sq_stmt(struct sq_conn *conn, int id, const char *sql);
/* Runs a one-row query with texts bound to its parameters and reads the row with read
 * into out. BX_ENOTFOUND when there is no row. */
int sq_select_row(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                  int n_texts, int (*read)(sqlite3_stmt *stmt, void *out), void *out);
/* Runs a query with texts bound to its parameters (NULL binds NULL) and hands each row to
 * row (with context); a non-zero return of row stops and is returned. */
int sq_each_row(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                int n_texts, int (*row)(sqlite3_stmt *stmt, void *context), void *context);
/* sq_select_row reading the row's first column into *out (malloc'ed). */
int sq_select_text(struct sq_store *store, int stmt_id, const char *sql, const char *const *texts,
                   int n_texts, char **out);
/* Steps a statement that returns no rows and resets it. Returns 0, BX_EIO for a NULL
 * statement (its preparation failed), or the mapped error. */
int sq_step_done(struct sq_conn *conn, sqlite3_stmt *stmt);
/* Maps an SQLite result code to a bx error code, logging unexpected ones. */
int sq_error(sqlite3 *db, int rc);
char *sq_column_strdup(sqlite3_stmt *stmt, int column);
void sq_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Statement id ranges, one per file, so ids never collide. */
enum { SQ_STMT_STORE = 0, SQ_STMT_RECORDS = 8, SQ_STMT_VOCAB = 48, SQ_STMT_ACCOUNTS = 60,
       SQ_STMT_PEERS = 72 };

/* Brings the schema of db up to the newest version (store_sqlite_schema.c). */
int sq_migrate(sqlite3 *db);

/* Backend operations implemented in the other files. */
int sq_put_record(struct bx_store *, const struct bx_record_write *, enum bx_write_outcome *, int64_t *);
int sq_get_record(struct bx_store *, const char *, struct bx_stored *);
int sq_get_records(struct bx_store *, const char *const *, size_t, bx_stored_fn, void *);
int sq_get_revision(struct bx_store *, const char *, int64_t, struct bx_stored *);
int sq_each_revision(struct bx_store *, const char *, bx_stored_fn, void *);
int sq_each_published(struct bx_store *, bx_stored_fn, void *);
int sq_each_change(struct bx_store *, int64_t, int, bx_stored_fn, void *);
int sq_count_by_type(struct bx_store *, bx_count_fn, void *);
int sq_last_seq(struct bx_store *, int64_t *);
int sq_peer_put(struct bx_store *, const struct bx_peer *, bool, const struct bx_who *);
int sq_peer_get(struct bx_store *, const char *, struct bx_peer *);
int sq_peer_each(struct bx_store *, bx_peer_fn, void *);
int sq_peer_set_cursor(struct bx_store *, const char *, const char *);
int sq_harvest_put(struct bx_store *, const struct bx_harvest_run *);
int sq_harvest_each(struct bx_store *, const char *, int, bx_harvest_fn, void *);
int sq_vocab_replace(struct bx_store *, const char *, const char *, const struct bx_term *, size_t);
int sq_vocab_each_info(struct bx_store *, bx_row_fn, void *);
int sq_vocab_terms(struct bx_store *, const char *, const char *, int64_t, int, int64_t *, bx_row_fn, void *);
int sq_vocab_term(struct bx_store *, const char *, const char *, char **);
int sq_user_put(struct bx_store *, const struct bx_user *, bool, const struct bx_who *);
int sq_user_get(struct bx_store *, const char *, struct bx_user *);
int sq_user_each(struct bx_store *, int (*)(void *, const struct bx_user *), void *);
int sq_token_put(struct bx_store *, const unsigned char *, const char *, int64_t, const struct bx_who *);
int sq_token_user(struct bx_store *, const unsigned char *, int64_t, struct bx_user *);
int sq_token_delete(struct bx_store *, const unsigned char *, const struct bx_who *);
int sq_audit(struct bx_store *, const char *, const char *, const char *, const char *);
/* Appends an audit row on the writer connection (inside the caller's transaction). */
int sq_audit_row(struct sq_conn *writer, const char *actor, const char *action,
                 const char *target, int64_t revision, const char *address);

#endif
