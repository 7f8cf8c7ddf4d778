/* Writing the record editor's inputs from a schema (see editor.h): one input per
 * property, in the schema's order, labelled in the page's language. Language maps get one
 * input per UN language (with its lang and dir); vocabulary values a <select>; lists of
 * objects a fieldset per row with empty rows after them; other lists a textarea with one
 * value per line. A validator's problem is shown at the input of its pointer, or of the
 * nearest pointer above it that has one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "util/timeutil.h"
#include "web/editor.h"

#define POINTER_MAX 512
#define ID_MAX (POINTER_MAX + 16)
#define LABEL_MAX 600
#define ROWS_TEXT 4

static void write_property(struct bx_editor *editor, const json_t *schema, const json_t *value,
                           const char *pointer, const char *label, bool required);

void bx_editor_input_id(char *out, size_t size, const char *pointer)
{
	snprintf(out, size, "f%s", pointer);
	for (char *at = out; *at; at++)
		if (*at == '/')
			*at = '-';
}

static bool is_type(const json_t *schema, const char *type)
{
	const char *have = json_string_value(json_object_get(schema, "type"));
	return have && !strcmp(have, type);
}

static bool is_lstring(const json_t *schema)
{
	return json_is_true(json_object_get(schema, "x-lstring"));
}

/* The label of a property: its message key, else its x-labels, else its name. */
static const char *property_label(const struct bx_editor *editor, const json_t *schema, const char *name)
{
	const char *key = json_string_value(json_object_get(schema, "x-label-key"));
	return key ? bx_page_text(editor->page, key) : bx_page_schema_label(editor->page, schema, name);
}

/* Gives the problems at pointer (and, with beneath, those under it) that no input has
 * claimed yet the anchor id and label. Returns how many there are at anchor now. */
static size_t claim_problems(struct bx_editor *editor, const char *pointer, bool beneath, const char *id,
                             const char *label)
{
	size_t i, n = 0, length = strlen(pointer);
	json_t *problem;
	json_array_foreach(editor->problems, i, problem) {
		const char *path = json_string_value(json_object_get(problem, "path"));
		bool here = path && (!strcmp(path, pointer) ||
		                     (beneath && !strncmp(path, pointer, length) && path[length] == '/'));
		if (here && !json_object_get(problem, "anchor")) {
			json_object_set_new(problem, "anchor", json_string(id));
			json_object_set_new(problem, "label", json_string(label));
		}
		const char *anchor = json_string_value(json_object_get(problem, "anchor"));
		n += anchor && !strcmp(anchor, id);
	}
	return n;
}

/* Writes the messages of the problems anchored at id as <p id="<id>-error">. */
static void write_problems(struct bx_editor *editor, const char *id)
{
	struct bx_html *html = editor->html;
	size_t i, n = 0;
	json_t *problem;
	json_array_foreach(editor->problems, i, problem) {
		const char *anchor = json_string_value(json_object_get(problem, "anchor"));
		if (!anchor || strcmp(anchor, id))
			continue;
		if (!n++) {
			char error_id[ID_MAX + 8];
			snprintf(error_id, sizeof error_id, "%s-error", id);
			bx_html_raw(html, "<p class=\"field-error\"");
			bx_html_attr(html, "id", error_id);
			bx_html_raw(html, ">");
		} else {
			bx_html_raw(html, "<br>");
		}
		bx_html_text(html, json_string_value(json_object_get(problem, "message")));
	}
	if (n)
		bx_html_raw(html, "</p>");
}

/* Writes the attributes an input with problems and a hint gets. */
static void write_described_by(struct bx_editor *editor, const char *id, bool invalid, const char *hint_id,
                               const char *group_id)
{
	struct bx_html *html = editor->html;
	char ids[3 * ID_MAX + 32] = "";
	size_t length = 0;
	if (invalid)
		length += (size_t)snprintf(ids + length, sizeof ids - length, "%s-error ", id);
	if (group_id)
		length += (size_t)snprintf(ids + length, sizeof ids - length, "%s-error ", group_id);
	if (hint_id && length < sizeof ids)
		length += (size_t)snprintf(ids + length, sizeof ids - length, "%s ", hint_id);
	if (invalid || group_id)
		bx_html_raw(html, " aria-invalid=\"true\"");
	if (length && length < sizeof ids) {
		ids[length - 1] = '\0';
		bx_html_attr(html, "aria-describedby", ids);
	}
}

static void write_hint(struct bx_editor *editor, const char *hint_id, const char *key)
{
	bx_html_raw(editor->html, "<p class=\"hint\"");
	bx_html_attr(editor->html, "id", hint_id);
	bx_html_raw(editor->html, ">");
	bx_html_text(editor->html, bx_page_text(editor->page, key));
	bx_html_raw(editor->html, "</p>");
}

/* Writes label text and, for a required field, its mark. */
static void write_label_text(struct bx_editor *editor, const char *label, bool required)
{
	bx_html_text(editor->html, label);
	if (required) {
		bx_html_raw(editor->html, " <span class=\"required\">");
		bx_html_text(editor->html, bx_page_text(editor->page, "editor.required"));
		bx_html_raw(editor->html, "</span>");
	}
}

/* Opens <fieldset id> with its legend and the problems at pointer itself. Returns whether
 * it has any. */
static bool open_fieldset(struct bx_editor *editor, const char *class_name, const char *pointer,
                          const char *label, bool required, char id[ID_MAX])
{
	struct bx_html *html = editor->html;
	bx_editor_input_id(id, ID_MAX, pointer);
	bool invalid = claim_problems(editor, pointer, false, id, label) > 0;
	bx_html_rawf(html, "<fieldset class=\"%s\"", class_name);
	bx_html_attr(html, "id", id);
	if (invalid)
		write_described_by(editor, id, true, NULL, NULL);
	bx_html_raw(html, "><legend>");
	write_label_text(editor, label, required);
	bx_html_raw(html, "</legend>");
	write_problems(editor, id);
	return invalid;
}

/* The terms of a vocabulary as [{"id", "labels"}], read once per page; NULL when it is
 * too large to pick from (or cannot be read): its values are then typed. */
static int append_term(void *terms, const char *json)
{
	json_t *term = json_loads(json, 0, NULL);
	return term && !json_array_append_new(terms, term) ? 0 : BX_ENOMEM;
}

static const json_t *vocabulary_terms(struct bx_editor *editor, const char *vocabulary)
{
	if (!editor->terms)
		editor->terms = json_object();
	json_t *terms = json_object_get(editor->terms, vocabulary);
	if (terms)
		return json_is_array(terms) ? terms : NULL;
	terms = json_array();
	int64_t total = 0;
	int rc = bx_store_vocab_terms(editor->page->request->node->store, vocabulary, NULL, 0,
	                              BX_EDITOR_PICK_MAX, &total, append_term, terms);
	if (rc || total > BX_EDITOR_PICK_MAX) {
		json_decref(terms);
		terms = json_null();
	}
	json_object_set_new(editor->terms, vocabulary, terms);
	return json_is_array(terms) ? terms : NULL;
}

/* A scalar value as the text of its input ("" when absent). */
static const char *value_text(const json_t *value, char *buffer, size_t size)
{
	if (json_is_string(value))
		return json_string_value(value);
	if (json_is_integer(value))
		snprintf(buffer, size, "%lld", (long long)json_integer_value(value));
	else if (json_is_real(value))
		snprintf(buffer, size, "%.17g", json_real_value(value));
	else if (json_is_boolean(value))
		snprintf(buffer, size, "%s", json_is_true(value) ? "true" : "false");
	else
		buffer[0] = '\0';
	return buffer;
}

static bool in_values(const json_t *values, const char *id)
{
	if (!json_is_array(values))
		return json_is_string(values) && !strcmp(json_string_value(values), id);
	size_t i;
	json_t *value;
	json_array_foreach((json_t *)values, i, value)
		if (json_is_string(value) && !strcmp(json_string_value(value), id))
			return true;
	return false;
}

static void write_option(struct bx_html *html, const char *value, const char *label, bool selected)
{
	bx_html_raw(html, "<option");
	bx_html_attr(html, "value", value);
	bx_html_raw(html, selected ? " selected>" : ">");
	bx_html_text(html, label);
	bx_html_raw(html, "</option>");
}

/* The options of a choice: an empty one (single choice), the choices, and any chosen value
 * that is not one of them, so that nothing typed is lost. */
static void write_options(struct bx_editor *editor, const json_t *schema, const json_t *chosen, bool multiple)
{
	struct bx_html *html = editor->html;
	const char *vocabulary = json_string_value(json_object_get(schema, "x-vocabulary"));
	const char *enum_key = json_string_value(json_object_get(schema, "x-enum-key"));
	if (!multiple)
		write_option(html, "", bx_page_text(editor->page, "editor.choose"), !chosen);
	size_t i;
	json_t *choice;
	const json_t *choices = vocabulary ? vocabulary_terms(editor, vocabulary) : json_object_get(schema, "enum");
	json_t *known = json_array();
	json_array_foreach((json_t *)choices, i, choice) {
		const char *id = vocabulary ? json_string_value(json_object_get(choice, "id")) : json_string_value(choice);
		if (!id)
			continue;
		char key[128];
		const char *label = id;
		if (vocabulary)
			label = bx_page_label(editor->page, vocabulary, id);
		else if (enum_key && (size_t)snprintf(key, sizeof key, "%s%s", enum_key, id) < sizeof key)
			label = bx_page_text(editor->page, key);
		write_option(html, id, label, in_values(chosen, id));
		json_array_append_new(known, json_string(id));
	}
	const json_t *values = json_is_array(chosen) ? chosen : NULL;
	json_t *single = values ? NULL : json_pack("[O]", chosen ? (json_t *)chosen : json_null());
	json_array_foreach(values ? (json_t *)values : single, i, choice) {
		char buffer[64];
		const char *text = value_text(choice, buffer, sizeof buffer);
		if (*text && !in_values(known, text))
			write_option(html, text, text, true);
	}
	json_decref(single);
	json_decref(known);
}

/* Can a value be picked from a list (a small enough vocabulary, an enum, a yes/no)? */
static bool is_choice(struct bx_editor *editor, const json_t *schema)
{
	const char *vocabulary = json_string_value(json_object_get(schema, "x-vocabulary"));
	if (vocabulary)
		return vocabulary_terms(editor, vocabulary) != NULL;
	return json_object_get(schema, "enum") != NULL;
}

/* Does text suit an input of this type (a browser empties a date or number input that
 * holds something else, which would lose what was typed)? */
static bool fits(const char *input_type, const json_t *value)
{
	if (!strcmp(input_type, "number"))
		return !value || json_is_number(value);
	if (!strcmp(input_type, "date"))
		return !value || (json_is_string(value) && bx_is_date(json_string_value(value)));
	return true;
}

static const char *input_type(const json_t *schema)
{
	const char *format = json_string_value(json_object_get(schema, "format"));
	if (is_type(schema, "integer") || is_type(schema, "number"))
		return "number";
	if (format && !strcmp(format, "date"))
		return "date";
	if (format && !strcmp(format, "uri"))
		return "url";
	if (format && !strcmp(format, "email"))
		return "email";
	return "text";
}

/* Writes the control of one value: a select, or an input of the value's type. */
static void write_control(struct bx_editor *editor, const json_t *schema, const json_t *value)
{
	struct bx_html *html = editor->html;
	char buffer[64];
	if (is_type(schema, "boolean")) {
		bx_html_raw(html, ">");
		const char *text = value_text(value, buffer, sizeof buffer);
		write_option(html, "", bx_page_text(editor->page, "editor.choose"), !*text);
		write_option(html, "true", bx_page_text(editor->page, "value.yes"), !strcmp(text, "true"));
		write_option(html, "false", bx_page_text(editor->page, "value.no"), !strcmp(text, "false"));
		if (*text && strcmp(text, "true") && strcmp(text, "false"))
			write_option(html, text, text, true);
		bx_html_raw(html, "</select>");
	} else if (is_choice(editor, schema)) {
		bx_html_raw(html, ">");
		write_options(editor, schema, value, false);
		bx_html_raw(html, "</select>");
	} else {
		const char *type = input_type(schema);
		bool numeric = is_type(schema, "integer") || is_type(schema, "number");
		bx_html_raw(html, " type=\"");
		bx_html_raw(html, fits(type, value) ? type : "text");
		bx_html_raw(html, "\"");
		if (numeric && fits(type, value)) {
			bx_html_raw(html, is_type(schema, "integer") ? " step=\"1\"" : " step=\"any\"");
			const json_t *minimum = json_object_get(schema, "minimum"), *maximum = json_object_get(schema, "maximum");
			if (json_is_integer(minimum))
				bx_html_rawf(html, " min=\"%lld\"", (long long)json_integer_value(minimum));
			if (json_is_integer(maximum))
				bx_html_rawf(html, " max=\"%lld\"", (long long)json_integer_value(maximum));
		}
		bx_html_attr(html, "value", value ? value_text(value, buffer, sizeof buffer) : NULL);
		bx_html_raw(html, ">");
	}
}

/* One value: label, its problems, and its control. */
static void write_scalar(struct bx_editor *editor, const json_t *schema, const json_t *value,
                         const char *pointer, const char *label, bool required)
{
	struct bx_html *html = editor->html;
	char id[ID_MAX];
	bx_editor_input_id(id, sizeof id, pointer);
	bool invalid = claim_problems(editor, pointer, true, id, label) > 0;
	bool select = is_type(schema, "boolean") || is_choice(editor, schema);
	bx_html_raw(html, "<div class=\"field\"><label");
	bx_html_attr(html, "for", id);
	bx_html_raw(html, ">");
	write_label_text(editor, label, required);
	bx_html_raw(html, "</label>");
	write_problems(editor, id);
	bx_html_raw(html, select ? "<select" : "<input");
	bx_html_attr(html, "id", id);
	bx_html_attr(html, "name", pointer);
	if (required)
		bx_html_raw(html, " aria-required=\"true\"");
	write_described_by(editor, id, invalid, NULL, NULL);
	write_control(editor, schema, value);
	bx_html_raw(html, "</div>");
}

/* A list of simple values: a multiple choice, or a textarea of one value per line. */
static void write_list(struct bx_editor *editor, const json_t *schema, const json_t *values,
                       const char *pointer, const char *label, bool required)
{
	struct bx_html *html = editor->html;
	const json_t *items = json_object_get(schema, "items");
	char id[ID_MAX], hint_id[ID_MAX + 8];
	bx_editor_input_id(id, sizeof id, pointer);
	snprintf(hint_id, sizeof hint_id, "%s-hint", id);
	bool invalid = claim_problems(editor, pointer, true, id, label) > 0;
	bool choice = is_choice(editor, items);
	bx_html_raw(html, "<div class=\"field\"><label");
	bx_html_attr(html, "for", id);
	bx_html_raw(html, ">");
	write_label_text(editor, label, required);
	bx_html_raw(html, "</label>");
	const char *vocabulary = json_string_value(json_object_get(items, "x-vocabulary"));
	write_hint(editor, hint_id, choice ? "editor.choose_several" : vocabulary ? "editor.ids_per_line"
	                                                                        : "editor.one_per_line");
	write_problems(editor, id);
	bx_html_raw(html, choice ? "<select multiple size=\"6\"" : "<textarea rows=\"4\"");
	bx_html_attr(html, "id", id);
	bx_html_attr(html, "name", pointer);
	if (required)
		bx_html_raw(html, " aria-required=\"true\"");
	write_described_by(editor, id, invalid, hint_id, NULL);
	bx_html_raw(html, ">");
	if (choice) {
		write_options(editor, items, json_is_array(values) ? values : NULL, true);
		bx_html_raw(html, "</select></div>");
		return;
	}
	size_t i;
	json_t *value;
	json_array_foreach((json_t *)values, i, value) {
		char buffer[64];
		bx_html_text(html, value_text(value, buffer, sizeof buffer));
		bx_html_raw(html, "\n");
	}
	bx_html_raw(html, "</textarea></div>");
}

/* One text input of a language map. */
static void write_language_input(struct bx_editor *editor, const json_t *schema, const char *text,
                                 const char *pointer, const char *language, const char *label,
                                 const char *group_id)
{
	struct bx_html *html = editor->html;
	char at[POINTER_MAX], id[ID_MAX], full_label[LABEL_MAX];
	if ((size_t)snprintf(at, sizeof at, "%s/%s", pointer, language) >= sizeof at)
		return;
	bx_editor_input_id(id, sizeof id, at);
	const char *language_name = bx_page_label(editor->page, "languages", language);
	snprintf(full_label, sizeof full_label, "%s (%s)", label, language_name);
	bool invalid = claim_problems(editor, at, true, id, full_label) > 0;
	const json_t *limit = json_object_get(schema, "maxLength");
	bool long_text = !json_is_integer(limit) || json_integer_value(limit) > 300;
	bx_html_raw(html, "<div class=\"field\"><label");
	bx_html_attr(html, "for", id);
	bx_html_raw(html, ">");
	bx_html_text(html, language_name);
	bx_html_raw(html, "</label>");
	write_problems(editor, id);
	bx_html_raw(html, long_text ? "<textarea rows=\"4\"" : "<input");
	bx_html_attr(html, "id", id);
	bx_html_attr(html, "name", at);
	bx_html_attr(html, "lang", language);
	bx_html_raw(html, bx_language_rtl(language) ? " dir=\"rtl\"" : " dir=\"ltr\"");
	write_described_by(editor, id, invalid, NULL, group_id);
	if (long_text) {
		bx_html_raw(html, ">");
		bx_html_text(html, text);
		bx_html_raw(html, "</textarea></div>");
	} else {
		bx_html_attr(html, "value", text);
		bx_html_raw(html, "></div>");
	}
}

/* A language map: the page's language first, the other UN languages, then any other
 * language the value holds. */
static void write_lstring(struct bx_editor *editor, const json_t *schema, const json_t *value,
                          const char *pointer, const char *label, bool required)
{
	char id[ID_MAX], hint_id[ID_MAX + 8];
	bool invalid = open_fieldset(editor, "lstring", pointer, label, required, id);
	if (required) {
		snprintf(hint_id, sizeof hint_id, "%s-hint", id);
		write_hint(editor, hint_id, "editor.one_language");
	}
	const char *page_language = editor->page->lang;
	write_language_input(editor, schema, json_string_value(json_object_get(value, page_language)), pointer,
	                     page_language, label, invalid ? id : NULL);
	for (int i = 0; i < BX_LANGUAGES; i++)
		if (strcmp(bx_languages[i], page_language))
			write_language_input(editor, schema, json_string_value(json_object_get(value, bx_languages[i])),
			                     pointer, bx_languages[i], label, invalid ? id : NULL);
	const char *language;
	json_t *text;
	json_object_foreach((json_t *)value, language, text)
		if (bx_language_index(language) < 0 && json_is_string(text))
			write_language_input(editor, schema, json_string_value(text), pointer, language, label,
			                     invalid ? id : NULL);
	bx_html_raw(editor->html, "</fieldset>");
}

static void write_properties(struct bx_editor *editor, const json_t *schema, const json_t *value,
                             const char *pointer)
{
	const json_t *required = json_object_get(schema, "required");
	const char *name;
	json_t *property;
	json_object_foreach((json_t *)json_object_get(schema, "properties"), name, property) {
		char at[POINTER_MAX];
		bool is_required = false;
		size_t i;
		json_t *required_name;
		json_array_foreach((json_t *)required, i, required_name)
			is_required |= json_is_string(required_name) && !strcmp(json_string_value(required_name), name);
		if ((size_t)snprintf(at, sizeof at, "%s/%s", pointer, name) < sizeof at)
			write_property(editor, property, json_object_get(value, name), at,
			               property_label(editor, property, name), is_required);
	}
}

/* A list of objects or language maps: a fieldset per row, the rows there are and
 * BX_EDITOR_EMPTY_ROWS empty ones (rows left empty are not read back). */
static void write_rows(struct bx_editor *editor, const json_t *schema, const json_t *values,
                       const char *pointer, const char *label, bool required)
{
	struct bx_html *html = editor->html;
	const json_t *items = json_object_get(schema, "items");
	char id[ID_MAX], hint_id[ID_MAX + 8];
	open_fieldset(editor, "rows", pointer, label, required, id);
	snprintf(hint_id, sizeof hint_id, "%s-hint", id);
	write_hint(editor, hint_id, "editor.rows_hint");
	size_t n_rows = json_array_size(values) + BX_EDITOR_EMPTY_ROWS;
	for (size_t row = 0; row < n_rows && row < BX_EDITOR_MAX_ROWS + BX_EDITOR_EMPTY_ROWS; row++) {
		char at[POINTER_MAX], row_label[LABEL_MAX];
		if ((size_t)snprintf(at, sizeof at, "%s/%zu", pointer, row) >= sizeof at)
			break;
		const char *row_text = bx_page_text(editor->page, "editor.row");
		const char *n_at = strstr(row_text, "{n}");
		if (n_at)
			snprintf(row_label, sizeof row_label, "%s: %.*s%zu%s", label, (int)(n_at - row_text), row_text,
			         row + 1, n_at + 3);
		else
			snprintf(row_label, sizeof row_label, "%s: %zu", label, row + 1);
		const json_t *value = json_array_get(values, row);
		if (is_lstring(items)) {
			write_lstring(editor, items, value, at, row_label, false);
			continue;
		}
		char row_id[ID_MAX];
		open_fieldset(editor, "row", at, row_label, false, row_id);
		write_properties(editor, items, value, at);
		bx_html_raw(html, "</fieldset>");
	}
	bx_html_raw(html, "</fieldset>");
}

static void write_property(struct bx_editor *editor, const json_t *schema, const json_t *value,
                           const char *pointer, const char *label, bool required)
{
	if (is_lstring(schema)) {
		write_lstring(editor, schema, value, pointer, label, required);
	} else if (is_type(schema, "object")) {
		char id[ID_MAX];
		open_fieldset(editor, "group", pointer, label, required, id);
		write_properties(editor, schema, value, pointer);
		bx_html_raw(editor->html, "</fieldset>");
	} else if (is_type(schema, "array")) {
		const json_t *items = json_object_get(schema, "items");
		if (is_lstring(items) || is_type(items, "object"))
			write_rows(editor, schema, value, pointer, label, required);
		else
			write_list(editor, schema, value, pointer, label, required);
	} else {
		write_scalar(editor, schema, value, pointer, label, required);
	}
}

void bx_editor_write(struct bx_editor *editor, const json_t *schema, const json_t *record)
{
	write_properties(editor, schema, record, "");
}
