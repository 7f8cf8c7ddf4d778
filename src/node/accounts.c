/* Account rules (see accounts.h). */
#include <stdio.h>
#include <string.h>
#include "auth/policy.h"
#include "core/validate.h"
#include "node/accounts.h"

size_t bx_account_check(const struct bx_catalog *catalog, const struct bx_user *user, json_t *details)
{
	size_t before = json_array_size(details);
	const char *name = user->name ? user->name : "";
	size_t length = strlen(name);
	if (length < 1 || length > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != length)
		bx_detail_add(details, "/name", "a name has 1 to 64 of A-Z a-z 0-9 . _ -");
	enum bx_role role;
	bool known_role = user->role && !bx_role_parse(user->role, &role);
	if (!user->role)
		bx_detail_add(details, "/role", "is required");
	else if (!known_role)
		bx_detail_add(details, "/role", "expected admin, editor, national, contributor or node");
	if (user->country && !bx_catalog_has_term(catalog, "countries", user->country))
		bx_detail_add(details, "/country", "unknown country '%.8s' (ISO 3166 alpha-2, e.g. CN)", user->country);
	if (known_role && role == BX_ROLE_NATIONAL && !user->country)
		bx_detail_add(details, "/country", "a national user needs a country");
	if (known_role && role != BX_ROLE_NATIONAL && (user->country || user->instruments))
		bx_detail_add(details, "/country", "country and instruments are for national users");
	for (const char *p = user->instruments ? user->instruments : ""; *p;) {
		size_t n = strcspn(p, ",");
		char item[128];
		snprintf(item, sizeof item, "%.*s", (int)n, p);
		if (!bx_catalog_has_term(catalog, "instruments", item))
			bx_detail_add(details, "/instruments", "unknown instrument '%.60s'", item);
		p += n + (p[n] == ',');
	}
	return json_array_size(details) - before;
}
