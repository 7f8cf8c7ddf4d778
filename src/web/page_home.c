/* The home page: a search box, the published records counted by type, by convention and
 * by year (bar charts), and what is new. One search answers all of it. */
#include "http/server.h"
#include "search/index.h"
#include "search/search.h"
#include "web/page.h"

#define NEW_RECORDS 8

static void write_new(struct bx_page *page, const json_t *items)
{
	size_t i;
	json_t *item;
	bx_page_section(page, bx_page_text(page, "home.new"));
	bx_html_raw(&page->html, "<ul class=\"records\">");
	json_array_foreach((json_t *)items, i, item)
		bx_page_record_item(page, item, NULL);
	bx_html_raw(&page->html, "</ul></section>");
}

void bx_page_home(struct bx_page *page)
{
	struct bx_search_params params = {
		.list = {.sort = BX_SORT_UPDATED, .limit = NEW_RECORDS},
		.facets = 1u << BX_FACET_TYPE | 1u << BX_FACET_INSTRUMENT | 1u << BX_FACET_YEAR,
		.facet_size = BX_PAGE_FACET_VALUES,
		.lang = page->lang,
	};
	json_t *found = NULL;
	if (bx_search_run(page->request->server->search, &page->principal, &params, NULL, &found)) {
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
		return;
	}
	struct bx_html *html = &page->html;
	bx_page_begin(page, bx_page_text(page, "home.title"));
	bx_html_raw(html, "<h1>");
	bx_html_text(html, bx_page_text(page, "home.title"));
	bx_html_raw(html, "</h1><p class=\"intro\">");
	bx_html_text(html, bx_page_text(page, "home.intro"));
	bx_html_rawf(html, "</p><form class=\"search-large\" role=\"search\" method=\"get\" action=\"/%s/search\">"
	             "<label for=\"home-q\">", page->lang);
	bx_html_text(html, bx_page_text(page, "search.label"));
	bx_html_raw(html, "</label><input id=\"home-q\" type=\"search\" name=\"q\" maxlength=\"4096\"><button type=\"submit\">");
	bx_html_text(html, bx_page_text(page, "search.button"));
	bx_html_raw(html, "</button></form><p class=\"total\">");
	bx_page_count_text(page, "home.total", json_integer_value(json_object_get(found, "total")));
	bx_html_raw(html, "</p>");
	const json_t *facets = json_object_get(found, "facets");
	bx_page_facet_chart(page, "home.by_type", "type", json_object_get(facets, "type"), NULL, NULL, "home.empty");
	bx_page_facet_chart(page, "home.by_instrument", "instrument", json_object_get(facets, "instrument"), NULL, NULL,
	                    "home.empty");
	bx_page_facet_chart(page, "home.by_year", "year", json_object_get(facets, "year"), NULL, NULL, "home.empty");
	write_new(page, json_object_get(found, "items"));
	bx_page_end(page);
	json_decref(found);
	bx_page_send(page, 200);
}
