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

static bool limited(struct bx_response *response, struct bx_ratelimit *limit, const char *key, int64_t now)
{
	int retry_after;
	if (!bx_ratelimit_exceeded(limit, key, now, &retry_after))
		return false;
	snprintf(response->retry_after, sizeof response->retry_after, "%d", retry_after);
	bx_reply_error(response, BX_ELIMIT, "too many sign-in attempts; try again later", NULL);
	return true;
}

void bx_api_login(struct bx_request *request, struct bx_response *response)
{
	struct bx_server *server = request->server;
	int64_t now = bx_time_now();
	if (limited(response, server->logins_by_address, request->address, now))
		return;
	bx_ratelimit_hit(server->logins_by_address, request->address, now);
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
	if (limited(response, server->failures_by_account, name, now)) {
		json_decref(input);
		return;
	}
	struct bx_user user = {0};
	int rc = bx_store_user_get(request->node->store, name, &user);
	bool ok = bx_password_verify(rc ? NULL : user.password_hash, password) && !user.disabled;
	if (!ok) {
		bx_ratelimit_hit(server->failures_by_account, name, now);
		if (audit(request, name, "auth.failure") == 0)
			bx_reply_error(response, BX_EAUTH, "wrong user name or password", NULL);
		else
			bx_reply_error(response, BX_EIO, NULL, NULL);
		bx_user_clear(&user);
		json_decref(input);
		return;
	}
	bx_ratelimit_clear(server->failures_by_account, name);
	char token[BX_TOKEN_SIZE], expires[BX_TIME_ISO_SIZE];
	unsigned char hash[BX_TOKEN_HASH_SIZE];
	bx_token_new(token, hash);
	bx_time_iso(now + BX_TOKEN_LIFETIME, expires);
	struct bx_who who = {user.name, request->address};
	rc = bx_store_token_put(request->node->store, hash, user.name, now + BX_TOKEN_LIFETIME, &who);
	if (rc)
		bx_reply_error(response, rc, NULL, NULL);
	else
		bx_reply_json(response, 200, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "token", token,
		              "expires", expires, "user", user.name, "role", user.role, "country", user.country));
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
