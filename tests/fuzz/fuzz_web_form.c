/* Fuzz target for the web forms (src/web/form.c) and the record editor's reader
 * (src/web/editor_read.c). The input is a form body as a browser posts it. Parsed within
 * the record form's limits, it is read as a record under the editor's schema with every
 * format of formats/ in turn. The result must be an object of the schema's properties
 * only, with no empty object, list or text, no blank around a value outside a language
 * map, and the same when read again. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "web/editor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FORMATS 32

static json_t *schemas[MAX_FORMATS];
static size_t n_schemas;

static void load_schemas(void)
{
	static const char *const statuses[] = {"draft", "submitted", "published"};
	DIR *dir = opendir("formats");
	struct dirent *entry;
	if (!dir)
		bx_fuzz_fail("cannot open formats/");
	while ((entry = readdir(dir)) && n_schemas < MAX_FORMATS) {
		char path[512];
		size_t length = strlen(entry->d_name);
		if (length < 6 || strcmp(entry->d_name + length - 5, ".json"))
			continue;
		snprintf(path, sizeof path, "formats/%s", entry->d_name);
		json_t *format = json_load_file(path, 0, NULL);
		if (!format)
			bx_fuzz_fail("cannot read %s", path);
		schemas[n_schemas++] = bx_editor_schema(format, statuses, 3);
		json_decref(format);
	}
	closedir(dir);
	if (!n_schemas)
		bx_fuzz_fail("no formats");
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Checks value, read under schema: only the schema's properties, nothing empty. */
static void check_value(const json_t *schema, const json_t *value)
{
	if (json_is_true(json_object_get(schema, "x-lstring"))) {
		const char *language;
		json_t *text;
		if (!json_is_object(value) || !json_object_size(value))
			bx_fuzz_fail("an empty language map, or not an object");
		json_object_foreach((json_t *)value, language, text)
			if (!*language || strchr(language, '/') || !json_is_string(text))
				bx_fuzz_fail("a language map with '%s'", language);
		return;
	}
	if (json_is_object(value)) {
		const json_t *properties = json_object_get(schema, "properties");
		const char *name;
		json_t *member;
		if (!json_object_size(value))
			bx_fuzz_fail("an empty object");
		json_object_foreach((json_t *)value, name, member) {
			if (!json_object_get(properties, name))
				bx_fuzz_fail("'%s' is not in the schema", name);
			check_value(json_object_get(properties, name), member);
		}
	} else if (json_is_array(value)) {
		size_t i;
		json_t *item;
		if (!json_array_size(value))
			bx_fuzz_fail("an empty list");
		json_array_foreach((json_t *)value, i, item)
			check_value(json_object_get(schema, "items"), item);
	} else if (json_is_string(value)) {
		const char *text = json_string_value(value);
		size_t length = json_string_length(value);
		if (!length || is_blank(text[0]) || is_blank(text[length - 1]))
			bx_fuzz_fail("a value with blanks around it, or empty");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!n_schemas) {
		bx_fuzz_setup();
		load_schemas();
	}
	struct bx_form form;
	int rc = bx_form_parse((const char *)data, size, &bx_editor_form_limits, &form);
	if (rc && rc != BX_EINVAL && rc != BX_ETOOBIG)
		bx_fuzz_fail("bx_form_parse: %s", bx_strerror(rc));
	for (size_t i = 0; !rc && i < form.n_fields; i++)
		if (!form.names[i] || !form.values[i])
			bx_fuzz_fail("field %zu has no name or value", i);
	const json_t *schema = schemas[size % n_schemas];
	json_t *record = rc ? NULL : bx_editor_read(schema, &form);
	if (!rc) {
		if (!json_is_object(record))
			bx_fuzz_fail("not an object");
		if (json_object_size(record))
			check_value(schema, record);
		json_t *again = bx_editor_read(schema, &form);
		if (!json_equal(record, again))
			bx_fuzz_fail("read twice, the form gave two records");
		json_decref(again);
	}
	json_decref(record);
	bx_form_free(&form);
	return 0;
}
