/* Unit tests of the page readers (federation/harvest_read.c, harvest_read_xml.c): what a
 * changes-feed page must hold, the lines made from it, and the OAI-PMH reader on answers,
 * errors, deleted records, tokens, entities and things that are not OAI-PMH at all. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "federation/harvest_read.h"
#include "fixture.h"

/* Does value equal the JSON text (' for ")? */
static bool equals(const json_t *value, const char *text)
{
	json_t *expected = q(text);
	bool same = json_equal(value, expected);
	json_decref(expected);
	return same;
}

static int read_page(const char *text, int64_t since, struct bx_changes_page *page, char *message)
{
	char *json = strdup(text);
	for (char *p = json; *p; p++)
		if (*p == '\'')
			*p = '"';
	int rc = bx_changes_page_read(json, strlen(json), since, page, message, 256);
	free(json);
	return rc;
}

static void changes_pages(void **state)
{
	struct bx_changes_page page;
	char message[256];
	assert_int_equal(read_page("{'items': [{'seq': 5, 'id': 'fr:a', 'revision': 2, 'deleted': false,"
	                           " 'record': {'id': 'fr:a', 'meta': {'revision': 2}}},"
	                           " {'seq': 9, 'id': 'fr:b', 'revision': 3, 'deleted': true}],"
	                           " 'next': 9, 'more': true}", 4, &page, message), 0);
	assert_int_equal(page.next, 9);
	assert_true(page.more);
	json_t *line = bx_changes_item_line(json_array_get(page.items, 0));
	assert_string_equal(json_string_value(json_object_get(line, "id")), "fr:a");
	json_decref(line);
	line = bx_changes_item_line(json_array_get(page.items, 1));
	assert_true(equals(line, "{'id': 'fr:b', 'meta': {'revision': 3, 'deleted': true}}"));
	json_decref(line);
	bx_changes_page_free(&page);

	static const char *const bad[][2] = {
		{"[]", "expected"},
		{"{'items': [], 'next': 1}", "expected"},
		{"{'items': [{'seq': 3, 'id': 'fr:a', 'revision': 1, 'deleted': true}], 'next': 3, 'more': false}", "seq"},
		{"{'items': [{'seq': 5, 'id': 'nope', 'revision': 1, 'deleted': true}], 'next': 5, 'more': false}", "id"},
		{"{'items': [{'seq': 5, 'id': 'fr:a', 'revision': 0, 'deleted': true}], 'next': 5, 'more': false}", "revision"},
		{"{'items': [{'seq': 5, 'id': 'fr:a', 'revision': 1, 'deleted': false}], 'next': 5, 'more': false}", "record"},
		{"{'items': [{'seq': 5, 'id': 'fr:a', 'revision': 1, 'deleted': false, 'record': {'id': 'fr:b'}}],"
		 " 'next': 5, 'more': false}", "differs"},
		{"{'items': [], 'next': 4, 'more': true}", "advance"},
		{"{'items': [{'seq': 8, 'id': 'fr:a', 'revision': 1, 'deleted': true}], 'next': 6, 'more': false}", "back"},
		{"{'items': [", "malformed"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(read_page(bad[i][0], 4, &page, message), BX_EINVAL);
		if (!strstr(message, bad[i][1]))
			fail_msg("%s: %s", bad[i][0], message);
		assert_null(page.root);
	}
}

static int read_xml(const char *xml, struct bx_oai_response *response, char *message)
{
	return bx_oai_response_read(xml, strlen(xml), response, message, 256);
}

static void oai_answers(void **state)
{
	struct bx_oai_response response;
	char message[256];
	assert_int_equal(read_xml("<?xml version='1.0'?><OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'>"
		"<responseDate>2026-01-02T03:04:05Z</responseDate><ListRecords>"
		"<record><header status='deleted'><identifier> gone-1 </identifier><datestamp>2025-01-01</datestamp>"
		"<setSpec>type:nbsap</setSpec></header></record>"
		"<record><header><identifier>kept</identifier></header><metadata>"
		"<dc xmlns='http://www.openarchives.org/OAI/2.0/oai_dc/'><title>not dc</title></dc>"
		"<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/' "
		"xmlns:dc='http://purl.org/dc/elements/1.1/' xml:lang='ar'><dc:title>عنوان &amp; نص</dc:title>"
		"<dc:title xml:lang='zh'>标题</dc:title><dc:creator>ignored</dc:creator></oai_dc:dc></metadata></record>"
		"<resumptionToken cursor='0'>next&amp;1</resumptionToken></ListRecords></OAI-PMH>",
		&response, message), 0);
	assert_string_equal(response.verb, "ListRecords");
	assert_string_equal(response.response_date, "2026-01-02T03:04:05Z");
	assert_int_equal(response.n_records, 2);
	assert_true(response.records[0].deleted);
	assert_string_equal(response.records[0].identifier, "gone-1");
	assert_string_equal(response.records[0].sets.items[0].text, "type:nbsap");
	assert_false(response.records[1].deleted);
	assert_int_equal(response.records[1].title.n, 2);
	assert_string_equal(response.records[1].title.items[0].text, "عنوان & نص");
	assert_string_equal(response.records[1].title.items[0].language, "ar");
	assert_string_equal(response.records[1].title.items[1].language, "zh");
	assert_string_equal(response.resumption_token, "next&1");
	bx_oai_response_free(&response);

	assert_int_equal(read_xml("<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><error code='badVerb'>"
	                          "no</error></OAI-PMH>", &response, message), 0);
	assert_string_equal(response.error_code, "badVerb");
	bx_oai_response_free(&response);

	assert_int_equal(read_xml("<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><Identify>"
	                          "<granularity>YYYY-MM-DD</granularity></Identify></OAI-PMH>", &response, message), 0);
	assert_string_equal(response.verb, "Identify");
	assert_string_equal(response.granularity, "YYYY-MM-DD");
	bx_oai_response_free(&response);
}

static void not_oai(void **state)
{
	struct bx_oai_response response;
	char message[256];
	static const char *const bad[][2] = {
		{"", "XML"},
		{"{\"items\": []}", "XML"},
		{"<rss><channel/></rss>", "root element is <rss>"},
		{"<OAI-PMH><ListRecords/></OAI-PMH>", "root element"},
		{"<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'></OAI-PMH>", "without a verb"},
		{"<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><ListRecords><record>", "well-formed"},
		/* entities are never expanded, and an external one is never fetched */
		{"<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
		 "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY x SYSTEM 'http://127.0.0.1:9/x'>]>"
		 "<rss>&c;&x;</rss>", "XML"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_not_equal(read_xml(bad[i][0], &response, message), 0);
		if (!strstr(message, bad[i][1]))
			fail_msg("%s: %s", bad[i][0], message);
		assert_int_equal(response.n_records, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes_pages),
		cmocka_unit_test(oai_answers),
		cmocka_unit_test(not_oai),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
