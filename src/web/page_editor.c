/* The record editor's pages: a new record of a type (without a type, the types to choose
 * from) and the edit of a record, for signed-in users whom the records policy lets write
 * it (auth/policy.h, asked exactly as a write would ask it). A visitor who is not signed
 * in is sent to sign in and back. The forms post to the same paths; what they describe
 * (web/editor.h) is written through the records service as the API writes it, so the same
 * validation, roles, revisions and audit apply. A good write answers 303 to the record; a
 * refused one shows the form again, with what was typed and the problems at their inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "records/records.h"
#include "util/num.h"
#include "web/editor.h"

static const char *const statuses[] = {"draft", "submitted", "published"};
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

/* What an editor page shows. */
struct editor_view {
	const char *type;
	const char *id;             /* the record edited; NULL for a new one */
	int64_t revision;           /* the revision edited */
	const json_t *record;       /* the values shown */
	json_t *problems;           /* the validator's details, or NULL */
	const char *problem_key;    /* a message over the form (a conflict, a refusal), or NULL */
	const char *detail;         /* what the records service said of it (data), or NULL */
};

/* A record as the principal would write it: of its country and instruments when it is
 * bound to them, of type, with status (may be NULL). */
static json_t *record_of_principal(const struct bx_principal *principal, const char *type, const char *status)
{
	json_t *record = json_pack("{s:s}", "type", type);
	if (principal->country[0])
		json_object_set_new(record, "countries", json_pack("[s]", principal->country));
	if (principal->instruments[0]) {
		json_t *conventions = json_array();
		for (const char *at = principal->instruments; *at;) {
			size_t length = strcspn(at, ",");
			json_array_append_new(conventions, json_stringn(at, length));
			at += length + (at[length] == ',');
		}
		json_object_set_new(record, "conventions", conventions);
	}
	if (status)
		json_object_set_new(record, "status", json_string(status));
	return record;
}

static bool may_write(const struct bx_principal *principal, const json_t *record, const json_t *current)
{
	char reason[256];
	return principal->role != BX_ROLE_ANONYMOUS &&
	       !bx_policy_check_write(principal, record, current, reason, sizeof reason);
}

bool bx_page_may_create(const struct bx_page *page)
{
	json_t *record = record_of_principal(&page->principal, "document",
	                                     bx_policy_default_status(&page->principal));
	bool may = page->signed_in && may_write(&page->principal, record, NULL);
	json_decref(record);
	return may;
}

bool bx_page_may_edit(const struct bx_page *page, const json_t *record)
{
	return page->signed_in && may_write(&page->principal, record, record);
}

/* The statuses the principal may give record (replacing current, NULL when new). */
static size_t allowed_statuses(const struct bx_page *page, const json_t *record, const json_t *current,
                               const char *allowed[N_STATUSES])
{
	size_t n = 0;
	json_t *copy = json_copy((json_t *)record);
	for (size_t i = 0; copy && i < N_STATUSES; i++) {
		json_object_set_new(copy, "status", json_string(statuses[i]));
		if (may_write(&page->principal, copy, current))
			allowed[n++] = statuses[i];
	}
	json_decref(copy);
	return n;
}

/* Answers 303 to the sign-in page, which comes back to this page afterwards. */
static void redirect_to_sign_in(struct bx_page *page)
{
	struct bx_html next;
	char here[700], location[sizeof page->response->location];
	const char *type = bx_request_query(page->request, "type");
	snprintf(here, sizeof here, "/%s/%s", page->lang, page->path);
	bx_html_init(&next, sizeof location - 32);
	bx_html_url_part(&next, here, false);
	if (type && *type) {
		bx_html_raw(&next, "%3Ftype%3D");
		bx_html_url_part(&next, type, false);
	}
	if (next.error || !next.out.data)
		snprintf(location, sizeof location, "/%s/login", page->lang);
	else
		snprintf(location, sizeof location, "/%s/login?next=%s", page->lang, next.out.data);
	bx_html_free(&next);
	bx_page_redirect(page, location);
}

static void redirect_to_record(struct bx_page *page, const char *id)
{
	struct bx_html path;
	bx_html_init(&path, sizeof page->response->location - 32);
	bx_html_rawf(&path, "/%s/records/", page->lang);
	bx_html_url_part(&path, id, true);
	if (path.error)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else
		bx_page_redirect(page, path.out.data);
	bx_html_free(&path);
}

static void write_summary(struct bx_page *page, const json_t *problems)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<div class=\"error-summary\" role=\"alert\"><h2>");
	bx_html_text(html, bx_page_text(page, "editor.problems_title"));
	bx_html_raw(html, "</h2><ul>");
	size_t i;
	json_t *problem;
	json_array_foreach((json_t *)problems, i, problem) {
		const char *anchor = json_string_value(json_object_get(problem, "anchor"));
		const char *label = json_string_value(json_object_get(problem, "label"));
		bx_html_raw(html, "<li>");
		if (anchor) {
			bx_html_raw(html, "<a href=\"#");
			bx_html_url_part(html, anchor, true);
			bx_html_raw(html, "\">");
		}
		bx_html_text(html, label ? label : json_string_value(json_object_get(problem, "path")));
		bx_html_raw(html, ": ");
		bx_html_text(html, json_string_value(json_object_get(problem, "message")));
		bx_html_raw(html, anchor ? "</a></li>" : "</li>");
	}
	bx_html_raw(html, "</ul></div>");
}

static void write_problem(struct bx_page *page, const struct editor_view *view)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<div class=\"problem\" role=\"alert\"><p>");
	bx_html_text(html, bx_page_text(page, view->problem_key));
	bx_html_raw(html, "</p>");
	if (view->detail) {
		bx_html_raw(html, "<p class=\"detail\">");
		bx_html_text(html, view->detail);
		bx_html_raw(html, "</p>");
	}
	if (view->id) {
		bx_html_rawf(html, "<p><a href=\"/%s/records/", page->lang);
		bx_html_url_part(html, view->id, true);
		bx_html_raw(html, "\">");
		bx_html_text(html, bx_page_text(page, "editor.see_current"));
		bx_html_raw(html, "</a></p>");
	}
	bx_html_raw(html, "</div>");
}

/* Writes the editor of view with status: the inputs are written first, so that each
 * problem knows its input before the summary over the form links to it. */
static void write_editor(struct bx_page *page, const struct editor_view *view, const json_t *schema, int status)
{
	struct bx_html *html = &page->html, inputs;
	bx_html_init(&inputs, BX_PAGE_MAX);
	struct bx_editor editor = {.page = page, .html = &inputs, .problems = view->problems};
	bx_editor_write(&editor, schema, view->record);
	json_decref(editor.terms);

	bx_buf_reset(&html->out);
	html->error = 0;
	const char *title = bx_page_text(page, view->id ? "editor.edit_title" : "editor.new_title");
	bx_page_begin(page, title);
	bx_html_raw(html, "<p class=\"kicker\">");
	bx_html_text(html, bx_page_label(page, "types", view->type));
	bx_html_raw(html, "</p><h1>");
	bx_html_text(html, title);
	bx_html_raw(html, "</h1>");
	if (view->id) {
		bx_html_raw(html, "<p class=\"meta\">");
		bx_html_text(html, view->id);
		bx_html_raw(html, " · ");
		bx_html_text(html, bx_page_text(page, "record.revision"));
		bx_html_rawf(html, " %lld</p>", (long long)view->revision);
	}
	if (view->problem_key)
		write_problem(page, view);
	if (json_array_size(view->problems))
		write_summary(page, view->problems);
	bx_html_rawf(html, "<form class=\"editor\" method=\"post\" novalidate action=\"/%s/records/", page->lang);
	if (view->id) {
		bx_html_url_part(html, view->id, true);
		bx_html_raw(html, "/edit\">");
	} else {
		bx_html_raw(html, "new\">");
	}
	bx_page_form_token(page);
	bx_html_raw(html, "<input type=\"hidden\" name=\"type\"");
	bx_html_attr(html, "value", view->type);
	bx_html_raw(html, ">");
	if (view->id)
		bx_html_rawf(html, "<input type=\"hidden\" name=\"revision\" value=\"%lld\">", (long long)view->revision);
	bx_html_raw(html, "<p class=\"hint\">");
	bx_html_text(html, bx_page_text(page, "editor.intro"));
	bx_html_raw(html, "</p>");
	if (inputs.error)
		html->error = inputs.error;
	else if (inputs.out.data)
		bx_html_raw(html, inputs.out.data);
	bx_html_raw(html, "<p class=\"actions\"><button type=\"submit\">");
	bx_html_text(html, bx_page_text(page, "editor.save"));
	bx_html_raw(html, "</button></p></form>");
	bx_html_free(&inputs);
	bx_page_end(page);
	bx_page_send(page, status);
}

/* Writes the editor of view with the statuses the user may set: those of a record of the
 * user's own kind when new, else of current. */
static void show_editor(struct bx_page *page, const struct editor_view *view, const json_t *current, int status)
{
	const char *allowed[N_STATUSES];
	json_t *basis = current ? json_incref((json_t *)current) : record_of_principal(&page->principal, view->type, NULL);
	size_t n_allowed = allowed_statuses(page, basis, current, allowed);
	json_decref(basis);
	const json_t *format = bx_catalog_format(page->request->node->catalog, view->type);
	json_t *schema = bx_editor_schema(format, allowed, n_allowed);
	if (!schema)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else
		write_editor(page, view, schema, status);
	json_decref(schema);
}

static void write_type_choice(struct bx_page *page)
{
	struct bx_html *html = &page->html;
	const char *title = bx_page_text(page, "editor.new_title");
	bx_page_begin(page, title);
	bx_html_raw(html, "<h1>");
	bx_html_text(html, title);
	bx_html_raw(html, "</h1><p>");
	bx_html_text(html, bx_page_text(page, "editor.choose_type"));
	bx_html_raw(html, "</p><ul class=\"types\">");
	const char *type;
	json_t *format;
	json_object_foreach((json_t *)bx_catalog_formats(page->request->node->catalog), type, format) {
		bx_html_rawf(html, "<li><a href=\"/%s/records/new?type=", page->lang);
		bx_html_url_part(html, type, false);
		bx_html_raw(html, "\">");
		bx_html_text(html, bx_page_label(page, "types", type));
		bx_html_raw(html, "</a></li>");
	}
	bx_html_raw(html, "</ul>");
	bx_page_end(page);
	bx_page_send(page, 200);
}

void bx_page_editor_new(struct bx_page *page)
{
	if (!page->signed_in) {
		redirect_to_sign_in(page);
		return;
	}
	if (!bx_page_may_create(page)) {
		bx_page_error(page, 403, "error.forbidden_title", "editor.may_not_create", NULL);
		return;
	}
	const char *type = bx_request_query(page->request, "type");
	if (!type || !*type) {
		write_type_choice(page);
		return;
	}
	if (!bx_catalog_format(page->request->node->catalog, type)) {
		bx_page_error(page, 404, "error.not_found_title", "editor.unknown_type", type);
		return;
	}
	json_t *record = record_of_principal(&page->principal, type, bx_policy_default_status(&page->principal));
	struct editor_view view = {.type = type, .record = record};
	show_editor(page, &view, NULL, 200);
	json_decref(record);
}

/* Reads the current revision of the record of the page, as the signed-in user may see
 * it. Returns it, or answers (404, 410, 500) and returns NULL. */
static json_t *read_current(struct bx_page *page, int64_t *revision)
{
	char *json = NULL;
	const char *id = page->params[0];
	int rc = bx_records_read(page->request->node, &page->principal, id, 0, &json, revision);
	json_t *record = rc ? NULL : json_loads(json, 0, NULL);
	free(json);
	if (rc == BX_ENOTFOUND || rc == BX_EINVAL)
		bx_page_error(page, 404, "error.not_found_title", "error.record_not_found", id);
	else if (rc == BX_EGONE)
		bx_page_error(page, 410, "error.withdrawn_title", "error.withdrawn_text", id);
	else if (!record)
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	return record;
}

void bx_page_editor_edit(struct bx_page *page)
{
	if (!page->signed_in) {
		redirect_to_sign_in(page);
		return;
	}
	int64_t revision;
	json_t *current = read_current(page, &revision);
	if (!current)
		return;
	char reason[256];
	if (bx_policy_check_write(&page->principal, current, current, reason, sizeof reason)) {
		bx_page_error(page, 403, "error.forbidden_title", "editor.may_not_edit", reason);
	} else {
		struct editor_view view = {.type = json_string_value(json_object_get(current, "type")),
		                           .id = page->params[0], .revision = revision, .record = current};
		show_editor(page, &view, current, 200);
	}
	json_decref(current);
}

/* Answers a write of the records service: 303 to the record, or the form again. */
static void answer_write(struct bx_page *page, int rc, struct bx_write_result *result,
                         struct editor_view *view, const json_t *current)
{
	if (!rc) {
		redirect_to_record(page, result->id);
	} else if (rc == BX_EINVALID) {
		view->problems = result->details;
		show_editor(page, view, current, 422);
	} else if (rc == BX_EPRECONDITION || rc == BX_ECONFLICT) {
		view->problem_key = "editor.conflict";
		view->detail = result->reason;
		show_editor(page, view, current, 409);
	} else if (rc == BX_EPERM) {
		view->problem_key = "editor.refused";
		view->detail = result->reason;
		show_editor(page, view, current, 403);
	} else if (rc == BX_ENOTFOUND) {
		bx_page_error(page, 404, "error.not_found_title", "error.record_not_found", view->id);
	} else if (rc == BX_EGONE) {
		bx_page_error(page, 410, "error.withdrawn_title", "error.withdrawn_text", view->id);
	} else {
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	}
}

/* Reads the posted form (limits, token) of a signed-in user. Returns 0, or answers. */
static int read_post(struct bx_page *page, struct bx_form *form)
{
	if (bx_page_read_form(page, &bx_editor_form_limits, form))
		return BX_EPERM;
	if (!page->signed_in) {
		bx_page_error(page, 403, "error.forbidden_title", "editor.sign_in_first", NULL);
		return BX_EAUTH;
	}
	return 0;
}

/* The record the form describes for type: the form's values under the editor's schema. */
static json_t *posted_record(struct bx_page *page, const struct bx_form *form, const char *type)
{
	const json_t *format = bx_catalog_format(page->request->node->catalog, type);
	json_t *schema = bx_editor_schema(format, statuses, N_STATUSES);
	json_t *record = schema ? bx_editor_read(schema, form) : NULL;
	if (record)
		json_object_set_new(record, "type", json_string(type));
	json_decref(schema);
	return record;
}

void bx_page_editor_create(struct bx_page *page)
{
	struct bx_form form;
	if (read_post(page, &form)) {
		bx_form_free(&form);
		return;
	}
	const char *type = bx_form_get(&form, "type");
	json_t *record = NULL;
	if (!bx_page_may_create(page))
		bx_page_error(page, 403, "error.forbidden_title", "editor.may_not_create", NULL);
	else if (!type || !bx_catalog_format(page->request->node->catalog, type))
		bx_page_error(page, 400, "error.bad_request_title", "editor.unknown_type", type);
	else if (!(record = posted_record(page, &form, type)))
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else {
		struct bx_actor actor = {&page->principal, page->request->address};
		struct bx_write_result result;
		bx_write_result_init(&result);
		int rc = bx_records_create(page->request->node, &actor, record, &result);
		struct editor_view view = {.type = type, .record = record};
		answer_write(page, rc, &result, &view, NULL);
		bx_write_result_clear(&result);
	}
	json_decref(record);
	bx_form_free(&form);
}

void bx_page_editor_replace(struct bx_page *page)
{
	struct bx_form form;
	int64_t shown, revision = 0;
	json_t *current = NULL, *record = NULL;
	if (read_post(page, &form) || !(current = read_current(page, &shown))) {
		bx_form_free(&form);
		return;
	}
	const char *type = json_string_value(json_object_get(current, "type"));
	const char *revision_text = bx_form_get(&form, "revision");
	char reason[256];
	if (bx_policy_check_write(&page->principal, current, current, reason, sizeof reason))
		bx_page_error(page, 403, "error.forbidden_title", "editor.may_not_edit", reason);
	else if (!revision_text || bx_parse_int64(revision_text, 1, INT64_MAX, &revision))
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_revision", NULL);
	else if (!(record = posted_record(page, &form, type)))
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	else {
		/* what the form does not show is kept from the revision edited */
		json_t *translations = json_object_get(current, "translations");
		if (translations)
			json_object_set(record, "translations", translations);
		struct bx_actor actor = {&page->principal, page->request->address};
		struct bx_write_result result;
		bx_write_result_init(&result);
		int rc = bx_records_replace(page->request->node, &actor, page->params[0], record, revision, &result);
		struct editor_view view = {.type = type, .id = page->params[0], .revision = revision, .record = record};
		answer_write(page, rc, &result, &view, current);
		bx_write_result_clear(&result);
	}
	json_decref(record);
	json_decref(current);
	bx_form_free(&form);
}
