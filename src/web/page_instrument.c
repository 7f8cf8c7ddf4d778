/* The instrument page: a convention, protocol, treaty or platform as its vocabulary
 * describes it (name, acronym, year, the instruments above and below it, the bodies and
 * groups it meets in), its records counted by type (a bar chart), the targets they
 * address, and the latest of them, linked to the full search. */
#include <stdio.h>
#include <string.h>
#include "http/server.h"
#include "search/index.h"
#include "web/page.h"

#define LATEST_RECORDS 10
#define TARGETS_SHOWN 12

/* The kinds of instrument and of body the catalogues name; others show as they are. */
static const char *const kind_keys[][2] = {
	{"convention", "instrument.kind_convention"}, {"treaty", "instrument.kind_treaty"},
	{"protocol", "instrument.kind_protocol"}, {"platform", "instrument.kind_platform"},
	{"governing-body", "instrument.body_governing"}, {"group", "instrument.body_group"},
};

static const char *kind_text(const struct bx_page *page, const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kind_keys / sizeof kind_keys[0]; i++)
		if (!strcmp(kind, kind_keys[i][0]))
			return bx_page_text(page, kind_keys[i][1]);
	return kind;
}

/* Does body meet for instrument: its own, or a group the instrument is a member of? */
static bool body_of(const json_t *body, const char *instrument)
{
	const char *own = json_string_value(json_object_get(body, "instrument"));
	if (own && !strcmp(own, instrument))
		return true;
	size_t i;
	json_t *member;
	json_array_foreach(json_object_get(body, "members"), i, member)
		if (json_string_value(member) && !strcmp(json_string_value(member), instrument))
			return true;
	return false;
}

struct bodies {
	const char *instrument;
	json_t *list;
};

static int add_body(void *context, const char *term_json)
{
	struct bodies *bodies = context;
	json_t *body = json_loads(term_json, 0, NULL);
	if (!body)
		return BX_EIO;
	if (body_of(body, bodies->instrument))
		json_array_append(bodies->list, body);
	json_decref(body);
	return 0;
}

/* The bodies and groups of instrument, in the vocabulary's order. Sets *list. */
static int bodies_of(struct bx_page *page, const char *instrument, json_t **list)
{
	struct bodies bodies = {instrument, json_array()};
	int64_t total;
	*list = bodies.list;
	int rc = bx_store_vocab_terms(page->request->node->store, "bodies", NULL, 0, -1, &total, add_body, &bodies);
	return rc == BX_ENOTFOUND ? 0 : rc;
}

static void write_instrument_list(struct bx_page *page, const char *label_key, const json_t *ids)
{
	struct bx_html *html = &page->html;
	if (!json_array_size(ids))
		return;
	bx_html_raw(html, "<dt>");
	bx_html_text(html, bx_page_text(page, label_key));
	bx_html_raw(html, "</dt><dd><ul class=\"terms\">");
	size_t i;
	json_t *id;
	json_array_foreach((json_t *)ids, i, id) {
		const char *other = json_string_value(id);
		bx_html_raw(html, "<li>");
		bx_page_link(page, "instruments", other ? other : "", bx_page_label(page, "instruments", other ? other : ""));
		bx_html_raw(html, "</li>");
	}
	bx_html_raw(html, "</ul></dd>");
}

static void write_facts(struct bx_page *page, const json_t *instrument)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<dl class=\"envelope\"><dt>");
	bx_html_text(html, bx_page_text(page, "record.id"));
	bx_html_raw(html, "</dt><dd dir=\"ltr\">");
	bx_html_text(html, json_string_value(json_object_get(instrument, "id")));
	bx_html_raw(html, "</dd>");
	const char *acronym = json_string_value(json_object_get(instrument, "acronym"));
	if (acronym) {
		bx_html_raw(html, "<dt>");
		bx_html_text(html, bx_page_text(page, "instrument.acronym"));
		bx_html_raw(html, "</dt><dd>");
		bx_html_text(html, acronym);
		bx_html_raw(html, "</dd>");
	}
	const json_t *year = json_object_get(instrument, "year");
	if (json_is_integer(year)) {
		bx_html_raw(html, "<dt>");
		bx_html_text(html, bx_page_text(page, "instrument.year"));
		bx_html_rawf(html, "</dt><dd>%lld</dd>", (long long)json_integer_value(year));
	}
	write_instrument_list(page, "instrument.broader", json_object_get(instrument, "broader"));
	write_instrument_list(page, "instrument.narrower", json_object_get(instrument, "narrower"));
	bx_html_raw(html, "</dl>");
}

static void write_bodies(struct bx_page *page, const json_t *bodies)
{
	struct bx_html *html = &page->html;
	if (!json_array_size(bodies))
		return;
	bx_page_section(page, bx_page_text(page, "instrument.bodies"));
	bx_html_raw(html, "<ul class=\"bodies\">");
	size_t i;
	json_t *body;
	json_array_foreach((json_t *)bodies, i, body) {
		const char *language = NULL;
		const char *label = bx_page_lstring(page, json_object_get(body, "labels"), &language);
		const json_t *cycle = json_object_get(body, "cycle_years");
		bx_html_raw(html, "<li>");
		bx_page_lstring_text(page, label ? label : json_string_value(json_object_get(body, "id")), language);
		bx_html_raw(html, " <span class=\"meta\">");
		bx_html_text(html, kind_text(page, json_string_value(json_object_get(body, "kind"))));
		if (json_is_integer(cycle)) {
			bx_html_raw(html, " · ");
			bx_page_count_text(page, "instrument.cycle", (long long)json_integer_value(cycle));
		}
		bx_html_raw(html, "</span></li>");
	}
	bx_html_raw(html, "</ul></section>");
}

static void write_targets(struct bx_page *page, const json_t *counts)
{
	struct bx_html *html = &page->html;
	if (!json_array_size(counts))
		return;
	bx_page_section(page, bx_page_text(page, "instrument.targets"));
	bx_html_raw(html, "<ul class=\"terms\">");
	size_t i;
	json_t *count;
	json_array_foreach((json_t *)counts, i, count) {
		if (i == TARGETS_SHOWN)
			break;
		const char *target = json_string_value(json_object_get(count, "value"));
		bx_html_raw(html, "<li>");
		bx_page_link(page, "targets", target, bx_page_label(page, "targets", target));
		bx_html_rawf(html, " <span class=\"count\">%lld</span></li>",
		             (long long)json_integer_value(json_object_get(count, "count")));
	}
	bx_html_raw(html, "</ul></section>");
}

static void write_instrument(struct bx_page *page, const json_t *instrument, const json_t *bodies,
                             const json_t *found)
{
	struct bx_html *html = &page->html;
	const char *id = json_string_value(json_object_get(instrument, "id"));
	const char *language = NULL;
	const char *name = bx_page_lstring(page, json_object_get(instrument, "labels"), &language);
	const char *kind = json_string_value(json_object_get(instrument, "kind"));
	bx_page_begin(page, name ? name : id);
	bx_html_raw(html, "<article class=\"term\"><p class=\"kicker\">");
	bx_html_text(html, kind_text(page, kind));
	bx_html_raw(html, "</p><h1");
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : ">");
	bx_html_text(html, name ? name : id);
	bx_html_raw(html, "</h1>");
	write_facts(page, instrument);
	write_bodies(page, bodies);
	const json_t *facets = json_object_get(found, "facets");
	bx_page_facet_chart(page, "instrument.by_type", "type", json_object_get(facets, "type"), "instrument", id, NULL);
	write_targets(page, json_object_get(facets, "target"));
	bx_page_section(page, bx_page_text(page, "instrument.records"));
	bx_page_latest(page, found, "instrument", id);
	bx_html_raw(html, "</section></article>");
	bx_page_end(page);
}

void bx_page_instrument(struct bx_page *page)
{
	const char *id = page->params[0];
	json_t *instrument = NULL, *bodies = NULL, *found = NULL;
	int rc = bx_page_term(page, "instruments", id, &instrument);
	if (rc == BX_ENOTFOUND) {
		bx_page_error(page, 404, "error.not_found_title", "error.instrument_not_found", id);
		return;
	}
	if (!rc)
		rc = bodies_of(page, id, &bodies);
	if (!rc)
		rc = bx_page_search_by(page, "instrument", id, LATEST_RECORDS,
		                       1u << BX_FACET_TYPE | 1u << BX_FACET_TARGET, &found);
	if (rc) {
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	} else {
		write_instrument(page, instrument, bodies, found);
		bx_page_send(page, 200);
	}
	json_decref(instrument);
	json_decref(bodies);
	json_decref(found);
}
