/* The vocabulary browser: the list of the node's vocabularies, and one vocabulary's terms
 * a page at a time (filtered by q, matched against their labels in any language), each
 * with its id, its label in the page's language and in the others, its broader and
 * narrower terms, and links to its own page and to the search filtered on it. */
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "text/fold.h"
#include "util/num.h"
#include "web/page.h"

#define TERMS_PER_PAGE 40
#define NARROWER_SHOWN 8
#define QUERY_MAX 200

/* What a vocabulary's terms link to: their own pages (section), the search filtered on
 * them (filter), and the vocabulary their broader terms are in. Others link to nothing. */
static const struct {
	const char *name;
	const char *section;
	const char *filter;
	const char *broader;
} linked[] = {
	{"types", NULL, "type", "types"},
	{"instruments", "instruments", "instrument", "instruments"},
	{"countries", "countries", "country", "regions"},
	{"regions", NULL, "region", "regions"},
	{"targets", "targets", "target", "targets"},
	{"subjects", NULL, "subject", "subjects"},
	{"languages", NULL, "language", "languages"},
};
#define N_LINKED (sizeof linked / sizeof linked[0])

static int linked_index(const char *vocabulary)
{
	for (size_t i = 0; i < N_LINKED; i++)
		if (!strcmp(vocabulary, linked[i].name))
			return (int)i;
	return -1;
}

static int add_parsed(void *list, const char *json)
{
	json_t *value = json_loads(json, 0, NULL);
	return value ? json_array_append_new(list, value) : BX_EIO;
}

/* Writes a term of vocabulary by its label, linked to its page, else to its search. */
static void write_term_link(struct bx_page *page, const char *vocabulary, const char *id)
{
	int l = linked_index(vocabulary);
	const char *label = bx_page_label(page, vocabulary, id);
	if (l >= 0 && linked[l].section)
		bx_page_link(page, linked[l].section, id, label);
	else if (l >= 0)
		bx_page_search_link(page, linked[l].filter, id, label);
	else
		bx_html_text(&page->html, label);
}

static void write_vocabulary_row(struct bx_page *page, const json_t *info)
{
	struct bx_html *html = &page->html;
	const char *name = json_string_value(json_object_get(info, "name"));
	const char *language = NULL;
	const char *title = bx_page_lstring(page, json_object_get(info, "title"), &language);
	bx_html_raw(html, "<tr><td>");
	bx_html_rawf(html, "<a href=\"/%s/vocabularies/", page->lang);
	bx_html_url_part(html, name ? name : "", true);
	bx_html_raw(html, "\">");
	bx_page_lstring_text(page, title ? title : name, language);
	bx_html_raw(html, "</a> <span class=\"meta\" dir=\"ltr\">");
	bx_html_text(html, name);
	bx_html_rawf(html, "</span></td><td class=\"number\">%lld</td><td>",
	             (long long)json_integer_value(json_object_get(info, "count")));
	bx_html_text(html, json_string_value(json_object_get(info, "source")));
	bx_html_raw(html, "</td><td dir=\"ltr\">");
	bx_html_text(html, json_string_value(json_object_get(info, "licence")));
	bx_html_raw(html, "</td></tr>");
}

void bx_page_vocabularies(struct bx_page *page)
{
	struct bx_html *html = &page->html;
	json_t *infos = json_array();
	if (bx_store_vocab_each_info(page->request->node->store, add_parsed, infos)) {
		json_decref(infos);
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
		return;
	}
	bx_page_begin(page, bx_page_text(page, "vocabulary.list_title"));
	bx_html_raw(html, "<h1>");
	bx_html_text(html, bx_page_text(page, "vocabulary.list_title"));
	bx_html_raw(html, "</h1>");
	bx_page_paragraph(page, "vocabulary.list_intro");
	bx_html_raw(html, "<table class=\"listing\"><thead><tr><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.name"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.terms"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.source"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.licence"));
	bx_html_raw(html, "</th></tr></thead><tbody>");
	size_t i;
	json_t *info;
	json_array_foreach(infos, i, info)
		write_vocabulary_row(page, info);
	bx_html_raw(html, "</tbody></table>");
	bx_page_end(page);
	json_decref(infos);
	bx_page_send(page, 200);
}

/* The term's labels in the other languages, folded away in a <details>. */
static void write_other_labels(struct bx_page *page, const json_t *labels, const char *shown)
{
	struct bx_html *html = &page->html;
	if (json_object_size(labels) < 2)
		return;
	bx_html_raw(html, "<details><summary>");
	bx_html_text(html, bx_page_text(page, "vocabulary.other_languages"));
	bx_html_raw(html, "</summary><ul class=\"labels\">");
	const char *language;
	json_t *label;
	json_object_foreach((json_t *)labels, language, label) {
		if (shown && !strcmp(language, shown))
			continue;
		bx_html_raw(html, "<li><span class=\"meta\">");
		bx_html_text(html, bx_page_label(page, "languages", language));
		bx_html_raw(html, "</span> <span");
		bx_html_attr(html, "lang", language);
		bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : " dir=\"ltr\">");
		bx_html_text(html, json_string_value(label));
		bx_html_raw(html, "</span></li>");
	}
	bx_html_raw(html, "</ul></details>");
}

static void write_relations(struct bx_page *page, int l, const json_t *term)
{
	struct bx_html *html = &page->html;
	static const char *const relations[][2] = {{"broader", "vocabulary.broader"}, {"narrower", "vocabulary.narrower"}};
	for (size_t r = 0; r < 2; r++) {
		const json_t *ids = json_object_get(term, relations[r][0]);
		if (!json_array_size(ids))
			continue;
		const char *vocabulary = l < 0 ? NULL : r == 0 ? linked[l].broader : linked[l].name;
		bx_html_raw(html, "<p class=\"relation\"><span class=\"meta\">");
		bx_html_text(html, bx_page_text(page, relations[r][1]));
		bx_html_raw(html, ":</span> ");
		size_t i;
		json_t *id;
		json_array_foreach((json_t *)ids, i, id) {
			if (i == NARROWER_SHOWN) {
				bx_html_rawf(html, " … (%zu)", json_array_size(ids));
				break;
			}
			bx_html_raw(html, i ? ", " : "");
			if (vocabulary)
				write_term_link(page, vocabulary, json_string_value(id));
			else
				bx_html_text(html, json_string_value(id));
		}
		bx_html_raw(html, "</p>");
	}
}

static void write_term_row(struct bx_page *page, const char *vocabulary, const json_t *term)
{
	struct bx_html *html = &page->html;
	int l = linked_index(vocabulary);
	const char *id = json_string_value(json_object_get(term, "id"));
	const char *language = NULL;
	const char *label = bx_page_lstring(page, json_object_get(term, "labels"), &language);
	bx_html_raw(html, "<tr><td dir=\"ltr\">");
	bx_html_text(html, id);
	bx_html_raw(html, "</td><td>");
	if (l >= 0 && linked[l].section) {
		bx_html_rawf(html, "<a href=\"/%s/%s/", page->lang, linked[l].section);
		bx_html_url_part(html, id ? id : "", true);
		bx_html_raw(html, "\">");
		bx_page_lstring_text(page, label ? label : id, language);
		bx_html_raw(html, "</a>");
	} else {
		bx_page_lstring_text(page, label ? label : id, language);
	}
	write_other_labels(page, json_object_get(term, "labels"), language);
	write_relations(page, l, term);
	bx_html_raw(html, "</td><td>");
	if (l >= 0 && id)
		bx_page_search_link(page, linked[l].filter, id, bx_page_text(page, "vocabulary.records"));
	bx_html_raw(html, "</td></tr>");
}

/* Which vocabulary page is listed, and its filter. */
struct listed_terms {
	const char *name, *q;
};

/* Writes the href of this vocabulary's page number, keeping q. */
static void write_page_href(struct bx_page *page, int64_t number, const void *context)
{
	const struct listed_terms *listed = context;
	bx_html_rawf(&page->html, " href=\"/%s/vocabularies/", page->lang);
	bx_html_url_part(&page->html, listed->name, true);
	bx_html_rawf(&page->html, "?page=%lld", (long long)number);
	if (listed->q && *listed->q) {
		bx_html_raw(&page->html, "&amp;q=");
		bx_html_url_part(&page->html, listed->q, false);
	}
	bx_html_raw(&page->html, "\"");
}

static void write_filter_form(struct bx_page *page, const char *name, const char *q)
{
	struct bx_html *html = &page->html;
	bx_html_rawf(html, "<form class=\"filter\" method=\"get\" action=\"/%s/vocabularies/", page->lang);
	bx_html_url_part(html, name, true);
	bx_html_raw(html, "\"><label for=\"term-q\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.filter"));
	bx_html_rawf(html, "</label> <input id=\"term-q\" type=\"search\" name=\"q\" maxlength=\"%d\"", QUERY_MAX);
	bx_html_attr(html, "value", q);
	bx_html_raw(html, "> <button type=\"submit\">");
	bx_html_text(html, bx_page_text(page, "vocabulary.filter_button"));
	bx_html_raw(html, "</button></form>");
}

static void write_vocabulary(struct bx_page *page, const json_t *info, const json_t *terms, const char *q,
                             int64_t total, int64_t number)
{
	struct bx_html *html = &page->html;
	const char *name = json_string_value(json_object_get(info, "name"));
	const char *language = NULL;
	const char *title = bx_page_lstring(page, json_object_get(info, "title"), &language);
	bx_page_begin(page, title ? title : name);
	bx_html_raw(html, "<p class=\"kicker\">");
	bx_html_rawf(html, "<a href=\"/%s/vocabularies\">", page->lang);
	bx_html_text(html, bx_page_text(page, "vocabulary.list_title"));
	bx_html_raw(html, "</a></p><h1");
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : ">");
	bx_html_text(html, title ? title : name);
	bx_html_raw(html, "</h1><p class=\"meta\">");
	bx_html_text(html, json_string_value(json_object_get(info, "source")));
	bx_html_raw(html, " · <span dir=\"ltr\">");
	bx_html_text(html, json_string_value(json_object_get(info, "licence")));
	bx_html_raw(html, "</span></p>");
	write_filter_form(page, name, q);
	bx_html_raw(html, "<p class=\"total\" role=\"status\">");
	bx_page_count_text(page, "vocabulary.count", total);
	bx_html_raw(html, "</p>");
	if (json_array_size(terms)) {
		bx_html_raw(html, "<table class=\"listing terms\"><thead><tr><th scope=\"col\">");
		bx_html_text(html, bx_page_text(page, "record.id"));
		bx_html_raw(html, "</th><th scope=\"col\">");
		bx_html_text(html, bx_page_text(page, "vocabulary.label"));
		bx_html_raw(html, "</th><th scope=\"col\">");
		bx_html_text(html, bx_page_text(page, "vocabulary.search"));
		bx_html_raw(html, "</th></tr></thead><tbody>");
		size_t i;
		json_t *term;
		json_array_foreach((json_t *)terms, i, term)
			write_term_row(page, name, term);
		bx_html_raw(html, "</tbody></table>");
	}
	bx_page_paging(page, "vocabulary.pages", number, (total + TERMS_PER_PAGE - 1) / TERMS_PER_PAGE, write_page_href,
	               &(struct listed_terms){name, q});
	bx_page_end(page);
}

/* Looking for the info of vocabulary name ({"name", "title", "source", "licence",
 * "count"}) among them all; info stays NULL when there is none. */
struct info_search {
	const char *name;
	json_t *info;
};

static int find_info(void *context, const char *json)
{
	struct info_search *search = context;
	json_t *info = json_loads(json, 0, NULL);
	const char *name = json_string_value(json_object_get(info, "name"));
	if (!info)
		return BX_EIO;
	if (name && !strcmp(name, search->name) && !search->info)
		search->info = info;
	else
		json_decref(info);
	return 0;
}

void bx_page_vocabulary(struct bx_page *page)
{
	const char *name = page->params[0];
	const char *q = bx_request_query(page->request, "q");
	const char *number_text = bx_request_query(page->request, "page");
	int64_t number = 1;
	struct bx_buf folded;
	bx_buf_init(&folded, 4 * QUERY_MAX);
	if ((number_text && bx_parse_int64(number_text, 1, INT32_MAX, &number)) ||
	    (q && (strlen(q) > QUERY_MAX || bx_fold_append(q, &folded)))) {
		bx_buf_free(&folded);
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_vocabulary_query", NULL);
		return;
	}
	struct info_search search = {name, NULL};
	json_t *terms = json_array();
	int64_t total = 0;
	int rc = bx_store_vocab_each_info(page->request->node->store, find_info, &search);
	if (!rc && !search.info)
		rc = BX_ENOTFOUND;
	if (!rc)
		rc = bx_store_vocab_terms(page->request->node->store, name, folded.len ? folded.data : NULL,
		                          (number - 1) * TERMS_PER_PAGE, TERMS_PER_PAGE, &total, add_parsed, terms);
	bx_buf_free(&folded);
	if (rc == BX_ENOTFOUND)
		bx_page_error(page, 404, "error.not_found_title", "error.vocabulary_not_found", name);
	else if (rc)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else if (number > 1 && (number - 1) * TERMS_PER_PAGE >= total)
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_vocabulary_query", NULL);
	else {
		write_vocabulary(page, search.info, terms, q, total, number);
		bx_page_send(page, 200);
	}
	json_decref(search.info);
	json_decref(terms);
}
