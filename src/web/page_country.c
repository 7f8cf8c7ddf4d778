/* The country profile: a country's records across every instrument, counted by type, by
 * convention and by year (bar charts) and listed by instrument, the latest first, each
 * list linking to the full search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "search/index.h"
#include "search/search.h"
#include "web/page.h"

#define INSTRUMENTS_MAX 16
#define RECORDS_PER_INSTRUMENT 5

/* A search of the country's records, with the facets asked and at most limit items. */
static int search_country(struct bx_page *page, const char *iso, const char *instrument, unsigned facets,
                          int limit, json_t **found)
{
	struct bx_search_params params = {
		.list = {.any_status = true, .sort = BX_SORT_DATE_DESC, .limit = limit, .n_filters = 1,
		         .filters = {{.facet = "country", .values = {iso}, .n_values = 1}}},
		.facets = facets,
		.facet_size = facets ? BX_PAGE_FACET_VALUES : 1,
		.lang = page->lang,
	};
	if (instrument)
		params.list.filters[params.list.n_filters++] =
			(struct bx_filter){.facet = "instrument", .values = {instrument}, .n_values = 1};
	*found = NULL;
	return bx_search_run(page->request->server->search, &page->principal, &params, NULL, found);
}

static int write_instrument(struct bx_page *page, const char *iso, const json_t *count)
{
	struct bx_html *html = &page->html;
	const char *instrument = json_string_value(json_object_get(count, "value"));
	long long total = (long long)json_integer_value(json_object_get(count, "count"));
	json_t *found;
	int rc = search_country(page, iso, instrument, 0, RECORDS_PER_INSTRUMENT, &found);
	if (rc)
		return rc;
	bx_html_raw(html, "<section class=\"instrument\"><h3>");
	bx_html_text(html, json_string_value(json_object_get(count, "label")));
	bx_html_rawf(html, " <span class=\"count\">%lld</span></h3><ul class=\"records\">", total);
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(found, "items"), i, item)
		bx_page_record_item(page, item, NULL);
	bx_html_rawf(html, "</ul><p class=\"more\"><a href=\"/%s/search?country=", page->lang);
	bx_html_url_part(html, iso, false);
	bx_html_raw(html, "&amp;instrument=");
	bx_html_url_part(html, instrument, false);
	bx_html_raw(html, "\">");
	bx_page_count_text(page, "country.all_records", total);
	bx_html_raw(html, "</a></p></section>");
	json_decref(found);
	return 0;
}

static int write_profile(struct bx_page *page, const char *iso, const json_t *country, const json_t *found)
{
	struct bx_html *html = &page->html;
	const char *name = bx_page_lstring(page, json_object_get(country, "labels"), NULL);
	bx_page_begin(page, name ? name : iso);
	bx_html_raw(html, "<h1>");
	bx_html_text(html, name ? name : iso);
	bx_html_raw(html, "</h1><p class=\"meta\">");
	size_t i;
	json_t *region;
	json_array_foreach(json_object_get(country, "broader"), i, region) {
		bx_html_raw(html, i ? " · " : "");
		bx_html_text(html, bx_page_label(page, "regions", json_string_value(region)));
	}
	bx_html_raw(html, "</p><p class=\"total\">");
	bx_page_count_text(page, "country.total", json_integer_value(json_object_get(found, "total")));
	bx_html_raw(html, "</p>");
	const json_t *facets = json_object_get(found, "facets");
	bx_page_facet_chart(page, "country.by_type", "type", json_object_get(facets, "type"), "country", iso, NULL);
	bx_page_facet_chart(page, "country.count_by_instrument", "instrument", json_object_get(facets, "instrument"),
	                    "country", iso, NULL);
	bx_page_facet_chart(page, "country.by_year", "year", json_object_get(facets, "year"), "country", iso, NULL);
	bx_page_section(page, bx_page_text(page, "country.by_instrument"));
	json_t *count;
	int rc = 0;
	json_array_foreach(json_object_get(facets, "instrument"), i, count)
		if (!rc && i < INSTRUMENTS_MAX)
			rc = write_instrument(page, iso, count);
	if (!json_array_size(json_object_get(facets, "instrument"))) {
		bx_html_raw(html, "<p>");
		bx_html_text(html, bx_page_text(page, "country.none"));
		bx_html_raw(html, "</p>");
	}
	bx_html_raw(html, "</section>");
	bx_page_end(page);
	return rc;
}

void bx_page_country(struct bx_page *page)
{
	const char *iso = page->params[0];
	char *country_json = NULL;
	bool shaped = strlen(iso) == 2 && strspn(iso, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 2;
	int rc = shaped ? bx_store_vocab_term(page->request->node->store, "countries", iso, &country_json)
	                : BX_ENOTFOUND;
	if (rc == BX_ENOTFOUND) {
		bx_page_error(page, 404, "error.not_found_title", "error.country_not_found", iso);
		return;
	}
	json_t *country = rc ? NULL : json_loads(country_json, 0, NULL);
	free(country_json);
	json_t *found = NULL;
	if (!rc)
		rc = search_country(page, iso, NULL, 1u << BX_FACET_TYPE | 1u << BX_FACET_INSTRUMENT | 1u << BX_FACET_YEAR, 0,
		                    &found);
	if (!rc && country)
		rc = write_profile(page, iso, country, found);
	if (rc || !country)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else
		bx_page_send(page, 200);
	json_decref(country);
	json_decref(found);
}
