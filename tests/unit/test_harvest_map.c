/* Unit tests of the oai_dc → envelope mapping (federation/harvest_map.c): ids that stay
 * the same across harvests, languages, title/summary/text, type from sets and dc:type,
 * subjects, links, date, conventions and countries; every mapped record validates. The
 * records are read from OAI-PMH XML by the real reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/validate.h"
#include "federation/harvest_map.h"
#include "fixture.h"

/* Does value equal the JSON text (' for ")? */
static bool equals(const json_t *value, const char *text)
{
	json_t *expected = q(text);
	bool same = json_equal(value, expected);
	json_decref(expected);
	return same;
}

#define HEAD "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2026-01-02T03:04:05Z" \
             "</responseDate><ListRecords>"
#define DC_OPEN "<metadata><oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'" \
                " xmlns:dc='http://purl.org/dc/elements/1.1/'>"
#define DC_CLOSE "</oai_dc:dc></metadata>"
#define TAIL "</ListRecords></OAI-PMH>"

static struct fixture f;

static int setup(void **state)
{
	return sodium_init() < 0 || fixture_open(&f, true) ? -1 : 0;
}

static int teardown(void **state)
{
	fixture_close(&f);
	return 0;
}

/* Maps the first record of an OAI-PMH response and checks that it validates. */
static json_t *map_first(const char *xml)
{
	struct bx_oai_response response;
	char message[256];
	if (bx_oai_response_read(xml, strlen(xml), &response, message, sizeof message))
		fail_msg("read: %s", message);
	assert_true(response.n_records >= 1);
	json_t *record = bx_harvest_map_oai_dc(f.catalog, "peer", &response.records[0]);
	bx_oai_response_free(&response);
	assert_non_null(record);
	json_t *details = json_array();
	struct bx_validation validation = {.catalog = f.catalog, .node = "test", .foreign_ids = true,
	                                   .details = details};
	if (bx_validate_record(&validation, record)) {
		char *shown = json_dumps(details, 0);
		fail_msg("invalid: %s", shown);
	}
	json_decref(details);
	return record;
}

static const char *text_at(const json_t *record, const char *key, const char *language)
{
	return json_string_value(json_object_get(json_object_get(record, key), language));
}

static void ids_are_stable_and_distinct(void **state)
{
	char a[BX_RECORD_ID_SIZE], b[BX_RECORD_ID_SIZE], c[BX_RECORD_ID_SIZE];
	bx_harvest_oai_id("oa", "plain-2", a);
	assert_string_equal(a, "oa:plain-2");
	bx_harvest_oai_id("oa", "oai:example.org:a/b", a);
	bx_harvest_oai_id("oa", "oai:example.org:a/b", b);
	bx_harvest_oai_id("oa", "oai:example.org:a-b", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);    /* the same once sanitized, told apart by the hash */
	assert_memory_equal(a, "oa:oai-example.org-a-b.", 23);
	assert_int_equal(strlen(a), 23 + 16);
	char long_identifier[400];
	memset(long_identifier, 'x', sizeof long_identifier - 1);
	long_identifier[sizeof long_identifier - 1] = '\0';
	bx_harvest_oai_id("oa", long_identifier, a);
	size_t node_length;
	assert_true(bx_is_record_id(a, &node_length));
	bx_harvest_oai_id("oa", "中文标识", a);
	assert_true(bx_is_record_id(a, &node_length));
}

static void full_record(void **state)
{
	json_t *record = map_first(HEAD "<record><header><identifier>oai:x:1</identifier>"
		"<datestamp>2025-01-01</datestamp><setSpec>type:nbsap</setSpec><setSpec>instrument:cbd</setSpec>"
		"<setSpec>country:CN</setSpec><setSpec>country:XX</setSpec></header>" DC_OPEN
		"<dc:title xml:lang='zh'>中国生物多样性保护战略与行动计划</dc:title>"
		"<dc:title xml:lang='zh'>第二个标题</dc:title>"
		"<dc:title xml:lang='ar'>استراتيجية الصين للتنوع البيولوجي</dc:title>"
		"<dc:description xml:lang='ar'>ملخص</dc:description>"
		"<dc:description xml:lang='ar'>نص طويل</dc:description>"
		"<dc:subject>gemet:7</dc:subject><dc:subject xml:lang='fr'>zones humides</dc:subject>"
		"<dc:date>2021-10-08T00:00:00Z</dc:date><dc:identifier>https://example.org/a.pdf</dc:identifier>"
		"<dc:identifier>urn:isbn:123</dc:identifier><dc:type>decision</dc:type>" DC_CLOSE "</record>" TAIL);
	assert_string_equal(json_string_value(json_object_get(record, "type")), "nbsap");
	assert_string_equal(text_at(record, "title", "zh"), "中国生物多样性保护战略与行动计划");
	assert_string_equal(text_at(record, "title", "ar"), "استراتيجية الصين للتنوع البيولوجي");
	assert_int_equal(json_object_size(json_object_get(record, "title")), 2);
	assert_string_equal(text_at(record, "summary", "ar"), "ملخص");
	assert_string_equal(text_at(record, "text", "ar"), "نص طويل");
	assert_string_equal(text_at(record, "text", "fr"), "zones humides");
	assert_true(equals(json_object_get(record, "subjects"), "['gemet:7']"));
	assert_true(equals(json_object_get(record, "conventions"), "['cbd']"));
	assert_true(equals(json_object_get(record, "countries"), "['CN']"));
	assert_string_equal(json_string_value(json_object_get(record, "date")), "2021-10-08");
	assert_true(equals(json_object_get(record, "links"), "[{'url': 'https://example.org/a.pdf'}]"));
	assert_string_equal(json_string_value(json_object_get(record, "status")), "published");
	assert_null(json_object_get(record, "meta"));
	json_decref(record);
}

static void languages_and_fallbacks(void **state)
{
	/* No xml:lang: the record's dc:language (ISO 639-2 of the six languages too), else "und". */
	json_t *record = map_first(HEAD "<record><header><identifier>a</identifier></header>" DC_OPEN
		"<dc:title>Inventaire</dc:title><dc:title xml:lang='EN-gb'>Inventory</dc:title>"
		"<dc:title xml:lang='not a tag'>x y</dc:title><dc:language>fre</dc:language>"
		"<dc:date>2020</dc:date><dc:type>meeting</dc:type>" DC_CLOSE "</record>" TAIL);
	assert_string_equal(text_at(record, "title", "fr"), "Inventaire");
	assert_string_equal(text_at(record, "title", "en-gb"), "Inventory");
	assert_int_equal(json_object_size(json_object_get(record, "title")), 2);
	assert_null(json_object_get(record, "date"));
	/* meeting needs fields Dublin Core does not have: document instead */
	assert_string_equal(json_string_value(json_object_get(record, "type")), "document");
	json_decref(record);
	record = map_first(HEAD "<record><header><identifier>b</identifier></header>" DC_OPEN
		"<dc:title>Sans langue</dc:title><dc:type>expert</dc:type>" DC_CLOSE "</record>" TAIL);
	assert_string_equal(text_at(record, "title", "und"), "Sans langue");
	assert_string_equal(json_string_value(json_object_get(record, "type")), "expert");
	json_decref(record);
	/* No title at all: the identifier stands in. */
	record = map_first(HEAD "<record><header><identifier>c-3</identifier></header>" DC_OPEN
		"<dc:description xml:lang='ru'>Описание</dc:description>" DC_CLOSE "</record>" TAIL);
	assert_string_equal(text_at(record, "title", "und"), "c-3");
	assert_string_equal(text_at(record, "summary", "ru"), "Описание");
	json_decref(record);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_are_stable_and_distinct),
		cmocka_unit_test(full_record),
		cmocka_unit_test(languages_and_fallbacks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
