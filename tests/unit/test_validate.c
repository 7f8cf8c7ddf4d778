/* Unit tests of src/core/validate.c and src/core/schema.c: valid records of several types
 * pass; every kind of problem is reported, all at once, each with the expected JSON
 * pointer. Records are written with ' for " to keep them readable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/schema.h"
#include "core/validate.h"
#include "fixture.h"

/* Validates record and checks that the detail paths are exactly expected (a
 * NULL-terminated list, in any order, repeats counted). Consumes record. */
static void check_record(const struct bx_catalog *catalog, bool foreign_ids, json_t *record,
                         const char *const *expected)
{
	struct bx_validation v = {.catalog = catalog, .node = "test", .foreign_ids = foreign_ids,
	                          .details = json_array()};
	size_t n = bx_validate_record(&v, record);
	size_t n_expected = 0;
	while (expected[n_expected])
		n_expected++;
	bool same = n == n_expected && json_array_size(v.details) == n;
	json_t *unmatched = json_deep_copy(v.details);
	for (size_t i = 0; same && i < n_expected; i++) {
		bool found = false;
		for (size_t j = 0; j < json_array_size(unmatched) && !found; j++) {
			const char *path = json_string_value(json_object_get(json_array_get(unmatched, j), "path"));
			if (path && !strcmp(path, expected[i])) {
				json_array_remove(unmatched, j);
				found = true;
			}
		}
		same = found;
	}
	if (!same) {
		char *got = json_dumps(v.details, JSON_INDENT(1));
		print_error("expected %zu problem(s):", n_expected);
		for (size_t i = 0; i < n_expected; i++)
			print_error(" %s", expected[i]);
		print_error("\ngot %zu: %s\n", n, got);
		free(got);
	}
	/* Every detail has a message. */
	size_t i;
	json_t *detail;
	json_array_foreach(v.details, i, detail)
		assert_true(strlen(json_string_value(json_object_get(detail, "message")) ?: "") > 0);
	json_decref(unmatched);
	json_decref(v.details);
	json_decref(record);
	assert_true(same);
}

#define PATHS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})
#define EXPECT(json, ...) check_record(full.catalog, false, q(json), PATHS(__VA_ARGS__))
#define EXPECT_VALID(json) check_record(full.catalog, false, q(json), NONE)
#define PROBE(fields_json, ...) \
	check_record(probe.catalog, false, probe_record(fields_json), PATHS(__VA_ARGS__))
#define PROBE_VALID(fields_json) check_record(probe.catalog, false, probe_record(fields_json), NONE)

static json_t *probe_record(const char *fields_json)
{
	json_t *record = q("{'type': 'probe', 'title': {'en': 'Probe'}}");
	json_object_set_new(record, "fields", q(fields_json));
	return record;
}

/* A record of type with the given fields (text with '), otherwise minimal. */
static json_t *with_fields(const char *type, const char *fields_json)
{
	json_t *record = json_pack("{s:s, s:{s:s}}", "type", type, "title", "en", "A title");
	json_object_set_new(record, "fields", q(fields_json));
	return record;
}

#define FIELDS(type, fields_json, ...) \
	check_record(full.catalog, false, with_fields(type, fields_json), PATHS(__VA_ARGS__))
#define FIELDS_VALID(type, fields_json) \
	check_record(full.catalog, false, with_fields(type, fields_json), NONE)

static void valid_document(void **state)
{
	EXPECT_VALID("{'id': 'test:doc-1', 'type': 'document', 'status': 'published',"
	             " 'title': {'en': 'Note by the Executive Secretary', 'zh': '执行秘书的说明', 'ar': 'مذكرة'},"
	             " 'summary': {'fr': 'Résumé'}, 'text': {'es': 'Texto', 'zh-Hans': '全文', 'pt-BR': 'Texto'},"
	             " 'translations': {'zh': 'machine', 'ar': 'human', 'fr': 'official'},"
	             " 'conventions': ['cbd', 'cites'], 'countries': ['CN', 'FR'], 'regions': ['142', '030'],"
	             " 'targets': ['gbf:3', 'aichi:11', 'sdg:15.1', 'sdg:15'], 'subjects': ['gemet:7'],"
	             " 'date': '2024-02-29',"
	             " 'links': [{'url': 'https://example.org/a.pdf', 'title': {'en': 'PDF'}, 'language': 'en',"
	             "            'kind': 'document'}, {'url': 'http://example.org/'}],"
	             " 'fields': {'symbol': 'UNEP/CBD/COP/12/11', 'body': 'cbd-cop', 'meeting': 'cbd:cop-12',"
	             "            'agenda_item': '4', 'kind': 'note'},"
	             " 'meta': {'revision': 3, 'whatever': 'meta is not checked'}}");
	/* The smallest valid record: no id (the server makes one), no fields. */
	EXPECT_VALID("{'type': 'document', 'title': {'en': 'x'}}");
	/* A title with one empty language is fine when another has text. */
	EXPECT_VALID("{'type': 'document', 'title': {'en': '', 'fr': 'x'}, 'fields': {}}");
}

static void valid_expert(void **state)
{
	FIELDS_VALID("expert",
	             "{'name': {'en': 'Jane Doe', 'zh': '简·多伊'}, 'organization': 'test:org-1',"
	             " 'organization_name': {'en': 'University'}, 'expertise': ['gemet:7'],"
	             " 'disciplines': ['ecology'], 'knowledge_systems': ['scientific'],"
	             " 'languages': ['en', 'zh'], 'gender': 'woman',"
	             " 'nominated_by': {'country': 'CN', 'organization': 'test:org-2', 'date': '2020-05-01'},"
	             " 'conflict_of_interest': {'declared': false, 'date': '2020-05-01', 'statement': {'en': 'None'}},"
	             " 'contact': {'email': 'jane@example.org', 'phone': '+41 22 917 8111', 'address': 'Geneva'}}");
}

static void valid_national_report(void **state)
{
	FIELDS_VALID("national-report",
	             "{'convention': 'cbd', 'cycle': 'cbd-nr7', 'period': {'from': '2019', 'to': '2024'},"
	             " 'assessments': [{'target': 'gbf:3', 'national_target': 'test:nt-1', 'progress': 'on-track',"
	             "   'text': {'en': 'Progress', 'fr': 'Progrès'}, 'indicators': ['Coverage of protected areas'],"
	             "   'evidence': [{'url': 'https://example.org/e', 'title': {'en': 'Evidence'}}]},"
	             "  {'target': 'aichi:11', 'progress': 'insufficient-rate'}]}");
}

static void valid_partnership(void **state)
{
	FIELDS_VALID("partnership",
	             "{'kind': 'mou', 'parties': [{'name': {'en': 'IPBES'}, 'organization': 'test:ipbes',"
	             "   'group': 'ipbes', 'signed': '2021-03-01'},"
	             "  {'name': {'en': 'CBD'}, 'group': 'blg', 'signed': '2021-04-01', 'withdrawn': '2023-01-01'}],"
	             " 'purpose': {'en': 'Cooperation'}, 'areas': [{'en': 'Assessments'}, {'fr': 'Données'}],"
	             " 'entry_into_force': {'rule': 'majority-per-group', 'date': '2021-04-01', 'text': {'en': 'x'}},"
	             " 'duration_years': 5, 'review_interval_years': 2, 'withdrawal_notice_months': 0,"
	             " 'legally_binding': false, 'termination': {'en': 'Notice'}, 'decisions': ['test:dec-1'],"
	             " 'status': 'in-force'}");
}

static void valid_work_plan_activity(void **state)
{
	FIELDS_VALID("work-plan-activity",
	             "{'plan': 'test:plan-1', 'number': '1.2', 'area': {'en': 'Area'}, 'activity': {'en': 'Do'},"
	             " 'key_action': {'en': 'Key'}, 'timeframe': {'en': '2018-2019'},"
	             " 'period': {'from': '2017', 'to': '2020'},"
	             " 'lead': [{'name': {'en': 'CBD'}, 'organization': 'test:cbd', 'role': {'en': 'lead'}}],"
	             " 'partners': [{'name': {'en': 'CMS'}}],"
	             " 'mandates': [{'instrument': 'cbd', 'mandate': 'exists', 'reference': 'XIII/24'},"
	             "              {'instrument': 'cms', 'mandate': 'needed'}],"
	             " 'origin_document': {'symbol': 'UNEP/CBD/COP/13/24', 'paragraph': '10', 'record': 'test:doc-2'},"
	             " 'priority': 'high', 'status': 'planned'}");
}

static void every_problem_reported_at_once(void **state)
{
	EXPECT("{'id': 'other:x', 'type': 'document', 'summary': {'EN': 'x'}, 'extra': 1,"
	       " 'conventions': ['cbd', 'nope'], 'countries': ['CN', 'XX'], 'regions': ['999'],"
	       " 'targets': ['aichi:99'], 'subjects': ['gemet:0'], 'date': '2021-02-30',"
	       " 'status': 'public', 'translations': {'zh': 'google'},"
	       " 'links': [{'url': 'ftp://example.org/x'}], 'fields': {'kind': 'nonsense', 'symbol': 5}}",
	       "/extra", "/id", "/title", "/summary/EN", "/conventions/1", "/countries/1", "/regions/0",
	       "/targets/0", "/subjects/0", "/date", "/status", "/translations/zh", "/links/0/url",
	       "/fields/kind", "/fields/symbol");
	/* Not an object at all. */
	check_record(full.catalog, false, json_string("record"), PATHS(""));
	check_record(full.catalog, false, json_array(), PATHS(""));
}

static void title_problems(void **state)
{
	EXPECT("{'type': 'document'}", "/title");
	EXPECT("{'type': 'document', 'title': {}}", "/title");
	EXPECT("{'type': 'document', 'title': {'en': ''}}", "/title");
	EXPECT("{'type': 'document', 'title': 'A title'}", "/title");
	EXPECT("{'type': 'document', 'title': ['A title']}", "/title");
	EXPECT("{'type': 'document', 'title': {'en': 5}}", "/title/en", "/title");
	EXPECT("{'type': 'document', 'title': {'en': 'ok', 'fr': null}}", "/title/fr");
	/* A bad language key is reported, and it does not count as a language. */
	EXPECT("{'type': 'document', 'title': {'english': 'x'}}", "/title/english", "/title");
	EXPECT("{'type': 'document', 'title': {'en': 'x', 'EN': 'y', 'e': 'z', 'en_US': 'w', '': 'v'}}",
	       "/title/EN", "/title/e", "/title/en_US", "/title/");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'summary': {'zh': 1}, 'text': 'plain'}",
	       "/summary/zh", "/text");
	/* A language value is at most BX_MAX_LSTRING bytes. */
	for (size_t n = BX_MAX_LSTRING; n <= BX_MAX_LSTRING + 1; n++) {
		char *text = malloc(n + 1);
		memset(text, 'a', n);
		text[n] = '\0';
		json_t *record = q("{'type': 'document', 'title': {'fr': 'x'}}");
		json_object_set_new(record, "text", json_pack("{s:s}", "en", text));
		free(text);
		check_record(full.catalog, false, record, n == BX_MAX_LSTRING ? NONE : PATHS("/text/en"));
	}
}

static void type_problems(void **state)
{
	EXPECT("{'title': {'en': 'x'}}", "/type");
	EXPECT("{'type': 'blog-post', 'title': {'en': 'x'}}", "/type");
	EXPECT("{'type': 5, 'title': {'en': 'x'}}", "/type");
	EXPECT("{'type': 'Document', 'title': {'en': 'x'}}", "/type");
	/* The record types are the formats, not other vocabularies' terms. */
	EXPECT("{'type': 'countries', 'title': {'en': 'x'}}", "/type");
	/* With an unknown type the fields cannot be checked, but must still be an object. */
	EXPECT("{'type': 'blog-post', 'title': {'en': 'x'}, 'fields': {'anything': 1}}", "/type");
	EXPECT("{'type': 'blog-post', 'title': {'en': 'x'}, 'fields': [1]}", "/type", "/fields");
}

static void vocabulary_problems(void **state)
{
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'countries': ['CN', 'cn', 'ZZ', 'CHN', 5]}",
	       "/countries/1", "/countries/2", "/countries/3", "/countries/4");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'targets': ['gbf:3', 'gbf:99', 'aichi:11',"
	       " 'sdg:15.1', 'sdg:15.99', 'CN', 'gbf:']}",
	       "/targets/1", "/targets/4", "/targets/5", "/targets/6");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'subjects': ['gemet:7', 'gemet:999999999', '7']}",
	       "/subjects/1", "/subjects/2");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'conventions': ['cbd', 'CBD', 'greenpeace']}",
	       "/conventions/1", "/conventions/2");
	/* Terms of one vocabulary are not accepted in another. */
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'countries': ['cbd'], 'conventions': ['CN']}",
	       "/countries/0", "/conventions/0");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'countries': 'CN', 'targets': {'a': 1}}",
	       "/countries", "/targets");
}

static void date_problems(void **state)
{
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'date': '2021-02-30'}", "/date");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'date': '2021-13-01'}", "/date");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'date': '2021-1-1'}", "/date");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'date': 20210101}", "/date");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'date': '2021-01-01T00:00:00Z'}", "/date");
	EXPECT_VALID("{'type': 'document', 'title': {'en': 'x'}, 'date': '2020-02-29'}");
	/* Inside fields, format "date" is checked the same way. */
	FIELDS("partnership", "{'kind': 'mou', 'parties': [{'name': {'en': 'A'}, 'signed': '2021-02-30'}]}",
	       "/fields/parties/0/signed");
}

static void id_problems(void **state)
{
	EXPECT_VALID("{'id': 'test:a.b_c-D9', 'type': 'document', 'title': {'en': 'x'}}");
	/* Another node's id: refused on a plain create, kept when foreign ids are allowed. */
	EXPECT("{'id': 'other:doc-1', 'type': 'document', 'title': {'en': 'x'}}", "/id");
	EXPECT("{'id': 'tes:doc-1', 'type': 'document', 'title': {'en': 'x'}}", "/id");
	EXPECT("{'id': 'testing:doc-1', 'type': 'document', 'title': {'en': 'x'}}", "/id");
	check_record(full.catalog, true, q("{'id': 'other:doc-1', 'type': 'document', 'title': {'en': 'x'}}"), NONE);
	/* Malformed ids are refused either way. */
	static const char *const malformed[] = {
		"test", "test:", ":doc", "Test:doc", "t:doc", "test:doc 1", "test:doc/1", "test:doc:1",
		"test:é", "te_st:doc", "abcdefghijklmnopqrstuvwxyz0123456:doc",
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		for (int foreign = 0; foreign <= 1; foreign++) {
			json_t *record = q("{'type': 'document', 'title': {'en': 'x'}}");
			json_object_set_new(record, "id", json_string(malformed[i]));
			check_record(full.catalog, foreign, record, PATHS("/id"));
		}
	}
	EXPECT("{'id': 17, 'type': 'document', 'title': {'en': 'x'}}", "/id");
	EXPECT("{'id': null, 'type': 'document', 'title': {'en': 'x'}}", "/id");
}

static void unknown_envelope_keys(void **state)
{
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'symbol': 'A/B', 'Title': {'en': 'y'}}",
	       "/symbol", "/Title");
	/* RFC 6901: "~" is written "~0" and "/" is written "~1". */
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'a/b~c': 1, '~1': 2}", "/a~1b~0c", "/~01");
	EXPECT("{'type': 'document', 'title': {'en': 'x', 'e/n': 'y', 'z~': 'w'}}", "/title/e~1n", "/title/z~0");
	FIELDS("document", "{'x/y': 1, 'p~q': 2}", "/fields/x~1y", "/fields/p~0q");
}

static void fields_type_problems(void **state)
{
	FIELDS("document", "{'symbol': 5, 'body': true, 'meeting': ['test:m-1'], 'agenda_item': null}",
	       "/fields/symbol", "/fields/body", "/fields/meeting", "/fields/agenda_item");
	check_record(full.catalog, false, with_fields("document", "'a string'"), PATHS("/fields"));
	check_record(full.catalog, false, with_fields("document", "[]"), PATHS("/fields"));
	FIELDS("partnership", "{'kind': 'mou', 'duration_years': '5', 'legally_binding': 'yes',"
	       " 'parties': {'name': {'en': 'A'}}}",
	       "/fields/duration_years", "/fields/legally_binding", "/fields/parties");
	FIELDS("partnership", "{'kind': 'mou', 'duration_years': 1.5}", "/fields/duration_years");
	FIELDS("partnership", "{'kind': 'mou', 'duration_years': 0, 'review_interval_years': 51}",
	       "/fields/duration_years", "/fields/review_interval_years");
	FIELDS_VALID("partnership", "{'kind': 'mou', 'duration_years': 100, 'review_interval_years': 1}");
	/* x-lstring fields need a language map. */
	FIELDS("work-plan-activity", "{'activity': 'Do it', 'area': {'english': 'x'}}",
	       "/fields/activity", "/fields/area/english");
}

static void fields_unknown_property(void **state)
{
	FIELDS("document", "{'symbol': 'A/1', 'title': 'no'}", "/fields/title");
	FIELDS("national-report", "{'convention': 'cbd', 'period': {'from': '2019', 'until': '2024'}}",
	       "/fields/period/until");
	FIELDS("national-report", "{'convention': 'cbd', 'assessments': [{'target': 'gbf:3', 'score': 3}]}",
	       "/fields/assessments/0/score");
}

static void fields_vocabulary_and_enum(void **state)
{
	FIELDS("document", "{'kind': 'memo', 'body': 'cbd'}", "/fields/kind", "/fields/body");
	FIELDS("expert", "{'gender': 'w', 'disciplines': ['ecology', 'alchemy'],"
	       " 'nominated_by': {'country': 'XX'}}",
	       "/fields/gender", "/fields/disciplines/1", "/fields/nominated_by/country");
	PROBE_VALID("{'color': 'red'}");
	PROBE("{'color': 'blue'}", "/fields/color");
	PROBE("{'color': 'Red'}", "/fields/color");
	PROBE("{'color': 'red', 'country': 'FR'}", NULL);
}

static void fields_pattern(void **state)
{
	FIELDS("document", "{'meeting': 'Not An Id'}", "/fields/meeting");
	FIELDS("document", "{'meeting': 'test:ok-1x'}", NULL);
	/* '19' breaks both the pattern and minLength: two problems at one pointer. */
	FIELDS("national-report", "{'convention': 'cbd', 'cycle': 'CBD NR7', 'period': {'from': '19'}}",
	       "/fields/cycle", "/fields/period/from", "/fields/period/from");
	/* The pattern is anchored: extra text before or after does not match. */
	PROBE("{'color': 'red', 'code': 'ABCD'}", "/fields/code");
	PROBE("{'color': 'red', 'code': 'abc'}", "/fields/code");
	PROBE("{'color': 'red', 'code': 'ABC'}", NULL);
}

/* A string of n copies of the UTF-8 character c. */
static char *repeat(const char *c, size_t n)
{
	size_t length = strlen(c);
	char *text = malloc(length * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * length, c, length);
	text[length * n] = '\0';
	return text;
}

static void check_symbol_length(const char *c, size_t n, bool valid)
{
	json_t *record = with_fields("document", "{}");
	char *symbol = repeat(c, n);
	json_object_set_new(json_object_get(record, "fields"), "symbol", json_string(symbol));
	free(symbol);
	check_record(full.catalog, false, record, valid ? NONE : PATHS("/fields/symbol"));
}

static void fields_max_length_counts_characters(void **state)
{
	/* document.symbol has maxLength 200. */
	check_symbol_length("a", 200, true);
	check_symbol_length("a", 201, false);
	check_symbol_length("中", 200, true);    /* 600 bytes */
	check_symbol_length("中", 201, false);
	check_symbol_length("ع", 200, true);     /* 400 bytes */
	check_symbol_length("ع", 201, false);
	check_symbol_length("😀", 200, true);    /* 800 bytes, outside the BMP */

	/* On an x-lstring field the limit applies to each language (expert.name: 300). */
	json_t *record = with_fields("expert", "{}");
	char *long_zh = repeat("中", 301), *ok_ar = repeat("ب", 300);
	json_object_set_new(json_object_get(record, "fields"), "name",
	                    json_pack("{s:s, s:s}", "zh", long_zh, "ar", ok_ar));
	free(long_zh);
	free(ok_ar);
	check_record(full.catalog, false, record, PATHS("/fields/name/zh"));

	/* On an x-lstring field both bounds apply to each language (probe label: 2..5). */
	PROBE("{'color': 'red', 'label': {'en': 'abcdef', 'zh': '中文中文中'}}", "/fields/label/en");

	/* minLength counts characters too (probe tags: 2..5). */
	PROBE("{'color': 'red', 'tags': ['中', 'abcdef', '中文中文中']}", "/fields/tags/0", "/fields/tags/1");
}

/* docs/formats.md: "minLength, maxLength ... On an x-lstring property they apply to each
 * language's text". */
static void fields_lstring_min_length(void **state)
{
	PROBE("{'color': 'red', 'label': {'en': 'ab', 'zh': '中文'}}", NULL);
	PROBE("{'color': 'red', 'label': {'en': 'a', 'zh': '中'}}", "/fields/label/en", "/fields/label/zh");
}

static void fields_items_limits(void **state)
{
	/* expert.knowledge_systems: maxItems 10; over it, one problem for the list. */
	FIELDS("expert", "{'knowledge_systems': ['scientific', 'scientific', 'scientific', 'scientific',"
	       " 'scientific', 'scientific', 'scientific', 'scientific', 'scientific', 'scientific', 'other']}",
	       "/fields/knowledge_systems");
	FIELDS("expert", "{'knowledge_systems': ['scientific', 'scientific', 'scientific', 'scientific',"
	       " 'scientific', 'scientific', 'scientific', 'scientific', 'scientific', 'other']}", NULL);
	PROBE("{'color': 'red', 'tags': []}", "/fields/tags");
	PROBE("{'color': 'red', 'tags': ['ab', 'cd', 'ef', 'gh']}", "/fields/tags");
	PROBE("{'color': 'red', 'tags': ['ab', 'cd', 'ef']}", NULL);
	/* national-report.assessments: maxItems 200. */
	json_t *record = with_fields("national-report", "{'convention': 'cbd'}");
	json_t *assessments = json_array();
	for (int i = 0; i < 201; i++)
		json_array_append_new(assessments, json_pack("{s:s}", "target", "gbf:3"));
	json_object_set_new(json_object_get(record, "fields"), "assessments", assessments);
	check_record(full.catalog, false, record, PATHS("/fields/assessments"));
	/* An array without maxItems (probe "free") still stops at 200 values. */
	for (int n = 200; n <= 201; n++) {
		record = probe_record("{'color': 'red'}");
		json_t *values = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(values, json_integer(i));
		json_object_set_new(json_object_get(record, "fields"), "free", values);
		check_record(probe.catalog, false, record, n == 200 ? NONE : PATHS("/fields/free"));
	}
}

static void fields_required(void **state)
{
	FIELDS("national-report", "{}", "/fields/convention");
	check_record(full.catalog, false, q("{'type': 'national-report', 'title': {'en': 'x'}}"),
	             PATHS("/fields/convention"));
	FIELDS("partnership", "{'parties': [{'group': 'a'}]}", "/fields/kind", "/fields/parties/0/name");
	FIELDS("work-plan-activity", "{'mandates': [{'instrument': 'cbd'}, {'mandate': 'exists'}]}",
	       "/fields/mandates/0/mandate", "/fields/mandates/1/instrument");
	FIELDS("expert", "{'conflict_of_interest': {}}", "/fields/conflict_of_interest/declared");
	PROBE("{}", "/fields/color");
	PROBE("{'color': 'red', 'people': [{'x/y': true}]}", "/fields/people/0/name");
}

static void fields_nested_arrays_of_objects(void **state)
{
	FIELDS("national-report",
	       "{'convention': 'cbd', 'assessments': ["
	       "  {'target': 'gbf:3', 'progress': 'on-track'},"
	       "  {'target': 'aichi:99', 'progress': 'bogus', 'national_target': 'x',"
	       "   'indicators': ['', 5], 'text': {'en': 1},"
	       "   'evidence': [{'url': 'https://example.org/ok'}, {'url': 'javascript:alert(1)'}, {'title': {'en': 'x'}}]},"
	       "  {'progress': 'on-track'}, 'not an object']}",
	       "/fields/assessments/1/target", "/fields/assessments/1/progress",
	       "/fields/assessments/1/national_target", "/fields/assessments/1/indicators/0",
	       "/fields/assessments/1/indicators/1", "/fields/assessments/1/text/en",
	       "/fields/assessments/1/evidence/1/url", "/fields/assessments/1/evidence/2/url",
	       "/fields/assessments/2/target", "/fields/assessments/3");
	PROBE("{'color': 'red', 'people': [{'name': {'en': 'A'}, 'inner': {'public': 'p', 'other': 1}},"
	      " {'name': {'en': 'B'}, 'x/y': 'yes'}]}",
	      "/fields/people/0/inner/other", "/fields/people/1/x~1y");
}

static json_t *list_of(const char *value, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_string(value));
	return list;
}

static void lists_over_200_values(void **state)
{
	static const char *const lists[][2] = {
		{"countries", "CN"}, {"conventions", "cbd"}, {"regions", "142"}, {"targets", "gbf:3"},
		{"subjects", "gemet:7"},
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		json_t *record = q("{'type': 'document', 'title': {'en': 'x'}}");
		json_object_set_new(record, lists[i][0], list_of(lists[i][1], 200));
		check_record(full.catalog, false, record, NONE);
		record = q("{'type': 'document', 'title': {'en': 'x'}}");
		json_object_set_new(record, lists[i][0], list_of(lists[i][1], 201));
		char path[64];
		snprintf(path, sizeof path, "/%s", lists[i][0]);
		check_record(full.catalog, false, record, PATHS(path));
	}
	json_t *record = q("{'type': 'document', 'title': {'en': 'x'}}");
	json_t *links = json_array();
	for (int i = 0; i < 201; i++)
		json_array_append_new(links, json_pack("{s:s}", "url", "https://example.org/"));
	json_object_set_new(record, "links", links);
	check_record(full.catalog, false, record, PATHS("/links"));
}

static void link_problems(void **state)
{
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'links': ["
	       " {'url': 'https://example.org/ok'}, {'url': 'ftp://example.org/'}, {'url': 'https://'},"
	       " {'url': 'https:///path'}, {'url': 'javascript:alert(1)'}, {'url': 'https://exa mple.org/'},"
	       " {'url': 'example.org'}, {'url': 5}, {'url': 'https://example.org/\\u0001'},"
	       " {'url': 'https://example.org/<script>'}]}",
	       "/links/1/url", "/links/2/url", "/links/3/url", "/links/4/url", "/links/5/url",
	       "/links/6/url", "/links/7/url", "/links/8/url", "/links/9/url");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'links': [{'title': {'en': 'no url'}},"
	       " {'url': 'https://example.org/', 'kind': 'book', 'language': 'EN', 'size': 3}, 'https://a.org/']}",
	       "/links/0/url", "/links/1/kind", "/links/1/language", "/links/1/size", "/links/2");
	EXPECT("{'type': 'document', 'title': {'en': 'x'}, 'links': {'url': 'https://example.org/'}}", "/links");
	/* A URL over 2000 characters. */
	json_t *record = q("{'type': 'document', 'title': {'en': 'x'}}");
	char *tail = repeat("a", 2000), url[2100];
	snprintf(url, sizeof url, "https://example.org/%s", tail);
	free(tail);
	json_object_set_new(record, "links", json_pack("[{s:s}]", "url", url));
	check_record(full.catalog, false, record, PATHS("/links/0/url"));
	/* format "uri" inside fields follows the same rule. */
	PROBE("{'color': 'red', 'site': 'mailto:a@b.org'}", "/fields/site");
	PROBE("{'color': 'red', 'site': 'https://example.org/x?y=1#z'}", NULL);
}

static void other_formats_in_fields(void **state)
{
	FIELDS("expert", "{'contact': {'email': 'not-an-email', 'phone': 'call me'}}",
	       "/fields/contact/email", "/fields/contact/phone");
	FIELDS("expert", "{'contact': {'email': 'a@b@c.org'}}", "/fields/contact/email");
	FIELDS("expert", "{'contact': {'email': 'a@example.org.'}}", "/fields/contact/email");
	PROBE("{'color': 'red', 'when': '2021-06-30T12:30:45+05:30', 'score': 0.5}", NULL);
	PROBE("{'color': 'red', 'when': '2021-06-30 12:30', 'score': 1.5}", "/fields/when", "/fields/score");
	PROBE("{'color': 'red', 'score': -0.1, 'c~d': 'x'}", "/fields/score", "/fields/c~0d");
}

static void id_and_slug_syntax(void **state)
{
	size_t node_length = 0;
	assert_true(bx_is_record_id("cn:nbsap-2021", &node_length));
	assert_int_equal(node_length, 2);
	assert_true(bx_is_record_id("my-node-9:A.b_c-1", &node_length));
	assert_int_equal(node_length, 9);
	char id[300];
	memset(id, 'a', 32);
	snprintf(id + 32, sizeof id - 32, ":x");
	assert_true(bx_is_record_id(id, &node_length));
	assert_int_equal(node_length, 32);
	memset(id, 'a', 33);
	snprintf(id + 33, sizeof id - 33, ":x");
	assert_false(bx_is_record_id(id, NULL));
	snprintf(id, sizeof id, "cn:");
	memset(id + 3, 'z', 128);
	id[131] = '\0';
	assert_true(bx_is_record_id(id, NULL));
	id[131] = 'z';
	id[132] = '\0';
	assert_false(bx_is_record_id(id, NULL));
	static const char *const bad[] = {
		"", "cn", "cn:", ":x", "c:x", "CN:x", "cn:a:b", "cn:a/b", "cn:a b", "c_n:x", "cn :x", "cn:x\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (bx_is_record_id(bad[i], NULL))
			fail_msg("accepted id \"%s\"", bad[i]);

	assert_true(bx_is_node_slug("cn"));
	assert_true(bx_is_node_slug("node-2"));
	assert_true(bx_is_node_slug("abcdefghijklmnopqrstuvwxyz012345"));
	assert_false(bx_is_node_slug("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(bx_is_node_slug("c"));
	assert_false(bx_is_node_slug(""));
	assert_false(bx_is_node_slug("Cn"));
	assert_false(bx_is_node_slug("c_n"));
	assert_false(bx_is_node_slug("c.n"));
	assert_false(bx_is_node_slug("cn:"));
}

static void language_tags(void **state)
{
	static const char *const good[] = {
		"en", "zh", "ar", "fil", "zh-Hans", "es-419", "en-US", "sr-Latn-RS", "de-CH-1901",
	};
	static const char *const bad[] = {
		"", "e", "EN", "En", "engl", "en-", "en--US", "-en", "en_US", "en US", "en-abcdefghi", "中文",
		"en-US-", "1a",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!bx_is_language_tag(good[i]))
			fail_msg("refused language tag \"%s\"", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (bx_is_language_tag(bad[i]))
			fail_msg("accepted language tag \"%s\"", bad[i]);
}

/* bx_schema_check on schema text (with '); returns its result and checks problem text. */
static int schema_check(const char *text, const char *problem_part)
{
	json_t *schema = q(text);
	char problem[512] = "";
	int rc = bx_schema_check(schema, problem, sizeof problem);
	json_decref(schema);
	if (rc && problem_part && !strstr(problem, problem_part))
		fail_msg("problem \"%s\" does not mention \"%s\"", problem, problem_part);
	if (rc && !problem[0])
		fail_msg("no problem text");
	return rc;
}

static void schema_dialect(void **state)
{
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'pattern': '^[a-z]+$',"
	                              " 'maxLength': 5}, 'b': {'x-lstring': true}, 'c': {'type': 'array',"
	                              " 'items': {'type': 'integer', 'minimum': 0}}}, 'required': ['a'],"
	                              " 'additionalProperties': false}", NULL), 0);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'oneOf': []}}}",
	                              "oneOf"), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', '$ref': '#/x'}", "$ref"), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'array',"
	                              " 'items': {'type': 'string', 'const': 'x'}}}}", "/properties/a/items"),
	                 BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'pattern': '('}}}",
	                              "/properties/a"), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'pattern': 'a{2,1}'}}}",
	                              NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'null'}}}", NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': ['string', 'null']}}}", NULL),
	                 BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'additionalProperties': true}", NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'description': 'no type'}}}", NULL),
	                 BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'maxLength': -1}}}",
	                              NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'maxLength': '5'}}}",
	                              NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'format': 'ipv4'}}}",
	                              "format"), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'enum': [1, 2]}}}",
	                              NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'x-lstring': 'yes'}}}", NULL),
	                 BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': {'a': {'type': 'string', 'x-labels': {'en': 1}}}}",
	                              NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'object', 'properties': ['a']}", NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'type': 'array', 'items': {'type': 'string'}}", NULL), BX_EINVALID);
	assert_int_equal(schema_check("{'properties': {}}", NULL), BX_EINVALID);
	assert_int_equal(schema_check("[]", NULL), BX_EINVALID);
}

/* Every shipped format passes the dialect check (the loader relies on it). */
static void shipped_formats_pass_schema_check(void **state)
{
	static const char *const types[] = {
		"capacity-need", "capacity-offer", "decision", "document", "expert", "focal-point",
		"meeting", "national-report", "national-target", "nbsap", "organization", "partnership",
		"survey-response", "survey", "work-plan-activity",
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char path[256], problem[512] = "";
		snprintf(path, sizeof path, "formats/%s.json", types[i]);
		json_t *schema = json_load_file(path, 0, NULL);
		assert_non_null(schema);
		if (bx_schema_check(schema, problem, sizeof problem))
			fail_msg("%s: %s", path, problem);
		json_decref(schema);
		assert_non_null(bx_catalog_format(full.catalog, types[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_document),
		cmocka_unit_test(valid_expert),
		cmocka_unit_test(valid_national_report),
		cmocka_unit_test(valid_partnership),
		cmocka_unit_test(valid_work_plan_activity),
		cmocka_unit_test(every_problem_reported_at_once),
		cmocka_unit_test(title_problems),
		cmocka_unit_test(type_problems),
		cmocka_unit_test(vocabulary_problems),
		cmocka_unit_test(date_problems),
		cmocka_unit_test(id_problems),
		cmocka_unit_test(unknown_envelope_keys),
		cmocka_unit_test(fields_type_problems),
		cmocka_unit_test(fields_unknown_property),
		cmocka_unit_test(fields_vocabulary_and_enum),
		cmocka_unit_test(fields_pattern),
		cmocka_unit_test(fields_max_length_counts_characters),
		cmocka_unit_test(fields_lstring_min_length),
		cmocka_unit_test(fields_items_limits),
		cmocka_unit_test(fields_required),
		cmocka_unit_test(fields_nested_arrays_of_objects),
		cmocka_unit_test(lists_over_200_values),
		cmocka_unit_test(link_problems),
		cmocka_unit_test(other_formats_in_fields),
		cmocka_unit_test(id_and_slug_syntax),
		cmocka_unit_test(language_tags),
		cmocka_unit_test(schema_dialect),
		cmocka_unit_test(shipped_formats_pass_schema_check),
	};
	return cmocka_run_group_tests(tests, full_and_probe_setup, full_and_probe_teardown);
}
