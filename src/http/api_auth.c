/* Sign-in and sign-out with bearer tokens. Sign-in is rate limited per address (every
 * attempt) and per account (failures); every attempt is audited. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "auth/password.h"
#include "auth/token.h"
#include "core/validate.h"
#include "http/api.h"
#include "http/handlers.h"
#include "http/server.h"
#include "util/timeutil.h"

static int audit(struct bx_request *request, const char *user, const char *action)
{
	return bx_store_audit(request->node->store, user, action, user, request->address);
}

static bool limited(struct bx_response *response, int rc, int retry_after)
{
	if (rc != BX_ELIMIT)
		return false;
	snprintf(response->retry_after, sizeof response->retry_after, "%d", retry_after);
	bx_reply_error(response, BX_ELIMIT, "too many sign-in attempts; try again later", NULL);
	return true;
}

int bx_api_sign_in_attempt(struct bx_request *request, int *retry_after)
{
	struct bx_ratelimit *limit = request->server->logins_by_address;
	int64_t now = bx_time_now();
	if (bx_ratelimit_exceeded(limit, request->address, now, retry_after))
		return BX_ELIMIT;
	bx_ratelimit_hit(limit, request->address, now);
	return 0;
}

int bx_api_sign_in(struct bx_request *request, const char *name, const char *password,
                   char token[BX_TOKEN_SIZE], int64_t *expires, struct bx_user *user, int *retry_after)
{
	struct bx_ratelimit *failures = request->server->failures_by_account;
	int64_t now = bx_time_now();
	memset(user, 0, sizeof *user);
	token[0] = '\0';
	if (bx_ratelimit_exceeded(failures, name, now, retry_after))
		return BX_ELIMIT;
	int rc = bx_store_user_get(request->node->store, name, user);
	bool ok = bx_password_verify(rc ? NULL : user->password_hash, password) && !user->disabled;
	if (!ok) {
		bx_ratelimit_hit(failures, name, now);
		bx_user_clear(user);
		return audit(request, name, "auth.failure") ? BX_EIO : BX_EAUTH;
	}
	bx_ratelimit_clear(failures, name);
	unsigned char hash[BX_TOKEN_HASH_SIZE];
	bx_token_new(token, hash);
	*expires = now + BX_TOKEN_LIFETIME;
	struct bx_who who = {user->name, request->address};
	rc = bx_store_token_put(request->node->store, hash, user->name, *expires, &who);
	if (rc) {
		sodium_memzero(token, BX_TOKEN_SIZE);
		bx_user_clear(user);
	}
	return rc;
}

void bx_api_login(struct bx_request *request, struct bx_response *response)
{
	int retry_after = 0;
	int rc = bx_api_sign_in_attempt(request, &retry_after);
	if (limited(response, rc, retry_after))
		return;
	json_t *input;
	if (bx_api_body_json(request, response, &input))
		return;
	const char *name = json_string_value(json_object_get(input, "username"));
	const char *password = json_string_value(json_object_get(input, "password"));
	json_t *details = json_array();
	if (!name || !*name || strlen(name) > 64)
		bx_detail_add(details, "/username", "a user name is required");
	if (!password || strlen(password) > BX_PASSWORD_MAX)
		bx_detail_add(details, "/password", "a password is required");
	if (json_array_size(details)) {
		bx_reply_error(response, BX_EINVALID, "username and password are required", details);
		json_decref(input);
		return;
	}
	json_decref(details);
	char token[BX_TOKEN_SIZE], expires[BX_TIME_ISO_SIZE];
	int64_t expires_at;
	struct bx_user user;
	rc = bx_api_sign_in(request, name, password, token, &expires_at, &user, &retry_after);
	if (limited(response, rc, retry_after)) {
		json_decref(input);
		return;
	}
	if (rc == BX_EAUTH)
		bx_reply_error(response, BX_EAUTH, "wrong user name or password", NULL);
	else if (rc)
		bx_reply_error(response, rc, NULL, NULL);
	else {
		bx_time_iso(expires_at, expires);
		bx_reply_json(response, 200, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "token", token,
		              "expires", expires, "user", user.name, "role", user.role, "country", user.country));
	}
	sodium_memzero(token, sizeof token);
	bx_user_clear(&user);
	json_decref(input);
}

void bx_api_logout(struct bx_request *request, struct bx_response *response)
{
	if (!request->has_token) {
		bx_reply_error(response, BX_EAUTH, "send the token to revoke as Authorization: Bearer", NULL);
		return;
	}
	struct bx_who who = {request->principal.name, request->address};
	int rc = bx_store_token_delete(request->node->store, (const unsigned char *)request->token_hash, &who);
	if (rc)
		bx_reply_error(response, rc, NULL, NULL);
	else
		bx_reply_json(response, 200, json_pack("{s:s}", "status", "signed out"));
}
