/* Unit tests of src/util: the capped buffer, checked number parsing, the ISO 8601 checks
 * and the limits of bx_json_parse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/json.h"
#include "util/num.h"
#include "util/timeutil.h"

static void buf_append_within_cap(void **state)
{
	struct bx_buf buf;
	bx_buf_init(&buf, 10);
	assert_int_equal(bx_buf_append(&buf, "12345", 5), 0);
	assert_int_equal(bx_buf_puts(&buf, "67890"), 0);   /* exactly at the cap */
	assert_int_equal(buf.len, 10);
	assert_string_equal(buf.data, "1234567890");
	bx_buf_free(&buf);
}

static void buf_append_past_cap_fails_and_keeps_content(void **state)
{
	struct bx_buf buf;
	bx_buf_init(&buf, 10);
	assert_int_equal(bx_buf_puts(&buf, "12345"), 0);
	assert_int_equal(bx_buf_append(&buf, "678901", 6), BX_ETOOBIG);
	assert_int_equal(buf.len, 5);
	assert_string_equal(buf.data, "12345");
	assert_int_equal(bx_buf_puts(&buf, "abcdef"), BX_ETOOBIG);
	assert_int_equal(bx_buf_printf(&buf, "%d", 123456), BX_ETOOBIG);
	assert_int_equal(buf.len, 5);
	assert_string_equal(buf.data, "12345");
	/* A length that would overflow size_t arithmetic is refused too. */
	assert_int_equal(bx_buf_append(&buf, "x", SIZE_MAX), BX_ETOOBIG);
	assert_int_equal(bx_buf_append(&buf, "x", SIZE_MAX - 2), BX_ETOOBIG);
	assert_string_equal(buf.data, "12345");
	/* What still fits goes in. */
	assert_int_equal(bx_buf_printf(&buf, "%s-%d", "ab", 7), 0);
	assert_string_equal(buf.data, "12345ab-7");
	assert_int_equal(bx_buf_append(&buf, "z", 1), 0);
	assert_int_equal(bx_buf_append(&buf, "z", 1), BX_ETOOBIG);
	assert_string_equal(buf.data, "12345ab-7z");
	bx_buf_free(&buf);
}

static void buf_grows_past_initial_allocation(void **state)
{
	struct bx_buf buf;
	bx_buf_init(&buf, 1 << 20);
	char chunk[1000];
	memset(chunk, 'a', sizeof chunk);
	for (int i = 0; i < 100; i++)
		assert_int_equal(bx_buf_append(&buf, chunk, sizeof chunk), 0);
	assert_int_equal(buf.len, 100000);
	assert_int_equal(strlen(buf.data), 100000);
	assert_true(buf.cap > buf.len);
	bx_buf_free(&buf);
	assert_null(buf.data);
	assert_int_equal(buf.len, 0);
}

static void buf_reset_and_steal(void **state)
{
	struct bx_buf buf;
	bx_buf_init(&buf, 64);
	assert_int_equal(bx_buf_puts(&buf, "hello"), 0);
	bx_buf_reset(&buf);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.data, "");
	assert_int_equal(bx_buf_printf(&buf, "%s %s", "hi", "there"), 0);
	char *text = bx_buf_steal(&buf);
	assert_string_equal(text, "hi there");
	assert_null(buf.data);
	assert_int_equal(buf.len, 0);
	assert_int_equal(buf.max, 64);
	free(text);
	/* An empty append on a fresh buffer still gives a terminated string. */
	assert_int_equal(bx_buf_append(&buf, "", 0), 0);
	assert_non_null(buf.data);
	assert_string_equal(buf.data, "");
	bx_buf_free(&buf);
}

static void parse_int64_accepts(void **state)
{
	int64_t value = 99;
	assert_int_equal(bx_parse_int64("0", 0, 10, &value), 0);
	assert_int_equal(value, 0);
	assert_int_equal(bx_parse_int64("-0", -1, 1, &value), 0);
	assert_int_equal(value, 0);
	assert_int_equal(bx_parse_int64("42", 0, 100, &value), 0);
	assert_int_equal(value, 42);
	assert_int_equal(bx_parse_int64("-17", -20, 0, &value), 0);
	assert_int_equal(value, -17);
	assert_int_equal(bx_parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &value), 0);
	assert_true(value == INT64_MAX);
	assert_int_equal(bx_parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &value), 0);
	assert_true(value == INT64_MIN);
	/* The bounds are inclusive. */
	assert_int_equal(bx_parse_int64("10", 1, 10, &value), 0);
	assert_int_equal(bx_parse_int64("1", 1, 10, &value), 0);
}

static void parse_int64_refuses(void **state)
{
	int64_t value = 12345;
	static const char *const bad[] = {
		"", " 1", "1 ", "+1", "1x", "x1", "0x10", "-", "--1", "1.5", "1e3", "١٢",
		"9223372036854775808", "-9223372036854775809", "99999999999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bx_parse_int64(bad[i], INT64_MIN, INT64_MAX, &value) != BX_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(bx_parse_int64(NULL, 0, 10, &value), BX_EINVAL);
	assert_int_equal(bx_parse_int64("11", 0, 10, &value), BX_EINVAL);
	assert_int_equal(bx_parse_int64("0", 1, 10, &value), BX_EINVAL);
	assert_int_equal(bx_parse_int64("-1", 0, 10, &value), BX_EINVAL);
	assert_int_equal(value, 12345);   /* untouched on failure */
}

static void dates(void **state)
{
	static const char *const good[] = {
		"2021-01-01", "2024-02-29", "2000-02-29", "2021-02-28", "2021-12-31", "2021-04-30",
		"0001-01-01", "9999-12-31",
	};
	static const char *const bad[] = {
		"2021-02-30", "2021-13-01", "2021-00-10", "2021-01-00", "2021-04-31", "2023-02-29",
		"1900-02-29", "2100-02-29", "2021-1-01", "2021-01-1", "21-01-01", "2021/01/01",
		"2021-01-01x", "2021-01-01T00:00:00Z", "", "2021-01", "abcd-ef-gh", "2021-0a-01",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!bx_is_date(good[i]))
			fail_msg("refused date %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (bx_is_date(bad[i]))
			fail_msg("accepted date \"%s\"", bad[i]);
}

static void datetimes(void **state)
{
	static const char *const good[] = {
		"2021-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2021-06-30T12:30:45.123Z",
		"2021-06-30T12:30:45+05:30", "2021-06-30T12:30:45-08:00", "2021-06-30T12:30:45.5+00:00",
		"2021-06-30t12:30:45z", "2016-12-31T23:59:60Z",
	};
	static const char *const bad[] = {
		"2021-01-01", "2021-01-01T00:00:00", "2021-01-01T24:00:00Z", "2021-01-01T00:60:00Z",
		"2021-01-01T00:00:61Z", "2021-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
		"2021-01-01 00:00:00Z", "2021-01-01T00:00:00+0530", "2021-01-01T00:00:00+24:00",
		"2021-01-01T00:00:00+05:60", "2021-01-01T00:00:00.Z", "2021-01-01T00:00Z",
		"2021-01-01T0:00:00Z", "2021-01-01T00:00:00ZZ", "2021-01-01T00:00:00+05:30x", "",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!bx_is_datetime(good[i]))
			fail_msg("refused date-time %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (bx_is_datetime(bad[i]))
			fail_msg("accepted date-time \"%s\"", bad[i]);
}

static void time_iso_format(void **state)
{
	char text[BX_TIME_ISO_SIZE];
	bx_time_iso(0, text);
	assert_string_equal(text, "1970-01-01T00:00:00Z");
	bx_time_iso(951782400, text);   /* 2000-02-29 */
	assert_string_equal(text, "2000-02-29T00:00:00Z");
	assert_true(bx_is_datetime(text));
}

/* "[[[...]]]" or {"a":{"a":...}} nested depth levels. */
static char *nested(int depth, bool objects)
{
	size_t size = (size_t)depth * 6 + 8;
	char *text = malloc(size), *p = text;
	for (int i = 0; i < depth; i++) {
		const char *opening = objects ? "{\"a\":" : "[";
		memcpy(p, opening, strlen(opening));
		p += strlen(opening);
	}
	*p++ = '1';
	for (int i = 0; i < depth; i++)
		*p++ = objects ? '}' : ']';
	*p = '\0';
	return text;
}

static void json_depth_limit(void **state)
{
	char message[256];
	json_t *value;
	for (int objects = 0; objects <= 1; objects++) {
		char *text = nested(BX_JSON_MAX_DEPTH, objects);
		assert_int_equal(bx_json_parse(text, strlen(text), &value, message, sizeof message), 0);
		assert_non_null(value);
		json_decref(value);
		free(text);

		text = nested(BX_JSON_MAX_DEPTH + 1, objects);
		message[0] = '\0';
		value = (json_t *)1;
		assert_int_equal(bx_json_parse(text, strlen(text), &value, message, sizeof message), BX_EINVAL);
		assert_null(value);
		assert_non_null(strstr(message, "64"));
		free(text);
	}
	assert_int_equal(BX_JSON_MAX_DEPTH, 64);
}

static void json_refuses_duplicates_nul_and_junk(void **state)
{
	char message[256];
	json_t *value;
	static const char duplicate[] = "{\"a\": 1, \"b\": 2, \"a\": 3}";
	message[0] = '\0';
	assert_int_equal(bx_json_parse(duplicate, strlen(duplicate), &value, message, sizeof message),
	                 BX_EINVAL);
	assert_null(value);
	assert_non_null(strstr(message, "line"));
	static const char nested_duplicate[] = "{\"x\": [{\"k\": 1, \"k\": 1}]}";
	assert_int_equal(bx_json_parse(nested_duplicate, strlen(nested_duplicate), &value, message,
	                               sizeof message), BX_EINVAL);
	static const char nul[] = "{\"a\": \"x\\u0000y\"}";
	assert_int_equal(bx_json_parse(nul, strlen(nul), &value, message, sizeof message), BX_EINVAL);
	static const char trailing[] = "{\"a\": 1} x";
	assert_int_equal(bx_json_parse(trailing, strlen(trailing), &value, message, sizeof message),
	                 BX_EINVAL);
	/* Only length bytes are read: a valid prefix of a longer buffer parses. */
	static const char prefix[] = "[1, 2]garbage";
	assert_int_equal(bx_json_parse(prefix, 6, &value, message, sizeof message), 0);
	assert_int_equal(json_array_size(value), 2);
	json_decref(value);
	static const char same_key_elsewhere[] = "{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}";
	assert_int_equal(bx_json_parse(same_key_elsewhere, strlen(same_key_elsewhere), &value,
	                               message, sizeof message), 0);
	json_decref(value);
}

/* bx_json_load_members(text, keys) equals the whole of text parsed, less the other keys. */
static void assert_members_of(const char *text, const char *const *keys, size_t n_keys)
{
	json_t *whole = json_loads(text, 0, NULL), *expected = json_object();
	assert_non_null(whole);
	for (size_t i = 0; i < n_keys; i++)
		if (json_object_get(whole, keys[i]))
			json_object_set(expected, keys[i], json_object_get(whole, keys[i]));
	json_t *members = bx_json_load_members(text, strlen(text), keys, n_keys);
	assert_non_null(members);
	if (!json_equal(members, expected))
		fail_msg("%s: got %s", text, json_dumps(members, JSON_COMPACT));
	json_decref(members);
	json_decref(expected);
	json_decref(whole);
}

static void json_members_are_parsed_alone(void **state)
{
	const char *const keys[] = {"title", "n", "meta", "list"};
	assert_members_of("{}", keys, 4);
	assert_members_of(" { \"title\" : {\"zh\": \"生物多样性\", \"ar\": \"التنوع البيولوجي\"} } ", keys, 4);
	/* what is passed over holds quotes, escapes, brackets and commas in strings */
	assert_members_of("{\"text\": {\"en\": \"a \\\"}\\\\\\\", \\\"b\\\" ] [ {\"}, \"n\": -1.5e3,\"list\": [1, [2, {\"x\": \"]\"}], null, true],\"skip\":[{}],\"meta\":{\"rev\":2}}",
	                  keys, 4);
	assert_members_of("{\"a\":1,\"b\":false,\"c\":null,\"title\":\"\\u751f\\u7269\"}", keys, 4);
	assert_members_of("{\"n\":7}", keys, 4);
	/* a longer key is not a prefix match; a key written with an escape is not recognized */
	assert_members_of("{\"titles\": 2, \"nn\": 3, \"n\": 4}", keys, 4);
	json_t *none = bx_json_load_members("{\"ti\\u0074le\": 1}", 17, keys, 4);
	assert_int_equal(json_object_size(none), 0);
	json_decref(none);
	/* lstrings, read without jansson's lexer, give what jansson gives: every escape,
	 * characters beyond the BMP, empty ones, a repeated language */
	assert_members_of("{\"title\": {\"en\": \"a\\nb \\\"q\\\" \\\\ \\/ \\b\\f\\r\\t\", "
	                  "\"fr\": \"\\u00e9t\\u00C9\", \"zh\": \"\\u751f\\ud83d\\ude00物\"}}", keys, 4);
	assert_members_of("{\"title\": {}, \"meta\": {\"en\": \"\"}}", keys, 4);
	assert_members_of("{\"title\": {\"en\": \"a\", \"en\": \"b\"}, \"meta\": { \"ar\" : \"نص\" , \"x\": 1 }}", keys, 4);
	/* anything but an object, and a member taken that does not parse or end, is refused;
	 * so are the strings jansson refuses */
	const char *bad[] = {"", "[]", "\"title\"", "{\"title\": }", "{\"title\": [1, 2}", "{\"title\" 1}",
	                     "{\"title\": \"open", "{\"x\": 1", "{\"x\": 1 \"title\": 2}", "{title: 1}",
	                     "{\"title\": tru}", "{\"x\": [1,", "{\"x\": 1,}",
	                     "{\"title\": {\"en\": \"\\u0000\"}}", "{\"title\": {\"en\": \"\\ud800\"}}",
	                     "{\"title\": {\"en\": \"\\udc00x\"}}", "{\"title\": {\"en\": \"\\ud800\\u0041\"}}",
	                     "{\"title\": {\"en\": \"\\x\"}}", "{\"title\": {\"en\": \"\\u12G4\"}}",
	                     "{\"title\": {\"en\": \"a\tb\"}}", "{\"title\": {\"en\": \"\xff\"}}",
	                     "{\"title\": {\"\xc3\": \"x\"}}", "{\"title\": {\"en\": \"x\",}}",
	                     "{\"title\": {\"en\" \"x\"}}", "{\"title\": {\"en\": \"\\\"}}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (bx_json_load_members(bad[i], strlen(bad[i]), keys, 4))
			fail_msg("accepted %s", bad[i]);
	/* only length bytes are read */
	json_t *members = bx_json_load_members("{\"n\": 12}{", 9, keys, 4);
	assert_int_equal(json_integer_value(json_object_get(members, "n")), 12);
	json_decref(members);
}

/* bx_json_write writes what json_dumps writes, byte for byte: every kind of value, every
 * control character, quotes, backslashes, slashes, six scripts and a character beyond
 * the BMP, reals that are whole, tiny, huge and negative zero, the extreme integers. */
static void json_written_as_jansson_writes(void **state)
{
	(void)state;
	char controls[32];
	for (int c = 1; c < 32; c++)
		controls[c - 1] = (char)c;
	controls[31] = '\0';
	json_t *value = json_pack("{s:s, s:s, s:[f, f, f, f, f, f, f], s:[I, I, i], s:{}, s:[], s:[b, b, n], s:s, s:{s:{s:[s]}}}",
	                          "controls", controls, "quote \" back \\ slash /", "\"\\/\x7f",
	                          "reals", 0.1, 1.0, 1e300, -0.0, 123456789.123, 5e-324, -2.5,
	                          "integers", (json_int_t)INT64_MIN, (json_int_t)INT64_MAX, 0,
	                          "empty", "none", "flags", 1, 0,
	                          "scripts", "Biodiversité биоразнообразие 生物多样性 التنوع البيولوجي biodiversidad 😀",
	                          "deep", "a", "b", "c");
	assert_non_null(value);
	char *theirs = json_dumps(value, JSON_COMPACT);
	struct bx_buf ours;
	bx_buf_init(&ours, 1 << 20);
	assert_int_equal(bx_json_write(&ours, value), 0);
	assert_string_equal(ours.data, theirs);
	/* past the buffer's cap: refused */
	struct bx_buf small;
	bx_buf_init(&small, 16);
	assert_int_equal(bx_json_write(&small, value), BX_ETOOBIG);
	bx_buf_free(&small);
	bx_buf_free(&ours);
	free(theirs);
	json_decref(value);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_append_within_cap),
		cmocka_unit_test(buf_append_past_cap_fails_and_keeps_content),
		cmocka_unit_test(buf_grows_past_initial_allocation),
		cmocka_unit_test(buf_reset_and_steal),
		cmocka_unit_test(parse_int64_accepts),
		cmocka_unit_test(parse_int64_refuses),
		cmocka_unit_test(dates),
		cmocka_unit_test(datetimes),
		cmocka_unit_test(time_iso_format),
		cmocka_unit_test(json_depth_limit),
		cmocka_unit_test(json_refuses_duplicates_nul_and_junk),
		cmocka_unit_test(json_members_are_parsed_alone),
		cmocka_unit_test(json_written_as_jansson_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
