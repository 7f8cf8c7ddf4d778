/* SQLite backend: users, API tokens (kept only as hashes) and the audit log. */
#include <stdlib.h>
#include <string.h>
#include "store/store_sqlite.h"
#include "util/timeutil.h"

enum {
	STMT_USER_INSERT = SQ_STMT_ACCOUNTS, STMT_USER_UPDATE, STMT_USER_GET, STMT_USER_EACH,
	STMT_TOKEN_PUT, STMT_TOKEN_USER, STMT_TOKEN_DELETE, STMT_AUDIT, STMT_TOKENS_EXPIRE,
	STMT_TOKENS_REVOKE,
};

int sq_audit_row(struct sq_conn *writer, const char *actor, const char *action,
                 const char *target, int64_t revision, const char *address)
{
	sqlite3_stmt *stmt = sq_stmt(writer, STMT_AUDIT, "INSERT INTO audit(at, actor, action, target,"
	                             " revision, address) VALUES(?, ?, ?, ?, ?, ?)");
	if (!stmt)
		return BX_EIO;
	char now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	sq_bind_text(stmt, 1, now);
	sq_bind_text(stmt, 2, actor);
	sq_bind_text(stmt, 3, action);
	sq_bind_text(stmt, 4, target);
	if (revision)
		sqlite3_bind_int64(stmt, 5, revision);
	sq_bind_text(stmt, 6, address);
	return sq_step_done(writer, stmt);
}

/* Binds and steps one statement in a write transaction of its own, with an audit row when
 * action is given. */
static int write_audited(struct sq_store *store, int stmt_id, const char *sql,
                         void (*bind)(sqlite3_stmt *, const void *), const void *arg,
                         const char *action, const char *target, const struct bx_who *who)
{
	int rc = bx_store_begin(&store->base);
	if (rc)
		return rc;
	struct sq_conn *conn = sq_writer(store);
	sqlite3_stmt *stmt = sq_stmt(conn, stmt_id, sql);
	if (stmt)
		bind(stmt, arg);
	rc = sq_step_done(conn, stmt);
	if (!rc && action)
		rc = sq_audit_row(conn, who ? who->actor : NULL, action, target, 0, who ? who->address : NULL);
	return bx_store_end(&store->base, rc);
}

static void bind_user(sqlite3_stmt *stmt, const void *arg)
{
	const struct bx_user *user = arg;
	sq_bind_text(stmt, 1, user->role);
	sq_bind_text(stmt, 2, user->country);
	sq_bind_text(stmt, 3, user->instruments);
	sq_bind_text(stmt, 4, user->password_hash);
	sqlite3_bind_int(stmt, 5, user->disabled);
	sq_bind_text(stmt, 6, user->created);
	sq_bind_text(stmt, 7, user->name);
}

/* Deletes the user's tokens when the new account data changes its password or disables
 * it: whoever held them must sign in again. */
static int revoke_tokens(struct sq_conn *conn, const struct bx_user *user)
{
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_TOKENS_REVOKE, "DELETE FROM tokens WHERE user = ?1 AND"
	                             " EXISTS (SELECT 1 FROM users WHERE name = ?1 AND (password_hash <> ?2 OR ?3))");
	if (!stmt)
		return BX_EIO;
	sq_bind_text(stmt, 1, user->name);
	sq_bind_text(stmt, 2, user->password_hash);
	sqlite3_bind_int(stmt, 3, user->disabled);
	return sq_step_done(conn, stmt);
}

int sq_user_put(struct bx_store *base, const struct bx_user *user, bool create, const struct bx_who *who)
{
	struct sq_store *store = (struct sq_store *)base;
	int rc = bx_store_begin(base);
	if (rc)
		return rc;
	struct sq_conn *conn = sq_writer(store);
	if (!create)
		rc = revoke_tokens(conn, user);
	sqlite3_stmt *stmt = rc ? NULL : create
		? sq_stmt(conn, STMT_USER_INSERT, "INSERT INTO users(role, country, instruments,"
		          " password_hash, disabled, created, name) VALUES(?,?,?,?,?,?,?)")
		: sq_stmt(conn, STMT_USER_UPDATE, "UPDATE users SET role=?, country=?, instruments=?,"
		          " password_hash=?, disabled=?, created=? WHERE name=?");
	if (!rc) {
		if (stmt)
			bind_user(stmt, user);
		rc = sq_step_done(conn, stmt);
		if (!rc && !create && sqlite3_changes(conn->db) == 0)
			rc = BX_ENOTFOUND;
	}
	if (!rc)
		rc = sq_audit_row(conn, who ? who->actor : NULL, create ? "user.create" : "user.update",
		                  user->name, 0, who ? who->address : NULL);
	return bx_store_end(base, rc);
}

#define USER_COLUMNS "name, role, country, instruments, password_hash, created, disabled"

static int read_user(sqlite3_stmt *stmt, void *row)
{
	struct bx_user *out = row;
	*out = (struct bx_user){
		.name = sq_column_strdup(stmt, 0),
		.role = sq_column_strdup(stmt, 1),
		.country = sq_column_strdup(stmt, 2),
		.instruments = sq_column_strdup(stmt, 3),
		.password_hash = sq_column_strdup(stmt, 4),
		.created = sq_column_strdup(stmt, 5),
		.disabled = sqlite3_column_int(stmt, 6) != 0,
	};
	if (!out->name || !out->role || !out->password_hash) {
		bx_user_clear(out);
		return BX_ENOMEM;
	}
	return 0;
}

int sq_user_get(struct bx_store *base, const char *name, struct bx_user *out)
{
	return sq_select_row((struct sq_store *)base, STMT_USER_GET,
	                     "SELECT " USER_COLUMNS " FROM users WHERE name = ?", &name, 1, read_user, out);
}

struct user_walk {
	int (*fn)(void *, const struct bx_user *);
	void *context;
};

static int user_row(sqlite3_stmt *stmt, void *context)
{
	struct user_walk *walk = context;
	struct bx_user user;
	int rc = read_user(stmt, &user);
	if (!rc)
		rc = walk->fn(walk->context, &user);
	bx_user_clear(&user);
	return rc;
}

int sq_user_each(struct bx_store *base, int (*fn)(void *, const struct bx_user *), void *context)
{
	struct user_walk walk = {fn, context};
	return sq_each_row((struct sq_store *)base, STMT_USER_EACH,
	                   "SELECT " USER_COLUMNS " FROM users ORDER BY name", NULL, 0, user_row, &walk);
}

struct token_args {
	const unsigned char *hash;
	const char *user;
	int64_t expires;
};

static void bind_token(sqlite3_stmt *stmt, const void *arg)
{
	const struct token_args *token = arg;
	sqlite3_bind_blob(stmt, 1, token->hash, BX_TOKEN_HASH_SIZE, SQLITE_STATIC);
	if (token->user)
		sq_bind_text(stmt, 2, token->user);
	if (token->expires)
		sqlite3_bind_int64(stmt, 3, token->expires);
}

static void bind_now(sqlite3_stmt *stmt, const void *arg)
{
	sqlite3_bind_int64(stmt, 1, *(const int64_t *)arg);
}

int sq_token_put(struct bx_store *base, const unsigned char *hash, const char *user, int64_t expires,
                 const struct bx_who *who)
{
	struct sq_store *store = (struct sq_store *)base;
	int64_t now = bx_time_now();
	/* Expired tokens are dropped whenever a new one is made, so the table stays small. */
	int rc = write_audited(store, STMT_TOKENS_EXPIRE, "DELETE FROM tokens WHERE expires <= ?",
	                       bind_now, &now, NULL, NULL, NULL);
	struct token_args args = {hash, user, expires};
	return rc ? rc : write_audited(store, STMT_TOKEN_PUT, "INSERT INTO tokens(hash, user, expires)"
	                               " VALUES(?, ?, ?)", bind_token, &args, "token.create", user, who);
}

int sq_token_user(struct bx_store *base, const unsigned char *hash, int64_t now, struct bx_user *out)
{
	struct sq_store *store = (struct sq_store *)base;
	struct sq_conn *conn = sq_acquire(store);
	*out = (struct bx_user){0};
	if (!conn)
		return BX_EIO;
	sqlite3_stmt *stmt = sq_stmt(conn, STMT_TOKEN_USER, "SELECT " USER_COLUMNS " FROM tokens t"
	                             " JOIN users u ON u.name = t.user WHERE t.hash = ? AND t.expires > ?"
	                             " AND u.disabled = 0");
	int rc = BX_EIO;
	if (stmt) {
		sqlite3_bind_blob(stmt, 1, hash, BX_TOKEN_HASH_SIZE, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, now);
		int step = sqlite3_step(stmt);
		rc = step == SQLITE_ROW ? read_user(stmt, out)
		   : step == SQLITE_DONE ? BX_ENOTFOUND : sq_error(conn->db, step);
		sqlite3_reset(stmt);
	}
	sq_release(store, conn);
	return rc;
}

int sq_token_delete(struct bx_store *base, const unsigned char *hash, const struct bx_who *who)
{
	struct token_args args = {hash, NULL, 0};
	return write_audited((struct sq_store *)base, STMT_TOKEN_DELETE, "DELETE FROM tokens WHERE hash = ?",
	                     bind_token, &args, "token.revoke", who ? who->actor : NULL, who);
}


int sq_audit(struct bx_store *base, const char *actor, const char *action, const char *target,
             const char *address)
{
	struct sq_store *store = (struct sq_store *)base;
	int rc = bx_store_begin(base);
	if (rc)
		return rc;
	return bx_store_end(base, sq_audit_row(sq_writer(store), actor, action, target, 0, address));
}
