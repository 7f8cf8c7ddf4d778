/* Record validation (see validate.h). The envelope is checked field by field; `fields`
 * is walked against the type's schema, keyword by keyword of the dialect (schema.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/validate.h"
#include "util/timeutil.h"
#include "util/strings.h"

#define POINTER_SIZE 512

void bx_detail_add(json_t *details, const char *pointer, const char *format, ...)
{
	char message[512];
	va_list args;
	va_start(args, format);
	vsnprintf(message, sizeof message, format, args);
	va_end(args);
	json_array_append_new(details, json_pack("{s:s, s:s}", "path", pointer, "message", message));
}

/* Extends a JSON pointer with a key, escaping "~" and "/" as RFC 6901 says. */
static void pointer_key(char *out, const char *base, const char *key)
{
	size_t n = (size_t)snprintf(out, POINTER_SIZE, "%s/", base);
	for (; *key && n + 3 < POINTER_SIZE; key++) {
		if (*key == '~' || *key == '/') {
			out[n++] = '~';
			out[n++] = *key == '~' ? '0' : '1';
		} else {
			out[n++] = *key;
		}
	}
	out[n < POINTER_SIZE ? n : POINTER_SIZE - 1] = '\0';
}

static void pointer_index(char *out, const char *base, size_t index)
{
	if (snprintf(out, POINTER_SIZE, "%s/%zu", base, index) >= POINTER_SIZE)
		out[POINTER_SIZE - 1] = '\0';
}

static bool matches(const char *text, size_t min, size_t max, const char *allowed)
{
	size_t n = strlen(text);
	return n >= min && n <= max && strspn(text, allowed) == n;
}

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

bool bx_is_node_slug(const char *slug)
{
	return matches(slug, 2, 32, LOWER_DIGITS "-");
}

bool bx_is_record_id(const char *id, size_t *node_length)
{
	const char *colon = strchr(id, ':');
	if (!colon || colon - id > 32)
		return false;
	char node[33];
	memcpy(node, id, (size_t)(colon - id));
	node[colon - id] = '\0';
	if (node_length)
		*node_length = (size_t)(colon - id);
	return bx_is_node_slug(node) && matches(colon + 1, 1, 128, ALNUM "._-");
}

bool bx_is_language_tag(const char *tag)
{
	const char *p = tag;
	size_t n = 0;
	while (islower((unsigned char)*p) && n < 4) {
		p++;
		n++;
	}
	if (n < 2 || n > 3)
		return false;
	while (*p == '-') {
		p++;
		n = 0;
		while (isalnum((unsigned char)*p) && n < 9) {
			p++;
			n++;
		}
		if (n < 1 || n > 8)
			return false;
	}
	return *p == '\0';
}

static size_t utf8_length(const char *text)
{
	size_t n = 0;
	for (; *text; text++)
		n += ((unsigned char)*text & 0xC0) != 0x80;
	return n;
}

/* A language map: {"en": "...", "zh": "..."}. required: at least one non-empty value. */
static void check_lstring(struct bx_validation *v, const json_t *value, const char *pointer,
                          bool required)
{
	if (!json_is_object(value)) {
		bx_detail_add(v->details, pointer, "expected an object of texts by language, e.g. {\"en\": \"...\"}");
		return;
	}
	const char *language;
	json_t *text;
	bool has_text = false;
	json_object_foreach((json_t *)value, language, text) {
		char at[POINTER_SIZE];
		pointer_key(at, pointer, language);
		if (!bx_is_language_tag(language))
			bx_detail_add(v->details, at, "'%.40s' is not a language code such as en, zh or ar", language);
		else if (!json_is_string(text))
			bx_detail_add(v->details, at, "expected a string");
		else if (json_string_length(text) > BX_MAX_LSTRING)
			bx_detail_add(v->details, at, "text is longer than %d bytes", BX_MAX_LSTRING);
		else if (json_string_length(text) > 0)
			has_text = true;
	}
	if (required && !has_text)
		bx_detail_add(v->details, pointer, "at least one language is required");
}

/* A list of vocabulary term ids. */
static void check_terms(struct bx_validation *v, const json_t *value, const char *pointer,
                        const char *vocabulary, const char *what)
{
	if (!json_is_array(value)) {
		bx_detail_add(v->details, pointer, "expected a list of %s", what);
		return;
	}
	if (json_array_size(value) > BX_MAX_LIST) {
		bx_detail_add(v->details, pointer, "more than %d values", BX_MAX_LIST);
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach((json_t *)value, i, item) {
		char at[POINTER_SIZE];
		pointer_index(at, pointer, i);
		if (!json_is_string(item))
			bx_detail_add(v->details, at, "expected a string");
		else if (!bx_catalog_has_term(v->catalog, vocabulary, json_string_value(item)))
			bx_detail_add(v->details, at, "unknown %s '%.80s'", what, json_string_value(item));
	}
}

bool bx_is_http_url(const char *text)
{
	const char *rest = !strncmp(text, "https://", 8) ? text + 8 : !strncmp(text, "http://", 7) ? text + 7 : NULL;
	if (!rest || !*rest || *rest == '/')
		return false;
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

static bool is_email(const char *text)
{
	const char *at = strchr(text, '@');
	return at && at != text && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       at[1] != '.' && text[strlen(text) - 1] != '.' && !strpbrk(text, " \t\r\n<>\"");
}

static void check_schema(struct bx_validation *v, const json_t *schema, const json_t *value,
                         const char *pointer);

/* minLength and maxLength, in characters. */
static void check_length(struct bx_validation *v, const json_t *schema, const char *text,
                         const char *pointer)
{
	json_t *limit;
	size_t length = utf8_length(text);
	if ((limit = json_object_get(schema, "maxLength")) && length > (size_t)json_integer_value(limit))
		bx_detail_add(v->details, pointer, "longer than %lld characters", json_integer_value(limit));
	if ((limit = json_object_get(schema, "minLength")) && length < (size_t)json_integer_value(limit))
		bx_detail_add(v->details, pointer, "shorter than %lld characters", json_integer_value(limit));
}

static void check_string(struct bx_validation *v, const json_t *schema, const char *text,
                         const char *pointer)
{
	check_length(v, schema, text, pointer);
	const char *pattern = json_string_value(json_object_get(schema, "pattern"));
	const regex_t *compiled = pattern ? bx_catalog_pattern(v->catalog, pattern) : NULL;
	if (compiled && regexec(compiled, text, 0, NULL, 0) != 0)
		bx_detail_add(v->details, pointer, "'%.80s' does not match the pattern %s", text, pattern);
	const char *format = json_string_value(json_object_get(schema, "format"));
	if (format) {
		bool ok = !strcmp(format, "date") ? bx_is_date(text)
		        : !strcmp(format, "date-time") ? bx_is_datetime(text)
		        : !strcmp(format, "uri") ? bx_is_http_url(text) : is_email(text);
		if (!ok)
			bx_detail_add(v->details, pointer, "'%.80s' is not a valid %s", text, format);
	}
	json_t *allowed = json_object_get(schema, "enum");
	if (allowed) {
		bool found = false;
		size_t i;
		json_t *option;
		json_array_foreach(allowed, i, option)
			found = found || !strcmp(json_string_value(option), text);
		if (!found)
			bx_detail_add(v->details, pointer, "'%.80s' is not one of the allowed values", text);
	}
	const char *vocabulary = json_string_value(json_object_get(schema, "x-vocabulary"));
	if (vocabulary && !bx_catalog_has_term(v->catalog, vocabulary, text))
		bx_detail_add(v->details, pointer, "unknown %s term '%.80s'", vocabulary, text);
}

static void check_object(struct bx_validation *v, const json_t *schema, const json_t *value,
                         const char *pointer)
{
	json_t *properties = json_object_get(schema, "properties");
	size_t i;
	json_t *name;
	json_array_foreach(json_object_get(schema, "required"), i, name) {
		if (!json_object_get(value, json_string_value(name))) {
			char at[POINTER_SIZE];
			pointer_key(at, pointer, json_string_value(name));
			bx_detail_add(v->details, at, "is required");
		}
	}
	const char *key;
	json_t *member;
	json_object_foreach((json_t *)value, key, member) {
		char at[POINTER_SIZE];
		pointer_key(at, pointer, key);
		json_t *property = json_object_get(properties, key);
		if (property)
			check_schema(v, property, member, at);
		else if (json_is_false(json_object_get(schema, "additionalProperties")))
			bx_detail_add(v->details, at, "unknown field");
	}
}

static void check_schema(struct bx_validation *v, const json_t *schema, const json_t *value,
                         const char *pointer)
{
	if (json_is_true(json_object_get(schema, "x-lstring"))) {
		check_lstring(v, value, pointer, false);
		/* Length limits apply to each language's text. */
		const char *language;
		json_t *text;
		json_object_foreach(json_is_object(value) ? (json_t *)value : NULL, language, text) {
			if (json_is_string(text)) {
				char at[POINTER_SIZE];
				pointer_key(at, pointer, language);
				check_length(v, schema, json_string_value(text), at);
			}
		}
		return;
	}
	const char *type = json_string_value(json_object_get(schema, "type"));
	if (!type)
		return;
	bool ok = !strcmp(type, "string") ? json_is_string(value)
	        : !strcmp(type, "integer") ? json_is_integer(value)
	        : !strcmp(type, "number") ? json_is_number(value)
	        : !strcmp(type, "boolean") ? json_is_boolean(value)
	        : !strcmp(type, "object") ? json_is_object(value)
	        : json_is_array(value);
	if (!ok) {
		bx_detail_add(v->details, pointer, "expected %s %s", !strcmp(type, "integer") || !strcmp(type, "array") ||
		              !strcmp(type, "object") ? "an" : "a", type);
		return;
	}
	if (json_is_string(value)) {
		check_string(v, schema, json_string_value(value), pointer);
	} else if (json_is_number(value)) {
		json_t *minimum = json_object_get(schema, "minimum"), *maximum = json_object_get(schema, "maximum");
		if (minimum && json_number_value(value) < json_number_value(minimum))
			bx_detail_add(v->details, pointer, "less than %g", json_number_value(minimum));
		if (maximum && json_number_value(value) > json_number_value(maximum))
			bx_detail_add(v->details, pointer, "more than %g", json_number_value(maximum));
	} else if (json_is_object(value)) {
		check_object(v, schema, value, pointer);
	} else if (json_is_array(value)) {
		size_t n = json_array_size(value);
		json_t *limit;
		size_t max_items = BX_MAX_LIST;
		if ((limit = json_object_get(schema, "maxItems")) && (size_t)json_integer_value(limit) < max_items)
			max_items = (size_t)json_integer_value(limit);
		if (n > max_items) {
			bx_detail_add(v->details, pointer, "more than %zu values", max_items);
			return;
		}
		if ((limit = json_object_get(schema, "minItems")) && n < (size_t)json_integer_value(limit))
			bx_detail_add(v->details, pointer, "fewer than %lld values", json_integer_value(limit));
		json_t *items = json_object_get(schema, "items");
		size_t i;
		json_t *item;
		json_array_foreach((json_t *)value, i, item) {
			char at[POINTER_SIZE];
			pointer_index(at, pointer, i);
			if (items)
				check_schema(v, items, item, at);
		}
	}
}

static const char *const envelope_keys[] = {
	"id", "type", "title", "summary", "text", "translations", "conventions", "countries",
	"regions", "targets", "subjects", "date", "links", "fields", "status", "meta",
};
static const char *const statuses[] = {"draft", "submitted", "published", "withdrawn"};
static const char *const translation_kinds[] = {"official", "human", "machine"};
static const char *const link_kinds[] = {"document", "website", "data", "image", "video", "other"};

#define COUNT(list) (sizeof list / sizeof list[0])

static void check_id(struct bx_validation *v, const json_t *id)
{
	size_t node_length;
	if (!json_is_string(id) || !bx_is_record_id(json_string_value(id), &node_length)) {
		bx_detail_add(v->details, "/id", "an id is <node>:<local>, node [a-z0-9-]{2,32}, local [A-Za-z0-9._-]{1,128}");
		return;
	}
	const char *text = json_string_value(id);
	if (!v->foreign_ids && (strlen(v->node) != node_length || strncmp(text, v->node, node_length)))
		bx_detail_add(v->details, "/id", "new ids on this node start with '%s:'", v->node);
}

static void check_translations(struct bx_validation *v, const json_t *value)
{
	if (!json_is_object(value)) {
		bx_detail_add(v->details, "/translations", "expected an object of language: official|human|machine");
		return;
	}
	const char *language;
	json_t *kind;
	json_object_foreach((json_t *)value, language, kind) {
		char at[POINTER_SIZE];
		pointer_key(at, "/translations", language);
		if (!bx_is_language_tag(language))
			bx_detail_add(v->details, at, "'%.40s' is not a language code", language);
		else if (!bx_str_one_of(json_string_value(kind), translation_kinds, COUNT(translation_kinds)))
			bx_detail_add(v->details, at, "expected official, human or machine");
	}
}

static void check_links(struct bx_validation *v, const json_t *links)
{
	if (!json_is_array(links) || json_array_size(links) > BX_MAX_LIST) {
		bx_detail_add(v->details, "/links", "expected a list of at most %d links", BX_MAX_LIST);
		return;
	}
	size_t i;
	json_t *link;
	json_array_foreach((json_t *)links, i, link) {
		char at[POINTER_SIZE], member_at[POINTER_SIZE];
		pointer_index(at, "/links", i);
		if (!json_is_object(link)) {
			bx_detail_add(v->details, at, "expected an object with \"url\"");
			continue;
		}
		const char *key;
		json_t *member;
		json_object_foreach(link, key, member) {
			pointer_key(member_at, at, key);
			if (!strcmp(key, "url")) {
				if (!json_is_string(member) || strlen(json_string_value(member)) > 2000 ||
				    !bx_is_http_url(json_string_value(member)))
					bx_detail_add(v->details, member_at, "expected an http or https URL");
			} else if (!strcmp(key, "title")) {
				check_lstring(v, member, member_at, false);
			} else if (!strcmp(key, "language")) {
				if (!json_is_string(member) || !bx_is_language_tag(json_string_value(member)))
					bx_detail_add(v->details, member_at, "expected a language code");
			} else if (!strcmp(key, "kind")) {
				if (!bx_str_one_of(json_string_value(member), link_kinds, COUNT(link_kinds)))
					bx_detail_add(v->details, member_at, "expected document, website, data, image, video or other");
			} else {
				bx_detail_add(v->details, member_at, "unknown field");
			}
		}
		if (!json_object_get(link, "url")) {
			pointer_key(member_at, at, "url");
			bx_detail_add(v->details, member_at, "is required");
		}
	}
}

size_t bx_validate_record(struct bx_validation *v, const json_t *record)
{
	size_t before = json_array_size(v->details);
	if (!json_is_object(record)) {
		bx_detail_add(v->details, "", "a record is a JSON object");
		return 1;
	}
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)record, key, value) {
		if (!bx_str_one_of(key, envelope_keys, COUNT(envelope_keys))) {
			char at[POINTER_SIZE];
			pointer_key(at, "", key);
			bx_detail_add(v->details, at, "unknown field (record-type fields go in \"fields\")");
		}
	}
	if ((value = json_object_get(record, "id")))
		check_id(v, value);
	const char *type = json_string_value(json_object_get(record, "type"));
	const json_t *format = type ? bx_catalog_format(v->catalog, type) : NULL;
	if (!json_object_get(record, "type"))
		bx_detail_add(v->details, "/type", "is required");
	else if (!format)
		bx_detail_add(v->details, "/type", "unknown record type '%.80s'", type ? type : "");
	if (!(value = json_object_get(record, "title")))
		bx_detail_add(v->details, "/title", "at least one language is required");
	else
		check_lstring(v, value, "/title", true);
	if ((value = json_object_get(record, "summary")))
		check_lstring(v, value, "/summary", false);
	if ((value = json_object_get(record, "text")))
		check_lstring(v, value, "/text", false);
	if ((value = json_object_get(record, "translations")))
		check_translations(v, value);
	static const char *const lists[][3] = {
		{"conventions", "instruments", "instrument"}, {"countries", "countries", "country"},
		{"regions", "regions", "region"}, {"targets", "targets", "target"},
		{"subjects", "subjects", "subject"},
	};
	for (size_t i = 0; i < COUNT(lists); i++) {
		char at[POINTER_SIZE];
		pointer_key(at, "", lists[i][0]);
		if ((value = json_object_get(record, lists[i][0])))
			check_terms(v, value, at, lists[i][1], lists[i][2]);
	}
	if ((value = json_object_get(record, "date")) &&
	    (!json_is_string(value) || !bx_is_date(json_string_value(value))))
		bx_detail_add(v->details, "/date", "expected a date YYYY-MM-DD");
	if ((value = json_object_get(record, "links")))
		check_links(v, value);
	if ((value = json_object_get(record, "status")) &&
	    !bx_str_one_of(json_string_value(value), statuses, COUNT(statuses)))
		bx_detail_add(v->details, "/status", "expected draft, submitted, published or withdrawn");
	value = json_object_get(record, "fields");
	if (format) {
		json_t *empty = value ? NULL : json_object();
		check_schema(v, format, value ? value : empty, "/fields");
		json_decref(empty);
	} else if (value && !json_is_object(value)) {
		bx_detail_add(v->details, "/fields", "expected an object");
	}
	return json_array_size(v->details) - before;
}
