/* The record page: a record as the visitor may see it (a past revision with
 * ?revision=N): its envelope with vocabulary labels, its language maps one language at a
 * time with machine translations marked, every field of its format, its links and its
 * revisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "records/records.h"
#include "util/num.h"
#include "web/page.h"

/* The envelope's lists of vocabulary terms: key, vocabulary, label key, and where a term
 * links: its own page (section), else the search filtered on it. */
static const struct {
	const char *key;
	const char *vocabulary;
	const char *label_key;
	const char *section;     /* the term's page under /<lang>/, or NULL */
	const char *filter;      /* else the search parameter */
} term_lists[] = {
	{"conventions", "instruments", "record.instruments", "instruments", NULL},
	{"countries", "countries", "record.countries", "countries", NULL},
	{"regions", "regions", "record.regions", NULL, "region"},
	{"targets", "targets", "record.targets", "targets", NULL},
	{"subjects", "subjects", "record.subjects", NULL, "subject"},
};

static void write_term(struct bx_page *page, size_t list, const char *id)
{
	const char *label = bx_page_label(page, term_lists[list].vocabulary, id);
	if (term_lists[list].section)
		bx_page_link(page, term_lists[list].section, id, label);
	else
		bx_page_search_link(page, term_lists[list].filter, id, label);
}

static void write_definition(struct bx_page *page, const char *label_key, const char *value)
{
	if (!value)
		return;
	bx_html_raw(&page->html, "<dt>");
	bx_html_text(&page->html, bx_page_text(page, label_key));
	bx_html_raw(&page->html, "</dt><dd>");
	bx_html_text(&page->html, value);
	bx_html_raw(&page->html, "</dd>");
}

static void write_envelope(struct bx_page *page, const json_t *record)
{
	struct bx_html *html = &page->html;
	const json_t *meta = json_object_get(record, "meta");
	char status_key[48];
	const char *status = json_string_value(json_object_get(record, "status"));
	snprintf(status_key, sizeof status_key, "status.%s", status ? status : "published");
	bx_html_raw(html, "<dl class=\"envelope\">");
	write_definition(page, "record.id", json_string_value(json_object_get(record, "id")));
	write_definition(page, "record.date", json_string_value(json_object_get(record, "date")));
	write_definition(page, "record.status", bx_page_text(page, status_key));
	for (size_t l = 0; l < sizeof term_lists / sizeof term_lists[0]; l++) {
		const json_t *ids = json_object_get(record, term_lists[l].key);
		if (!json_array_size(ids))
			continue;
		bx_html_raw(html, "<dt>");
		bx_html_text(html, bx_page_text(page, term_lists[l].label_key));
		bx_html_raw(html, "</dt><dd><ul class=\"terms\">");
		size_t i;
		json_t *id;
		json_array_foreach((json_t *)ids, i, id) {
			bx_html_raw(html, "<li>");
			write_term(page, l, json_string_value(id));
			bx_html_raw(html, "</li>");
		}
		bx_html_raw(html, "</ul></dd>");
	}
	write_definition(page, "record.created", json_string_value(json_object_get(meta, "created")));
	write_definition(page, "record.updated", json_string_value(json_object_get(meta, "updated")));
	write_definition(page, "record.origin", json_string_value(json_object_get(meta, "origin")));
	bx_html_raw(html, "</dl>");
}

static void write_links(struct bx_page *page, const json_t *links)
{
	struct bx_html *html = &page->html;
	if (!json_array_size(links))
		return;
	bx_page_section(page, bx_page_text(page, "record.links"));
	bx_html_raw(html, "<ul class=\"links\">");
	size_t i;
	json_t *link;
	json_array_foreach((json_t *)links, i, link) {
		const char *url = json_string_value(json_object_get(link, "url"));
		const char *language = NULL;
		const char *title = bx_page_lstring(page, json_object_get(link, "title"), &language);
		bool linked = bx_html_safe_link(url);
		bx_html_raw(html, "<li>");
		if (linked) {
			bx_html_raw(html, "<a rel=\"nofollow noopener\"");
			bx_html_attr(html, "href", url);
			bx_html_attr(html, "hreflang", json_string_value(json_object_get(link, "language")));
			bx_html_raw(html, ">");
		}
		bx_page_lstring_text(page, title ? title : url, language);
		bx_html_raw(html, linked ? "</a>" : "");
		const char *kind = json_string_value(json_object_get(link, "kind"));
		if (kind) {
			bx_html_raw(html, " <span class=\"meta\">");
			bx_html_text(html, kind);
			bx_html_raw(html, "</span>");
		}
		bx_html_raw(html, "</li>");
	}
	bx_html_raw(html, "</ul></section>");
}

static void write_revisions(struct bx_page *page, const char *id, const json_t *history)
{
	struct bx_html *html = &page->html;
	bx_page_section(page, bx_page_text(page, "record.revisions"));
	bx_html_raw(html, "<table class=\"revisions\"><thead><tr><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "record.revision"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "record.status"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "record.updated"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "record.author"));
	bx_html_raw(html, "</th></tr></thead><tbody>");
	size_t i;
	json_t *entry;
	json_array_foreach((json_t *)history, i, entry) {
		long long revision = (long long)json_integer_value(json_object_get(entry, "revision"));
		bx_html_rawf(html, "<tr><td><a href=\"/%s/records/", page->lang);
		bx_html_url_part(html, id, true);
		bx_html_rawf(html, "?revision=%lld\">%lld</a></td><td>", revision, revision);
		char status_key[48];
		const char *status = json_string_value(json_object_get(entry, "status"));
		snprintf(status_key, sizeof status_key, "status.%s", status ? status : "published");
		bx_html_text(html, bx_page_text(page, status_key));
		bx_html_raw(html, "</td><td>");
		bx_html_text(html, json_string_value(json_object_get(entry, "updated")));
		bx_html_raw(html, "</td><td>");
		bx_html_text(html, json_string_value(json_object_get(entry, "author")));
		bx_html_raw(html, "</td></tr>");
	}
	bx_html_raw(html, "</tbody></table></section>");
}

static void write_record(struct bx_page *page, const json_t *record, const json_t *history)
{
	struct bx_html *html = &page->html;
	const char *id = json_string_value(json_object_get(record, "id"));
	const char *type = json_string_value(json_object_get(record, "type"));
	const json_t *translations = json_object_get(record, "translations");
	const char *language = NULL;
	const char *title = bx_page_lstring(page, json_object_get(record, "title"), &language);
	bx_page_begin(page, title ? title : id);
	bx_html_raw(html, "<article class=\"record\"><p class=\"kicker\">");
	bx_html_text(html, bx_page_label(page, "types", type));
	bx_html_raw(html, "</p><h1");
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : ">");
	bx_html_text(html, title ? title : id);
	bx_html_raw(html, "</h1>");
	if (bx_page_may_edit(page, record)) {
		bx_html_rawf(html, "<p class=\"actions\"><a class=\"button\" href=\"/%s/records/", page->lang);
		bx_html_url_part(html, id, true);
		bx_html_raw(html, "/edit\">");
		bx_html_text(html, bx_page_text(page, "editor.edit"));
		bx_html_raw(html, "</a></p>");
	}
	write_envelope(page, record);
	static const char *const lstrings[][2] = {{"title", "record.title"}, {"summary", "record.summary"},
	                                          {"text", "record.text"}};
	for (size_t i = 0; i < sizeof lstrings / sizeof lstrings[0]; i++) {
		const json_t *lstring = json_object_get(record, lstrings[i][0]);
		if (!json_object_size(lstring))
			continue;
		bx_page_section(page, bx_page_text(page, lstrings[i][1]));
		bx_page_lstring_blocks(page, lstring, translations);
		bx_html_raw(html, "</section>");
	}
	const json_t *format = bx_catalog_format(page->request->node->catalog, type);
	if (json_object_size(json_object_get(record, "fields"))) {
		bx_page_section(page, bx_page_text(page, "record.fields"));
		bx_page_record_fields(page, format, json_object_get(record, "fields"), translations);
		bx_html_raw(html, "</section>");
	}
	write_links(page, json_object_get(record, "links"));
	write_revisions(page, id, history);
	bx_html_raw(html, "</article>");
	bx_page_end(page);
}

void bx_page_record(struct bx_page *page)
{
	const char *id = page->params[0];
	int64_t revision = 0;
	const char *revision_text = bx_request_query(page->request, "revision");
	if (revision_text && bx_parse_int64(revision_text, 1, INT64_MAX, &revision)) {
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_revision", NULL);
		return;
	}
	char *json = NULL;
	int64_t shown;
	json_t *history = NULL;
	int rc = bx_records_read(page->request->node, &page->principal, id, revision, &json, &shown);
	if (!rc)
		rc = bx_records_history(page->request->node, &page->principal, id, &history);
	json_t *record = rc ? NULL : json_loads(json, 0, NULL);
	free(json);
	if (rc == BX_ENOTFOUND || rc == BX_EINVAL)
		bx_page_error(page, 404, "error.not_found_title", "error.record_not_found", id);
	else if (rc == BX_EGONE)
		bx_page_error(page, 410, "error.withdrawn_title", "error.withdrawn_text", id);
	else if (rc || !record)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else {
		write_record(page, record, history);
		bx_page_send(page, 200);
	}
	json_decref(record);
	json_decref(history);
}
