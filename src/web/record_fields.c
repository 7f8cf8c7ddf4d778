/* Showing what a record's format describes: every field of "fields" in the format's
 * order with its x-labels, values of a vocabulary by their labels, language maps one
 * block per language with their translation status (see page.h). */
#include <stdio.h>
#include <string.h>
#include "web/page.h"

#define DEPTH_MAX 8

const char *bx_page_schema_label(const struct bx_page *page, const json_t *schema, const char *fallback)
{
	const json_t *labels = json_object_get(schema, "x-labels");
	const char *label = json_string_value(json_object_get(labels, page->lang));
	if (!label)
		label = json_string_value(json_object_get(labels, "en"));
	return label ? label : fallback;
}

/* Writes the badge of a translation status: machine, human or official (none for the
 * original text). */
static void write_translation_badge(struct bx_page *page, const char *status)
{
	static const char *const statuses[] = {"machine", "human", "official"};
	for (size_t i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++) {
		if (strcmp(status, statuses[i]))
			continue;
		char key[32];
		snprintf(key, sizeof key, "translation.%s", statuses[i]);
		bx_html_rawf(&page->html, " <span class=\"badge %s\">", statuses[i]);
		bx_html_text(&page->html, bx_page_text(page, key));
		bx_html_raw(&page->html, "</span>");
	}
}

void bx_page_lstring_block(struct bx_page *page, const char *language, const char *text,
                           const json_t *translations)
{
	struct bx_html *html = &page->html;
	bx_html_raw(html, "<div class=\"lstring\"><p class=\"language\">");
	bx_html_text(html, bx_page_label(page, "languages", language));
	write_translation_badge(page, json_string_value(json_object_get(translations, language)));
	bx_html_raw(html, "</p><p class=\"text\"");
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\">" : " dir=\"ltr\">");
	bx_html_text(html, text);
	bx_html_raw(html, "</p></div>");
}

void bx_page_lstring_blocks(struct bx_page *page, const json_t *lstring, const json_t *translations)
{
	const char *own = json_string_value(json_object_get(lstring, page->lang));
	if (own)
		bx_page_lstring_block(page, page->lang, own, translations);
	const char *language;
	json_t *text;
	json_object_foreach((json_t *)lstring, language, text)
		if (strcmp(language, page->lang) && json_string_value(text))
			bx_page_lstring_block(page, language, json_string_value(text), translations);
}

static void write_value(struct bx_page *page, const json_t *schema, const json_t *value,
                        const json_t *translations, int depth);

static void write_object(struct bx_page *page, const json_t *schema, const json_t *value,
                         const json_t *translations, int depth)
{
	struct bx_html *html = &page->html;
	const json_t *properties = json_object_get(schema, "properties");
	bx_html_raw(html, "<dl>");
	const char *name;
	json_t *item;
	/* the format's order first, then anything the format does not name */
	json_object_foreach((json_t *)properties, name, item) {
		const json_t *field = json_object_get(value, name);
		if (!field)
			continue;
		bx_html_raw(html, "<dt>");
		bx_html_text(html, bx_page_schema_label(page, item, name));
		bx_html_raw(html, "</dt><dd>");
		write_value(page, item, field, translations, depth + 1);
		bx_html_raw(html, "</dd>");
	}
	json_object_foreach((json_t *)value, name, item) {
		if (json_object_get(properties, name))
			continue;
		bx_html_raw(html, "<dt>");
		bx_html_text(html, name);
		bx_html_raw(html, "</dt><dd>");
		write_value(page, NULL, item, translations, depth + 1);
		bx_html_raw(html, "</dd>");
	}
	bx_html_raw(html, "</dl>");
}

static void write_string(struct bx_page *page, const json_t *schema, const char *text)
{
	const char *vocabulary = json_string_value(json_object_get(schema, "x-vocabulary"));
	const char *format = json_string_value(json_object_get(schema, "format"));
	if (vocabulary) {
		bx_html_text(&page->html, bx_page_label(page, vocabulary, text));
	} else if (format && !strcmp(format, "uri") && bx_html_safe_link(text)) {
		bx_html_raw(&page->html, "<a rel=\"nofollow noopener\"");
		bx_html_attr(&page->html, "href", text);
		bx_html_raw(&page->html, ">");
		bx_html_text(&page->html, text);
		bx_html_raw(&page->html, "</a>");
	} else {
		bx_html_text(&page->html, text);
	}
}

static void write_value(struct bx_page *page, const json_t *schema, const json_t *value,
                        const json_t *translations, int depth)
{
	struct bx_html *html = &page->html;
	if (depth > DEPTH_MAX) {
		bx_html_raw(html, "…");
	} else if (json_is_string(value)) {
		write_string(page, schema, json_string_value(value));
	} else if (json_is_integer(value)) {
		bx_html_rawf(html, "%lld", (long long)json_integer_value(value));
	} else if (json_is_real(value)) {
		bx_html_rawf(html, "%g", json_real_value(value));
	} else if (json_is_boolean(value)) {
		bx_html_text(html, bx_page_text(page, json_is_true(value) ? "value.yes" : "value.no"));
	} else if (json_is_array(value)) {
		size_t i;
		json_t *item;
		bx_html_raw(html, "<ul class=\"values\">");
		json_array_foreach((json_t *)value, i, item) {
			bx_html_raw(html, "<li>");
			write_value(page, json_object_get(schema, "items"), item, translations, depth + 1);
			bx_html_raw(html, "</li>");
		}
		bx_html_raw(html, "</ul>");
	} else if (json_is_object(value) && json_is_true(json_object_get(schema, "x-lstring"))) {
		bx_page_lstring_blocks(page, value, translations);
	} else if (json_is_object(value)) {
		write_object(page, schema, value, translations, depth);
	}
}

void bx_page_record_fields(struct bx_page *page, const json_t *format, const json_t *fields,
                           const json_t *translations)
{
	if (json_object_size(fields))
		write_object(page, format, fields, translations, 0);
}
