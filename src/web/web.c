/* The web interface's entry points (see web.h and http/handlers.h): the table of pages
 * under /<lang>/, the redirect of "/" by Accept-Language, the embedded static files and
 * the 404 page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/handlers.h"
#include "http/server.h"
#include "util/log.h"
#include "web/assets.h"
#include "web/page.h"
#include "web/session.h"

/* The pages, by method and path under /<lang>/; "{}" is one segment, a page parameter. */
static const struct {
	const char *method;
	const char *pattern;
	bx_page_fn fn;
} pages[] = {
	{"GET", "", bx_page_home},
	{"GET", "search", bx_page_search},
	{"GET", "records/new", bx_page_editor_new},
	{"POST", "records/new", bx_page_editor_create},
	{"GET", "records/{}", bx_page_record},
	{"GET", "records/{}/edit", bx_page_editor_edit},
	{"POST", "records/{}/edit", bx_page_editor_replace},
	{"GET", "countries/{}", bx_page_country},
	{"GET", "targets/{}", bx_page_target},
	{"GET", "instruments/{}", bx_page_instrument},
	{"GET", "vocabularies", bx_page_vocabularies},
	{"GET", "vocabularies/{}", bx_page_vocabulary},
	{"GET", "calendar", bx_page_calendar},
	{"GET", "nodes", bx_page_nodes},
	{"GET", "login", bx_page_login_form},
	{"POST", "login", bx_page_login},
	{"POST", "logout", bx_page_logout},
};

int bx_web_open(struct bx_web **out)
{
	char problem[256];
	*out = NULL;
	struct bx_web *web = calloc(1, sizeof *web);
	if (!web || sodium_init() < 0) {
		free(web);
		return BX_ENOMEM;
	}
	int rc = bx_i18n_load(&web->i18n, problem, sizeof problem);
	if (rc) {
		bx_log(BX_LOG_ERROR, "web interface: %s", problem);
		free(web);
		return rc;
	}
	crypto_generichash_keygen(web->form_key);
	*out = web;
	return 0;
}

void bx_web_close(struct bx_web *web)
{
	if (!web)
		return;
	bx_i18n_free(web->i18n);
	sodium_memzero(web->form_key, sizeof web->form_key);
	free(web);
}

/* Does path match pattern segment by segment? "{}" segments (non-empty) go to params. */
static bool match_page(const char *pattern, const char *path, const char **params, char *copy, size_t size)
{
	snprintf(copy, size, "%s", path);
	int n_params = 0;
	char *at = copy;
	for (const char *want = pattern;;) {
		size_t want_length = strcspn(want, "/"), have_length = strcspn(at, "/");
		bool any = want_length == 2 && !strncmp(want, "{}", 2);
		if (any ? !have_length || n_params == 2 : want_length != have_length || strncmp(want, at, have_length))
			return false;
		if (any)
			params[n_params++] = at;
		bool want_more = want[want_length] == '/', have_more = at[have_length] == '/';
		if (want_more != have_more)
			return false;
		if (!want_more)
			return true;
		at[have_length] = '\0';
		want += want_length + 1;
		at += have_length + 1;
	}
}

/* The language a browser prefers among the six (Accept-Language with q-values), else en. */
static const char *preferred_language(const struct bx_request *request)
{
	const char *header = bx_request_header(request, "Accept-Language");
	const char *best = "en";
	double best_q = 0;
	for (const char *at = header ? header : ""; *at;) {
		size_t length = strcspn(at, ",");
		char range[64] = "";
		snprintf(range, sizeof range, "%.*s", (int)(length < sizeof range ? length : sizeof range - 1), at);
		const char *q = strstr(range, ";q=");
		double weight = q ? strtod(q + 3, NULL) : 1.0;
		char code[3] = {0};
		size_t skip = strspn(range, " ");
		for (int i = 0; i < 2 && range[skip + i]; i++)
			code[i] = (char)(range[skip + i] | 0x20);
		char after = range[skip + 2];
		int index = (after == '\0' || after == '-' || after == ';' || after == ' ') ? bx_language_index(code) : -1;
		if (index >= 0 && weight > best_q) {
			best = bx_languages[index];
			best_q = weight;
		}
		at += length + (at[length] == ',');
	}
	return best;
}

static void page_init(struct bx_page *page, struct bx_request *request, struct bx_response *response,
                      const char *lang, const char *path)
{
	memset(page, 0, sizeof *page);
	page->request = request;
	page->response = response;
	page->web = request->server->web;
	page->language = bx_language_index(lang);
	page->lang = bx_languages[page->language < 0 ? (page->language = bx_language_index("en")) : page->language];
	page->path = path;
	bx_html_init(&page->html, BX_PAGE_MAX);
	bx_session_load(page);
}

static void run_page(struct bx_request *request, struct bx_response *response, const char *method)
{
	struct bx_page page;
	char copy[sizeof request->path_segments];
	page_init(&page, request, response, request->params[0], request->params[1]);
	bool other_method = false;
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		if (!match_page(pages[i].pattern, page.path, page.params, copy, sizeof copy))
			continue;
		if (!strcmp(pages[i].method, method)) {
			pages[i].fn(&page);
			bx_html_free(&page.html);
			return;
		}
		other_method = true;
	}
	if (other_method) {
		snprintf(response->allow, sizeof response->allow, "%s", !strcmp(method, "GET") ? "POST" : "GET");
		bx_page_error(&page, 405, "error.method_title", "error.method_text", NULL);
	} else {
		bx_page_error(&page, 404, "error.not_found_title", "error.not_found_text", NULL);
	}
	bx_html_free(&page.html);
}

static void serve_asset(struct bx_request *request, struct bx_response *response, const char *file)
{
	static const struct {
		const char *extension;
		const char *type;
	} types[] = {{".css", "text/css; charset=utf-8"}, {".svg", "image/svg+xml"}};
	char name[128];
	snprintf(name, sizeof name, "web/static/%s", file);
	const struct bx_asset *asset = strchr(file, '/') ? NULL : bx_asset_find(name);
	const char *dot = strrchr(file, '.');
	for (size_t i = 0; asset && dot && i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(dot, types[i].extension))
			continue;
		bx_reply_bytes(response, 200, types[i].type, asset->bytes, asset->size);
		if (bx_response_header(response, "Cache-Control", "public, max-age=3600"))
			bx_reply_error(response, BX_ENOMEM, NULL, NULL);
		return;
	}
	bx_web_not_found(request, response);
}

void bx_web_get(struct bx_request *request, struct bx_response *response)
{
	if (!strcmp(request->params[0], "static"))
		serve_asset(request, response, request->params[1]);
	else
		run_page(request, response, "GET");
}

void bx_web_post(struct bx_request *request, struct bx_response *response)
{
	run_page(request, response, "POST");
}

void bx_web_root(struct bx_request *request, struct bx_response *response)
{
	char location[8];
	snprintf(location, sizeof location, "/%s/", preferred_language(request));
	bx_reply_bytes(response, 302, "text/plain; charset=utf-8", "", 0);
	snprintf(response->location, sizeof response->location, "%s", location);
	if (bx_response_header(response, "Vary", "Accept-Language"))
		bx_reply_error(response, BX_ENOMEM, NULL, NULL);
}

void bx_web_not_found(struct bx_request *request, struct bx_response *response)
{
	char first[8] = "";
	const char *path = request->path;
	size_t length = strcspn(path + 1, "/");
	if (length < sizeof first)
		snprintf(first, sizeof first, "%.*s", (int)length, path + 1);
	struct bx_page page;
	page_init(&page, request, response, bx_language_index(first) >= 0 ? first : preferred_language(request), "");
	bx_page_error(&page, 404, "error.not_found_title", "error.not_found_text", NULL);
	bx_html_free(&page.html);
}
