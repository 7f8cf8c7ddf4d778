/* Web sessions and form tokens. A session is an API token (auth/token.h) kept in an
 * HttpOnly, SameSite=Strict cookie and stored only as its hash, like every token. Every
 * form that changes something carries a csrf_token: a keyed BLAKE2b hash of the session
 * (or, before sign-in, of a random visitor cookie) under a key made when the server
 * starts, so it is worthless with another session and after a restart. */
#ifndef BX_SESSION_H
#define BX_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include "web/page.h"

/* Reads the session cookie: a live session sets page->principal and page->signed_in. */
void bx_session_load(struct bx_page *page);
/* Fills page->form_token (when empty); for a visitor without a visitor cookie, makes one
 * and sets it on the response. */
void bx_session_form_token(struct bx_page *page);
/* Is sent the csrf_token of this session (or visitor cookie)? False when it is absent. */
bool bx_session_form_token_ok(struct bx_page *page, const char *sent);
/* Sets the session cookie to token, valid until expires (Unix seconds). */
BX_MUST_USE int bx_session_start(struct bx_page *page, const char *token, int64_t expires);
/* Revokes the page's session and clears its cookie. */
BX_MUST_USE int bx_session_end(struct bx_page *page);

#endif
