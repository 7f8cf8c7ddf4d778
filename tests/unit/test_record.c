/* Unit tests of src/core/record.c: the canonical stored form (key order, lists without
 * repeats, regions from countries, ids and meta written by the server), facets, tombstones
 * and the removal of private fields. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include "core/record.h"
#include "core/validate.h"
#include "util/strings.h"
#include "util/timeutil.h"
#include "fixture.h"

static struct bx_write_context context(const char *actor)
{
	return (struct bx_write_context){.catalog = full.catalog, .node = "test", .actor = actor,
	                                 .address = "192.0.2.1"};
}

/* Prepares input text as a new record (current NULL) and checks it is valid first. */
static void prepare(const struct bx_write_context *ctx, const char *input, const struct bx_stored *current,
                    struct bx_prepared *out)
{
	json_t *record = q(input);
	struct bx_validation v = {.catalog = ctx->catalog, .node = "test", .foreign_ids = true,
	                          .details = json_array()};
	if (bx_validate_record(&v, record)) {
		char *details = json_dumps(v.details, 0);
		fail_msg("test input is not valid: %s", details);
	}
	json_decref(v.details);
	json_t *current_record = current ? json_loads(current->json, 0, NULL) : NULL;
	assert_int_equal(bx_record_prepare(ctx, record, current_record, "published",
	                                   current ? BX_WRITE_UPDATE : BX_WRITE_CREATE, out), 0);
	json_decref(current_record);
	json_decref(record);
}

static const char *text_of(const json_t *object, const char *key)
{
	return json_string_value(json_object_get(object, key));
}

static const char full_input[] =
	"{'meta': {'revision': 9, 'author': 'mallory'}, 'fields': {'symbol': 'UNEP/CBD/COP/12/11'},"
	" 'links': [{'url': 'https://example.org/'}], 'date': '2021-10-08', 'subjects': ['gemet:7'],"
	" 'targets': ['gbf:3', 'aichi:11', 'gbf:3', 'sdg:15.1'], 'regions': ['142'],"
	" 'countries': ['CN', 'JP', 'CN'], 'conventions': ['cbd', 'cbd', 'cites'],"
	" 'translations': {'en': 'machine'}, 'text': {'zh': '全文'}, 'summary': {'fr': 'Résumé'},"
	" 'title': {'zh': '说明', 'en': 'Note'}, 'status': 'submitted', 'type': 'document', 'id': 'test:n-1'}";

static void canonical_key_order(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared out;
	prepare(&ctx, full_input, NULL, &out);
	static const char *const order[] = {
		"id", "type", "status", "title", "summary", "text", "translations", "conventions",
		"countries", "regions", "targets", "subjects", "date", "links", "fields", "meta",
	};
	/* The serialization follows the order (jansson keeps insertion order). */
	json_t *parsed = json_loads(out.json, 0, NULL);
	assert_non_null(parsed);
	assert_int_equal(json_object_size(parsed), sizeof order / sizeof order[0]);
	const char *previous = out.json;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		char quoted[64];
		snprintf(quoted, sizeof quoted, "\"%s\":", order[i]);
		const char *at = strstr(out.json, quoted);
		if (!at || at < previous)
			fail_msg("key %s out of order in %s", order[i], out.json);
		previous = at;
	}
	static const char start[] = "{\"id\":\"test:n-1\",\"type\":\"document\",\"status\":\"submitted\",";
	assert_int_equal(strncmp(out.json, start, strlen(start)), 0);
	/* The serialization is the prepared record, compact. */
	assert_true(json_equal(parsed, out.record));
	assert_null(strchr(out.json, '\n'));
	json_decref(parsed);
	bx_prepared_free(&out);
	assert_null(out.record);
}

static void lists_and_regions(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared out;
	prepare(&ctx, full_input, NULL, &out);
	json_t *record = out.record;
	json_t *countries = json_object_get(record, "countries");
	assert_int_equal(json_array_size(countries), 2);
	assert_string_equal(json_string_value(json_array_get(countries, 0)), "CN");
	assert_string_equal(json_string_value(json_array_get(countries, 1)), "JP");
	json_t *conventions = json_object_get(record, "conventions");
	assert_int_equal(json_array_size(conventions), 2);
	json_t *targets = json_object_get(record, "targets");
	assert_int_equal(json_array_size(targets), 3);
	assert_string_equal(json_string_value(json_array_get(targets, 0)), "gbf:3");
	assert_string_equal(json_string_value(json_array_get(targets, 1)), "aichi:11");
	/* CN and JP are both in 030 and 142; 142 was given. Each appears once. */
	json_t *regions = json_object_get(record, "regions");
	assert_int_equal(json_array_size(regions), 2);
	assert_true(bx_json_array_has(regions, "142"));
	assert_true(bx_json_array_has(regions, "030"));
	bx_prepared_free(&out);

	/* Regions are added when none were given, for every country. */
	prepare(&ctx, "{'type': 'document', 'title': {'en': 'x'}, 'countries': ['FR', 'CN']}", NULL, &out);
	regions = json_object_get(out.record, "regions");
	assert_int_equal(json_array_size(regions), 4);
	assert_true(bx_json_array_has(regions, "155") && bx_json_array_has(regions, "150") && bx_json_array_has(regions, "030") &&
	            bx_json_array_has(regions, "142"));
	bx_prepared_free(&out);

	/* No countries: no regions key is invented; given regions are kept (without repeats). */
	prepare(&ctx, "{'type': 'document', 'title': {'en': 'x'}}", NULL, &out);
	assert_null(json_object_get(out.record, "regions"));
	assert_null(json_object_get(out.record, "countries"));
	bx_prepared_free(&out);
	prepare(&ctx, "{'type': 'document', 'title': {'en': 'x'}, 'regions': ['142', '142']}", NULL, &out);
	assert_int_equal(json_array_size(json_object_get(out.record, "regions")), 1);
	bx_prepared_free(&out);
}

static void generated_ids_and_defaults(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared first, second;
	prepare(&ctx, "{'type': 'document', 'title': {'en': 'x'}}", NULL, &first);
	prepare(&ctx, "{'type': 'document', 'title': {'en': 'x'}}", NULL, &second);
	const char *id = text_of(first.record, "id");
	assert_non_null(id);
	assert_memory_equal(id, "test:document-", 14);
	size_t node_length = 0;
	assert_true(bx_is_record_id(id, &node_length));
	assert_int_equal(node_length, 4);
	assert_string_not_equal(id, text_of(second.record, "id"));
	assert_string_equal(first.write.id, id);
	/* Defaults: the status given, and an empty fields object. */
	assert_string_equal(text_of(first.record, "status"), "published");
	assert_true(json_is_object(json_object_get(first.record, "fields")));
	assert_int_equal(json_object_size(json_object_get(first.record, "fields")), 0);
	assert_int_equal(first.write.mode, BX_WRITE_CREATE);
	assert_string_equal(first.write.action, "record.create");
	bx_prepared_free(&first);
	bx_prepared_free(&second);

	/* An id given is kept; a status given is kept over the default. */
	json_t *input = q("{'id': 'test:mine', 'type': 'document', 'title': {'en': 'x'}, 'status': 'draft'}");
	assert_int_equal(bx_record_prepare(&ctx, input, NULL, "published", BX_WRITE_CREATE, &first), 0);
	assert_string_equal(text_of(first.record, "id"), "test:mine");
	assert_string_equal(text_of(first.record, "status"), "draft");
	assert_string_equal(first.write.status, "draft");
	bx_prepared_free(&first);
	json_object_del(input, "status");
	assert_int_equal(bx_record_prepare(&ctx, input, NULL, "draft", BX_WRITE_CREATE, &first), 0);
	assert_string_equal(text_of(first.record, "status"), "draft");
	bx_prepared_free(&first);
	/* The input is not modified. */
	assert_null(json_object_get(input, "meta"));
	assert_null(json_object_get(input, "fields"));
	json_decref(input);
}

static void meta_of_new_and_next_revision(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared out;
	prepare(&ctx, full_input, NULL, &out);
	json_t *meta = json_object_get(out.record, "meta");
	/* Incoming meta is ignored. */
	assert_int_equal(json_integer_value(json_object_get(meta, "revision")), 1);
	assert_string_equal(text_of(meta, "author"), "alice");
	assert_string_equal(text_of(meta, "origin"), "test");
	assert_true(bx_is_datetime(text_of(meta, "created")));
	assert_string_equal(text_of(meta, "created"), text_of(meta, "updated"));
	assert_int_equal(out.write.revision, 1);
	assert_int_equal(out.write.base_revision, 0);
	assert_string_equal(out.write.author, "alice");
	assert_string_equal(out.write.origin, "test");
	assert_string_equal(out.write.updated, text_of(meta, "updated"));
	assert_string_equal(out.write.type, "document");
	assert_string_equal(out.write.actor, "alice");
	assert_string_equal(out.write.address, "192.0.2.1");
	assert_false(out.write.deleted);

	/* The next revision, by someone else: created and origin kept from the current one. */
	struct bx_stored current = {.id = (char *)"test:n-1", .json = (char *)
		"{\"id\":\"test:n-1\",\"type\":\"document\",\"title\":{\"en\":\"Note\"},"
		"\"meta\":{\"revision\":4,\"created\":\"2020-01-01T00:00:00Z\",\"updated\":\"2020-02-01T00:00:00Z\","
		"\"origin\":\"cn\",\"author\":\"alice\"}}", .revision = 4};
	struct bx_write_context bob = context("bob");
	struct bx_prepared next;
	prepare(&bob, "{'id': 'test:n-1', 'type': 'document', 'title': {'fr': 'Note'},"
	        " 'meta': {'revision': 4, 'created': '1999-01-01T00:00:00Z'}}", &current, &next);
	meta = json_object_get(next.record, "meta");
	assert_int_equal(json_integer_value(json_object_get(meta, "revision")), 5);
	assert_string_equal(text_of(meta, "created"), "2020-01-01T00:00:00Z");
	assert_string_equal(text_of(meta, "origin"), "cn");
	assert_string_equal(text_of(meta, "author"), "bob");
	assert_string_not_equal(text_of(meta, "updated"), "2020-02-01T00:00:00Z");
	assert_int_equal(next.write.revision, 5);
	assert_int_equal(next.write.base_revision, 4);
	assert_int_equal(next.write.mode, BX_WRITE_UPDATE);
	assert_string_equal(next.write.action, "record.update");
	bx_prepared_free(&next);
	bx_prepared_free(&out);
}

static void keep_meta_keeps_incoming(void **state)
{
	struct bx_write_context ctx = context("peer");
	ctx.keep_meta = true;
	json_t *input = q("{'id': 'fr:doc-1', 'type': 'document', 'title': {'en': 'x'},"
	                  " 'meta': {'revision': 7, 'created': '2020-01-01T00:00:00Z',"
	                  " 'updated': '2021-01-01T00:00:00Z', 'origin': 'fr', 'author': 'focal.fr', 'junk': 1}}");
	struct bx_prepared out;
	assert_int_equal(bx_record_prepare(&ctx, input, NULL, "published", BX_WRITE_REPLICA, &out), 0);
	json_t *meta = json_object_get(out.record, "meta");
	assert_int_equal(json_integer_value(json_object_get(meta, "revision")), 7);
	assert_string_equal(text_of(meta, "created"), "2020-01-01T00:00:00Z");
	assert_string_equal(text_of(meta, "updated"), "2021-01-01T00:00:00Z");
	assert_string_equal(text_of(meta, "origin"), "fr");
	assert_string_equal(text_of(meta, "author"), "focal.fr");
	assert_null(json_object_get(meta, "junk"));
	assert_int_equal(out.write.revision, 7);
	assert_int_equal(out.write.mode, BX_WRITE_REPLICA);
	assert_string_equal(out.write.origin, "fr");
	assert_string_equal(out.write.author, "focal.fr");
	assert_string_equal(out.write.updated, "2021-01-01T00:00:00Z");
	bx_prepared_free(&out);
	/* Without keep_meta the same input gets server meta. */
	ctx.keep_meta = false;
	assert_int_equal(bx_record_prepare(&ctx, input, NULL, "published", BX_WRITE_CREATE, &out), 0);
	meta = json_object_get(out.record, "meta");
	assert_int_equal(json_integer_value(json_object_get(meta, "revision")), 1);
	assert_string_equal(text_of(meta, "origin"), "fr");   /* the node its id names */
	assert_string_equal(text_of(meta, "author"), "peer");
	bx_prepared_free(&out);
	/* keep_meta with no usable revision falls back to server meta too. */
	ctx.keep_meta = true;
	json_object_set_new(json_object_get(input, "meta"), "revision", json_integer(0));
	assert_int_equal(bx_record_prepare(&ctx, input, NULL, "published", BX_WRITE_CREATE, &out), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out.record, "meta"), "revision")), 1);
	bx_prepared_free(&out);
	json_decref(input);
}

/* The facet values bx_record_each_facet walks, as "name=value" in one list. */
struct walked {
	char pairs[32][64];
	size_t n;
};

static int walk_facet(void *context, const char *name, const char *value)
{
	struct walked *walked = context;
	if (walked->n < 32)
		snprintf(walked->pairs[walked->n++], sizeof walked->pairs[0], "%s=%s", name, value);
	return 0;
}

static size_t walked_named(const struct walked *walked, const char *name)
{
	size_t n = 0;
	for (size_t i = 0; i < walked->n; i++)
		n += !strncmp(walked->pairs[i], name, strlen(name)) && walked->pairs[i][strlen(name)] == '=';
	return n;
}

static bool walked_has(const struct walked *walked, const char *pair)
{
	for (size_t i = 0; i < walked->n; i++)
		if (!strcmp(walked->pairs[i], pair))
			return true;
	return false;
}

/* Facets are the multi-valued dimensions the search index filters and counts on
 * (instrument, country, region, target, subject, language), each value once, read from
 * the canonical record. */
static void facets(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared out;
	prepare(&ctx, full_input, NULL, &out);
	static const char *const expected[] = {
		"instrument=cbd", "instrument=cites", "country=CN", "country=JP", "region=142", "region=030",
		"target=gbf:3", "target=aichi:11", "target=sdg:15.1", "subject=gemet:7", "language=zh",
		"language=en", "language=fr",
	};
	struct walked walked = {0};
	assert_int_equal(bx_record_each_facet(out.record, walk_facet, &walked), 0);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (!walked_has(&walked, expected[i]))
			fail_msg("no facet %s", expected[i]);
	assert_int_equal(walked.n, sizeof expected / sizeof expected[0]);
	assert_int_equal(walked_named(&walked, "country"), 2);
	assert_int_equal(walked_named(&walked, "target"), 3);
	assert_false(walked_has(&walked, "country=FR"));
	bx_prepared_free(&out);
	/* A language in title, summary and text is one facet. */
	prepare(&ctx, "{'type': 'expert', 'title': {'en': 'x', 'ar': 'س'}, 'summary': {'en': 'y'},"
	        " 'text': {'en': 'z', 'ar': 'ع'}}", NULL, &out);
	walked.n = 0;
	assert_int_equal(bx_record_each_facet(out.record, walk_facet, &walked), 0);
	assert_int_equal(walked_named(&walked, "language"), 2);
	assert_true(walked_has(&walked, "language=ar"));
	bx_prepared_free(&out);
}

static void tombstone(void **state)
{
	struct bx_write_context ctx = context("alice");
	struct bx_prepared created;
	prepare(&ctx, full_input, NULL, &created);
	struct bx_stored current = {.id = (char *)"test:n-1", .json = created.json, .revision = 1};
	struct bx_write_context bob = context("bob");
	struct bx_prepared gone;
	assert_int_equal(bx_record_tombstone(&bob, &current, &gone), 0);
	assert_string_equal(text_of(gone.record, "status"), "withdrawn");
	json_t *meta = json_object_get(gone.record, "meta");
	assert_true(json_is_true(json_object_get(meta, "deleted")));
	assert_int_equal(json_integer_value(json_object_get(meta, "revision")), 2);
	assert_string_equal(text_of(meta, "author"), "bob");
	assert_string_equal(text_of(meta, "created"),
	                    text_of(json_object_get(created.record, "meta"), "created"));
	assert_true(gone.write.deleted);
	assert_int_equal(gone.write.revision, 2);
	assert_int_equal(gone.write.base_revision, 1);
	assert_int_equal(gone.write.mode, BX_WRITE_UPDATE);
	assert_string_equal(gone.write.status, "withdrawn");
	assert_string_equal(gone.write.action, "record.withdraw");
	assert_string_equal(gone.write.id, "test:n-1");
	/* The content stays, so the revision history still shows what was withdrawn. */
	assert_string_equal(text_of(json_object_get(gone.record, "title"), "en"), "Note");
	json_t *parsed = json_loads(gone.json, 0, NULL);
	assert_true(json_equal(parsed, gone.record));
	json_decref(parsed);
	bx_prepared_free(&gone);
	bx_prepared_free(&created);
	/* A current revision that is not JSON cannot be withdrawn. */
	struct bx_stored broken = {.id = (char *)"test:x", .json = (char *)"{not json", .revision = 1};
	assert_int_not_equal(bx_record_tombstone(&bob, &broken, &gone), 0);
	bx_prepared_free(&gone);
}

static void redact_expert(void **state)
{
	json_t *record = q("{'id': 'test:e-1', 'type': 'expert', 'title': {'en': 'Jane'}, 'fields': {"
	                   " 'name': {'en': 'Jane Doe'}, 'gender': 'woman', 'expertise': ['gemet:7'],"
	                   " 'conflict_of_interest': {'declared': false},"
	                   " 'contact': {'email': 'jane@example.org', 'phone': '+41 22 917 8111'}}}");
	bx_record_redact(full.catalog, record);
	json_t *fields = json_object_get(record, "fields");
	assert_null(json_object_get(fields, "contact"));
	assert_null(json_object_get(fields, "gender"));
	assert_null(json_object_get(fields, "conflict_of_interest"));
	assert_non_null(json_object_get(fields, "name"));
	assert_non_null(json_object_get(fields, "expertise"));
	assert_string_equal(text_of(record, "id"), "test:e-1");
	char *text = json_dumps(record, 0);
	assert_null(strstr(text, "jane@example.org"));
	free(text);
	json_decref(record);
	/* Types without private fields are left alone. */
	record = q("{'type': 'document', 'title': {'en': 'x'}, 'fields': {'symbol': 'A/1'}}");
	json_t *before = json_deep_copy(record);
	bx_record_redact(full.catalog, record);
	assert_true(json_equal(record, before));
	json_decref(before);
	json_decref(record);
	/* Unknown types and records without fields do not crash. */
	record = q("{'type': 'nonesuch', 'fields': {'contact': 1}}");
	bx_record_redact(full.catalog, record);
	assert_non_null(json_object_get(json_object_get(record, "fields"), "contact"));
	json_decref(record);
	record = q("{'type': 'expert'}");
	bx_record_redact(full.catalog, record);
	json_decref(record);
}

static void redact_at_any_depth(void **state)
{
	json_t *record = q("{'type': 'probe', 'title': {'en': 'x'}, 'fields': {'color': 'red', 'secret': 's0',"
	                   " 'people': [{'name': {'en': 'A'}, 'phone': 'p1', 'inner': {'public': 'ok', 'hidden': 'h1'}},"
	                   "            {'name': {'en': 'B'}, 'phone': 'p2', 'inner': {'hidden': 'h2'}}]}}");
	bx_record_redact(probe.catalog, record);
	char *text = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
	static const char *const gone[] = {"s0", "p1", "p2", "h1", "h2", "secret", "phone", "hidden"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		if (strstr(text, gone[i]))
			fail_msg("'%s' survived redaction: %s", gone[i], text);
	json_t *people = json_object_get(json_object_get(record, "fields"), "people");
	assert_int_equal(json_array_size(people), 2);
	assert_string_equal(text_of(json_object_get(json_array_get(people, 0), "inner"), "public"), "ok");
	assert_non_null(json_object_get(json_array_get(people, 1), "name"));
	assert_string_equal(text_of(json_object_get(record, "fields"), "color"), "red");
	free(text);
	json_decref(record);
	/* Reads skip parsing only when no private key can be in the text. */
	assert_true(bx_catalog_may_hold_private(probe.catalog, "probe", "{\"fields\":{\"secret\":\"x\"}}"));
	assert_false(bx_catalog_may_hold_private(probe.catalog, "probe", "{\"fields\":{\"color\":\"red\"}}"));
	assert_false(bx_catalog_may_hold_private(probe.catalog, "document", "{\"fields\":{\"secret\":\"x\"}}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_key_order),
		cmocka_unit_test(lists_and_regions),
		cmocka_unit_test(generated_ids_and_defaults),
		cmocka_unit_test(meta_of_new_and_next_revision),
		cmocka_unit_test(keep_meta_keeps_incoming),
		cmocka_unit_test(facets),
		cmocka_unit_test(tombstone),
		cmocka_unit_test(redact_expert),
		cmocka_unit_test(redact_at_any_depth),
	};
	return cmocka_run_group_tests(tests, full_and_probe_setup, full_and_probe_teardown);
}
