/* The one interface to storage. Speaks records, revisions, changes, vocabularies, users,
 * tokens and audit entries — never SQL. Backends implement struct bx_store_ops
 * (store_sqlite.c now; store_pg.c later) and are chosen by bx_store_open.
 * Strings handed out are malloc'ed and owned by the caller unless said otherwise. */
#ifndef BX_STORE_H
#define BX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

struct bx_store;

enum bx_write_mode {
	BX_WRITE_CREATE,   /* the id must not exist yet */
	BX_WRITE_UPDATE,   /* the current revision must equal base_revision */
	BX_WRITE_REPLICA,  /* a copy from elsewhere: written only if newer than what is here */
};

/* What a write did. The store answers the first three; the records service adds
 * WITHDRAWN (a withdrawal carried by an import) and REFUSED (another node's copy of one of
 * this node's own records, which is never written). */
enum bx_write_outcome { BX_WRITE_CREATED = 1, BX_WRITE_UPDATED, BX_WRITE_UNCHANGED,
                        BX_WRITE_WITHDRAWN, BX_WRITE_REFUSED };

/* One record write. The store keeps json as given; the fields beside it are what it
 * indexes. Written with an audit entry (actor, action, address) in the same transaction. */
struct bx_record_write {
	enum bx_write_mode mode;
	const char *id;
	const char *type;
	const char *status;
	int64_t revision;        /* the revision this write creates */
	int64_t base_revision;   /* BX_WRITE_UPDATE: the revision it replaces */
	bool deleted;
	const char *origin;
	const char *author;
	const char *updated;
	const char *json;
	const char *actor;
	const char *action;
	const char *address;
};

/* A record as stored. */
struct bx_stored {
	char *id;
	char *type;
	char *status;
	char *author;
	char *json;
	int64_t revision;
	int64_t seq;
	bool deleted;
	int64_t changed;   /* when this revision was stored here, Unix seconds */
};
void bx_stored_free(struct bx_stored *record);

/* Called once per row; a non-zero return stops the iteration and is returned. */
typedef int (*bx_row_fn)(void *context, const char *json);
typedef int (*bx_stored_fn)(void *context, const struct bx_stored *record);
typedef int (*bx_count_fn)(void *context, const char *type, const char *status, int64_t count);

/* One vocabulary term for bx_store_vocab_replace. match_text is the labels, case-folded,
 * that a vocabulary query matches against. */
struct bx_term {
	const char *id;
	const char *json;
	const char *match_text;
};

struct bx_user {
	char *name;
	char *role;
	char *country;        /* NULL unless role "national" */
	char *instruments;    /* comma-separated, NULL for all */
	char *password_hash;
	char *created;
	bool disabled;
};
void bx_user_clear(struct bx_user *user);

/* A peer node that this one harvests (DESIGN 8). Times are ISO 8601 UTC, NULL when never. */
struct bx_peer {
	char *slug;
	char *url;
	char *kind;            /* "bioex" (its changes feed) or "oai-pmh" */
	int64_t schedule;      /* seconds between scheduled harvests; 0: on demand only */
	char *cursor;          /* where the next harvest resumes; NULL: from the start */
	int64_t records;       /* records held from it (added less deleted, over every run) */
	char *last_attempt;
	char *last_success;
	char *last_error;      /* the last run's error, NULL when it succeeded */
	int64_t failures;      /* failed runs since the last success, for the backoff */
	char *created;
};
void bx_peer_clear(struct bx_peer *peer);

/* One harvest run, successful or not. */
struct bx_harvest_run {
	const char *peer;      /* the peer's slug; NULL for a URL harvested without registering */
	const char *url;
	const char *started;
	const char *finished;
	int64_t added, updated, deleted;
	const char *error;     /* NULL when it succeeded */
};

typedef int (*bx_peer_fn)(void *context, const struct bx_peer *peer);
typedef int (*bx_harvest_fn)(void *context, const struct bx_harvest_run *run);

#define BX_TOKEN_HASH_SIZE 32

/* Who makes a change and from where, for the audit log (NULLs: the command line). */
struct bx_who {
	const char *actor;
	const char *address;
};

struct bx_store_ops {
	void (*close)(struct bx_store *store);
	int (*meta_get)(struct bx_store *store, const char *key, char **value);
	int (*meta_set)(struct bx_store *store, const char *key, const char *value);
	int (*begin)(struct bx_store *store);
	int (*commit)(struct bx_store *store);
	void (*rollback)(struct bx_store *store);
	int (*put_record)(struct bx_store *store, const struct bx_record_write *write,
	                  enum bx_write_outcome *outcome, int64_t *seq);
	int (*get_record)(struct bx_store *store, const char *id, struct bx_stored *out);
	int (*get_records)(struct bx_store *store, const char *const *ids, size_t n_ids, bx_stored_fn fn,
	                   void *context);
	int (*get_revision)(struct bx_store *store, const char *id, int64_t revision,
	                    struct bx_stored *out);
	int (*each_revision)(struct bx_store *store, const char *id, bx_stored_fn fn, void *context);
	int (*each_published)(struct bx_store *store, bx_stored_fn fn, void *context);
	int (*each_change)(struct bx_store *store, int64_t since, int limit, bx_stored_fn fn,
	                   void *context);
	int (*count_by_type)(struct bx_store *store, bx_count_fn fn, void *context);
	int (*last_seq)(struct bx_store *store, int64_t *seq);
	int (*peer_put)(struct bx_store *store, const struct bx_peer *peer, bool create,
	                const struct bx_who *who);
	int (*peer_get)(struct bx_store *store, const char *slug, struct bx_peer *out);
	int (*peer_each)(struct bx_store *store, bx_peer_fn fn, void *context);
	int (*peer_set_cursor)(struct bx_store *store, const char *slug, const char *cursor);
	int (*harvest_put)(struct bx_store *store, const struct bx_harvest_run *run);
	int (*harvest_each)(struct bx_store *store, const char *slug, int limit, bx_harvest_fn fn,
	                    void *context);
	int (*vocab_replace)(struct bx_store *store, const char *name, const char *info_json,
	                     const struct bx_term *terms, size_t n_terms);
	int (*vocab_each_info)(struct bx_store *store, bx_row_fn fn, void *context);
	int (*vocab_terms)(struct bx_store *store, const char *name, const char *match,
	                   int64_t offset, int limit, int64_t *total, bx_row_fn fn, void *context);
	int (*vocab_term)(struct bx_store *store, const char *name, const char *id, char **json);
	int (*user_put)(struct bx_store *store, const struct bx_user *user, bool create,
	                const struct bx_who *who);
	int (*user_get)(struct bx_store *store, const char *name, struct bx_user *out);
	int (*user_each)(struct bx_store *store, int (*fn)(void *, const struct bx_user *), void *context);
	int (*token_put)(struct bx_store *store, const unsigned char hash[BX_TOKEN_HASH_SIZE],
	                 const char *user, int64_t expires, const struct bx_who *who);
	int (*token_user)(struct bx_store *store, const unsigned char hash[BX_TOKEN_HASH_SIZE],
	                  int64_t now, struct bx_user *out);
	int (*token_delete)(struct bx_store *store, const unsigned char hash[BX_TOKEN_HASH_SIZE],
	                    const struct bx_who *who);
	int (*audit)(struct bx_store *store, const char *actor, const char *action,
	             const char *target, const char *address);
	int (*backup)(struct bx_store *store, const char *path);
	int (*check)(struct bx_store *store, int (*report)(void *, const char *problem), void *context);
};

struct bx_store {
	const struct bx_store_ops *ops;
};

/* Opens (creating when create is true) the store at location. On success sets *out and
 * returns 0; otherwise sets *out to NULL and returns an error code. */
BX_MUST_USE int bx_store_open(const char *location, bool create, struct bx_store **out);
void bx_store_close(struct bx_store *store);

/* Key-value settings of the node ("node", "name", ...). BX_ENOTFOUND when absent. */
BX_MUST_USE int bx_store_meta_get(struct bx_store *store, const char *key, char **value);
BX_MUST_USE int bx_store_meta_set(struct bx_store *store, const char *key, const char *value);

/* Write transactions: one writer at a time; begin waits for the others. Every
 * bx_store_put_record happens between begin and commit/rollback on the same thread,
 * and reads on that thread see the transaction's own writes. */
BX_MUST_USE int bx_store_begin(struct bx_store *store);
BX_MUST_USE int bx_store_commit(struct bx_store *store);
void bx_store_rollback(struct bx_store *store);
/* Ends a write transaction: commits when rc is 0, else rolls back. Returns rc, or the
 * commit's error. */
BX_MUST_USE int bx_store_end(struct bx_store *store, int rc);
/* Writes one record (see struct bx_record_write). BX_EEXIST, BX_ENOTFOUND or
 * BX_ECONFLICT when the mode's precondition fails; sets *outcome and *seq on success. */
BX_MUST_USE int bx_store_put_record(struct bx_store *store, const struct bx_record_write *write,
                                    enum bx_write_outcome *outcome, int64_t *seq);

/* The current revision of a record (tombstones included). BX_ENOTFOUND when absent. */
BX_MUST_USE int bx_store_get_record(struct bx_store *store, const char *id, struct bx_stored *out);
/* The current revisions of the records ids[0..n_ids), read in one transaction (so from
 * one state of the store) and passed to fn in that order; an id not found is skipped.
 * A non-zero return of fn stops and is returned. */
BX_MUST_USE int bx_store_get_records(struct bx_store *store, const char *const *ids, size_t n_ids,
                                     bx_stored_fn fn, void *context);
BX_MUST_USE int bx_store_get_revision(struct bx_store *store, const char *id, int64_t revision,
                                      struct bx_stored *out);
/* Every revision of a record, oldest first. BX_ENOTFOUND when the record is unknown. */
BX_MUST_USE int bx_store_each_revision(struct bx_store *store, const char *id, bx_stored_fn fn,
                                       void *context);
/* Every published, not withdrawn record, in id order. */
BX_MUST_USE int bx_store_each_published(struct bx_store *store, bx_stored_fn fn, void *context);
/* The changes after sequence since, in sequence order, at most limit: each record whose
 * latest revision came after since, once, as it is now (tombstones included; record.seq
 * is the cursor to pass next). A record changed twice appears once, at its last change. */
BX_MUST_USE int bx_store_each_change(struct bx_store *store, int64_t since, int limit,
                                     bx_stored_fn fn, void *context);
/* The latest change sequence committed (0 when nothing was ever written): the high-water
 * mark below which a reader of the changes sees a fixed set of current records. */
BX_MUST_USE int bx_store_last_seq(struct bx_store *store, int64_t *seq);
/* The number of current (not withdrawn) records of each type and status. */
BX_MUST_USE int bx_store_count_by_type(struct bx_store *store, bx_count_fn fn, void *context);

/* Peers. peer_put creates (BX_EEXIST if the slug is taken) or replaces the settings (url,
 * kind, schedule) of an existing one (BX_ENOTFOUND if absent), keeping its state; who is
 * audited. peer_get: BX_ENOTFOUND when absent. peer_each: by slug. */
BX_MUST_USE int bx_store_peer_put(struct bx_store *store, const struct bx_peer *peer, bool create,
                                  const struct bx_who *who);
BX_MUST_USE int bx_store_peer_get(struct bx_store *store, const char *slug, struct bx_peer *out);
BX_MUST_USE int bx_store_peer_each(struct bx_store *store, bx_peer_fn fn, void *context);
/* Saves where the peer's next harvest resumes. Called inside the write transaction that
 * stores the records harvested up to there, so records and cursor commit together. */
BX_MUST_USE int bx_store_peer_set_cursor(struct bx_store *store, const char *slug,
                                         const char *cursor);
/* Records a finished run and, for a registered peer, updates its state: last attempt,
 * last success or error, consecutive failures, records held. In a transaction of its own. */
BX_MUST_USE int bx_store_harvest_put(struct bx_store *store, const struct bx_harvest_run *run);
/* A peer's runs (slug NULL: every run), newest first, at most limit. */
BX_MUST_USE int bx_store_harvest_each(struct bx_store *store, const char *slug, int limit,
                                      bx_harvest_fn fn, void *context);

/* Replaces a whole vocabulary in one transaction. */
BX_MUST_USE int bx_store_vocab_replace(struct bx_store *store, const char *name,
                                       const char *info_json, const struct bx_term *terms,
                                       size_t n_terms);
/* Every vocabulary's info JSON, with "count" set, by name. */
BX_MUST_USE int bx_store_vocab_each_info(struct bx_store *store, bx_row_fn fn, void *context);
/* A page of a vocabulary's terms (in load order) whose match_text contains match (NULL:
 * all). BX_ENOTFOUND when the vocabulary does not exist. */
BX_MUST_USE int bx_store_vocab_terms(struct bx_store *store, const char *name, const char *match,
                                     int64_t offset, int limit, int64_t *total, bx_row_fn fn,
                                     void *context);
BX_MUST_USE int bx_store_vocab_term(struct bx_store *store, const char *name, const char *id,
                                    char **json);

/* Accounts. user_put creates (BX_EEXIST if taken) or replaces (BX_ENOTFOUND if absent);
 * replacing the password or disabling the account revokes its tokens. who is audited. */
BX_MUST_USE int bx_store_user_put(struct bx_store *store, const struct bx_user *user, bool create,
                                  const struct bx_who *who);
BX_MUST_USE int bx_store_user_get(struct bx_store *store, const char *name, struct bx_user *out);
BX_MUST_USE int bx_store_user_each(struct bx_store *store,
                                   int (*fn)(void *, const struct bx_user *), void *context);
/* Tokens are kept only as their hash. token_user answers the account of a live token of
 * an enabled account (BX_ENOTFOUND otherwise), in one lookup. */
BX_MUST_USE int bx_store_token_put(struct bx_store *store,
                                   const unsigned char hash[BX_TOKEN_HASH_SIZE],
                                   const char *user, int64_t expires, const struct bx_who *who);
BX_MUST_USE int bx_store_token_user(struct bx_store *store,
                                    const unsigned char hash[BX_TOKEN_HASH_SIZE], int64_t now,
                                    struct bx_user *out);
BX_MUST_USE int bx_store_token_delete(struct bx_store *store,
                                      const unsigned char hash[BX_TOKEN_HASH_SIZE],
                                      const struct bx_who *who);
/* An audit entry for a write that is not a record write (accounts, sign-in, vocabularies). */
BX_MUST_USE int bx_store_audit(struct bx_store *store, const char *actor, const char *action,
                               const char *target, const char *address);

/* A consistent copy of the whole store at path, taken while others keep working. */
BX_MUST_USE int bx_store_backup(struct bx_store *store, const char *path);
/* Checks storage integrity and bioex invariants; calls report once per problem found.
 * Returns 0 when consistent, BX_EINVALID when problems were reported. */
BX_MUST_USE int bx_store_check(struct bx_store *store,
                               int (*report)(void *, const char *problem), void *context);

/* The SQLite backend's constructor (store_sqlite.c). */
BX_MUST_USE int bx_store_sqlite_open(const char *path, bool create, struct bx_store **out);

#endif
