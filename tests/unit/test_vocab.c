/* Unit tests of src/core/vocab.c, src/core/catalog.c and the store's vocabulary
 * functions: what the shipped data loads into, term lookups, case-folded label queries,
 * and that a bad vocabulary file is refused without changing anything. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "text/fold.h"
#include "fixture.h"


static int group_setup(void **state)
{
	if (fixture_open(&full, true)) {
		fprintf(stderr, "fixture set-up failed\n");
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	fixture_close(&full);
	return 0;
}

static int collect_info(void *context, const char *json)
{
	json_t *info = json_loads(json, 0, NULL);
	if (!info)
		return BX_EIO;
	json_object_set_new(context, json_string_value(json_object_get(info, "name")),
	                    json_integer(json_integer_value(json_object_get(info, "count"))));
	json_decref(info);
	return 0;
}

static int collect_infos(void *context, const char *json)
{
	json_t *info = json_loads(json, 0, NULL);
	return info && !json_array_append_new(context, info) ? 0 : BX_EIO;
}

/* name -> count of every vocabulary in the store (new reference). */
static json_t *vocabulary_counts(struct bx_store *store)
{
	json_t *counts = json_object();
	assert_int_equal(bx_store_vocab_each_info(store, collect_info, counts), 0);
	return counts;
}

static json_int_t count_of(struct bx_store *store, const char *name)
{
	json_t *counts = vocabulary_counts(store);
	json_t *count = json_object_get(counts, name);
	json_int_t n = count ? json_integer_value(count) : -1;
	json_decref(counts);
	return n;
}

static int collect_ids(void *context, const char *json)
{
	json_t *term = json_loads(json, 0, NULL);
	if (!term)
		return BX_EIO;
	json_array_append(context, json_object_get(term, "id"));
	json_decref(term);
	return 0;
}

/* The ids of the terms of vocabulary whose match text contains match (NULL: all), as a
 * new array; *total gets the number matching. */
static json_t *term_ids(const char *vocabulary, const char *match, int64_t offset, int limit,
                        int64_t *total)
{
	json_t *ids = json_array();
	assert_int_equal(bx_store_vocab_terms(full.store, vocabulary, match, offset, limit, total,
	                                      collect_ids, ids), 0);
	return ids;
}

static bool has_id(const json_t *ids, const char *id)
{
	size_t i;
	json_t *item;
	json_array_foreach((json_t *)ids, i, item)
		if (!strcmp(json_string_value(item), id))
			return true;
	return false;
}

/* Folds text as the loader folds labels, then queries the countries. */
static json_t *countries_matching(const char *text, int64_t *total)
{
	struct bx_buf folded;
	bx_buf_init(&folded, 4096);
	assert_int_equal(bx_fold_append(text, &folded), 0);
	json_t *ids = term_ids("countries", folded.data, 0, -1, total);
	bx_buf_free(&folded);
	return ids;
}

/* The number of *.json files in dir. */
static size_t json_files(const char *dir)
{
	DIR *handle = opendir(dir);
	assert_non_null(handle);
	size_t n = 0;
	struct dirent *entry;
	while ((entry = readdir(handle))) {
		size_t length = strlen(entry->d_name);
		n += entry->d_name[0] != '.' && length > 5 && !strcmp(entry->d_name + length - 5, ".json");
	}
	closedir(handle);
	return n;
}

static void counts_after_load(void **state)
{
	json_t *counts = vocabulary_counts(full.store);
	static const struct { const char *name; json_int_t count; } expected[] = {
		{"countries", 249}, {"subjects", 5207}, {"targets", 238}, {"types", 15},
		{"instruments", 15}, {"languages", 6}, {"progress-scale", 5}, {"genders", 5},
	};
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		json_t *count = json_object_get(counts, expected[i].name);
		if (!count || json_integer_value(count) != expected[i].count)
			fail_msg("vocabulary %s: expected %lld terms, have %lld", expected[i].name,
			         (long long)expected[i].count, count ? (long long)json_integer_value(count) : -1LL);
	}
	/* One vocabulary per file of data/vocab and formats/enums, and the types. */
	assert_int_equal(json_object_size(counts), json_files("data/vocab") + json_files("formats/enums") + 1);
	json_decref(counts);
	/* The page query agrees with the count. */
	int64_t total = -1;
	json_t *ids = term_ids("subjects", NULL, 0, -1, &total);
	assert_int_equal(total, 5207);
	assert_int_equal(json_array_size(ids), 5207);
	json_decref(ids);
	assert_true(bx_catalog_has_vocabulary(full.catalog, "countries"));
	assert_true(bx_catalog_has_vocabulary(full.catalog, "types"));
	assert_false(bx_catalog_has_vocabulary(full.catalog, "planets"));
}

static void catalog_terms(void **state)
{
	static const char *const present[][2] = {
		{"countries", "CN"}, {"countries", "FR"}, {"targets", "aichi:11"}, {"targets", "gbf:3"},
		{"targets", "sdg:15.1"}, {"targets", "sdg:15"}, {"targets", "aichi:A"}, {"subjects", "gemet:7"},
		{"instruments", "cbd"}, {"regions", "142"}, {"types", "document"}, {"types", "expert"},
		{"progress-scale", "on-track"}, {"languages", "zh"},
	};
	static const char *const absent[][2] = {
		{"countries", "cn"}, {"countries", "XX"}, {"countries", "CHN"}, {"targets", "aichi:21"},
		{"targets", "gbf:24"}, {"targets", "CN"}, {"subjects", "gemet:0"}, {"subjects", "7"},
		{"instruments", "CN"}, {"planets", "CN"}, {"countries", ""}, {"types", "countries"},
	};
	for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
		if (!bx_catalog_has_term(full.catalog, present[i][0], present[i][1]))
			fail_msg("missing %s %s", present[i][0], present[i][1]);
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		if (bx_catalog_has_term(full.catalog, absent[i][0], absent[i][1]))
			fail_msg("unexpected %s %s", absent[i][0], absent[i][1]);
	/* A very long id cannot be a term, and must not be confused with a prefix of one. */
	char long_id[1000];
	memset(long_id, 'C', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	assert_false(bx_catalog_has_term(full.catalog, "countries", long_id));
}

static void catalog_regions_formats_private(void **state)
{
	const json_t *regions = bx_catalog_regions_of(full.catalog, "CN");
	assert_non_null(regions);
	assert_int_equal(json_array_size(regions), 2);
	assert_true(has_id(regions, "030"));
	assert_true(has_id(regions, "142"));
	regions = bx_catalog_regions_of(full.catalog, "FR");
	assert_true(has_id(regions, "155") && has_id(regions, "150"));
	assert_null(bx_catalog_regions_of(full.catalog, "XX"));

	const json_t *format = bx_catalog_format(full.catalog, "national-report");
	assert_non_null(format);
	assert_non_null(json_object_get(json_object_get(format, "properties"), "assessments"));
	assert_null(bx_catalog_format(full.catalog, "countries"));
	static const char contact[] = "{\"fields\":{\"contact\":{\"email\":\"a@example.org\"}}}";
	assert_true(bx_catalog_may_hold_private(full.catalog, "expert", contact));
	assert_true(bx_catalog_may_hold_private(full.catalog, "organization", contact));
	assert_false(bx_catalog_may_hold_private(full.catalog, "expert", "{\"fields\":{}}"));
	assert_false(bx_catalog_may_hold_private(full.catalog, "document", contact));
	assert_false(bx_catalog_may_hold_private(full.catalog, "national-report", contact));
	/* Every pattern of a loaded format is compiled; others are not. */
	assert_non_null(bx_catalog_pattern(full.catalog, "^[a-z0-9-]{2,32}:[A-Za-z0-9._-]{1,128}$"));
	assert_non_null(bx_catalog_pattern(full.catalog, "^[0-9]{4}$"));
	assert_null(bx_catalog_pattern(full.catalog, "^never$"));
}

static void term_json_keeps_mappings(void **state)
{
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(full.store, "targets", "gbf:3", &json), 0);
	json_t *term = json_loads(json, 0, NULL);
	free(json);
	assert_non_null(term);
	assert_string_equal(json_string_value(json_object_get(term, "id")), "gbf:3");
	bool close_to_aichi_11 = false;
	size_t i;
	json_t *mapping;
	json_array_foreach(json_object_get(term, "mappings"), i, mapping)
		close_to_aichi_11 = close_to_aichi_11 ||
			(!strcmp(json_string_value(json_object_get(mapping, "relation")) ?: "", "closeMatch") &&
			 !strcmp(json_string_value(json_object_get(mapping, "target")) ?: "", "aichi:11"));
	assert_true(close_to_aichi_11);
	assert_non_null(json_object_get(json_object_get(term, "labels"), "zh"));
	json_decref(term);

	assert_int_equal(bx_store_vocab_term(full.store, "countries", "CN", &json), 0);
	term = json_loads(json, 0, NULL);
	free(json);
	assert_string_equal(json_string_value(json_object_get(json_object_get(term, "labels"), "zh")), "中国");
	json_decref(term);

	json = (char *)1;
	assert_int_equal(bx_store_vocab_term(full.store, "targets", "gbf:99", &json), BX_ENOTFOUND);
	assert_null(json);
	assert_int_equal(bx_store_vocab_term(full.store, "planets", "gbf:3", &json), BX_ENOTFOUND);
}

/* The term id of vocabulary in store, parsed (new reference). */
static json_t *term_of(struct bx_store *store, const char *vocabulary, const char *id)
{
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(store, vocabulary, id, &json), 0);
	json_t *term = json_loads(json, 0, NULL);
	free(json);
	assert_non_null(term);
	return term;
}

static const char *label_of(const json_t *term, const char *language)
{
	return json_string_value(json_object_get(json_object_get(term, "labels"), language));
}

/* True if text is not empty and holds only spaces and letters of the Arabic block
 * (U+0600-U+06FF, two-byte UTF-8 sequences led by 0xD8-0xDB). */
static bool arabic_script(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	if (!p || !*p)
		return false;
	while (*p) {
		if (*p == ' ')
			p++;
		else if (*p >= 0xd8 && *p <= 0xdb && (p[1] & 0xc0) == 0x80)
			p += 2;
		else
			return false;
	}
	return true;
}

/* The regions' source has English names only; the other UN languages come from CLDR. */
static void regions_get_cldr_names(void **state)
{
	json_t *term = term_of(full.store, "regions", "030");
	assert_string_equal(label_of(term, "en"), "Eastern Asia");
	assert_string_equal(label_of(term, "zh"), "东亚");
	assert_true(arabic_script(label_of(term, "ar")));
	assert_int_equal(json_object_size(json_object_get(term, "labels")), 6);
	assert_string_equal(json_string_value(json_object_get(json_object_get(term, "translations"), "zh")),
	                    "human");
	assert_null(json_object_get(json_object_get(term, "translations"), "en"));
	json_decref(term);
	term = term_of(full.store, "regions", "150");
	assert_string_equal(label_of(term, "en"), "Europe");
	assert_string_equal(label_of(term, "fr"), "Europe");
	assert_non_null(label_of(term, "ru"));
	json_decref(term);
	/* The added names match label queries too. */
	int64_t total = 0;
	json_t *ids = term_ids("regions", "东亚", 0, -1, &total);
	assert_true(has_id(ids, "030"));
	json_decref(ids);

	/* A label from the source is kept; a code CLDR does not name (830, Channel Islands)
	 * keeps only its own labels; the source note names CLDR. */
	struct fixture small;
	assert_int_equal(fixture_open(&small, false), 0);
	assert_int_equal(fixture_write_file(small.dir, "regions.json",
	                 "{\"name\": \"regions\", \"source\": \"M49\", \"licence\": \"ODC-PDDL-1.0\","
	                 " \"terms\": [{\"id\": \"030\", \"labels\": {\"en\": \"East Asia\", \"fr\": \"Asie orientale\"}},"
	                 " {\"id\": \"830\", \"labels\": {\"en\": \"Channel Islands\"}}]}"), 0);
	char path[256];
	snprintf(path, sizeof path, "%s/regions.json", small.dir);
	assert_int_equal(bx_vocab_load_file(small.store, path), 0);
	term = term_of(small.store, "regions", "030");
	assert_string_equal(label_of(term, "en"), "East Asia");
	assert_string_equal(label_of(term, "fr"), "Asie orientale");
	assert_string_equal(label_of(term, "zh"), "东亚");
	assert_null(json_object_get(json_object_get(term, "translations"), "fr"));
	json_decref(term);
	term = term_of(small.store, "regions", "830");
	assert_int_equal(json_object_size(json_object_get(term, "labels")), 1);
	assert_string_equal(label_of(term, "en"), "Channel Islands");
	assert_null(json_object_get(term, "translations"));
	json_decref(term);
	json_t *infos = json_array();
	assert_int_equal(bx_store_vocab_each_info(small.store, collect_infos, infos), 0);
	json_t *info = json_array_get(infos, 0);
	assert_non_null(strstr(json_string_value(json_object_get(info, "source")) ?: "", "M49; "));
	assert_non_null(strstr(json_string_value(json_object_get(info, "source")) ?: "", "Unicode CLDR"));
	assert_non_null(strstr(json_string_value(json_object_get(info, "licence")) ?: "", "ODC-PDDL-1.0 AND Unicode-"));
	json_decref(infos);
	fixture_close(&small);
}

static void label_queries_fold_case(void **state)
{
	int64_t total = 0;
	json_t *ids = countries_matching("中国", &total);
	assert_true(has_id(ids, "CN"));
	assert_false(has_id(ids, "FR"));
	assert_int_equal(total, (int64_t)json_array_size(ids));
	json_decref(ids);

	/* "CHINE" folds to "chine", which is in the French label "Chine (la)". */
	ids = countries_matching("CHINE", &total);
	assert_true(has_id(ids, "CN"));
	json_decref(ids);

	ids = countries_matching("الصين", &total);
	assert_true(has_id(ids, "CN"));
	json_decref(ids);

	ids = countries_matching("КИТАЙ", &total);
	assert_true(has_id(ids, "CN"));
	json_decref(ids);

	/* The id is part of the match text too, folded. */
	ids = countries_matching("fr", &total);
	assert_true(has_id(ids, "FR"));
	json_decref(ids);

	ids = countries_matching("Atlantis of the moon", &total);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(ids), 0);
	json_decref(ids);
}

static void term_pages(void **state)
{
	int64_t total = 0;
	json_t *ids = term_ids("countries", NULL, 0, 10, &total);
	assert_int_equal(total, 249);
	assert_int_equal(json_array_size(ids), 10);
	/* Load order is the file's order. */
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "AD");
	assert_string_equal(json_string_value(json_array_get(ids, 1)), "AE");
	json_decref(ids);
	ids = term_ids("countries", NULL, 245, 10, &total);
	assert_int_equal(total, 249);
	assert_int_equal(json_array_size(ids), 4);
	json_decref(ids);
	ids = term_ids("countries", NULL, 249, 10, &total);
	assert_int_equal(json_array_size(ids), 0);
	json_decref(ids);
	json_t *none = json_array();
	assert_int_equal(bx_store_vocab_terms(full.store, "planets", NULL, 0, 10, &total, collect_ids, none),
	                 BX_ENOTFOUND);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
}

/* Writes text (with ' for ") as dir/name and loads it. */
static int load_text(const char *name, const char *text)
{
	char *copy = strdup(text), path[256];
	for (char *p = copy; *p; p++)
		if (*p == '\'')
			*p = '"';
	assert_int_equal(fixture_write_file(full.dir, name, copy), 0);
	free(copy);
	snprintf(path, sizeof path, "%s/%s", full.dir, name);
	return bx_vocab_load_file(full.store, path);
}

static void bad_vocabulary_changes_nothing(void **state)
{
	static const char *const bad[] = {
		/* duplicate ids */
		"{'name': 'countries', 'terms': [{'id': 'CN', 'labels': {'en': 'China'}},"
		" {'id': 'CN', 'labels': {'en': 'China again'}}]}",
		/* a term without labels */
		"{'name': 'countries', 'terms': [{'id': 'CN', 'labels': {'en': 'China'}}, {'id': 'FR'}]}",
		/* labels that are not an object, or not strings */
		"{'name': 'countries', 'terms': [{'id': 'CN', 'labels': 'China'}]}",
		"{'name': 'countries', 'terms': [{'id': 'CN', 'labels': {'en': 5}}]}",
		/* a term without an id, or with an empty one */
		"{'name': 'countries', 'terms': [{'labels': {'en': 'China'}}]}",
		"{'name': 'countries', 'terms': [{'id': '', 'labels': {'en': 'China'}}]}",
		"{'name': 'countries', 'terms': [{'id': 7, 'labels': {'en': 'China'}}]}",
		/* no terms array, no name */
		"{'name': 'countries', 'terms': {'CN': {}}}",
		"{'name': 'countries'}",
		"{'terms': [{'id': 'CN', 'labels': {'en': 'China'}}]}",
		"{'name': '', 'terms': []}",
		/* not JSON, or JSON with a duplicate key */
		"{'name': 'countries', 'terms': [",
		"name = countries",
		"{'name': 'countries', 'name': 'other', 'terms': []}",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = load_text("bad.json", bad[i]);
		if (rc != BX_EINVALID)
			fail_msg("bad file %zu loaded with %d", i, rc);
		assert_int_equal(count_of(full.store, "countries"), 249);
	}
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(full.store, "countries", "CN", &json), 0);
	assert_non_null(strstr(json, "中国"));
	free(json);
	/* A missing file is refused too. */
	assert_int_not_equal(bx_vocab_load_file(full.store, "/nonexistent/vocab.json"), 0);
	assert_int_equal(count_of(full.store, "countries"), 249);

	/* At the store level, a replace that fails half-way is rolled back whole. */
	struct bx_term terms[] = {
		{"AA", "{\"id\":\"AA\",\"labels\":{}}", "aa"},
		{"AA", "{\"id\":\"AA\",\"labels\":{}}", "aa"},
	};
	assert_int_not_equal(bx_store_vocab_replace(full.store, "countries", "{\"name\":\"countries\"}", terms, 2), 0);
	assert_int_equal(count_of(full.store, "countries"), 249);
	assert_int_equal(bx_store_vocab_term(full.store, "countries", "AA", &json), BX_ENOTFOUND);
	int64_t total = 0;
	json_t *ids = term_ids("countries", NULL, 0, -1, &total);
	assert_int_equal(total, 249);
	json_decref(ids);
}

static int count_problem(void *context, const char *problem)
{
	print_error("store problem: %s\n", problem);
	(*(int *)context)++;
	return 0;
}

/* After loads, refused loads and reloads, the store is still consistent by its own check. */
static void store_consistent_after_loads(void **state)
{
	int problems = 0;
	assert_int_equal(bx_store_check(full.store, count_problem, &problems), 0);
	assert_int_equal(problems, 0);
}

static void reload_replaces(void **state)
{
	assert_int_equal(load_text("probe.json", "{'name': 'probe-vocab', 'title': {'en': 'Probe'},"
	                           " 'terms': [{'id': 'a', 'labels': {'en': 'Alpha'}},"
	                           " {'id': 'b', 'labels': {'en': 'Bravo', 'fr': 'Brave'}},"
	                           " {'id': 'c', 'labels': {'en': 'Charlie'}}]}"), 0);
	assert_int_equal(count_of(full.store, "probe-vocab"), 3);
	assert_int_equal(load_text("probe.json", "{'name': 'probe-vocab', 'title': {'en': 'Probe 2'},"
	                           " 'terms': [{'id': 'd', 'labels': {'en': 'Delta'}},"
	                           " {'id': 'b', 'labels': {'en': 'Bravo two'}}]}"), 0);
	assert_int_equal(count_of(full.store, "probe-vocab"), 2);
	int64_t total = 0;
	json_t *ids = term_ids("probe-vocab", NULL, 0, -1, &total);
	assert_int_equal(total, 2);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "d");
	assert_string_equal(json_string_value(json_array_get(ids, 1)), "b");
	json_decref(ids);
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(full.store, "probe-vocab", "a", &json), BX_ENOTFOUND);
	assert_int_equal(bx_store_vocab_term(full.store, "probe-vocab", "b", &json), 0);
	assert_non_null(strstr(json, "Bravo two"));
	free(json);
	/* The old labels no longer match. */
	ids = term_ids("probe-vocab", "brave", 0, -1, &total);
	assert_int_equal(total, 0);
	json_decref(ids);
	ids = term_ids("probe-vocab", "two", 0, -1, &total);
	assert_int_equal(total, 1);
	json_decref(ids);

	/* A catalog built after the reload sees the new terms only. */
	struct bx_catalog *catalog = NULL;
	assert_int_equal(bx_catalog_load(full.store, &catalog), 0);
	assert_true(bx_catalog_has_term(catalog, "probe-vocab", "d"));
	assert_false(bx_catalog_has_term(catalog, "probe-vocab", "a"));
	bx_catalog_free(catalog);

	/* An empty vocabulary is allowed and empties it. */
	assert_int_equal(load_text("probe.json", "{'name': 'probe-vocab', 'terms': []}"), 0);
	assert_int_equal(count_of(full.store, "probe-vocab"), 0);
}

static void bad_formats_change_nothing(void **state)
{
	char dir[256], enums[300], problem_dir[256];
	snprintf(dir, sizeof dir, "%s/badformats", full.dir);
	snprintf(enums, sizeof enums, "%s/enums", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(enums, 0700), 0);
	/* No formats at all. */
	assert_int_not_equal(bx_formats_load_dir(full.store, dir), 0);
	assert_int_equal(count_of(full.store, "types"), 15);
	/* A keyword outside the dialect. */
	assert_int_equal(fixture_write_file(dir, "thing.json", "{\"title\": \"thing\", \"type\": \"object\","
	                                    " \"properties\": {\"a\": {\"type\": \"string\", \"oneOf\": []}}}"), 0);
	assert_int_equal(bx_formats_load_dir(full.store, dir), BX_EINVALID);
	assert_int_equal(count_of(full.store, "types"), 15);
	/* A title that is not the file name. */
	assert_int_equal(fixture_write_file(dir, "thing.json", "{\"title\": \"other\", \"type\": \"object\"}"), 0);
	assert_int_equal(bx_formats_load_dir(full.store, dir), BX_EINVALID);
	assert_int_equal(count_of(full.store, "types"), 15);
	/* A missing directory. */
	snprintf(problem_dir, sizeof problem_dir, "%s/none", full.dir);
	assert_int_not_equal(bx_formats_load_dir(full.store, problem_dir), 0);
	assert_int_equal(count_of(full.store, "types"), 15);
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(full.store, "types", "expert", &json), 0);
	free(json);
	assert_int_equal(bx_store_vocab_term(full.store, "types", "thing", &json), BX_ENOTFOUND);
}

/* x-labels is optional to the loader: a format without it gets empty labels. */
static void format_without_labels(void **state)
{
	struct fixture small;
	assert_int_equal(fixture_open(&small, false), 0);
	char dir[256], enums[300];
	snprintf(dir, sizeof dir, "%s/formats", small.dir);
	snprintf(enums, sizeof enums, "%s/enums", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(enums, 0700), 0);
	assert_int_equal(fixture_write_file(dir, "plain.json", "{\"title\": \"plain\", \"type\": \"object\","
	                                    " \"properties\": {\"a\": {\"type\": \"string\"}}}"), 0);
	assert_int_equal(fixture_write_file(dir, "named.json", "{\"title\": \"named\", \"type\": \"object\","
	                                    " \"x-labels\": {\"en\": \"Named\"}}"), 0);
	assert_int_equal(bx_formats_load_dir(small.store, dir), 0);
	char *json = NULL;
	assert_int_equal(bx_store_vocab_term(small.store, "types", "plain", &json), 0);
	json_t *term = json_loads(json, 0, NULL);
	free(json);
	assert_true(json_is_object(json_object_get(term, "labels")));
	assert_int_equal(json_object_size(json_object_get(term, "labels")), 0);
	assert_non_null(json_object_get(json_object_get(term, "schema"), "properties"));
	json_decref(term);
	assert_int_equal(bx_store_vocab_term(small.store, "types", "named", &json), 0);
	assert_non_null(strstr(json, "Named"));
	free(json);
	fixture_close(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_after_load),
		cmocka_unit_test(catalog_terms),
		cmocka_unit_test(catalog_regions_formats_private),
		cmocka_unit_test(term_json_keeps_mappings),
		cmocka_unit_test(regions_get_cldr_names),
		cmocka_unit_test(label_queries_fold_case),
		cmocka_unit_test(term_pages),
		cmocka_unit_test(bad_vocabulary_changes_nothing),
		cmocka_unit_test(reload_replaces),
		cmocka_unit_test(bad_formats_change_nothing),
		cmocka_unit_test(format_without_labels),
		cmocka_unit_test(store_consistent_after_loads),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
