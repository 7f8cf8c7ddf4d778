/* The layout every page shares and the helpers pages use (see page.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "search/search.h"
#include "web/form.h"
#include "web/page.h"
#include "web/session.h"

static const char *const language_names[BX_LANGUAGES] = {"العربية", "English", "Español", "Français",
                                                         "Русский", "中文"};

static const char content_security_policy[] =
	"default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

const char *bx_page_text(const struct bx_page *page, const char *key)
{
	return bx_i18n_text(page->web->i18n, page->language, key);
}

/* Writes path ("records/cn:x") with each segment percent-encoded. */
static void write_path(struct bx_html *html, const char *path)
{
	char segment[512];
	for (const char *at = path; *at;) {
		size_t length = strcspn(at, "/");
		snprintf(segment, sizeof segment, "%.*s", (int)(length < sizeof segment ? length : sizeof segment - 1), at);
		bx_html_url_part(html, segment, true);
		at += length;
		if (*at == '/') {
			bx_html_raw(html, "/");
			at++;
		}
	}
}

struct query_copy {
	struct bx_html *html;
	bool started;
};

static int write_query_parameter(void *context, const char *name, const char *value)
{
	struct query_copy *copy = context;
	struct bx_html *html = copy->html;
	bx_html_raw(html, copy->started ? "&amp;" : "?");
	copy->started = true;
	bx_html_url_part(html, name, false);
	bx_html_raw(html, "=");
	bx_html_url_part(html, value ? value : "", false);
	return 0;
}

/* The language switcher: the same page, with the same query, in each language. */
static void write_languages(struct bx_page *page)
{
	bx_html_raw(&page->html, "<nav class=\"languages\"");
	bx_html_attr(&page->html, "aria-label", bx_page_text(page, "nav.languages"));
	bx_html_raw(&page->html, "><ul>");
	for (int i = 0; i < BX_LANGUAGES; i++) {
		bx_html_rawf(&page->html, "<li><a lang=\"%s\" hreflang=\"%s\" href=\"/%s/", bx_languages[i],
		             bx_languages[i], bx_languages[i]);
		write_path(&page->html, page->path);
		struct query_copy copy = {&page->html, false};
		(void)bx_request_each_query(page->request, write_query_parameter, &copy);
		bx_html_raw(&page->html, i == page->language ? "\" aria-current=\"true\">" : "\">");
		bx_html_text(&page->html, language_names[i]);
		bx_html_raw(&page->html, "</a></li>");
	}
	bx_html_raw(&page->html, "</ul></nav>");
}

static void write_account(struct bx_page *page)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<div class=\"account\">");
	if (page->signed_in) {
		bx_html_raw(html, "<span>");
		bx_html_text(html, bx_page_text(page, "account.signed_in_as"));
		bx_html_raw(html, " <strong>");
		bx_html_text(html, page->principal.name);
		bx_html_rawf(html, "</strong></span> <form method=\"post\" action=\"/%s/logout\">", page->lang);
		bx_page_form_token(page);
		bx_html_raw(html, "<button type=\"submit\">");
		bx_html_text(html, bx_page_text(page, "account.sign_out"));
		bx_html_raw(html, "</button></form>");
	} else {
		bx_html_rawf(html, "<a href=\"/%s/login\">", page->lang);
		bx_html_text(html, bx_page_text(page, "account.sign_in"));
		bx_html_raw(html, "</a>");
	}
	bx_html_raw(html, "</div>");
}

static void write_search_box(struct bx_page *page)
{
	struct bx_html *html = &page->html;
	const char *q = !strcmp(page->path, "search") ? bx_request_query(page->request, "q") : NULL;
	bx_html_rawf(html, "<form class=\"search-box\" role=\"search\" method=\"get\" action=\"/%s/search\">"
	             "<label for=\"site-q\">", page->lang);
	bx_html_text(html, bx_page_text(page, "search.label"));
	bx_html_raw(html, "</label><input id=\"site-q\" type=\"search\" name=\"q\" maxlength=\"4096\"");
	bx_html_attr(html, "value", q);
	bx_html_raw(html, "><button type=\"submit\">");
	bx_html_text(html, bx_page_text(page, "search.button"));
	bx_html_raw(html, "</button></form>");
}

/* The main navigation: each page's path under /<lang>/ and its message key. */
static const struct {
	const char *path;
	const char *key;
} navigation[] = {
	{"", "nav.home"}, {"search", "nav.search"}, {"calendar", "nav.calendar"},
	{"vocabularies", "nav.vocabularies"}, {"nodes", "nav.nodes"},
};

static void write_navigation(struct bx_page *page)
{
	for (size_t i = 0; i < sizeof navigation / sizeof navigation[0]; i++) {
		bx_html_rawf(&page->html, "<li><a href=\"/%s/%s\"", page->lang, navigation[i].path);
		bool here = !strcmp(page->path, navigation[i].path);
		bx_html_raw(&page->html, here ? " aria-current=\"page\">" : ">");
		bx_html_text(&page->html, bx_page_text(page, navigation[i].key));
		bx_html_raw(&page->html, "</a></li>");
	}
}

void bx_page_begin(struct bx_page *page, const char *title)
{
	struct bx_html *html = &page->html;
	bx_html_rawf(html, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
	             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
	             page->lang, bx_language_rtl(page->lang) ? "rtl" : "ltr");
	bx_html_text(html, title);
	if (strcmp(title, bx_page_text(page, "site.name"))) {
		bx_html_raw(html, " — ");
		bx_html_text(html, bx_page_text(page, "site.name"));
	}
	bx_html_raw(html, "</title><link rel=\"stylesheet\" href=\"/static/site.css\">"
	            "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/icon.svg\"></head><body>"
	            "<a class=\"skip\" href=\"#main\">");
	bx_html_text(html, bx_page_text(page, "nav.skip"));
	bx_html_rawf(html, "</a><header class=\"site\"><div class=\"bar\"><a class=\"brand\" href=\"/%s/\">",
	             page->lang);
	bx_html_text(html, bx_page_text(page, "site.name"));
	bx_html_raw(html, "</a>");
	write_languages(page);
	bx_html_raw(html, "</div><div class=\"bar\"><nav class=\"main\"");
	bx_html_attr(html, "aria-label", bx_page_text(page, "nav.main"));
	bx_html_raw(html, "><ul>");
	write_navigation(page);
	if (bx_page_may_create(page)) {
		bx_html_rawf(html, "<li><a href=\"/%s/records/new\">", page->lang);
		bx_html_text(html, bx_page_text(page, "editor.new_record"));
		bx_html_raw(html, "</a></li>");
	}
	bx_html_raw(html, "</ul></nav>");
	write_search_box(page);
	write_account(page);
	bx_html_raw(html, "</div></header><main id=\"main\">");
}

void bx_page_end(struct bx_page *page)
{
	bx_html_raw(&page->html, "</main><footer class=\"site\"><p>");
	bx_html_text(&page->html, page->request->node->name);
	bx_html_raw(&page->html, " · ");
	bx_html_text(&page->html, bx_page_text(page, "footer.about"));
	bx_html_raw(&page->html, "</p></footer></body></html>\n");
}

static void add_headers(struct bx_page *page)
{
	int rc = bx_response_header(page->response, "Content-Security-Policy", content_security_policy);
	if (!rc)
		rc = bx_response_header(page->response, "Referrer-Policy", "same-origin");
	if (!rc)
		rc = bx_response_header(page->response, "X-Frame-Options", "DENY");
	if (!rc)
		rc = bx_response_header(page->response, "Cache-Control", page->signed_in ? "private, no-store" : "no-cache");
	if (rc)
		page->html.error = rc;
}

void bx_page_send(struct bx_page *page, int status)
{
	add_headers(page);
	if (page->html.error) {
		bx_reply_bytes(page->response, 500, "text/plain; charset=utf-8", "the page is too large\n", 22);
		return;
	}
	size_t length = page->html.out.len;
	char *bytes = bx_buf_steal(&page->html.out);
	if (bytes)
		bx_reply_owned(page->response, status, "text/html; charset=utf-8", bytes, length);
	else
		bx_reply_bytes(page->response, status, "text/html; charset=utf-8", "", 0);
}

void bx_page_error(struct bx_page *page, int status, const char *title_key, const char *text_key,
                   const char *detail)
{
	bx_buf_reset(&page->html.out);
	page->html.error = 0;
	bx_page_begin(page, bx_page_text(page, title_key));
	bx_html_raw(&page->html, "<h1>");
	bx_html_text(&page->html, bx_page_text(page, title_key));
	bx_html_raw(&page->html, "</h1><p>");
	bx_html_text(&page->html, bx_page_text(page, text_key));
	bx_html_raw(&page->html, "</p>");
	if (detail) {
		bx_html_raw(&page->html, "<p class=\"detail\">");
		bx_html_text(&page->html, detail);
		bx_html_raw(&page->html, "</p>");
	}
	bx_html_rawf(&page->html, "<p><a href=\"/%s/\">", page->lang);
	bx_html_text(&page->html, bx_page_text(page, "nav.home"));
	bx_html_raw(&page->html, "</a></p>");
	bx_page_end(page);
	bx_page_send(page, status);
}

void bx_page_redirect(struct bx_page *page, const char *location)
{
	add_headers(page);
	snprintf(page->response->location, sizeof page->response->location, "%s", location);
	bx_reply_bytes(page->response, 303, "text/plain; charset=utf-8", "", 0);
}

const char *bx_page_lstring(const struct bx_page *page, const json_t *lstring, const char **language)
{
	const char *order[] = {page->lang, "en"};
	for (size_t i = 0; i < 2; i++) {
		const char *text = json_string_value(json_object_get(lstring, order[i]));
		if (text && *text) {
			if (language)
				*language = order[i];
			return text;
		}
	}
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)lstring, key, value) {
		if (json_string_value(value) && *json_string_value(value)) {
			if (language)
				*language = key;
			return json_string_value(value);
		}
	}
	return NULL;
}

void bx_page_lstring_text(struct bx_page *page, const char *text, const char *language)
{
	bool other = language && strcmp(language, page->lang);
	if (other) {
		bx_html_raw(&page->html, "<span");
		bx_html_attr(&page->html, "lang", language);
		bx_html_raw(&page->html, bx_language_rtl(language) ? " dir=\"rtl\">" : " dir=\"ltr\">");
	}
	bx_html_text(&page->html, text);
	if (other)
		bx_html_raw(&page->html, "</span>");
}

const char *bx_page_label(const struct bx_page *page, const char *vocabulary, const char *id)
{
	const char *label = bx_search_label(page->request->server->search, vocabulary, id, page->lang);
	return label ? label : id;
}

void bx_page_search_link(struct bx_page *page, const char *name, const char *value, const char *label)
{
	bx_html_rawf(&page->html, "<a href=\"/%s/search?", page->lang);
	bx_html_url_part(&page->html, name, false);
	bx_html_raw(&page->html, "=");
	bx_html_url_part(&page->html, value, false);
	bx_html_raw(&page->html, "\">");
	bx_html_text(&page->html, label);
	bx_html_raw(&page->html, "</a>");
}

void bx_page_link(struct bx_page *page, const char *section, const char *id, const char *label)
{
	bx_html_rawf(&page->html, "<a href=\"/%s/%s/", page->lang, section);
	bx_html_url_part(&page->html, id, true);
	bx_html_raw(&page->html, "\">");
	bx_html_text(&page->html, label);
	bx_html_raw(&page->html, "</a>");
}

void bx_page_form_token(struct bx_page *page)
{
	bx_session_form_token(page);
	bx_html_raw(&page->html, "<input type=\"hidden\" name=\"csrf_token\"");
	bx_html_attr(&page->html, "value", page->form_token);
	bx_html_raw(&page->html, ">");
}

int bx_page_read_form(struct bx_page *page, const struct bx_form_limits *limits, struct bx_form *form)
{
	const struct bx_buf *body = &page->request->body;
	int rc = bx_form_parse(body->data ? body->data : "", body->len, limits, form);
	if (rc == BX_ETOOBIG)
		bx_page_error(page, 413, "error.too_big_title", "error.too_big_text", NULL);
	else if (rc)
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_form", NULL);
	else if (!bx_session_form_token_ok(page, bx_form_get(form, "csrf_token"))) {
		bx_page_error(page, 403, "error.forbidden_title", "error.forbidden_text", NULL);
		rc = BX_EPERM;
	}
	return rc;
}
