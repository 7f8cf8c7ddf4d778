/* The user command: add, list, disable, enable and set passwords of accounts. Passwords
 * come from standard input or --password-file, never from the command line. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "auth/password.h"
#include "auth/policy.h"
#include "cli/commands.h"
#include "node/accounts.h"
#include "node/node.h"
#include "util/timeutil.h"

static int read_password(const char *path, char out[BX_PASSWORD_MAX + 2])
{
	return bx_cli_read_password("user", path, out, BX_PASSWORD_MAX + 2);
}

/* The command-line spelling of an account member a problem names. */
static const char *option_of(const char *path)
{
	static const char *const options[][2] = {{"/name", "NAME"}, {"/role", "--role"},
	                                         {"/country", "--country"}, {"/instruments", "--instrument"}};
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
		if (!strcmp(path, options[i][0]))
			return options[i][1];
	return path;
}

static int user_add(struct bx_node *node, const char *name, const char *role_name,
                    const char *country, const char *instruments, const char *password_file)
{
	struct bx_user account = {.name = (char *)name, .role = (char *)role_name,
	                          .country = (char *)country, .instruments = (char *)instruments};
	json_t *details = json_array();
	if (bx_account_check(node->catalog, &account, details)) {
		size_t i;
		json_t *detail;
		json_array_foreach(details, i, detail)
			bx_cli_fail("user add: %s: %s", option_of(json_string_value(json_object_get(detail, "path"))),
			            json_string_value(json_object_get(detail, "message")));
		json_decref(details);
		return 1;
	}
	json_decref(details);
	char password[BX_PASSWORD_MAX + 2], hash[BX_PASSWORD_HASH_SIZE], now[BX_TIME_ISO_SIZE];
	if (read_password(password_file, password))
		return 1;
	int rc = bx_password_hash(password, hash);
	sodium_memzero(password, sizeof password);
	if (rc)
		return bx_cli_fail("user add: a password has at least %d characters", BX_PASSWORD_MIN);
	bx_time_iso(bx_time_now(), now);
	account.password_hash = hash;
	account.created = now;
	rc = bx_store_user_put(node->store, &account, true, NULL);
	sodium_memzero(hash, sizeof hash);
	if (rc == BX_EEXIST)
		return bx_cli_fail("user add: %s exists already", name);
	if (rc)
		return bx_cli_fail("user add: %s", bx_strerror(rc));
	printf("added %s (%s%s%s)\n", name, role_name, country ? " of " : "", country ? country : "");
	return 0;
}

static int print_user(void *context, const struct bx_user *user)
{
	printf("%-20s %-12s %-3s %-20s %s%s\n", user->name, user->role, user->country ? user->country : "-",
	       user->instruments ? user->instruments : "-", user->created ? user->created : "",
	       user->disabled ? " disabled" : "");
	return 0;
}

/* Changes one account: disable, enable or password. */
static int user_change(struct bx_node *node, const char *action, const char *name,
                       const char *password_file)
{
	struct bx_user user = {0};
	int rc = bx_store_user_get(node->store, name, &user);
	if (rc == BX_ENOTFOUND)
		return bx_cli_fail("user %s: no user %s", action, name);
	if (rc)
		return bx_cli_fail("user %s: %s", action, bx_strerror(rc));
	if (!strcmp(action, "password")) {
		char password[BX_PASSWORD_MAX + 2], hash[BX_PASSWORD_HASH_SIZE];
		if (read_password(password_file, password)) {
			bx_user_clear(&user);
			return 1;
		}
		rc = bx_password_hash(password, hash);
		sodium_memzero(password, sizeof password);
		if (rc) {
			bx_user_clear(&user);
			return bx_cli_fail("user password: a password has at least %d characters", BX_PASSWORD_MIN);
		}
		if (!rc) {
			free(user.password_hash);
			user.password_hash = strdup(hash);
			sodium_memzero(hash, sizeof hash);
		}
	} else {
		user.disabled = !strcmp(action, "disable");
	}
	if (!rc)
		rc = bx_store_user_put(node->store, &user, false, NULL);
	bx_user_clear(&user);
	if (rc)
		return bx_cli_fail("user %s: %s", action, bx_strerror(rc));
	printf("%s: %s done\n", name, action);
	return 0;
}

int bx_cmd_user(const struct bx_command *self, int argc, char **argv)
{
	const char *role = NULL, *country = NULL, *instruments = NULL, *password_file = NULL;
	const struct bx_option options[] = {
		{"--role", "ROLE", "admin, editor, national, contributor or node", &role},
		{"--country", "CC", "the country of a national user (ISO 3166 alpha-2)", &country},
		{"--instrument", "X[,Y]", "limit a national user to these instruments", &instruments},
		{"--password-file", "FILE", "read the password from FILE instead of standard input", &password_file},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n < 1)
		return bx_cli_fail("user: add, list, disable, enable or password (see bioex user --help)");
	const char *action = argv[0];
	bool takes_name = strcmp(action, "list") != 0;
	if (takes_name ? n != 2 : n != 1)
		return bx_cli_fail("user %s: usage: bioex user %s%s", action, action, takes_name ? " NAME" : "");
	if (strcmp(action, "add") && strcmp(action, "list") && strcmp(action, "disable") &&
	    strcmp(action, "enable") && strcmp(action, "password"))
		return bx_cli_fail("user: unknown action %s", action);
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	int status;
	if (!strcmp(action, "add"))
		status = user_add(node, argv[1], role, country, instruments, password_file);
	else if (!strcmp(action, "list"))
		status = bx_store_user_each(node->store, print_user, NULL) ? bx_cli_fail("user list failed") : 0;
	else
		status = user_change(node, action, argv[1], password_file);
	bx_node_close(node);
	return status;
}
