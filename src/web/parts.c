/* Parts several pages show: counted messages, a record in a listing, and bar charts
 * drawn as SVG on the server (see page.h). */
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "web/page.h"

#define SNIPPET_FALLBACK_BYTES 300   /* of a summary shown when search gives no snippet */

void bx_page_section(struct bx_page *page, const char *title)
{
	bx_html_raw(&page->html, "<section><h2>");
	bx_html_text(&page->html, title);
	bx_html_raw(&page->html, "</h2>");
}

void bx_page_paragraph(struct bx_page *page, const char *key)
{
	bx_html_raw(&page->html, "<p>");
	bx_html_text(&page->html, bx_page_text(page, key));
	bx_html_raw(&page->html, "</p>");
}

int bx_page_term(struct bx_page *page, const char *vocabulary, const char *id, json_t **term)
{
	char *json = NULL;
	*term = NULL;
	int rc = bx_store_vocab_term(page->request->node->store, vocabulary, id, &json);
	if (!rc && !(*term = json_loads(json, 0, NULL)))
		rc = BX_EIO;
	free(json);
	return rc;
}

void bx_page_count_text(struct bx_page *page, const char *key, long long n)
{
	const char *text = bx_page_text(page, key);
	const char *slot = strstr(text, "{n}");
	if (!slot) {
		bx_html_text(&page->html, text);
		return;
	}
	bx_html_textn(&page->html, text, (size_t)(slot - text));
	bx_html_rawf(&page->html, "%lld", n);
	bx_html_text(&page->html, slot + 3);
}

/* The first bytes of text, at most max, cut between characters. */
static size_t cut_utf8(const char *text, size_t max)
{
	size_t length = strlen(text);
	if (length <= max)
		return length;
	while (max && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	return max;
}

void bx_page_record_item(struct bx_page *page, const json_t *summary, const char *snippet)
{
	struct bx_html *html = &page->html;
	const char *id = json_string_value(json_object_get(summary, "id"));
	const char *type = json_string_value(json_object_get(summary, "type"));
	const char *date = json_string_value(json_object_get(summary, "date"));
	const char *language = NULL;
	const char *title = bx_page_lstring(page, json_object_get(summary, "title"), &language);
	bx_html_rawf(html, "<li class=\"record\"><h3><a href=\"/%s/records/", page->lang);
	bx_html_url_part(html, id ? id : "", true);
	bx_html_raw(html, "\">");
	bx_page_lstring_text(page, title ? title : id, language);
	bx_html_raw(html, "</a></h3><p class=\"meta\">");
	bx_html_text(html, type ? bx_page_label(page, "types", type) : "");
	if (date) {
		bx_html_raw(html, " · <time dir=\"ltr\">");
		bx_html_text(html, date);
		bx_html_raw(html, "</time>");
	}
	bx_html_raw(html, "</p>");
	if (snippet && *snippet) {
		bx_html_raw(html, "<p class=\"snippet\" dir=\"auto\">");
		bx_html_snippet(html, snippet);
		bx_html_raw(html, "</p>");
	} else {
		const char *summary_language = NULL;
		const char *text = bx_page_lstring(page, json_object_get(summary, "summary"), &summary_language);
		if (text) {
			size_t length = cut_utf8(text, SNIPPET_FALLBACK_BYTES);
			bx_html_raw(html, "<p class=\"snippet\"");
			bx_html_attr(html, "lang", summary_language);
			bx_html_raw(html, bx_language_rtl(summary_language) ? " dir=\"rtl\">" : " dir=\"ltr\">");
			bx_html_textn(html, text, length);
			bx_html_raw(html, length < strlen(text) ? "…</p>" : "</p>");
		}
	}
	bx_html_raw(html, "</li>");
}

#define CHART_WIDTH 640
#define CHART_LABELS 230     /* the width of the labels' column */
#define CHART_ROW 30
#define CHART_BAR 20
#define CHART_BARS_MAX 340   /* the longest bar */

/* One bar's row: the label beside the bar, the bar, the count after it, in a link. */
static void chart_row(struct bx_page *page, const struct bx_chart_bar *bar, int row, long long largest,
                      bool rtl)
{
	struct bx_html *html = &page->html;
	int width = largest ? (int)(bar->count * CHART_BARS_MAX / largest) : 0;
	width = width < 2 ? 2 : width;
	int y = row * CHART_ROW;
	int label_x = rtl ? CHART_WIDTH - CHART_LABELS + 8 : CHART_LABELS - 8;
	int bar_x = rtl ? CHART_WIDTH - CHART_LABELS - width : CHART_LABELS;
	int count_x = rtl ? bar_x - 6 : bar_x + width + 6;
	bx_html_rawf(html, "<a href=\"/%s/search?", page->lang);
	bx_html_url_part(html, bar->filter, false);
	bx_html_raw(html, "=");
	bx_html_url_part(html, bar->value, false);
	if (bar->also_filter && bar->also_value) {
		bx_html_raw(html, "&amp;");
		bx_html_url_part(html, bar->also_filter, false);
		bx_html_raw(html, "=");
		bx_html_url_part(html, bar->also_value, false);
	}
	/* in a right-to-left <svg>, "start" is a text's right end and "end" its left end */
	bx_html_rawf(html, "\"><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_x, y + 19);
	bx_html_text(html, bar->label);
	bx_html_rawf(html, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"></rect>"
	             "<text class=\"count\" x=\"%d\" y=\"%d\" text-anchor=\"start\">%lld</text></a>",
	             bar_x, y + (CHART_ROW - CHART_BAR) / 2, width, CHART_BAR, count_x, y + 19, bar->count);
}

void bx_page_chart(struct bx_page *page, const char *title, const struct bx_chart_bar *bars, size_t n_bars)
{
	struct bx_html *html = &page->html;
	bool rtl = bx_language_rtl(page->lang);
	long long largest = 0;
	for (size_t i = 0; i < n_bars; i++)
		largest = bars[i].count > largest ? bars[i].count : largest;
	bx_html_rawf(html, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	             "width=\"%d\" height=\"%d\" direction=\"%s\"><title>", CHART_WIDTH,
	             (int)n_bars * CHART_ROW, CHART_WIDTH, (int)n_bars * CHART_ROW, rtl ? "rtl" : "ltr");
	bx_html_text(html, title);
	bx_html_raw(html, "</title>");
	for (size_t i = 0; i < n_bars; i++)
		chart_row(page, &bars[i], (int)i, largest, rtl);
	bx_html_raw(html, "</svg>");
}

/* The parameters of a search by one filter: name=value, the latest first. */
struct one_filter {
	const char *name, *value, *lang;
};

static const char *one_filter_parameter(void *context, const char *name)
{
	struct one_filter *filter = context;
	if (filter->name && !strcmp(name, filter->name))
		return filter->value;
	if (!strcmp(name, "sort"))
		return "-date";
	if (!strcmp(name, "lang"))
		return filter->lang;
	return NULL;
}

int bx_page_search_by(struct bx_page *page, const char *name, const char *value, int limit, unsigned facets,
                      json_t **found)
{
	struct one_filter filter = {name, value, page->lang};
	struct bx_search_params params;
	*found = NULL;
	if (bx_search_params_read(page->request->node->catalog, one_filter_parameter, &filter, &params, NULL))
		return BX_EINVAL;
	params.list.limit = limit;
	params.facets = facets;
	params.facet_size = BX_PAGE_FACET_VALUES;
	return bx_search_run(page->request->server->search, &page->principal, &params, NULL, found);
}

void bx_page_latest(struct bx_page *page, const json_t *found, const char *name, const char *value)
{
	struct bx_html *html = &page->html;
	long long total = (long long)json_integer_value(json_object_get(found, "total"));
	bx_html_raw(html, "<p class=\"total\">");
	bx_page_count_text(page, "latest.total", total);
	bx_html_raw(html, "</p>");
	if (!total)
		return;
	bx_html_raw(html, "<ul class=\"records\">");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(found, "items"), i, item)
		bx_page_record_item(page, item, NULL);
	bx_html_rawf(html, "</ul><p class=\"more\"><a href=\"/%s/search?", page->lang);
	bx_html_url_part(html, name, false);
	bx_html_raw(html, "=");
	bx_html_url_part(html, value, false);
	bx_html_raw(html, "\">");
	bx_page_count_text(page, "latest.all", total);
	bx_html_raw(html, "</a></p>");
}

void bx_page_paging(struct bx_page *page, const char *label_key, int64_t number, int64_t last,
                    bx_page_href_fn href, const void *context)
{
	struct bx_html *html = &page->html;
	if (last <= 1)
		return;
	bx_html_raw(html, "<nav class=\"paging\"");
	bx_html_attr(html, "aria-label", bx_page_text(page, label_key));
	bx_html_raw(html, ">");
	if (number > 1) {
		bx_html_raw(html, "<a rel=\"prev\"");
		href(page, number - 1, context);
		bx_html_raw(html, ">");
		bx_html_text(html, bx_page_text(page, "search.previous"));
		bx_html_raw(html, "</a> ");
	}
	bx_html_raw(html, "<span>");
	bx_page_count_text(page, "search.page", number);
	bx_html_rawf(html, " / %lld</span>", (long long)last);
	if (number < last) {
		bx_html_raw(html, " <a rel=\"next\"");
		href(page, number + 1, context);
		bx_html_raw(html, ">");
		bx_html_text(html, bx_page_text(page, "search.next"));
		bx_html_raw(html, "</a>");
	}
	bx_html_raw(html, "</nav>");
}

void bx_page_facet_chart(struct bx_page *page, const char *key, const char *name, const json_t *counts,
                         const char *also_filter, const char *also_value, const char *empty_key)
{
	struct bx_chart_bar bars[BX_PAGE_FACET_VALUES];
	size_t n = 0, i;
	json_t *count;
	json_array_foreach((json_t *)counts, i, count) {
		if (n == BX_PAGE_FACET_VALUES)
			break;
		const char *value = json_string_value(json_object_get(count, "value"));
		const char *label = json_string_value(json_object_get(count, "label"));
		bars[n++] = (struct bx_chart_bar){label ? label : value, json_integer_value(json_object_get(count, "count")),
		                                  name, value, also_filter, also_value};
	}
	if (!n && !empty_key)
		return;
	bx_page_section(page, bx_page_text(page, key));
	if (n)
		bx_page_chart(page, bx_page_text(page, key), bars, n);
	else
		bx_page_paragraph(page, empty_key);
	bx_html_raw(&page->html, "</section>");
}
