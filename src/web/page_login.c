/* Signing in and out. The sign-in form posts the user name and password with its form
 * token; a good one starts a session (web/session.h) under the same limits and audit as
 * the API's sign-in, and goes to `next` (a page of this node, such as the editor that sent
 * the visitor here) or home. Signing out is a POST with the session's form token. */
#include <stdio.h>
#include <string.h>
#include "auth/password.h"
#include "http/api.h"
#include "web/form.h"
#include "web/page.h"
#include "web/session.h"

#define NAME_MAX_BYTES 64
#define NEXT_MAX_BYTES 400

/* Is next a page of this node under a language ("/en/records/new?type=x"), so that
 * going there after sign-in can never lead elsewhere? */
static bool is_local_page(const char *next)
{
	if (!next || strlen(next) > NEXT_MAX_BYTES || next[0] != '/' || strlen(next) < 4 || next[3] != '/')
		return false;
	char language[3] = {next[1], next[2], '\0'};
	if (bx_language_index(language) < 0)
		return false;
	for (const char *at = next; *at; at++)
		if ((unsigned char)*at <= ' ' || (unsigned char)*at >= 0x7f || *at == '\\' || *at == '"' || *at == '<' || *at == '>' ||
		    (at[0] == '/' && at[1] == '/'))
			return false;
	return true;
}

/* Writes the sign-in page with status, and the problem (a message key; may be NULL); it
 * carries next (may be NULL) when that is a local page. */
static void write_form(struct bx_page *page, int status, const char *problem_key, const char *next)
{
	struct bx_html *html = &page->html;
	bx_buf_reset(&html->out);
	html->error = 0;
	bx_page_begin(page, bx_page_text(page, "login.title"));
	bx_html_raw(html, "<h1>");
	bx_html_text(html, bx_page_text(page, "login.title"));
	bx_html_raw(html, "</h1>");
	if (problem_key) {
		bx_html_raw(html, "<p class=\"problem\" role=\"alert\">");
		bx_html_text(html, bx_page_text(page, problem_key));
		bx_html_raw(html, "</p>");
	}
	bx_html_rawf(html, "<form class=\"login\" method=\"post\" action=\"/%s/login\">", page->lang);
	bx_page_form_token(page);
	if (is_local_page(next)) {
		bx_html_raw(html, "<input type=\"hidden\" name=\"next\"");
		bx_html_attr(html, "value", next);
		bx_html_raw(html, ">");
	}
	bx_html_raw(html, "<p><label for=\"username\">");
	bx_html_text(html, bx_page_text(page, "login.username"));
	bx_html_rawf(html, "</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required "
	             "maxlength=\"%d\"></p><p><label for=\"password\">", NAME_MAX_BYTES);
	bx_html_text(html, bx_page_text(page, "login.password"));
	bx_html_rawf(html, "</label><input id=\"password\" name=\"password\" type=\"password\" "
	             "autocomplete=\"current-password\" required maxlength=\"%d\"></p><p><button type=\"submit\">",
	             BX_PASSWORD_MAX);
	bx_html_text(html, bx_page_text(page, "login.submit"));
	bx_html_raw(html, "</button></p></form>");
	bx_page_end(page);
	bx_page_send(page, status);
}

void bx_page_login_form(struct bx_page *page)
{
	write_form(page, 200, NULL, bx_request_query(page->request, "next"));
}

static void answer_limited(struct bx_page *page, int retry_after, const char *next)
{
	snprintf(page->response->retry_after, sizeof page->response->retry_after, "%d", retry_after);
	write_form(page, 429, "login.limited", next);
}

void bx_page_login(struct bx_page *page)
{
	struct bx_form form;
	int retry_after;
	if (bx_page_read_form(page, &bx_form_small, &form)) {
		bx_form_free(&form);
		return;
	}
	const char *name = bx_form_get(&form, "username"), *password = bx_form_get(&form, "password");
	const char *next = bx_form_get(&form, "next");
	if (bx_api_sign_in_attempt(page->request, &retry_after))
		answer_limited(page, retry_after, next);
	else if (!name || !*name || strlen(name) > NAME_MAX_BYTES || !password || !*password ||
	         strlen(password) > BX_PASSWORD_MAX)
		write_form(page, 400, "login.missing", next);
	else {
		char token[BX_TOKEN_SIZE];
		int64_t expires;
		struct bx_user user;
		int rc = bx_api_sign_in(page->request, name, password, token, &expires, &user, &retry_after);
		if (!rc)
			rc = bx_session_start(page, token, expires);
		sodium_memzero(token, sizeof token);
		bx_user_clear(&user);
		char home[8];
		snprintf(home, sizeof home, "/%s/", page->lang);
		if (rc == BX_ELIMIT)
			answer_limited(page, retry_after, next);
		else if (rc == BX_EAUTH)
			write_form(page, 401, "login.failed", next);
		else if (rc)
			bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
		else
			bx_page_redirect(page, is_local_page(next) ? next : home);
	}
	if (form.text)
		sodium_memzero(form.text, page->request->body.len);
	bx_form_free(&form);
}

void bx_page_logout(struct bx_page *page)
{
	struct bx_form form;
	if (bx_page_read_form(page, &bx_form_small, &form)) {
		bx_form_free(&form);
		return;
	}
	bx_form_free(&form);
	char home[8];
	snprintf(home, sizeof home, "/%s/", page->lang);
	if (bx_session_end(page))
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else
		bx_page_redirect(page, home);
}
