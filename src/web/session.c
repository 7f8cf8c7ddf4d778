/* Sessions and form tokens (see session.h). */
#include <stdio.h>
#include <string.h>
#include "auth/token.h"
#include "util/timeutil.h"
#include "web/session.h"

#define SESSION_COOKIE "bx_session"
#define VISITOR_COOKIE "bx_visitor"
#define COOKIE_FLAGS "Path=/; HttpOnly; SameSite=Strict"

/* Is value what bx_token_new makes: 43 base64url characters? */
static bool token_shaped(const char *value)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	return value && strlen(value) == BX_TOKEN_SIZE - 1 && strspn(value, alphabet) == BX_TOKEN_SIZE - 1;
}

void bx_session_load(struct bx_page *page)
{
	const char *token = bx_request_cookie(page->request, SESSION_COOKIE);
	if (!token_shaped(token))
		return;
	bx_token_hash(token, page->session_hash);
	struct bx_user user;
	memset(&user, 0, sizeof user);
	if (!bx_store_token_user(page->request->node->store, page->session_hash, bx_time_now(), &user)) {
		bx_principal_from_user(&page->principal, &user);
		page->signed_in = true;
	}
	bx_user_clear(&user);
}

/* The form token of secret (a session's hash or a visitor cookie) under the server's key. */
static void form_token_of(const struct bx_web *web, const char *kind, const void *secret, size_t length,
                          char out[BX_FORM_TOKEN_SIZE])
{
	unsigned char mac[32];
	crypto_generichash_state state;
	crypto_generichash_init(&state, web->form_key, sizeof web->form_key, sizeof mac);
	crypto_generichash_update(&state, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_generichash_update(&state, secret, length);
	crypto_generichash_final(&state, mac, sizeof mac);
	sodium_bin2base64(out, BX_FORM_TOKEN_SIZE, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The form token this request should send back, in out; false when it can have none (a
 * visitor without a visitor cookie). */
static bool expected_token(struct bx_page *page, char out[BX_FORM_TOKEN_SIZE])
{
	if (page->signed_in) {
		form_token_of(page->web, "session", page->session_hash, sizeof page->session_hash, out);
		return true;
	}
	const char *visitor = bx_request_cookie(page->request, VISITOR_COOKIE);
	if (!token_shaped(visitor))
		return false;
	form_token_of(page->web, "visitor", visitor, strlen(visitor), out);
	return true;
}

void bx_session_form_token(struct bx_page *page)
{
	if (page->form_token[0] || expected_token(page, page->form_token))
		return;
	char visitor[BX_TOKEN_SIZE], cookie[128];
	unsigned char unused[BX_TOKEN_HASH_SIZE];
	bx_token_new(visitor, unused);
	snprintf(cookie, sizeof cookie, VISITOR_COOKIE "=%s; " COOKIE_FLAGS, visitor);
	if (bx_response_header(page->response, "Set-Cookie", cookie))
		return;   /* no room: the form carries no token and will be refused */
	form_token_of(page->web, "visitor", visitor, strlen(visitor), page->form_token);
}

bool bx_session_form_token_ok(struct bx_page *page, const char *sent)
{
	char expected[BX_FORM_TOKEN_SIZE];
	return sent && strlen(sent) == BX_FORM_TOKEN_SIZE - 1 && expected_token(page, expected) &&
	       !sodium_memcmp(sent, expected, BX_FORM_TOKEN_SIZE - 1);
}

int bx_session_start(struct bx_page *page, const char *token, int64_t expires)
{
	char cookie[160];
	snprintf(cookie, sizeof cookie, SESSION_COOKIE "=%s; Max-Age=%lld; " COOKIE_FLAGS, token,
	         (long long)(expires - bx_time_now()));
	int rc = bx_response_header(page->response, "Set-Cookie", cookie);
	sodium_memzero(cookie, sizeof cookie);
	return rc;
}

int bx_session_end(struct bx_page *page)
{
	struct bx_who who = {page->principal.name, page->request->address};
	int rc = page->signed_in ? bx_store_token_delete(page->request->node->store, page->session_hash, &who) : 0;
	if (rc && rc != BX_ENOTFOUND)
		return rc;
	page->signed_in = false;
	return bx_response_header(page->response, "Set-Cookie", SESSION_COOKIE "=; Max-Age=0; " COOKIE_FLAGS);
}
