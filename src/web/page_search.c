/* The search page: the query and filters of the URL (q, type, instrument, country,
 * region, target, subject, language, year, page), the results with their snippets, the
 * facets with counts and labels in the page's language (each value a link that adds or
 * removes its filter), and paging. */
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "search/index.h"
#include "search/search.h"
#include "util/num.h"
#include "web/page.h"

#define RESULTS_PER_PAGE 20
#define PAGES_MAX 500
#define FACET_VALUES 10

/* The facets shown, in order: the parameter (also the facet's name) and its vocabulary. */
static const struct {
	const char *name;
	enum bx_facet_kind kind;
	const char *vocabulary;
	const char *title_key;
} facets[] = {
	{"type", BX_FACET_TYPE, "types", "facet.type"},
	{"instrument", BX_FACET_INSTRUMENT, "instruments", "facet.instrument"},
	{"country", BX_FACET_COUNTRY, "countries", "facet.country"},
	{"region", BX_FACET_REGION, "regions", "facet.region"},
	{"target", BX_FACET_TARGET, "targets", "facet.target"},
	{"subject", BX_FACET_SUBJECT, "subjects", "facet.subject"},
	{"language", BX_FACET_LANGUAGE, "languages", "facet.language"},
	{"year", BX_FACET_YEAR, NULL, "facet.year"},
};
#define N_FACETS (sizeof facets / sizeof facets[0])

/* A parameter of the page's URL that the search takes; an empty filter is no filter. */
static const char *search_parameter(void *context, const char *name)
{
	struct bx_page *page = context;
	if (!strcmp(name, "lang"))
		return page->lang;
	const char *value = bx_request_query(page->request, name);
	if (!strcmp(name, "q"))
		return value;
	for (size_t i = 0; i < N_FACETS; i++)
		if (!strcmp(name, facets[i].name))
			return value && *value ? value : NULL;
	return NULL;
}

/* Writes the href of this search with parameter name set to value (NULL: removed) and
 * at page number (1: no page parameter). */
static void write_href(struct bx_page *page, const char *name, const char *value, int64_t number)
{
	struct bx_html *html = &page->html;
	bx_html_rawf(html, " href=\"/%s/search?", page->lang);
	const char *q = search_parameter(page, "q");
	bool first = true;
	if (q && *q) {
		bx_html_raw(html, "q=");
		bx_html_url_part(html, q, false);
		first = false;
	}
	for (size_t i = 0; i < N_FACETS; i++) {
		const char *shown = !strcmp(facets[i].name, name) ? value : search_parameter(page, facets[i].name);
		if (!shown)
			continue;
		bx_html_raw(html, first ? "" : "&amp;");
		bx_html_raw(html, facets[i].name);
		bx_html_raw(html, "=");
		bx_html_url_part(html, shown, false);
		first = false;
	}
	if (number > 1)
		bx_html_rawf(html, "%spage=%lld", first ? "" : "&amp;", (long long)number);
	bx_html_raw(html, "\"");
}

static void write_facet(struct bx_page *page, size_t f, const json_t *counts)
{
	struct bx_html *html = &page->html;
	const char *selected = search_parameter(page, facets[f].name);
	if (!json_array_size(counts) && !selected)
		return;
	bx_html_raw(html, "<section class=\"facet\"><h3>");
	bx_html_text(html, bx_page_text(page, facets[f].title_key));
	bx_html_raw(html, "</h3><ul>");
	if (selected) {
		bx_html_raw(html, "<li class=\"selected\"><a");
		write_href(page, facets[f].name, NULL, 1);
		bx_html_raw(html, " aria-current=\"true\"><span aria-hidden=\"true\">✓ </span>");
		bx_html_text(html, facets[f].vocabulary ? bx_page_label(page, facets[f].vocabulary, selected) : selected);
		bx_html_raw(html, "<span class=\"remove\"> (");
		bx_html_text(html, bx_page_text(page, "search.remove_filter"));
		bx_html_raw(html, ")</span></a></li>");
	}
	size_t i;
	json_t *count;
	json_array_foreach((json_t *)counts, i, count) {
		const char *value = json_string_value(json_object_get(count, "value"));
		if (selected && !strcmp(value, selected))
			continue;
		bx_html_raw(html, "<li><a");
		write_href(page, facets[f].name, value, 1);
		bx_html_raw(html, ">");
		bx_html_text(html, json_string_value(json_object_get(count, "label")));
		bx_html_rawf(html, "</a> <span class=\"count\">%lld</span></li>",
		             (long long)json_integer_value(json_object_get(count, "count")));
	}
	bx_html_raw(html, "</ul></section>");
}

static void write_facets(struct bx_page *page, const json_t *found)
{
	bx_html_raw(&page->html, "<aside class=\"facets\"><h2>");
	bx_html_text(&page->html, bx_page_text(page, "search.filters"));
	bx_html_raw(&page->html, "</h2>");
	for (size_t f = 0; f < N_FACETS; f++)
		write_facet(page, f, json_object_get(json_object_get(found, "facets"), facets[f].name));
	bx_html_raw(&page->html, "</aside>");
}

static void write_result_page_href(struct bx_page *page, int64_t number, const void *context)
{
	write_href(page, "", NULL, number);
}

static void write_paging(struct bx_page *page, int64_t number, int64_t total)
{
	int64_t last = (total + RESULTS_PER_PAGE - 1) / RESULTS_PER_PAGE;
	bx_page_paging(page, "search.pages", number, last > PAGES_MAX ? PAGES_MAX : last, write_result_page_href, NULL);
}

static void write_results(struct bx_page *page, const json_t *found, int64_t number)
{
	struct bx_html *html = &page->html;
	int64_t total = json_integer_value(json_object_get(found, "total"));
	bx_html_raw(html, "<section class=\"results\"><h2>");
	bx_html_text(html, bx_page_text(page, "search.results"));
	bx_html_raw(html, "</h2><p class=\"total\" role=\"status\">");
	bx_page_count_text(page, total ? "search.found" : "search.none", total);
	bx_html_raw(html, "</p><ul class=\"records\">");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(found, "items"), i, item)
		bx_page_record_item(page, item, json_string_value(json_object_get(item, "snippet")));
	bx_html_raw(html, "</ul>");
	write_paging(page, number, total);
	bx_html_raw(html, "</section>");
}

void bx_page_search(struct bx_page *page)
{
	int64_t number = 1;
	const char *number_text = bx_request_query(page->request, "page");
	if (number_text && bx_parse_int64(number_text, 1, PAGES_MAX, &number)) {
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_page", NULL);
		return;
	}
	struct bx_search_params params;
	const char *problem = bx_search_params_read(page->request->node->catalog, search_parameter, page,
	                                            &params, NULL);
	if (problem) {
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_request_text", problem);
		return;
	}
	params.list.offset = (number - 1) * RESULTS_PER_PAGE;
	params.list.limit = RESULTS_PER_PAGE;
	params.facet_size = FACET_VALUES;
	for (size_t f = 0; f < N_FACETS; f++)
		params.facets |= 1u << facets[f].kind;
	json_t *found = NULL;
	int rc = bx_search_run(page->request->server->search, &page->principal, &params, NULL, &found);
	if (rc) {
		if (rc == BX_ETOOBIG)
			bx_page_error(page, 400, "error.bad_request_title", "error.bad_request_text", NULL);
		else
			bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
		return;
	}
	bx_page_begin(page, bx_page_text(page, "search.title"));
	bx_html_raw(&page->html, "<h1>");
	bx_html_text(&page->html, bx_page_text(page, "search.title"));
	bx_html_raw(&page->html, "</h1><div class=\"search-layout\">");
	write_facets(page, found);
	write_results(page, found, number);
	bx_html_raw(&page->html, "</div>");
	bx_page_end(page);
	json_decref(found);
	bx_page_send(page, 200);
}
