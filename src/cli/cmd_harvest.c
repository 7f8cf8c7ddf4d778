/* The federation commands: harvest (one harvest now, of a URL or a registered peer) and
 * push (this node's changes to a central node). Passwords come from standard input or
 * --password-file, never from the command line. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auth/password.h"
#include "cli/commands.h"
#include "core/validate.h"
#include "federation/harvest.h"
#include "federation/push.h"
#include "node/node.h"
#include "util/num.h"
#include "util/timeutil.h"

#define MAX_URL 2000

/* Copies url without trailing '/' into out; 1 after printing why when it is not one. */
static int read_url(const char *command, const char *url, char out[MAX_URL + 1])
{
	if (strlen(url) > MAX_URL || !bx_is_http_url(url))
		return bx_cli_fail("%s: %s is not an http or https URL", command, url);
	snprintf(out, MAX_URL + 1, "%s", url);
	for (size_t n = strlen(out); n && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	return 0;
}

/* Registers peer slug at url (kind detected when NULL); a registered peer given another
 * URL moves there, keeping its cursor. */
static int register_peer(struct bx_node *node, const char *slug, const char *url, const char *kind,
                         int64_t schedule)
{
	struct bx_peer peer = {0};
	int rc = bx_store_peer_get(node->store, slug, &peer);
	if (!rc && url && strcmp(peer.url, url)) {
		free(peer.url);
		peer.url = strdup(url);
		rc = peer.url ? bx_store_peer_put(node->store, &peer, false, NULL) : BX_ENOMEM;
		if (!rc)
			fprintf(stderr, "bioex: harvest: peer %s now at %s\n", slug, url);
	}
	if (!rc || rc != BX_ENOTFOUND) {
		bx_peer_clear(&peer);
		return rc ? bx_cli_fail("harvest: peer %s: %s", slug, bx_strerror(rc)) : 0;
	}
	if (!url)
		return bx_cli_fail("harvest: no peer %s is registered; give its URL to register it", slug);
	if (!bx_is_node_slug(slug) || !strcmp(slug, node->slug))
		return bx_cli_fail("harvest: --peer is a node slug [a-z0-9-]{2,32} other than this node's");
	char detected[BX_HARVEST_KIND_SIZE], why[600], now[BX_TIME_ISO_SIZE];
	if (!kind && bx_harvest_detect(url, NULL, 0, NULL, detected, why, sizeof why))
		return bx_cli_fail("harvest: %s", why);
	bx_time_iso(bx_time_now(), now);
	peer = (struct bx_peer){.slug = (char *)slug, .url = (char *)url, .kind = (char *)(kind ? kind : detected),
	                        .schedule = schedule, .created = now};
	rc = bx_store_peer_put(node->store, &peer, true, NULL);
	return rc ? bx_cli_fail("harvest: cannot register %s: %s", slug, bx_strerror(rc)) : 0;
}

static int run_harvest(struct bx_node *node, struct bx_harvest_options *options)
{
	struct bx_harvest_result result;
	int rc = bx_harvest(node, options, &result);
	if (rc)
		return bx_cli_fail("harvest: %s", result.error);
	printf("harvested %s (%s): %lld added, %lld updated, %lld deleted, %lld unchanged, %lld refused,"
	       " %lld skipped, %lld pages\n", options->peer ? options->peer : options->url, result.kind,
	       (long long)result.added, (long long)result.updated, (long long)result.deleted,
	       (long long)result.unchanged, (long long)result.refused, (long long)result.skipped,
	       (long long)result.pages);
	return 0;
}

int bx_cmd_harvest(const struct bx_command *self, int argc, char **argv)
{
	const char *peer = NULL, *kind = NULL, *set = NULL, *from = NULL, *page_size = NULL,
	           *schedule = NULL;
	const struct bx_option options[] = {
		{"--peer", "SLUG", "harvest (and, given a new URL, register) this peer, resuming from its cursor", &peer},
		{"--kind", "KIND", "bioex or oai-pmh (default: the peer's, else detected)", &kind},
		{"--set", "S", "OAI-PMH: harvest this set only", &set},
		{"--from", "DATE", "OAI-PMH: from this datestamp instead of the cursor", &from},
		{"--page-size", "N", "bioex: changes per request, 1 to 5000 (default 1000)", &page_size},
		{"--schedule", "SECONDS", "when registering: seconds between scheduled harvests (default 0: on demand)", &schedule},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	char url[MAX_URL + 1];
	int64_t page_value = 0, schedule_value = 0;
	if (n > 1 || (!n && !peer))
		return bx_cli_fail("harvest: give a URL, a --peer, or both (see bioex harvest --help)");
	if (n && read_url("harvest", argv[0], url))
		return 1;
	if (kind && strcmp(kind, "bioex") && strcmp(kind, "oai-pmh"))
		return bx_cli_fail("harvest: --kind is bioex or oai-pmh");
	if (page_size && bx_parse_int64(page_size, 1, 5000, &page_value))
		return bx_cli_fail("harvest: --page-size is 1 to 5000");
	if (schedule && bx_parse_int64(schedule, 0, 366 * 24 * 3600, &schedule_value))
		return bx_cli_fail("harvest: --schedule is 0 to 31622400 seconds");
	if (from && !bx_is_date(from) && !bx_is_datetime(from))
		return bx_cli_fail("harvest: --from is a date or a date-time (YYYY-MM-DD[Thh:mm:ssZ])");
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	struct bx_harvest_options harvest = {.peer = peer, .url = n ? url : NULL, .kind = kind, .set = set,
	                                     .from = from, .page_size = (int)page_value};
	int status = peer ? register_peer(node, peer, harvest.url, kind, schedule_value) : 0;
	if (!status)
		status = run_harvest(node, &harvest);
	bx_node_close(node);
	return status;
}

int bx_cmd_push(const struct bx_command *self, int argc, char **argv)
{
	const char *user = NULL, *password_file = NULL, *batch = NULL;
	const struct bx_option options[] = {
		{"--user", "NAME", "an account of role node on the central node (required)", &user},
		{"--password-file", "FILE", "read its password from FILE instead of standard input", &password_file},
		{"--batch", "N", "changes per request, 1 to 5000 (default 500)", &batch},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	char url[MAX_URL + 1], password[BX_PASSWORD_MAX + 2];
	int64_t batch_value = 0;
	if (n != 1 || !user)
		return bx_cli_fail("push: usage: bioex push URL --user NAME [--password-file FILE]");
	if (read_url("push", argv[0], url))
		return 1;
	if (batch && bx_parse_int64(batch, 1, 5000, &batch_value))
		return bx_cli_fail("push: --batch is 1 to 5000");
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	int status = bx_cli_read_password("push", password_file, password, sizeof password);
	struct bx_push_options push = {.url = url, .user = user, .password = password, .batch = (int)batch_value};
	struct bx_push_result result;
	if (!status && bx_push(node, &push, &result))
		status = bx_cli_fail("push: %s (the changes up to %lld were accepted)", result.error,
		                     (long long)result.cursor);
	else if (!status)
		printf("pushed %lld changes to %s in %lld batches: %lld created, %lld updated, %lld withdrawn,"
		       " %lld unchanged, %lld refused; cursor %lld\n", (long long)result.sent, url,
		       (long long)result.batches, (long long)result.created, (long long)result.updated,
		       (long long)result.withdrawn, (long long)result.unchanged, (long long)result.refused,
		       (long long)result.cursor);
	sodium_memzero(password, sizeof password);
	bx_node_close(node);
	return status;
}
