/* Role rules (see policy.h). National users are bound to one country and optionally to
 * instruments: every record they write, and the one it replaces, must be of that country
 * only and, when bound, of those instruments only. Contributors write drafts. */
#include <stdio.h>
#include <string.h>
#include "auth/policy.h"
#include "util/strings.h"

static const char *const role_names[] = {
	[BX_ROLE_ANONYMOUS] = "anonymous", [BX_ROLE_ADMIN] = "admin", [BX_ROLE_EDITOR] = "editor",
	[BX_ROLE_NATIONAL] = "national", [BX_ROLE_CONTRIBUTOR] = "contributor", [BX_ROLE_NODE] = "node",
};

int bx_role_parse(const char *name, enum bx_role *role)
{
	for (int i = BX_ROLE_ADMIN; i <= BX_ROLE_NODE; i++) {
		if (name && !strcmp(name, role_names[i])) {
			*role = (enum bx_role)i;
			return 0;
		}
	}
	return BX_EINVAL;
}

const char *bx_role_name(enum bx_role role)
{
	return role_names[role];
}

void bx_principal_from_user(struct bx_principal *principal, const struct bx_user *user)
{
	memset(principal, 0, sizeof *principal);
	if (bx_role_parse(user->role, &principal->role))
		principal->role = BX_ROLE_ANONYMOUS;
	snprintf(principal->name, sizeof principal->name, "%s", user->name);
	if (user->country)
		snprintf(principal->country, sizeof principal->country, "%s", user->country);
	if (user->instruments)
		snprintf(principal->instruments, sizeof principal->instruments, "%s", user->instruments);
}

static bool privileged(const struct bx_principal *principal)
{
	return principal->role == BX_ROLE_ADMIN || principal->role == BX_ROLE_EDITOR ||
	       principal->role == BX_ROLE_NODE;
}

static bool in_comma_list(const char *list, const char *value)
{
	size_t n = strlen(value);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t length = end ? (size_t)(end - p) : strlen(p);
		if (length == n && !strncmp(p, value, n))
			return true;
		p += length + (end ? 1 : 0);
	}
	return false;
}

/* Is the record of the national user's country only (and instruments, when bound)? */
static bool national_owns(const struct bx_principal *principal, const json_t *record,
                          char *reason, size_t reason_size)
{
	json_t *countries = json_object_get(record, "countries");
	size_t i;
	json_t *item;
	if (!bx_json_array_has(countries, principal->country)) {
		snprintf(reason, reason_size, "national users of %s write records of %s only",
		         principal->country, principal->country);
		return false;
	}
	json_array_foreach(countries, i, item) {
		if (strcmp(json_string_value(item) ?: "", principal->country)) {
			snprintf(reason, reason_size, "national users of %s may not write records of %s",
			         principal->country, json_string_value(item) ?: "?");
			return false;
		}
	}
	if (!principal->instruments[0])
		return true;
	json_t *conventions = json_object_get(record, "conventions");
	if (!json_array_size(conventions)) {
		snprintf(reason, reason_size, "this account writes records of %s only", principal->instruments);
		return false;
	}
	json_array_foreach(conventions, i, item) {
		if (!in_comma_list(principal->instruments, json_string_value(item) ?: "")) {
			snprintf(reason, reason_size, "this account may not write records of %s",
			         json_string_value(item) ?: "?");
			return false;
		}
	}
	return true;
}

static bool authored_by(const json_t *record, const char *name)
{
	const char *author = json_string_value(json_object_get(json_object_get(record, "meta"), "author"));
	return author && !strcmp(author, name);
}

int bx_policy_check_write(const struct bx_principal *principal, const json_t *record,
                          const json_t *current, char *reason, size_t reason_size)
{
	const char *status = json_string_value(json_object_get(record, "status"));
	switch (principal->role) {
	case BX_ROLE_ANONYMOUS:
		snprintf(reason, reason_size, "sign in to write records");
		return BX_EAUTH;
	case BX_ROLE_ADMIN:
	case BX_ROLE_EDITOR:
	case BX_ROLE_NODE:
		return 0;
	case BX_ROLE_NATIONAL:
		if (!national_owns(principal, record, reason, reason_size) ||
		    (current && !national_owns(principal, current, reason, reason_size)))
			return BX_EPERM;
		return 0;
	case BX_ROLE_CONTRIBUTOR:
		if (status && strcmp(status, "draft") && strcmp(status, "submitted")) {
			snprintf(reason, reason_size, "contributors may save drafts and submit them, not set '%s'", status);
			return BX_EPERM;
		}
		if (current && !authored_by(current, principal->name)) {
			snprintf(reason, reason_size, "contributors may edit only their own records");
			return BX_EPERM;
		}
		if (current && strcmp(json_string_value(json_object_get(current, "status")) ?: "", "draft") &&
		    strcmp(json_string_value(json_object_get(current, "status")) ?: "", "submitted")) {
			snprintf(reason, reason_size, "contributors may not change a published record");
			return BX_EPERM;
		}
		return 0;
	}
	return BX_EPERM;
}

const char *bx_policy_default_status(const struct bx_principal *principal)
{
	return principal->role == BX_ROLE_CONTRIBUTOR ? "draft" : "published";
}

bool bx_policy_may_see(const struct bx_principal *principal, const json_t *record)
{
	switch (principal->role) {
	case BX_ROLE_ADMIN: case BX_ROLE_EDITOR: case BX_ROLE_NODE:
		return true;
	case BX_ROLE_NATIONAL:
		return bx_json_array_has(json_object_get(record, "countries"), principal->country);
	case BX_ROLE_CONTRIBUTOR:
		return authored_by(record, principal->name);
	default:
		return false;
	}
}

bool bx_policy_sees_private(const struct bx_principal *principal, const json_t *record)
{
	return bx_policy_may_see(principal, record);
}

bool bx_policy_keeps_provenance(const struct bx_principal *principal)
{
	return principal->role == BX_ROLE_ADMIN || principal->role == BX_ROLE_NODE;
}

bool bx_policy_replicates(const struct bx_principal *principal)
{
	return principal->role == BX_ROLE_NODE;
}

bool bx_policy_is_admin(const struct bx_principal *principal)
{
	return principal->role == BX_ROLE_ADMIN;
}

void bx_policy_list_scope(const struct bx_principal *principal, struct bx_list_query *query)
{
	query->see_all = privileged(principal);
	query->see_country = principal->role == BX_ROLE_NATIONAL ? principal->country : NULL;
	query->see_author = principal->role == BX_ROLE_CONTRIBUTOR ? principal->name : NULL;
}
