/* Load-time checks of format schemas (see schema.h). */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "core/schema.h"
#include "util/error.h"
#include "util/strings.h"

static const char *const value_types[] = {"string", "integer", "number", "boolean", "object", "array"};
static const char *const string_formats[] = {"date", "date-time", "uri", "email"};

static int fail(char *problem, size_t size, const char *pointer, const char *message)
{
	snprintf(problem, size, "%s: %s", *pointer ? pointer : "/", message);
	return BX_EINVALID;
}

static int check_node(const json_t *node, const char *pointer, bool top, char *problem, size_t size);

static int check_keyword(const char *key, const json_t *value, const char *pointer, bool top,
                         char *problem, size_t size)
{
	char child[1024];
	if (!strcmp(key, "$schema") || !strcmp(key, "title") || !strcmp(key, "description") ||
	    !strcmp(key, "pattern") || !strcmp(key, "x-vocabulary"))
		return json_is_string(value) ? 0 : fail(problem, size, pointer, "expects a string");
	if (!strcmp(key, "type"))
		return bx_str_one_of(json_string_value(value), value_types, 6) ? 0
		       : fail(problem, size, pointer, "\"type\" must be one type name");
	if (!strcmp(key, "format"))
		return bx_str_one_of(json_string_value(value), string_formats, 4) ? 0
		       : fail(problem, size, pointer, "unsupported \"format\"");
	if (!strcmp(key, "x-lstring") || !strcmp(key, "x-private"))
		return json_is_true(value) ? 0 : fail(problem, size, pointer, "expects true");
	if (!strcmp(key, "additionalProperties"))
		return json_is_false(value) ? 0 : fail(problem, size, pointer, "only false is supported");
	if (!strcmp(key, "minItems") || !strcmp(key, "maxItems") || !strcmp(key, "minLength") ||
	    !strcmp(key, "maxLength"))
		return json_is_integer(value) && json_integer_value(value) >= 0 ? 0
		       : fail(problem, size, pointer, "expects a non-negative integer");
	if (!strcmp(key, "minimum") || !strcmp(key, "maximum"))
		return json_is_number(value) ? 0 : fail(problem, size, pointer, "expects a number");
	if (!strcmp(key, "x-labels")) {
		const char *language;
		const json_t *label;
		if (!json_is_object(value))
			return fail(problem, size, pointer, "x-labels expects an object");
		json_object_foreach((json_t *)value, language, label)
			if (!json_is_string(label))
				return fail(problem, size, pointer, "x-labels values must be strings");
		return 0;
	}
	if (!strcmp(key, "enum") || !strcmp(key, "required")) {
		size_t i;
		const json_t *item;
		if (!json_is_array(value))
			return fail(problem, size, pointer, "expects an array of strings");
		json_array_foreach((json_t *)value, i, item)
			if (!json_is_string(item))
				return fail(problem, size, pointer, "expects an array of strings");
		return 0;
	}
	if (!strcmp(key, "items")) {
		snprintf(child, sizeof child, "%s/items", pointer);
		return check_node(value, child, false, problem, size);
	}
	if (!strcmp(key, "properties")) {
		const char *name;
		const json_t *property;
		if (!json_is_object(value))
			return fail(problem, size, pointer, "\"properties\" expects an object");
		json_object_foreach((json_t *)value, name, property) {
			snprintf(child, sizeof child, "%s/properties/%s", pointer, name);
			int rc = check_node(property, child, false, problem, size);
			if (rc)
				return rc;
		}
		return 0;
	}
	char message[300];
	snprintf(message, sizeof message, "keyword \"%s\" is not part of the dialect", key);
	return fail(problem, size, pointer, message);
}

static int check_node(const json_t *node, const char *pointer, bool top, char *problem, size_t size)
{
	if (!json_is_object(node))
		return fail(problem, size, pointer, "a schema must be an object");
	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)node, key, value) {
		int rc = check_keyword(key, value, pointer, top, problem, size);
		if (rc)
			return rc;
	}
	const char *pattern = json_string_value(json_object_get(node, "pattern"));
	if (pattern) {
		regex_t compiled;
		if (regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB) != 0)
			return fail(problem, size, pointer, "pattern does not compile as a POSIX ERE");
		regfree(&compiled);
	}
	if (!json_object_get(node, "type") && !json_object_get(node, "x-lstring"))
		return fail(problem, size, pointer, "needs \"type\" or \"x-lstring\"");
	return 0;
}

int bx_schema_check(const json_t *schema, char *problem, size_t problem_size)
{
	if (!json_is_object(schema) ||
	    strcmp(json_string_value(json_object_get(schema, "type")) ?: "", "object") != 0)
		return fail(problem, problem_size, "", "a format is a schema of \"type\": \"object\"");
	return check_node(schema, "", true, problem, problem_size);
}

int bx_schema_each_pattern(const json_t *schema, int (*fn)(void *, const char *), void *context)
{
	if (!json_is_object(schema))
		return 0;
	const char *pattern = json_string_value(json_object_get(schema, "pattern"));
	int rc = pattern ? fn(context, pattern) : 0;
	if (!rc)
		rc = bx_schema_each_pattern(json_object_get(schema, "items"), fn, context);
	const char *name;
	json_t *property;
	json_object_foreach(json_object_get(schema, "properties"), name, property) {
		if (rc)
			break;
		rc = bx_schema_each_pattern(property, fn, context);
	}
	return rc;
}
