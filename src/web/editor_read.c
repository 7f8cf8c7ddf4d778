/* Reading a record back from the editor's posted form (see editor.h). The schema leads:
 * each of its properties looks for the inputs named by its pointer, so a field the schema
 * does not name is never read. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/num.h"
#include "web/editor.h"

#define POINTER_MAX 512

static json_t *read_value(const json_t *schema, const struct bx_form *form, const char *pointer);

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* text[0..length) as a JSON string with CR LF made LF (browsers send a textarea's lines
 * with CR LF); NULL when it is only blanks. */
static json_t *text_value(const char *text, size_t length)
{
	size_t blank = 0;
	while (blank < length && is_blank(text[blank]))
		blank++;
	if (blank == length)
		return NULL;
	char *copy = malloc(length + 1);
	if (!copy)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < length; i++)
		if (!(text[i] == '\r' && i + 1 < length && text[i + 1] == '\n'))
			copy[n++] = text[i];
	json_t *value = json_stringn(copy, n);
	free(copy);
	return value;
}

/* One typed value, without the blanks around it, as schema's type says; what does not
 * convert stays text. NULL when blank. */
static json_t *scalar_value(const json_t *schema, const char *text, size_t length)
{
	while (length && is_blank(*text)) {
		text++;
		length--;
	}
	while (length && is_blank(text[length - 1]))
		length--;
	if (!length)
		return NULL;
	char copy[64];
	const char *type = json_string_value(json_object_get(schema, "type"));
	bool short_text = length < sizeof copy;
	if (short_text)
		snprintf(copy, sizeof copy, "%.*s", (int)length, text);
	if (type && short_text && !strcmp(type, "integer")) {
		int64_t number;
		if (!bx_parse_int64(copy, INT64_MIN, INT64_MAX, &number))
			return json_integer((json_int_t)number);
	} else if (type && short_text && !strcmp(type, "number")) {
		char *end;
		double number = strtod(copy, &end);
		if (end != copy && !*end)
			return json_real(number);
	} else if (type && !strcmp(type, "boolean") && (!strcmp(copy, "true") || !strcmp(copy, "false"))) {
		return json_boolean(!strcmp(copy, "true"));
	}
	return json_stringn(text, length);
}

/* Is name pointer, a '/', and one more segment (sets *rest to it)? */
static bool is_child(const char *name, const char *pointer, const char **rest)
{
	size_t length = strlen(pointer);
	if (strncmp(name, pointer, length) || name[length] != '/')
		return false;
	*rest = name + length + 1;
	return true;
}

static json_t *read_lstring(const struct bx_form *form, const char *pointer)
{
	json_t *lstring = json_object();
	for (size_t i = 0; i < form->n_fields; i++) {
		const char *language;
		if (!is_child(form->names[i], pointer, &language) || !*language || strchr(language, '/') ||
		    json_object_get(lstring, language))
			continue;
		json_t *text = text_value(form->values[i], strlen(form->values[i]));
		if (text)
			json_object_set_new(lstring, language, text);
	}
	if (json_object_size(lstring))
		return lstring;
	json_decref(lstring);
	return NULL;
}

static json_t *read_object(const json_t *schema, const struct bx_form *form, const char *pointer)
{
	json_t *object = json_object();
	const char *name;
	json_t *property;
	json_object_foreach((json_t *)json_object_get(schema, "properties"), name, property) {
		char at[POINTER_MAX];
		if ((size_t)snprintf(at, sizeof at, "%s/%s", pointer, name) >= sizeof at)
			continue;
		json_t *value = read_value(property, form, at);
		if (value)
			json_object_set_new(object, name, value);
	}
	if (json_object_size(object))
		return object;
	json_decref(object);
	return NULL;
}

/* Rows: the inputs named pointer/<n>/..., in the order of n. */
static json_t *read_rows(const json_t *items, const struct bx_form *form, const char *pointer)
{
	bool seen[BX_EDITOR_MAX_ROWS + BX_EDITOR_EMPTY_ROWS] = {false};
	for (size_t i = 0; i < form->n_fields; i++) {
		const char *rest;
		int64_t row;
		char digits[8];
		if (!is_child(form->names[i], pointer, &rest))
			continue;
		size_t length = strcspn(rest, "/");
		snprintf(digits, sizeof digits, "%.*s", (int)(length < sizeof digits ? length : sizeof digits - 1), rest);
		if (length < sizeof digits && !bx_parse_int64(digits, 0, sizeof seen / sizeof seen[0] - 1, &row))
			seen[row] = true;
	}
	json_t *rows = json_array();
	for (size_t row = 0; row < sizeof seen / sizeof seen[0]; row++) {
		char at[POINTER_MAX];
		if (!seen[row] || (size_t)snprintf(at, sizeof at, "%s/%zu", pointer, row) >= sizeof at)
			continue;
		json_t *value = read_value(items, form, at);
		if (value)
			json_array_append_new(rows, value);
	}
	return rows;
}

/* Simple values: every field named pointer (a multiple choice), each line of each one
 * (a list typed one per line). */
static json_t *read_lines(const json_t *items, const struct bx_form *form, const char *pointer)
{
	json_t *values = json_array();
	for (size_t i = 0; i < form->n_fields; i++) {
		if (strcmp(form->names[i], pointer))
			continue;
		for (const char *line = form->values[i]; *line;) {
			size_t length = strcspn(line, "\n");
			json_t *value = scalar_value(items, line, length);
			if (value)
				json_array_append_new(values, value);
			line += length + (line[length] == '\n');
		}
	}
	return values;
}

static bool holds_objects(const json_t *schema)
{
	const char *type = json_string_value(json_object_get(schema, "type"));
	return json_is_true(json_object_get(schema, "x-lstring")) || (type && !strcmp(type, "object"));
}

/* The value at pointer as schema describes it, or NULL when the form has none. */
static json_t *read_value(const json_t *schema, const struct bx_form *form, const char *pointer)
{
	const char *type = json_string_value(json_object_get(schema, "type"));
	if (json_is_true(json_object_get(schema, "x-lstring")))
		return read_lstring(form, pointer);
	if (type && !strcmp(type, "object"))
		return read_object(schema, form, pointer);
	if (type && !strcmp(type, "array")) {
		const json_t *items = json_object_get(schema, "items");
		json_t *values = holds_objects(items) ? read_rows(items, form, pointer) : read_lines(items, form, pointer);
		if (json_array_size(values))
			return values;
		json_decref(values);
		return NULL;
	}
	const char *text = bx_form_get(form, pointer);
	return text ? scalar_value(schema, text, strlen(text)) : NULL;
}

json_t *bx_editor_read(const json_t *schema, const struct bx_form *form)
{
	json_t *record = read_object(schema, form, "");
	return record ? record : json_object();
}
