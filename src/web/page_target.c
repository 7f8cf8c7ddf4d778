/* The target page: a goal or target of a framework (Aichi, GBF, SDG, ...) with its text
 * in the page's language, its place in its framework, its crosswalk to the targets of
 * other frameworks (as the vocabulary states it and as the other targets state it), and
 * the records tagged with it or with a target the crosswalk maps to it. */
#include <stdio.h>
#include <string.h>
#include "http/server.h"
#include "web/page.h"

#define LATEST_RECORDS 10

/* The SKOS mapping relations, their inverses and their message keys. */
static const struct {
	const char *relation;
	const char *inverse;
	const char *key;
} relations[] = {
	{"exactMatch", "exactMatch", "target.relation_exact"},
	{"closeMatch", "closeMatch", "target.relation_close"},
	{"broadMatch", "narrowMatch", "target.relation_broad"},
	{"narrowMatch", "broadMatch", "target.relation_narrow"},
	{"relatedMatch", "relatedMatch", "target.relation_related"},
};
#define N_RELATIONS (sizeof relations / sizeof relations[0])

static int relation_index(const char *relation)
{
	for (size_t i = 0; relation && i < N_RELATIONS; i++)
		if (!strcmp(relation, relations[i].relation))
			return (int)i;
	return -1;
}

/* Adds {relation, target} to rows unless it is there already or the relation is unknown. */
static void add_mapping(json_t *rows, const char *relation, const char *target)
{
	if (relation_index(relation) < 0 || !target)
		return;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		if (!strcmp(json_string_value(json_object_get(row, "relation")), relation) &&
		    !strcmp(json_string_value(json_object_get(row, "target")), target))
			return;
	json_array_append_new(rows, json_pack("{s:s, s:s}", "relation", relation, "target", target));
}

/* The mappings other targets state towards one target, turned around. */
struct reverse {
	const char *id;
	json_t *rows;
};

static int add_reverse(void *context, const char *term_json)
{
	struct reverse *reverse = context;
	json_t *term = json_loads(term_json, 0, NULL);
	const char *other = json_string_value(json_object_get(term, "id"));
	if (!term)
		return BX_EIO;
	size_t i;
	json_t *mapping;
	json_array_foreach(json_object_get(term, "mappings"), i, mapping) {
		int r = relation_index(json_string_value(json_object_get(mapping, "relation")));
		const char *to = json_string_value(json_object_get(mapping, "target"));
		if (r >= 0 && to && other && !strcmp(to, reverse->id))
			add_mapping(reverse->rows, relations[r].inverse, other);
	}
	json_decref(term);
	return 0;
}

/* Every mapping of target, both directions: [{"relation", "target"}]. Sets *rows. */
static int crosswalk_of(struct bx_page *page, const json_t *target, json_t **rows)
{
	*rows = json_array();
	size_t i;
	json_t *mapping;
	json_array_foreach(json_object_get(target, "mappings"), i, mapping)
		add_mapping(*rows, json_string_value(json_object_get(mapping, "relation")),
		            json_string_value(json_object_get(mapping, "target")));
	struct reverse reverse = {json_string_value(json_object_get(target, "id")), *rows};
	int64_t total;
	return bx_store_vocab_terms(page->request->node->store, "targets", NULL, 0, -1, &total, add_reverse,
	                            &reverse);
}

/* The name of a framework ("gbf") in the page's language, else its id. */
static const char *framework_name(const struct bx_page *page, const char *framework)
{
	static const char *const frameworks[][2] = {
		{"aichi", "target.framework_aichi"}, {"gbf", "target.framework_gbf"}, {"sdg", "target.framework_sdg"},
	};
	for (size_t i = 0; framework && i < sizeof frameworks / sizeof frameworks[0]; i++)
		if (!strcmp(framework, frameworks[i][0]))
			return bx_page_text(page, frameworks[i][1]);
	return framework ? framework : "";
}

static void write_target_list(struct bx_page *page, const char *label_key, const json_t *ids)
{
	struct bx_html *html = &page->html;
	if (!json_array_size(ids))
		return;
	bx_html_raw(html, "<dt>");
	bx_html_text(html, bx_page_text(page, label_key));
	bx_html_raw(html, "</dt><dd><ul class=\"terms\">");
	size_t i;
	json_t *id;
	json_array_foreach((json_t *)ids, i, id) {
		const char *target = json_string_value(id);
		bx_html_raw(html, "<li>");
		bx_page_link(page, "targets", target ? target : "", bx_page_label(page, "targets", target ? target : ""));
		bx_html_raw(html, " <span class=\"meta\" dir=\"ltr\">");
		bx_html_text(html, target);
		bx_html_raw(html, "</span></li>");
	}
	bx_html_raw(html, "</ul></dd>");
}

static void write_facts(struct bx_page *page, const json_t *target)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<dl class=\"envelope\"><dt>");
	bx_html_text(html, bx_page_text(page, "record.id"));
	bx_html_raw(html, "</dt><dd dir=\"ltr\">");
	bx_html_text(html, json_string_value(json_object_get(target, "id")));
	bx_html_raw(html, "</dd><dt>");
	bx_html_text(html, bx_page_text(page, "target.framework"));
	bx_html_raw(html, "</dt><dd>");
	bx_html_text(html, framework_name(page, json_string_value(json_object_get(target, "framework"))));
	bx_html_raw(html, "</dd>");
	write_target_list(page, "target.broader", json_object_get(target, "broader"));
	write_target_list(page, "target.narrower", json_object_get(target, "narrower"));
	const json_t *indicators = json_object_get(target, "indicators");
	if (json_array_size(indicators)) {
		bx_html_raw(html, "<dt>");
		bx_html_text(html, bx_page_text(page, "target.indicators"));
		bx_html_raw(html, "</dt><dd dir=\"ltr\">");
		size_t i;
		json_t *indicator;
		json_array_foreach((json_t *)indicators, i, indicator) {
			bx_html_raw(html, i ? ", " : "");
			bx_html_text(html, json_string_value(indicator));
		}
		bx_html_raw(html, "</dd>");
	}
	bx_html_raw(html, "</dl>");
}

static void write_crosswalk(struct bx_page *page, const json_t *rows)
{
	struct bx_html *html = &page->html;
	bx_page_section(page, bx_page_text(page, "target.crosswalk"));
	if (!json_array_size(rows)) {
		bx_page_paragraph(page, "target.no_mappings");
		bx_html_raw(html, "</section>");
		return;
	}
	bx_html_raw(html, "<table class=\"crosswalk\"><thead><tr><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "target.relation"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "target.mapped"));
	bx_html_raw(html, "</th><th scope=\"col\">");
	bx_html_text(html, bx_page_text(page, "target.framework"));
	bx_html_raw(html, "</th></tr></thead><tbody>");
	size_t i;
	json_t *row;
	json_array_foreach((json_t *)rows, i, row) {
		const char *relation = json_string_value(json_object_get(row, "relation"));
		const char *mapped = json_string_value(json_object_get(row, "target"));
		char framework[64];
		snprintf(framework, sizeof framework, "%.*s", (int)strcspn(mapped, ":"), mapped);
		bx_html_raw(html, "<tr><td>");
		bx_html_text(html, bx_page_text(page, relations[relation_index(relation)].key));
		bx_html_raw(html, "</td><td>");
		bx_page_link(page, "targets", mapped, bx_page_label(page, "targets", mapped));
		bx_html_raw(html, " <span class=\"meta\" dir=\"ltr\">");
		bx_html_text(html, mapped);
		bx_html_raw(html, "</span></td><td>");
		bx_html_text(html, framework_name(page, framework));
		bx_html_raw(html, "</td></tr>");
	}
	bx_html_raw(html, "</tbody></table></section>");
}

static void write_target(struct bx_page *page, const json_t *target, const json_t *rows, const json_t *found)
{
	struct bx_html *html = &page->html;
	const char *id = json_string_value(json_object_get(target, "id"));
	const char *language = NULL;
	const char *label = bx_page_lstring(page, json_object_get(target, "labels"), &language);
	const char *kind = json_string_value(json_object_get(target, "kind"));
	bx_page_begin(page, label ? label : id);
	bx_html_raw(html, "<article class=\"term\"><p class=\"kicker\">");
	bx_html_text(html, framework_name(page, json_string_value(json_object_get(target, "framework"))));
	if (kind && (!strcmp(kind, "goal") || !strcmp(kind, "target"))) {
		bx_html_raw(html, " · ");
		bx_html_text(html, bx_page_text(page, !strcmp(kind, "goal") ? "target.kind_goal" : "target.kind_target"));
	}
	bx_html_raw(html, "</p><h1");
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : ">");
	bx_html_text(html, label ? label : id);
	bx_html_raw(html, "</h1>");
	write_facts(page, target);
	const char *text_language = NULL;
	const char *text = bx_page_lstring(page, json_object_get(target, "text"), &text_language);
	if (text) {
		bx_page_section(page, bx_page_text(page, "target.text"));
		bx_page_lstring_block(page, text_language, text, json_object_get(target, "text_translations"));
		bx_html_raw(html, "</section>");
	}
	write_crosswalk(page, rows);
	bx_page_section(page, bx_page_text(page, "target.records"));
	bx_page_paragraph(page, "target.records_note");
	bx_page_latest(page, found, "target", id);
	bx_html_raw(html, "</section></article>");
	bx_page_end(page);
}

void bx_page_target(struct bx_page *page)
{
	const char *id = page->params[0];
	json_t *target = NULL, *rows = NULL, *found = NULL;
	int rc = bx_page_term(page, "targets", id, &target);
	if (rc == BX_ENOTFOUND) {
		bx_page_error(page, 404, "error.not_found_title", "error.target_not_found", id);
		return;
	}
	if (!rc)
		rc = crosswalk_of(page, target, &rows);
	if (!rc)
		rc = bx_page_search_by(page, "target", id, LATEST_RECORDS, 0, &found);
	if (rc) {
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
	} else {
		write_target(page, target, rows, found);
		bx_page_send(page, 200);
	}
	json_decref(target);
	json_decref(rows);
	json_decref(found);
}
