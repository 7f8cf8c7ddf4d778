/* Limited JSON parsing (see json.h). */
#include <stdio.h>
#include "util/json.h"

static size_t depth_of(const json_t *value)
{
	size_t deepest = 0, i;
	const char *key;
	json_t *child;
	if (json_is_object(value)) {
		json_object_foreach((json_t *)value, key, child) {
			size_t depth = depth_of(child);
			if (depth > deepest)
				deepest = depth;
		}
		return deepest + 1;
	}
	if (json_is_array(value)) {
		json_array_foreach((json_t *)value, i, child) {
			size_t depth = depth_of(child);
			if (depth > deepest)
				deepest = depth;
		}
		return deepest + 1;
	}
	return 0;
}

int bx_json_parse(const char *text, size_t length, json_t **out, char *message, size_t message_size)
{
	json_error_t error;
	*out = json_loadb(text, length, JSON_REJECT_DUPLICATES, &error);
	if (!*out) {
		snprintf(message, message_size, "malformed JSON at line %d, column %d: %s", error.line,
		         error.column, error.text);
		return BX_EINVAL;
	}
	if (depth_of(*out) > BX_JSON_MAX_DEPTH) {
		json_decref(*out);
		*out = NULL;
		snprintf(message, message_size, "JSON nested deeper than %d levels", BX_JSON_MAX_DEPTH);
		return BX_EINVAL;
	}
	return 0;
}

int bx_json_write_string(struct bx_buf *out, const char *text)
{
	int rc = bx_buf_puts(out, "\"");
	const char *run = text;
	for (const unsigned char *c = (const unsigned char *)text; !rc && *c; c++) {
		if (*c >= 0x20 && *c != '"' && *c != '\\')
			continue;
		rc = bx_buf_append(out, run, (size_t)((const char *)c - run));
		if (!rc)
			rc = *c == '"' ? bx_buf_puts(out, "\\\"") : *c == '\\' ? bx_buf_puts(out, "\\\\")
			   : *c == '\n' ? bx_buf_puts(out, "\\n") : bx_buf_printf(out, "\\u%04x", *c);
		run = (const char *)c + 1;
	}
	if (!rc)
		rc = bx_buf_puts(out, run);
	return rc ? rc : bx_buf_puts(out, "\"");
}
