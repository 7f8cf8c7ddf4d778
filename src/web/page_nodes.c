/* The node dashboard: this node's identity and where others harvest it, the peers it
 * harvests with their health (ok, late, failing or never harvested, with the last
 * error), and the latest harvest runs. It shows what GET /api/v1/nodes shows anyone:
 * peers are registered with their public address only, and no credential is stored
 * with them. */
#include <stdio.h>
#include <string.h>
#include "http/server.h"
#include "util/timeutil.h"
#include "web/page.h"

#define RECENT_RUNS 20
#define LATE_FACTOR 2          /* a peer is late when not harvested for twice its schedule */
#define ERROR_SHOWN 300        /* bytes of an error message shown */

enum health { HEALTH_OK, HEALTH_LATE, HEALTH_FAILING, HEALTH_NEVER };
static const char *const health_names[] = {"ok", "late", "failing", "never"};
static const char *const health_keys[] = {"nodes.health_ok", "nodes.health_late", "nodes.health_failing",
                                          "nodes.health_never"};

static enum health health_of(const struct bx_peer *peer, int64_t now)
{
	if (peer->last_error)
		return HEALTH_FAILING;
	int64_t success = bx_time_parse_iso(peer->last_success);
	if (success < 0)
		return HEALTH_NEVER;
	if (peer->schedule > 0 && now - success > LATE_FACTOR * peer->schedule)
		return HEALTH_LATE;
	return HEALTH_OK;
}

/* A copy of what the page shows of a peer. */
static int add_peer(void *context, const struct bx_peer *peer)
{
	int64_t now = (int64_t)bx_time_now(), success = bx_time_parse_iso(peer->last_success);
	json_t *row = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s?, s:s?, s:i, s:I}", "slug", peer->slug,
	                        "url", peer->url, "kind", peer->kind, "schedule", (json_int_t)peer->schedule,
	                        "records", (json_int_t)peer->records, "last_success", peer->last_success,
	                        "last_error", peer->last_error, "health", (int)health_of(peer, now),
	                        "lag", (json_int_t)(success < 0 ? -1 : now > success ? now - success : 0));
	return row && !json_array_append_new(context, row) ? 0 : BX_ENOMEM;
}

static int add_run(void *context, const struct bx_harvest_run *run)
{
	json_t *row = json_pack("{s:s?, s:s?, s:s?, s:I, s:I, s:I, s:s?}", "peer", run->peer, "url", run->url,
	                        "started", run->started, "added", (json_int_t)run->added,
	                        "updated", (json_int_t)run->updated, "deleted", (json_int_t)run->deleted,
	                        "error", run->error);
	return row && !json_array_append_new(context, row) ? 0 : BX_ENOMEM;
}

static void write_cell_text(struct bx_page *page, const char *text, bool ltr)
{
	bx_html_raw(&page->html, ltr ? "<td dir=\"ltr\">" : "<td>");
	bx_html_text(&page->html, text);
	bx_html_raw(&page->html, "</td>");
}

static void write_header_row(struct bx_page *page, const char *const *keys, size_t n_keys)
{
	bx_html_raw(&page->html, "<thead><tr>");
	for (size_t i = 0; i < n_keys; i++) {
		bx_html_raw(&page->html, "<th scope=\"col\">");
		bx_html_text(&page->html, bx_page_text(page, keys[i]));
		bx_html_raw(&page->html, "</th>");
	}
	bx_html_raw(&page->html, "</tr></thead>");
}

static void write_identity(struct bx_page *page, long long published, int64_t last_seq)
{
	struct bx_html *html = &page->html;
	const struct bx_node *node = page->request->node;
	bx_page_section(page, bx_page_text(page, "nodes.this_node"));
	bx_html_raw(html, "<dl class=\"envelope\"><dt>");
	bx_html_text(html, bx_page_text(page, "nodes.slug"));
	bx_html_raw(html, "</dt><dd dir=\"ltr\">");
	bx_html_text(html, node->slug);
	bx_html_raw(html, "</dd><dt>");
	bx_html_text(html, bx_page_text(page, "nodes.name"));
	bx_html_raw(html, "</dt><dd>");
	bx_html_text(html, node->name);
	bx_html_raw(html, "</dd><dt>");
	bx_html_text(html, bx_page_text(page, "nodes.published"));
	bx_html_rawf(html, "</dt><dd>%lld</dd><dt>", published);
	bx_html_text(html, bx_page_text(page, "nodes.last_change"));
	bx_html_rawf(html, "</dt><dd>%lld</dd><dt>", (long long)last_seq);
	bx_html_text(html, bx_page_text(page, "nodes.harvest_here"));
	bx_html_raw(html, "</dt><dd><ul class=\"terms\" dir=\"ltr\"><li><a href=\"/oai?verb=Identify\">OAI-PMH</a></li>"
	            "<li><a href=\"/api/v1/changes\">/api/v1/changes</a></li></ul></dd></dl></section>");
}

/* Writes a number of seconds as whole minutes, rounded up. */
static void write_minutes(struct bx_page *page, int64_t seconds)
{
	bx_page_count_text(page, "nodes.minutes", (long long)((seconds + 59) / 60));
}

static void write_peer(struct bx_page *page, const json_t *peer)
{
	struct bx_html *html = &page->html;
	const char *url = json_string_value(json_object_get(peer, "url"));
	int health = (int)json_integer_value(json_object_get(peer, "health"));
	int64_t schedule = json_integer_value(json_object_get(peer, "schedule"));
	int64_t lag = json_integer_value(json_object_get(peer, "lag"));
	bx_html_rawf(html, "<tr class=\"peer %s\">", health_names[health]);
	write_cell_text(page, json_string_value(json_object_get(peer, "slug")), true);
	bx_html_raw(html, "<td dir=\"ltr\">");
	if (bx_html_safe_link(url)) {
		bx_html_raw(html, "<a rel=\"nofollow noopener\"");
		bx_html_attr(html, "href", url);
		bx_html_raw(html, ">");
	}
	bx_html_text(html, url);
	bx_html_raw(html, bx_html_safe_link(url) ? "</a></td>" : "</td>");
	write_cell_text(page, json_string_value(json_object_get(peer, "kind")), true);
	bx_html_raw(html, "<td>");
	if (schedule > 0)
		write_minutes(page, schedule);
	else
		bx_html_text(html, bx_page_text(page, "nodes.on_demand"));
	bx_html_rawf(html, "</td><td><span class=\"health %s\">", health_names[health]);
	bx_html_text(html, bx_page_text(page, health_keys[health]));
	bx_html_raw(html, "</span>");
	const char *error = json_string_value(json_object_get(peer, "last_error"));
	if (error) {
		bx_html_raw(html, "<p class=\"detail\" dir=\"ltr\">");
		bx_html_textn(html, error, strlen(error) < ERROR_SHOWN ? strlen(error) : ERROR_SHOWN);
		bx_html_raw(html, "</p>");
	}
	bx_html_raw(html, "</td>");
	const char *success = json_string_value(json_object_get(peer, "last_success"));
	write_cell_text(page, success ? success : bx_page_text(page, "nodes.never"), success != NULL);
	bx_html_raw(html, "<td>");
	if (lag >= 0)
		write_minutes(page, lag);
	bx_html_rawf(html, "</td><td class=\"number\">%lld</td></tr>",
	             (long long)json_integer_value(json_object_get(peer, "records")));
}

static void write_peers(struct bx_page *page, const json_t *peers)
{
	static const char *const columns[] = {"nodes.slug", "nodes.url", "nodes.protocol", "nodes.schedule",
	                                      "nodes.health", "nodes.last_success", "nodes.lag", "nodes.records"};
	bx_page_section(page, bx_page_text(page, "nodes.peers"));
	if (!json_array_size(peers)) {
		bx_page_paragraph(page, "nodes.no_peers");
		bx_html_raw(&page->html, "</section>");
		return;
	}
	bx_html_raw(&page->html, "<div class=\"wide\"><table class=\"listing peers\">");
	write_header_row(page, columns, sizeof columns / sizeof columns[0]);
	bx_html_raw(&page->html, "<tbody>");
	size_t i;
	json_t *peer;
	json_array_foreach((json_t *)peers, i, peer)
		write_peer(page, peer);
	bx_html_raw(&page->html, "</tbody></table></div></section>");
}

static void write_runs(struct bx_page *page, const json_t *runs)
{
	static const char *const columns[] = {"nodes.slug", "nodes.started", "nodes.added", "nodes.updated",
	                                      "nodes.deleted", "nodes.error"};
	struct bx_html *html = &page->html;
	bx_page_section(page, bx_page_text(page, "nodes.runs"));
	if (!json_array_size(runs)) {
		bx_page_paragraph(page, "nodes.no_runs");
		bx_html_raw(html, "</section>");
		return;
	}
	bx_html_raw(html, "<div class=\"wide\"><table class=\"listing runs\">");
	write_header_row(page, columns, sizeof columns / sizeof columns[0]);
	bx_html_raw(html, "<tbody>");
	size_t i;
	json_t *run;
	json_array_foreach((json_t *)runs, i, run) {
		const char *peer = json_string_value(json_object_get(run, "peer"));
		const char *error = json_string_value(json_object_get(run, "error"));
		bx_html_raw(html, "<tr>");
		write_cell_text(page, peer ? peer : json_string_value(json_object_get(run, "url")), true);
		write_cell_text(page, json_string_value(json_object_get(run, "started")), true);
		bx_html_rawf(html, "<td class=\"number\">%lld</td><td class=\"number\">%lld</td><td class=\"number\">%lld</td>",
		             (long long)json_integer_value(json_object_get(run, "added")),
		             (long long)json_integer_value(json_object_get(run, "updated")),
		             (long long)json_integer_value(json_object_get(run, "deleted")));
		bx_html_raw(html, "<td dir=\"ltr\">");
		if (error)
			bx_html_textn(html, error, strlen(error) < ERROR_SHOWN ? strlen(error) : ERROR_SHOWN);
		bx_html_raw(html, "</td></tr>");
	}
	bx_html_raw(html, "</tbody></table></div></section>");
}

void bx_page_nodes(struct bx_page *page)
{
	struct bx_store *store = page->request->node->store;
	json_t *peers = json_array(), *runs = json_array(), *found = NULL;
	int64_t last_seq = 0;
	int rc = bx_store_peer_each(store, add_peer, peers);
	if (!rc)
		rc = bx_store_harvest_each(store, NULL, RECENT_RUNS, add_run, runs);
	if (!rc)
		rc = bx_store_last_seq(store, &last_seq);
	if (!rc)
		rc = bx_page_search_by(page, NULL, NULL, 0, 0, &found);
	if (rc) {
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	} else {
		struct bx_html *html = &page->html;
		bx_page_begin(page, bx_page_text(page, "nodes.title"));
		bx_html_raw(html, "<h1>");
		bx_html_text(html, bx_page_text(page, "nodes.title"));
		bx_html_raw(html, "</h1>");
		bx_page_paragraph(page, "nodes.intro");
		write_identity(page, (long long)json_integer_value(json_object_get(found, "total")), last_seq);
		write_peers(page, peers);
		write_runs(page, runs);
		bx_page_end(page);
		bx_page_send(page, 200);
	}
	json_decref(peers);
	json_decref(runs);
	json_decref(found);
}
