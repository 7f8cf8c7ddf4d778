/* Unit tests of src/web/editor_read.c and editor_schema.c: a record built from the
 * editor's form fields, each named by its JSON pointer, as the schema says. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "web/editor.h"

static const char format_json[] =
	"{\"type\": \"object\", \"required\": [\"start\"], \"properties\": {"
	"\"number\": {\"type\": \"integer\"},"
	"\"start\": {\"type\": \"string\", \"format\": \"date\"},"
	"\"online\": {\"type\": \"boolean\"},"
	"\"place\": {\"x-lstring\": true},"
	"\"organizers\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
	"\"period\": {\"type\": \"object\", \"properties\": {\"from\": {\"type\": \"string\"}, \"to\": {\"type\": \"string\"}}},"
	"\"paragraphs\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {"
	"  \"number\": {\"type\": \"string\"}, \"text\": {\"x-lstring\": true}}}}}}";

/* The record read from body (a form as a browser sends it) under the editor's schema. */
static json_t *read_body(const char *body)
{
	static const char *const statuses[] = {"draft", "published"};
	json_t *format = json_loads(format_json, 0, NULL);
	json_t *schema = bx_editor_schema(format, statuses, 2);
	struct bx_form form;
	assert_non_null(schema);
	assert_int_equal(bx_form_parse(body, strlen(body), &bx_editor_form_limits, &form), 0);
	json_t *record = bx_editor_read(schema, &form);
	bx_form_free(&form);
	json_decref(schema);
	json_decref(format);
	return record;
}

static void assert_json(const json_t *value, const char *expected_json)
{
	json_t *expected = json_loads(expected_json, 0, NULL);
	char *have = json_dumps(value, JSON_SORT_KEYS | JSON_COMPACT);
	char *want = json_dumps(expected, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(have, want);
	free(have);
	free(want);
	json_decref(expected);
}

static void language_maps_keep_what_was_typed(void **state)
{
	json_t *record = read_body("csrf_token=x&%2Ftitle%2Fzh=%E4%B8%AD%E6%96%87&%2Ftitle%2Fen=+&%2Ftitle%2Far="
	                           "&%2Fsummary%2Fen=line+one%0D%0Aline+two+&%2Ftitle%2Fde=Titel");
	assert_json(record, "{\"title\": {\"zh\": \"中文\", \"de\": \"Titel\"},"
	                    " \"summary\": {\"en\": \"line one\\nline two \"}}");
	json_decref(record);
}

static void values_are_typed_as_the_schema_says(void **state)
{
	json_t *record = read_body("%2Ffields%2Fnumber=+13+&%2Ffields%2Fstart=2024-05-01&%2Ffields%2Fonline=false"
	                           "&%2Fdate=+2024-01-02&%2Fstatus=draft");
	assert_json(record, "{\"date\": \"2024-01-02\", \"status\": \"draft\","
	                    " \"fields\": {\"number\": 13, \"start\": \"2024-05-01\", \"online\": false}}");
	json_decref(record);
}

static void values_that_do_not_convert_stay_text(void **state)
{
	json_t *record = read_body("%2Ffields%2Fnumber=thirteen&%2Ffields%2Fonline=maybe&%2Fdate=2024-13-45");
	assert_json(record, "{\"date\": \"2024-13-45\","
	                    " \"fields\": {\"number\": \"thirteen\", \"online\": \"maybe\"}}");
	json_decref(record);
}

static void lists_come_from_choices_and_lines(void **state)
{
	json_t *record = read_body("%2Fcountries=CN&%2Fcountries=FR&%2Fcountries="
	                           "&%2Ffields%2Forganizers=cn%3Aa%0D%0A%0D%0A++cn%3Ab++%0D%0A");
	assert_json(record, "{\"countries\": [\"CN\", \"FR\"], \"fields\": {\"organizers\": [\"cn:a\", \"cn:b\"]}}");
	json_decref(record);
}

static void empty_rows_and_objects_are_left_out(void **state)
{
	json_t *record = read_body("%2Ffields%2Fparagraphs%2F0%2Fnumber=&%2Ffields%2Fparagraphs%2F0%2Ftext%2Fen="
	                           "&%2Ffields%2Fparagraphs%2F2%2Fnumber=1&%2Ffields%2Fparagraphs%2F1%2Ftext%2Ffr=Texte"
	                           "&%2Ffields%2Fperiod%2Ffrom=&%2Ffields%2Fperiod%2Fto="
	                           "&%2Flinks%2F0%2Furl=&%2Flinks%2F1%2Ftitle%2Fen=Full+text");
	assert_json(record, "{\"fields\": {\"paragraphs\": [{\"text\": {\"fr\": \"Texte\"}}, {\"number\": \"1\"}]},"
	                    " \"links\": [{\"title\": {\"en\": \"Full text\"}}]}");
	json_decref(record);
}

static void names_the_schema_does_not_know_are_ignored(void **state)
{
	json_t *record = read_body("%2Fmeta%2Frevision=9&%2Fid=cn%3Ax&type=nbsap&%2Ffields%2Fother=1"
	                           "&%2Ffields%2Fparagraphs%2F999%2Fnumber=1&%2Ffields%2Fparagraphs%2Fx%2Fnumber=2"
	                           "&%2Ftitle%2Fen%2Fdeep=3");
	assert_json(record, "{}");
	json_decref(record);
}

static void the_schema_offers_the_statuses_given(void **state)
{
	static const char *const statuses[] = {"draft", "submitted"};
	json_t *schema = bx_editor_schema(NULL, statuses, 2);
	json_t *properties = json_object_get(schema, "properties");
	assert_json(json_object_get(json_object_get(properties, "status"), "enum"), "[\"draft\", \"submitted\"]");
	assert_null(json_object_get(properties, "fields"));   /* a format without fields */
	assert_non_null(json_object_get(properties, "title"));
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(language_maps_keep_what_was_typed),
		cmocka_unit_test(values_are_typed_as_the_schema_says),
		cmocka_unit_test(values_that_do_not_convert_stay_text),
		cmocka_unit_test(lists_come_from_choices_and_lines),
		cmocka_unit_test(empty_rows_and_objects_are_left_out),
		cmocka_unit_test(names_the_schema_does_not_know_are_ignored),
		cmocka_unit_test(the_schema_offers_the_statuses_given),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
