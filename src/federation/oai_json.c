/* Reading a record's JSON text in place for the OAI-PMH answers (see oai_internal.h).
 * A ListRecords page turns hundreds of records into XML; building a jansson tree for
 * each took half the time, so the writers walk the text instead: spans for values,
 * members and items found by skipping, strings decoded only as they are written. The
 * text is the records service's own serialization, but every step is still checked and
 * bounded, so malformed text is an error, never an overrun. */
#include <string.h>
#include "federation/oai_internal.h"
#include "util/json.h"

#define MAX_DEPTH 64

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of the string whose opening quote is at p, past its closing quote; NULL
 * when it does not close. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		const char *quote = memchr(p, '"', (size_t)(end - p));
		if (!quote)
			return NULL;
		size_t backslashes = 0;
		for (const char *q = quote; q > p && q[-1] == '\\'; q--)
			backslashes++;
		if (backslashes % 2 == 0)
			return quote + 1;
		p = quote;
	}
	return NULL;
}

/* The end of the value at p (after white space), or NULL when malformed. Containers
 * are skipped with a stack of their brackets, strings as strings. */
static const char *skip_value(const char *p, const char *end)
{
	char stack[MAX_DEPTH];
	int depth = 0;
	p = skip_space(p, end);
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			if (!(p = skip_string(p, end)))
				return NULL;
		} else if (*p == '{' || *p == '[') {
			if (depth == MAX_DEPTH)
				return NULL;
			stack[depth++] = *p == '{' ? '}' : ']';
			p++;
		} else if (*p == '}' || *p == ']') {
			if (!depth || stack[depth - 1] != *p)
				return NULL;
			depth--;
			p++;
		} else if (*p == ',' || *p == ':' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			if (!depth)
				return NULL;
			p++;
		} else {
			const char *start = p;
			while (p < end && !strchr(",:]} \t\n\r\"{[", *p))
				p++;
			if (p == start)
				return NULL;
		}
	} while (depth);
	return p;
}

void bx_oai_json_walk(struct bx_oai_json container, struct bx_oai_json_walk *walk)
{
	*walk = (struct bx_oai_json_walk){0};
	if (!container.start || container.start >= container.end ||
	    (*container.start != '{' && *container.start != '['))
		return;
	walk->at = container.start + 1;
	walk->end = container.end;
	walk->close = *container.start == '{' ? '}' : ']';
}

int bx_oai_json_next(struct bx_oai_json_walk *walk, struct bx_oai_json *key, struct bx_oai_json *value)
{
	if (!walk->at)
		return 0;
	const char *p = skip_space(walk->at, walk->end);
	if (p < walk->end && *p == walk->close) {
		walk->at = NULL;
		return 0;
	}
	if (walk->started) {
		if (p >= walk->end || *p != ',')
			return BX_EINVAL;
		p = skip_space(p + 1, walk->end);
	}
	walk->started = true;
	*key = (struct bx_oai_json){0};
	if (walk->close == '}') {
		const char *key_end = p < walk->end && *p == '"' ? skip_string(p, walk->end) : NULL;
		if (!key_end)
			return BX_EINVAL;
		*key = (struct bx_oai_json){p, key_end};
		p = skip_space(key_end, walk->end);
		if (p >= walk->end || *p != ':')
			return BX_EINVAL;
		p = skip_space(p + 1, walk->end);
	}
	const char *value_end = skip_value(p, walk->end);
	if (!value_end)
		return BX_EINVAL;
	*value = (struct bx_oai_json){p, value_end};
	walk->at = value_end;
	return 1;
}

bool bx_oai_json_is_string(struct bx_oai_json value)
{
	return value.start && value.end - value.start >= 2 && *value.start == '"';
}

bool bx_oai_json_equals(struct bx_oai_json string, const char *text)
{
	/* Names and codes compared here never need escapes: one written with them is simply
	 * not equal. */
	size_t length = strlen(text);
	return bx_oai_json_is_string(string) && (size_t)(string.end - string.start) == length + 2 &&
	       !memcmp(string.start + 1, text, length) && !memchr(string.start + 1, '\\', length);
}

struct bx_oai_json bx_oai_json_get(struct bx_oai_json object, const char *name)
{
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, value;
	bx_oai_json_walk(object, &walk);
	if (walk.close == '}')
		while (bx_oai_json_next(&walk, &key, &value) == 1)
			if (bx_oai_json_equals(key, name))
				return value;
	return (struct bx_oai_json){0};
}

/* The length of text cut at max bytes, backing off to a character boundary. */
static size_t cut_length(const char *text, size_t length, size_t max)
{
	if (length <= max)
		return length;
	while (max && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int bx_oai_xml_json_string(struct bx_buf *out, struct bx_oai_json string, bool attribute, size_t max)
{
	if (!bx_oai_json_is_string(string))
		return BX_EINVAL;
	const char *content = string.start + 1;
	size_t length = (size_t)(string.end - string.start) - 2;
	if (!memchr(content, '\\', length)) {
		length = cut_length(content, length, max);
		return attribute ? bx_oai_xml_attr(out, content, length) : bx_oai_xml_text(out, content, length);
	}
	struct bx_buf decoded;
	bx_buf_init(&decoded, length + 1);
	int rc = bx_json_decode_string(&decoded, content, content + length, false);
	if (!rc && decoded.len) {
		length = cut_length(decoded.data, decoded.len, max);
		rc = attribute ? bx_oai_xml_attr(out, decoded.data, length)
		               : bx_oai_xml_text(out, decoded.data, length);
	}
	bx_buf_free(&decoded);
	return rc;
}
