/* The node registry (DESIGN 8): the peers this node harvests and their health, the
 * dashboard of national node implementation. Reading is public; registering a node and
 * asking for a harvest are for admins. A harvest asked for here runs on the server's
 * harvest thread (202 Accepted): GET /api/v1/nodes/{slug} shows how it went. */
#include <stdio.h>
#include <string.h>
#include "core/validate.h"
#include "federation/harvest.h"
#include "federation/scheduler.h"
#include "http/api.h"
#include "http/handlers.h"
#include "http/server.h"
#include "util/timeutil.h"

#define RECENT_RUNS 20
#define MAX_SCHEDULE (366 * 24 * 3600)
#define DEFAULT_SCHEDULE 3600
#define MAX_URL 2000

/* Seconds since the peer's last successful harvest, or -1 when it never had one. */
static int64_t lag_of(const struct bx_peer *peer, int64_t now)
{
	int64_t success = bx_time_parse_iso(peer->last_success);
	return success < 0 ? -1 : now > success ? now - success : 0;
}

static json_t *peer_json(const struct bx_peer *peer, int64_t now)
{
	int64_t lag = lag_of(peer, now), due = bx_scheduler_next_due(peer);
	char next[BX_TIME_ISO_SIZE];
	bx_time_iso((time_t)(due > now ? due : now), next);
	return json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s?, s:I, s:o, s:s?, s:I, s:s?, s:s?, s:s?}",
	                 "slug", peer->slug, "url", peer->url, "kind", peer->kind,
	                 "schedule", (json_int_t)peer->schedule, "last_success", peer->last_success,
	                 "last_error", peer->last_error, "records", (json_int_t)peer->records,
	                 "lag", lag < 0 ? json_null() : json_integer(lag),
	                 "last_attempt", peer->last_attempt, "failures", (json_int_t)peer->failures,
	                 "next_harvest", due == INT64_MAX ? NULL : next, "cursor", peer->cursor,
	                 "created", peer->created);
}

struct listing {
	json_t *items;
	int64_t now;
};

static int add_peer(void *context, const struct bx_peer *peer)
{
	struct listing *listing = context;
	return json_array_append_new(listing->items, peer_json(peer, listing->now)) ? BX_ENOMEM : 0;
}

void bx_api_nodes_list(struct bx_request *request, struct bx_response *response)
{
	struct listing listing = {json_array(), (int64_t)bx_time_now()};
	int rc = bx_store_peer_each(request->node->store, add_peer, &listing);
	if (rc) {
		json_decref(listing.items);
		bx_reply_error(response, rc, NULL, NULL);
		return;
	}
	bx_reply_json(response, 200, json_pack("{s:o}", "items", listing.items));
}

/* Checks the members of a registration, adding a detail per problem. */
static void check_registration(struct bx_request *request, const json_t *input, json_t *details)
{
	const char *slug = json_string_value(json_object_get(input, "slug"));
	const char *url = json_string_value(json_object_get(input, "url"));
	json_t *kind = json_object_get(input, "kind"), *schedule = json_object_get(input, "schedule");
	if (!slug || !bx_is_node_slug(slug))
		bx_detail_add(details, "/slug", "a node slug is [a-z0-9-]{2,32}");
	else if (!strcmp(slug, request->node->slug))
		bx_detail_add(details, "/slug", "%s is this node's own slug", slug);
	if (!url || strlen(url) > MAX_URL || !bx_is_http_url(url))
		bx_detail_add(details, "/url", "expected the node's http or https URL (at most %d bytes)", MAX_URL);
	if (kind && (!json_is_string(kind) || (strcmp(json_string_value(kind), "bioex") &&
	                                       strcmp(json_string_value(kind), "oai-pmh"))))
		bx_detail_add(details, "/kind", "expected bioex or oai-pmh (or leave it out to detect it)");
	if (schedule && (!json_is_integer(schedule) || json_integer_value(schedule) < 0 ||
	                 json_integer_value(schedule) > MAX_SCHEDULE))
		bx_detail_add(details, "/schedule", "expected seconds between harvests, 0 (on demand) to %d",
		              MAX_SCHEDULE);
	static const char *const known[] = {"slug", "url", "kind", "schedule"};
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)input, key, value) {
		bool ok = false;
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			ok = ok || !strcmp(key, known[i]);
		if (!ok && !strpbrk(key, "~/"))
			bx_detail_add(details, "", "unknown field %.60s", key);
	}
}

/* Answers the registration's problems, a taken slug, or an undetectable kind; 0 when the
 * node can be stored, with kind set. */
static int vet_registration(struct bx_request *request, struct bx_response *response,
                            const json_t *input, char kind[BX_HARVEST_KIND_SIZE])
{
	json_t *details = json_array();
	if (json_is_object(input))
		check_registration(request, input, details);
	else
		bx_detail_add(details, "", "expected an object {\"slug\", \"url\", \"kind\", \"schedule\"}");
	if (json_array_size(details)) {
		bx_reply_error(response, BX_EINVALID, "the node is not valid", details);
		return BX_EINVALID;
	}
	const char *slug = json_string_value(json_object_get(input, "slug"));
	struct bx_peer existing = {0};
	int rc = bx_store_peer_get(request->node->store, slug, &existing);
	bx_peer_clear(&existing);
	if (rc != BX_ENOTFOUND) {
		bx_reply_error(response, rc ? rc : BX_EEXIST, rc ? NULL : "a node with this slug is registered already", NULL);
		json_decref(details);
		return rc ? rc : BX_EEXIST;
	}
	const char *given = json_string_value(json_object_get(input, "kind"));
	char why[400];
	rc = given ? 0 : bx_harvest_detect(json_string_value(json_object_get(input, "url")), NULL, 1, NULL,
	                                   kind, why, sizeof why);
	if (given)
		snprintf(kind, BX_HARVEST_KIND_SIZE, "%s", given);
	if (rc) {
		bx_detail_add(details, "/url", "cannot tell what kind of node this is (give \"kind\"): %s", why);
		bx_reply_error(response, BX_EINVALID, "the node's kind could not be detected", details);
		return rc;
	}
	json_decref(details);
	return 0;
}

void bx_api_nodes_create(struct bx_request *request, struct bx_response *response)
{
	json_t *input;
	if (bx_api_require_admin(request, response) || bx_api_body_json(request, response, &input))
		return;
	char kind[BX_HARVEST_KIND_SIZE], now[BX_TIME_ISO_SIZE];
	if (vet_registration(request, response, input, kind)) {
		json_decref(input);
		return;
	}
	bx_time_iso(bx_time_now(), now);
	json_t *schedule = json_object_get(input, "schedule");
	struct bx_peer peer = {
		.slug = (char *)json_string_value(json_object_get(input, "slug")),
		.url = (char *)json_string_value(json_object_get(input, "url")),
		.kind = kind,
		.schedule = schedule ? json_integer_value(schedule) : DEFAULT_SCHEDULE,
		.created = now,
	};
	struct bx_who who = {request->principal.name, request->address};
	int rc = bx_store_peer_put(request->node->store, &peer, true, &who);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_EEXIST ? "a node with this slug is registered already" : NULL, NULL);
	} else {
		bx_reply_json(response, 201, peer_json(&peer, (int64_t)bx_time_now()));
		snprintf(response->location, sizeof response->location, "/api/v1/nodes/%s", peer.slug);
	}
	json_decref(input);
}

static int add_run(void *context, const struct bx_harvest_run *run)
{
	json_t *entry = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s?}", "url", run->url,
	                          "started", run->started, "finished", run->finished,
	                          "added", (json_int_t)run->added, "updated", (json_int_t)run->updated,
	                          "deleted", (json_int_t)run->deleted, "error", run->error);
	return json_array_append_new(context, entry) ? BX_ENOMEM : 0;
}

void bx_api_node_get(struct bx_request *request, struct bx_response *response)
{
	struct bx_peer peer = {0};
	int rc = bx_store_peer_get(request->node->store, request->params[0], &peer);
	json_t *runs = json_array();
	if (!rc)
		rc = bx_store_harvest_each(request->node->store, peer.slug, RECENT_RUNS, add_run, runs);
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no node is registered with this slug" : NULL, NULL);
		json_decref(runs);
	} else {
		json_t *node = peer_json(&peer, (int64_t)bx_time_now());
		json_object_set_new(node, "runs", runs);
		bx_reply_json(response, 200, node);
	}
	bx_peer_clear(&peer);
}

void bx_api_node_harvest(struct bx_request *request, struct bx_response *response)
{
	if (bx_api_require_admin(request, response))
		return;
	struct bx_peer peer = {0};
	int rc = bx_store_peer_get(request->node->store, request->params[0], &peer);
	if (!rc)
		rc = request->server->scheduler ? bx_scheduler_request(request->server->scheduler, peer.slug)
		                                : BX_EIO;
	if (rc) {
		bx_reply_error(response, rc, rc == BX_ENOTFOUND ? "no node is registered with this slug"
		               : rc == BX_ELIMIT ? "too many harvests are waiting; try again later" : NULL, NULL);
	} else {
		bx_reply_json(response, 202, json_pack("{s:s, s:s}", "slug", peer.slug, "status", "queued"));
		snprintf(response->location, sizeof response->location, "/api/v1/nodes/%s", peer.slug);
	}
	bx_peer_clear(&peer);
}

/* One metric family over every peer: HELP, TYPE, then a sample per peer. */
struct family {
	struct bx_buf *out;
	const char *name;
	int64_t now;
};

static int write_sample(void *context, const struct bx_peer *peer)
{
	struct family *family = context;
	int64_t value;
	if (!strcmp(family->name, "records"))
		value = peer->records;
	else if (!strcmp(family->name, "failures"))
		value = peer->failures;
	else if (!strcmp(family->name, "up"))
		value = peer->last_success && !peer->last_error;
	else if ((value = lag_of(peer, family->now)) < 0)
		return 0;   /* never harvested: no lag to show */
	return bx_buf_printf(family->out, "bioex_harvest_%s{peer=\"%s\"} %lld\n", family->name, peer->slug,
	                     (long long)value);
}

int bx_api_nodes_metrics(struct bx_node *node, struct bx_buf *out)
{
	static const char *const families[][2] = {
		{"records", "Records held from each harvested peer."},
		{"failures", "Failed harvests of each peer since its last success."},
		{"up", "1 when the peer's last harvest succeeded."},
		{"lag_seconds", "Seconds since the peer's last successful harvest."},
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof families / sizeof families[0] && !rc; i++) {
		struct family family = {out, families[i][0], (int64_t)bx_time_now()};
		rc = bx_buf_printf(out, "# HELP bioex_harvest_%s %s\n# TYPE bioex_harvest_%s gauge\n",
		                   families[i][0], families[i][1], families[i][0]);
		if (!rc)
			rc = bx_store_peer_each(node->store, write_sample, &family);
	}
	return rc;
}
