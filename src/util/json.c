/* Limited JSON parsing (see json.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "util/buf.h"
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

/* ---- members of an object, the others passed over ---- */

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the string that starts at p (its opening quote), or NULL when it does not end: at
 * the first quote after an even run of backslashes (none, or escaped backslashes). */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end;) {
		const char *quote = memchr(p, '"', (size_t)(end - p));
		if (!quote)
			return NULL;
		size_t backslashes = 0;
		while (quote - backslashes > p && quote[-1 - (ptrdiff_t)backslashes] == '\\')
			backslashes++;
		if (backslashes % 2 == 0)
			return quote + 1;
		p = quote + 1;
	}
	return NULL;
}

static bool is_delimiter(char c)
{
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Past the value that starts at p, or NULL when it does not end: a string to its closing
 * quote, an object or array to its closing bracket (strings within followed), anything
 * else to the next delimiter. */
static const char *skip_value(const char *p, const char *end)
{
	if (p < end && *p == '"')
		return skip_string(p, end);
	if (p < end && (*p == '{' || *p == '[')) {
		size_t depth = 0;
		while (p < end) {
			char c = *p;
			if (c == '"') {
				if (!(p = skip_string(p, end)))
					return NULL;
				continue;
			}
			p++;
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0)
				return p;
		}
		return NULL;
	}
	while (p < end && !is_delimiter(*p))
		p++;
	return p;
}

/* Four hex digits at p as a number, or -1. */
static long hex4(const char *p)
{
	long value = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (digit < 0)
			return -1;
		value = value * 16 + digit;
	}
	return value;
}

static int append_code_point(struct bx_buf *out, unsigned long code)
{
	char utf8[4];
	size_t n = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	for (size_t i = n - 1; i > 0; i--, code >>= 6)
		utf8[i] = (char)(0x80 | (code & 0x3f));
	utf8[0] = (char)(lead[n] | code);
	return bx_buf_append(out, utf8, n);
}

int bx_json_decode_string(struct bx_buf *out, const char *p, const char *end, bool strict)
{
	int rc = 0;
	while (p < end && !rc) {
		const char *stop = strict ? p : memchr(p, '\\', (size_t)(end - p));
		while (strict && stop < end && *stop != '\\' && (unsigned char)*stop >= 0x20)
			stop++;
		if (!stop)
			stop = end;
		rc = bx_buf_append(out, p, (size_t)(stop - p));
		if (rc || stop == end)
			break;
		if (*stop != '\\' || end - stop < 2)   /* a control character (strict), or a lone backslash */
			return BX_EINVAL;
		char kind = stop[1];
		p = stop + 2;
		static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
		if (kind != 'u') {
			const char *found = kind ? strchr(simple, kind) : NULL;
			if (!found || (found - simple) % 2)
				return BX_EINVAL;
			rc = bx_buf_append(out, found + 1, 1);
			continue;
		}
		long code = end - p >= 4 ? hex4(p) : -1;
		if (code < 0)
			return BX_EINVAL;
		p += 4;
		if (code >= 0xd800 && code <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
			long low = hex4(p + 2);
			if (low >= 0xdc00 && low <= 0xdfff) {
				code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
				p += 6;
			}
		}
		bool lone = code >= 0xd800 && code <= 0xdfff;
		if (strict && (lone || !code))
			return BX_EINVAL;
		rc = append_code_point(out, lone ? 0xfffd : (unsigned long)code);
	}
	return rc;
}

/* The string that starts at p (its opening quote), unescaped into out (reset first);
 * returns past its closing quote, or NULL where jansson might judge otherwise (a control
 * character, an unknown escape, \u0000, a lone surrogate): the caller then asks jansson. */
static const char *decode_string(const char *p, const char *end, struct bx_buf *out)
{
	const char *close = skip_string(p, end);
	bx_buf_reset(out);
	return close && !bx_json_decode_string(out, p + 1, close - 1, true) ? close : NULL;
}

/* The lstring (an object of strings only) from p to end, read without jansson's lexer,
 * which reads about 30 MB/s; NULL for anything else or anything unusual (jansson then
 * reads it, and decides). */
static json_t *load_lstring(const char *p, const char *end)
{
	struct bx_buf key, text;
	bx_buf_init(&key, SIZE_MAX);
	bx_buf_init(&text, SIZE_MAX);
	json_t *object = json_object();
	p = object ? skip_space(p + 1, end) : end;
	bool ok = p < end && *p == '}';
	if (ok)
		p++;
	while (!ok && p < end && *p == '"' && (p = decode_string(p, end, &key))) {
		p = skip_space(p, end);
		if (p == end || *p++ != ':')
			break;
		p = skip_space(p, end);
		json_t *string;
		if (p == end || *p != '"' || !(p = decode_string(p, end, &text)) ||
		    !(string = json_stringn(text.data ? text.data : "", text.len)) ||
		    json_object_setn_new(object, key.data ? key.data : "", key.len, string))
			break;
		p = skip_space(p, end);
		if (p < end && *p == '}') {
			ok = true;
			p++;
		} else if (p < end && *p == ',') {
			p = skip_space(p + 1, end);
		} else {
			break;
		}
	}
	bx_buf_free(&key);
	bx_buf_free(&text);
	if (ok && p == end)
		return object;
	json_decref(object);
	return NULL;
}

json_t *bx_json_load_value(const char *text, size_t length)
{
	json_t *value = length && *text == '{' ? load_lstring(text, text + length) : NULL;
	return value ? value : json_loadb(text, length, JSON_DECODE_ANY, NULL);
}

static bool is_wanted(const char *key, size_t length, const char *const *keys, size_t n_keys)
{
	for (size_t i = 0; i < n_keys; i++)
		if (strlen(keys[i]) == length && !memcmp(keys[i], key, length))
			return true;
	return false;
}

json_t *bx_json_load_members(const char *text, size_t length, const char *const *keys, size_t n_keys)
{
	const char *p = skip_space(text, text + length), *end = text + length;
	json_t *object = json_object();
	if (!object || p == end || *p++ != '{')
		goto fail;
	p = skip_space(p, end);
	if (p < end && *p == '}')
		return object;
	for (;;) {
		const char *key = p;
		if (p == end || *p != '"' || !(p = skip_string(p, end)))
			goto fail;
		size_t key_length = (size_t)(p - key) - 2;
		p = skip_space(p, end);
		if (p == end || *p++ != ':')
			goto fail;
		const char *value = skip_space(p, end);
		if (!(p = skip_value(value, end)))
			goto fail;
		if (is_wanted(key + 1, key_length, keys, n_keys)) {
			json_t *member = bx_json_load_value(value, (size_t)(p - value));
			if (!member || json_object_setn_new(object, key + 1, key_length, member))
				goto fail;
		}
		p = skip_space(p, end);
		if (p < end && *p == ',') {
			p = skip_space(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return object;
		goto fail;
	}
fail:
	json_decref(object);
	return NULL;
}

/* Appends text[0..length) as a JSON string, quoted and escaped as jansson escapes it. */
static int write_string(struct bx_buf *out, const char *text, size_t length)
{
	int rc = bx_buf_puts(out, "\"");
	const char *run = text, *end = text + length;
	for (const char *c = text; !rc && c < end; c++) {
		unsigned char byte = (unsigned char)*c;
		if (byte >= 0x20 && byte != '"' && byte != '\\')
			continue;
		rc = bx_buf_append(out, run, (size_t)(c - run));
		static const char short_escapes[] = "\bb\ff\nn\rr\tt";
		const char *escape = byte ? strchr(short_escapes, byte) : NULL;
		if (!rc)
			rc = byte == '"' ? bx_buf_puts(out, "\\\"") : byte == '\\' ? bx_buf_puts(out, "\\\\")
			   : escape ? bx_buf_printf(out, "\\%c", escape[1]) : bx_buf_printf(out, "\\u%04X", byte);
		run = c + 1;
	}
	if (!rc)
		rc = bx_buf_append(out, run, (size_t)(end - run));
	return rc ? rc : bx_buf_puts(out, "\"");
}

int bx_json_write_string(struct bx_buf *out, const char *text)
{
	return write_string(out, text, strlen(text));
}

/* A real as jansson writes it: 17 significant digits, a point or an exponent, and the
 * exponent without a plus sign or leading zeros. */
static int write_real(struct bx_buf *out, double value)
{
	char text[40];
	int n = snprintf(text, sizeof text, "%.17g", value);
	for (int i = 0; i < n; i++)
		if (text[i] == ',')   /* a locale's decimal comma */
			text[i] = '.';
	char *exponent = strchr(text, 'e');
	if (exponent) {
		char *digits = exponent + 1 + (exponent[1] == '-'), *from = exponent + 1 + (exponent[1] == '-' || exponent[1] == '+');
		while (*from == '0' && from[1])
			from++;
		memmove(digits, from, strlen(from) + 1);
	}
	return bx_buf_printf(out, "%s%s", text, strpbrk(text, ".e") ? "" : ".0");
}

int bx_json_write(struct bx_buf *out, const json_t *value)
{
	int rc = 0;
	switch (json_typeof(value)) {
	case JSON_OBJECT: {
		const char *key;
		size_t key_length;
		json_t *member;
		bool first = true;
		rc = bx_buf_puts(out, "{");
		json_object_keylen_foreach((json_t *)value, key, key_length, member) {
			if (!rc && !first)
				rc = bx_buf_puts(out, ",");
			if (!rc)
				rc = write_string(out, key, key_length);
			if (!rc)
				rc = bx_buf_puts(out, ":");
			if (!rc)
				rc = bx_json_write(out, member);
			first = false;
		}
		return rc ? rc : bx_buf_puts(out, "}");
	}
	case JSON_ARRAY:
		rc = bx_buf_puts(out, "[");
		for (size_t i = 0; !rc && i < json_array_size(value); i++) {
			if (i)
				rc = bx_buf_puts(out, ",");
			if (!rc)
				rc = bx_json_write(out, json_array_get(value, i));
		}
		return rc ? rc : bx_buf_puts(out, "]");
	case JSON_STRING:
		return write_string(out, json_string_value(value), json_string_length(value));
	case JSON_INTEGER:
		return bx_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
	case JSON_REAL:
		return write_real(out, json_real_value(value));
	case JSON_TRUE:
		return bx_buf_puts(out, "true");
	case JSON_FALSE:
		return bx_buf_puts(out, "false");
	default:
		return bx_buf_puts(out, "null");
	}
}
