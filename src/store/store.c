/* Dispatch from the store interface to the backend chosen at open (see store.h). */
#include <stdlib.h>
#include "store/store.h"

int bx_store_open(const char *location, bool create, struct bx_store **out)
{
	return bx_store_sqlite_open(location, create, out);
}

void bx_store_close(struct bx_store *store)
{
	if (store)
		store->ops->close(store);
}

void bx_stored_free(struct bx_stored *record)
{
	free(record->id);
	free(record->type);
	free(record->status);
	free(record->author);
	free(record->json);
	*record = (struct bx_stored){0};
}

void bx_peer_clear(struct bx_peer *peer)
{
	free(peer->slug);
	free(peer->url);
	free(peer->kind);
	free(peer->cursor);
	free(peer->last_attempt);
	free(peer->last_success);
	free(peer->last_error);
	free(peer->created);
	*peer = (struct bx_peer){0};
}

void bx_user_clear(struct bx_user *user)
{
	free(user->name);
	free(user->role);
	free(user->country);
	free(user->instruments);
	free(user->password_hash);
	free(user->created);
	*user = (struct bx_user){0};
}

int bx_store_meta_get(struct bx_store *s, const char *key, char **value)
{ return s->ops->meta_get(s, key, value); }
int bx_store_meta_set(struct bx_store *s, const char *key, const char *value)
{ return s->ops->meta_set(s, key, value); }
int bx_store_begin(struct bx_store *s) { return s->ops->begin(s); }
int bx_store_commit(struct bx_store *s) { return s->ops->commit(s); }
void bx_store_rollback(struct bx_store *s) { s->ops->rollback(s); }

int bx_store_end(struct bx_store *s, int rc)
{
	if (rc) {
		s->ops->rollback(s);
		return rc;
	}
	return s->ops->commit(s);
}
int bx_store_put_record(struct bx_store *s, const struct bx_record_write *w,
                        enum bx_write_outcome *outcome, int64_t *seq)
{ return s->ops->put_record(s, w, outcome, seq); }
int bx_store_get_record(struct bx_store *s, const char *id, struct bx_stored *out)
{ return s->ops->get_record(s, id, out); }
int bx_store_get_records(struct bx_store *s, const char *const *ids, size_t n_ids, bx_stored_fn fn,
                         void *context)
{ return s->ops->get_records(s, ids, n_ids, fn, context); }
int bx_store_get_revision(struct bx_store *s, const char *id, int64_t revision, struct bx_stored *out)
{ return s->ops->get_revision(s, id, revision, out); }
int bx_store_each_revision(struct bx_store *s, const char *id, bx_stored_fn fn, void *context)
{ return s->ops->each_revision(s, id, fn, context); }
int bx_store_each_published(struct bx_store *s, bx_stored_fn fn, void *context)
{ return s->ops->each_published(s, fn, context); }
int bx_store_each_change(struct bx_store *s, int64_t since, int limit, bx_stored_fn fn, void *context)
{ return s->ops->each_change(s, since, limit, fn, context); }
int bx_store_last_seq(struct bx_store *s, int64_t *seq) { return s->ops->last_seq(s, seq); }
int bx_store_count_by_type(struct bx_store *s, bx_count_fn fn, void *context)
{ return s->ops->count_by_type(s, fn, context); }
int bx_store_peer_put(struct bx_store *s, const struct bx_peer *peer, bool create,
                      const struct bx_who *who)
{ return s->ops->peer_put(s, peer, create, who); }
int bx_store_peer_get(struct bx_store *s, const char *slug, struct bx_peer *out)
{ return s->ops->peer_get(s, slug, out); }
int bx_store_peer_each(struct bx_store *s, bx_peer_fn fn, void *context)
{ return s->ops->peer_each(s, fn, context); }
int bx_store_peer_set_cursor(struct bx_store *s, const char *slug, const char *cursor)
{ return s->ops->peer_set_cursor(s, slug, cursor); }
int bx_store_harvest_put(struct bx_store *s, const struct bx_harvest_run *run)
{ return s->ops->harvest_put(s, run); }
int bx_store_harvest_each(struct bx_store *s, const char *slug, int limit, bx_harvest_fn fn,
                          void *context)
{ return s->ops->harvest_each(s, slug, limit, fn, context); }
int bx_store_vocab_replace(struct bx_store *s, const char *name, const char *info_json,
                           const struct bx_term *terms, size_t n_terms)
{ return s->ops->vocab_replace(s, name, info_json, terms, n_terms); }
int bx_store_vocab_each_info(struct bx_store *s, bx_row_fn fn, void *context)
{ return s->ops->vocab_each_info(s, fn, context); }
int bx_store_vocab_terms(struct bx_store *s, const char *name, const char *match, int64_t offset,
                         int limit, int64_t *total, bx_row_fn fn, void *context)
{ return s->ops->vocab_terms(s, name, match, offset, limit, total, fn, context); }
int bx_store_vocab_term(struct bx_store *s, const char *name, const char *id, char **json)
{ return s->ops->vocab_term(s, name, id, json); }
int bx_store_user_put(struct bx_store *s, const struct bx_user *user, bool create,
                      const struct bx_who *who)
{ return s->ops->user_put(s, user, create, who); }
int bx_store_user_get(struct bx_store *s, const char *name, struct bx_user *out)
{ return s->ops->user_get(s, name, out); }
int bx_store_user_each(struct bx_store *s, int (*fn)(void *, const struct bx_user *), void *context)
{ return s->ops->user_each(s, fn, context); }
int bx_store_token_put(struct bx_store *s, const unsigned char hash[BX_TOKEN_HASH_SIZE],
                       const char *user, int64_t expires, const struct bx_who *who)
{ return s->ops->token_put(s, hash, user, expires, who); }
int bx_store_token_user(struct bx_store *s, const unsigned char hash[BX_TOKEN_HASH_SIZE],
                        int64_t now, struct bx_user *out)
{ return s->ops->token_user(s, hash, now, out); }
int bx_store_token_delete(struct bx_store *s, const unsigned char hash[BX_TOKEN_HASH_SIZE],
                          const struct bx_who *who)
{ return s->ops->token_delete(s, hash, who); }
int bx_store_audit(struct bx_store *s, const char *actor, const char *action, const char *target,
                   const char *address)
{ return s->ops->audit(s, actor, action, target, address); }
int bx_store_backup(struct bx_store *s, const char *path) { return s->ops->backup(s, path); }
int bx_store_check(struct bx_store *s, int (*report)(void *, const char *), void *context)
{ return s->ops->check(s, report, context); }
