/* The accounts API, for administrators (and a user reading or re-keying their own). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/password.h"
#include "core/validate.h"
#include "http/api.h"
#include "http/handlers.h"
#include "node/accounts.h"
#include "util/buf.h"
#include "util/timeutil.h"

static json_t *user_json(const struct bx_user *user)
{
	json_t *instruments = json_array();
	for (const char *p = user->instruments; p && *p;) {
		size_t n = strcspn(p, ",");
		json_array_append_new(instruments, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return json_pack("{s:s, s:s, s:s?, s:o, s:b, s:s?}", "name", user->name, "role", user->role,
	                 "country", user->country, "instruments", instruments, "disabled", user->disabled,
	                 "created", user->created);
}

static int add_user(void *list, const struct bx_user *user)
{
	return json_array_append_new(list, user_json(user));
}

void bx_api_users_list(struct bx_request *request, struct bx_response *response)
{
	if (bx_api_require_admin(request, response))
		return;
	json_t *items = json_array();
	int rc = bx_store_user_each(request->node->store, add_user, items);
	if (rc) {
		json_decref(items);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	bx_reply_json(response, 200, json_pack("{s:o}", "items", items));
}

/* Copies the account members of input into user, checking their JSON types; then checks
 * the account's rules (node/accounts.h). Problems go to details. The new password hash,
 * when one is set, is written to hash. */
static void apply_fields(struct bx_request *request, const json_t *input, struct bx_user *user,
                         json_t *details, char hash[BX_PASSWORD_HASH_SIZE])
{
	json_t *value;
	if ((value = json_object_get(input, "role"))) {
		free(user->role);
		user->role = json_is_string(value) ? strdup(json_string_value(value)) : strdup("");
	}
	if ((value = json_object_get(input, "country"))) {
		if (!json_is_null(value) && !json_is_string(value))
			bx_detail_add(details, "/country", "expected a country code or null");
		free(user->country);
		user->country = json_is_string(value) ? strdup(json_string_value(value)) : NULL;
	}
	if ((value = json_object_get(input, "instruments"))) {
		struct bx_buf list;
		bx_buf_init(&list, 4096);
		size_t i;
		json_t *item;
		if (!json_is_array(value))
			bx_detail_add(details, "/instruments", "expected a list of instrument ids");
		json_array_foreach(value, i, item) {
			if (!json_is_string(item) || strchr(json_string_value(item), ','))
				bx_detail_add(details, "/instruments", "expected instrument ids");
			else if (bx_buf_printf(&list, "%s%s", list.len ? "," : "", json_string_value(item)))
				bx_detail_add(details, "/instruments", "too many instruments");
		}
		free(user->instruments);
		user->instruments = list.len ? bx_buf_steal(&list) : NULL;
		bx_buf_free(&list);
	}
	if ((value = json_object_get(input, "disabled"))) {
		if (!json_is_boolean(value))
			bx_detail_add(details, "/disabled", "expected true or false");
		user->disabled = json_is_true(value);
	}
	if ((value = json_object_get(input, "password"))) {
		if (!json_is_string(value) || bx_password_hash(json_string_value(value), hash))
			bx_detail_add(details, "/password", "a password has at least %d characters and at most"
			              " %d bytes", BX_PASSWORD_MIN, BX_PASSWORD_MAX);
		else {
			free(user->password_hash);
			user->password_hash = strdup(hash);
		}
	}
	static const char *const known[] = {"name", "role", "country", "instruments", "disabled", "password"};
	const char *key;
	json_object_foreach((json_t *)input, key, value) {
		bool ok = false;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			ok = ok || !strcmp(key, known[i]);
		if (!ok)
			bx_detail_add(details, "", "unknown field %.60s", key);
	}
	bx_account_check(request->node->catalog, user, details);
}

/* Stores user after apply_fields, answering status and the account, or the problems. */
static void save_user(struct bx_request *request, struct bx_response *response, struct bx_user *user,
                      json_t *details, bool create)
{
	if (json_array_size(details)) {
		bx_reply_error(response, BX_EINVALID, "the account is not valid", json_incref(details));
		return;
	}
	struct bx_who who = {request->principal.name, request->address};
	int rc = bx_store_user_put(request->node->store, user, create, &who);
	if (rc)
		bx_reply_error(response, rc, rc == BX_EEXIST ? "this user name is taken" : NULL, NULL);
	else
		bx_reply_json(response, create ? 201 : 200, user_json(user));
	if (!rc && create)
		snprintf(response->location, sizeof response->location, "/api/v1/users/%s", user->name);
}

void bx_api_users_create(struct bx_request *request, struct bx_response *response)
{
	json_t *input;
	if (bx_api_require_admin(request, response) || bx_api_body_json(request, response, &input))
		return;
	char hash[BX_PASSWORD_HASH_SIZE] = "", now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	const char *name = json_string_value(json_object_get(input, "name"));
	struct bx_user user = {.name = strdup(name ? name : ""), .created = strdup(now)};
	json_t *details = json_array();
	if (!json_object_get(input, "password"))
		bx_detail_add(details, "/password", "is required");
	apply_fields(request, input, &user, details, hash);
	save_user(request, response, &user, details, true);
	sodium_memzero(hash, sizeof hash);
	bx_user_clear(&user);
	json_decref(details);
	json_decref(input);
}

/* Is the caller the user the path names? */
static bool is_self(const struct bx_request *request)
{
	return request->principal.role != BX_ROLE_ANONYMOUS &&
	       !strcmp(request->principal.name, request->params[0]);
}

void bx_api_user_get(struct bx_request *request, struct bx_response *response)
{
	bool self = is_self(request);
	if (!self && bx_api_require_admin(request, response))
		return;
	struct bx_user user = {0};
	int rc = bx_store_user_get(request->node->store, request->params[0], &user);
	if (rc)
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such user" : NULL, NULL);
	else
		bx_reply_json(response, 200, user_json(&user));
	bx_user_clear(&user);
}

void bx_api_user_update(struct bx_request *request, struct bx_response *response)
{
	bool self = is_self(request);
	json_t *input;
	if (!self && bx_api_require_admin(request, response))
		return;
	if (bx_api_body_json(request, response, &input))
		return;
	if (self && !bx_policy_is_admin(&request->principal) &&
	    (json_object_size(input) != 1 || !json_object_get(input, "password"))) {
		bx_reply_error(response, BX_EPERM, "you may change your own password only", NULL);
		json_decref(input);
		return;
	}
	struct bx_user user = {0};
	char hash[BX_PASSWORD_HASH_SIZE] = "";
	int rc = bx_store_user_get(request->node->store, request->params[0], &user);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no such user" : NULL, NULL);
	} else {
		json_t *details = json_array();
		if (json_object_get(input, "name") &&
		    strcmp(json_string_value(json_object_get(input, "name")) ?: "", user.name))
			bx_detail_add(details, "/name", "a user cannot be renamed");
		apply_fields(request, input, &user, details, hash);
		save_user(request, response, &user, details, false);
		json_decref(details);
	}
	sodium_memzero(hash, sizeof hash);
	bx_user_clear(&user);
	json_decref(input);
}
