/* Shared set-up for the unit tests that need a store: a temporary directory holding a
 * fresh database, optionally loaded with the repository's vocabularies and formats (tests
 * run from the repository root), and the catalog built from it; q(), test JSON written
 * with ' for "; records written straight to the store (put); and expect_search, which
 * checks what a search index made from a store finds. Header-only so that each test binary stays one file; everything is static
 * and marked unused. Include it after <cmocka.h>. */
#ifndef BX_TEST_FIXTURE_H
#define BX_TEST_FIXTURE_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <sodium.h>
#include "core/catalog.h"
#include "core/vocab.h"
#include "search/index.h"
#include "store/store.h"
#include "util/log.h"

#define FIXTURE_UNUSED __attribute__((unused))

struct fixture {
	char dir[64];               /* the temporary directory */
	char path[128];             /* the database inside it */
	struct bx_store *store;
	struct bx_catalog *catalog; /* NULL unless vocabularies were loaded */
};

/* Writes text to dir/name. Returns 0 or -1. */
FIXTURE_UNUSED static int fixture_write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *file = fopen(path, "w");
	if (!file)
		return -1;
	size_t length = strlen(text);
	int rc = fwrite(text, 1, length, file) == length ? 0 : -1;
	if (fclose(file) != 0)
		rc = -1;
	return rc;
}

/* Removes dir and everything under it (one or two levels are all the tests make). */
FIXTURE_UNUSED static void fixture_remove_tree(const char *dir)
{
	DIR *handle = opendir(dir);
	if (!handle)
		return;
	struct dirent *entry;
	while ((entry = readdir(handle))) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
		struct stat info;
		if (lstat(path, &info) == 0 && S_ISDIR(info.st_mode))
			fixture_remove_tree(path);
		else
			unlink(path);
	}
	closedir(handle);
	rmdir(dir);
}

/* Opens a fresh store in a new temporary directory. With vocab, loads data/vocab and
 * formats and builds the catalog. The node slug is set to "test". Returns 0 or -1. */
FIXTURE_UNUSED static int fixture_open(struct fixture *f, bool vocab)
{
	memset(f, 0, sizeof *f);
	bx_log_set_level(BX_LOG_OFF);
	snprintf(f->dir, sizeof f->dir, "/tmp/bioex-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/bioex.db", f->dir);
	if (bx_store_open(f->path, true, &f->store))
		return -1;
	if (bx_store_meta_set(f->store, "node", "test"))
		return -1;
	if (!vocab)
		return 0;
	if (bx_vocab_load_dir(f->store, "data/vocab") || bx_formats_load_dir(f->store, "formats"))
		return -1;
	return bx_catalog_load(f->store, &f->catalog) ? -1 : 0;
}

FIXTURE_UNUSED static void fixture_close(struct fixture *f)
{
	bx_catalog_free(f->catalog);
	bx_store_close(f->store);
	if (f->dir[0])
		fixture_remove_tree(f->dir);
	memset(f, 0, sizeof *f);
}

/* A formats directory with one made-up type, "probe", exercising the dialect keywords
 * the shipped formats leave out (enum, minItems, numbers, keys needing escapes, nested
 * x-private). Created under parent as parent/formats. Returns 0 or -1. */
FIXTURE_UNUSED static int fixture_probe_formats(const char *parent, char *formats_dir, size_t size)
{
	static const char probe[] =
		"{\"title\": \"probe\", \"x-labels\": {\"en\": \"Probe\"}, \"type\": \"object\", \"properties\": {"
		"  \"color\": {\"type\": \"string\", \"enum\": [\"red\", \"green\"], \"maxLength\": 10},"
		"  \"a/b\": {\"type\": \"string\", \"maxLength\": 10},"
		"  \"c~d\": {\"type\": \"integer\"},"
		"  \"code\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}$\", \"maxLength\": 10},"
		"  \"label\": {\"x-lstring\": true, \"minLength\": 2, \"maxLength\": 5},"
		"  \"free\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}},"
		"  \"tags\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 3,"
		"             \"items\": {\"type\": \"string\", \"minLength\": 2, \"maxLength\": 5}},"
		"  \"score\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 1},"
		"  \"when\": {\"type\": \"string\", \"format\": \"date-time\", \"maxLength\": 40},"
		"  \"site\": {\"type\": \"string\", \"format\": \"uri\", \"maxLength\": 2000},"
		"  \"country\": {\"type\": \"string\", \"x-vocabulary\": \"countries\", \"maxLength\": 2},"
		"  \"secret\": {\"type\": \"string\", \"x-private\": true, \"maxLength\": 100},"
		"  \"people\": {\"type\": \"array\", \"maxItems\": 10, \"items\": {\"type\": \"object\","
		"     \"properties\": {"
		"       \"name\": {\"x-lstring\": true, \"maxLength\": 50},"
		"       \"phone\": {\"type\": \"string\", \"x-private\": true, \"maxLength\": 40},"
		"       \"x/y\": {\"type\": \"boolean\"},"
		"       \"inner\": {\"type\": \"object\", \"properties\": {"
		"          \"public\": {\"type\": \"string\", \"maxLength\": 40},"
		"          \"hidden\": {\"type\": \"string\", \"x-private\": true, \"maxLength\": 40}},"
		"          \"additionalProperties\": false}},"
		"     \"required\": [\"name\"], \"additionalProperties\": false}}"
		"}, \"required\": [\"color\"], \"additionalProperties\": false}";
	char enums[512];
	snprintf(formats_dir, size, "%s/formats", parent);
	snprintf(enums, sizeof enums, "%s/enums", formats_dir);
	if (mkdir(formats_dir, 0700) || mkdir(enums, 0700))
		return -1;
	return fixture_write_file(formats_dir, "probe.json", probe);
}

/* cmocka set-up and tear-down for tests that each want an empty store of their own. */
FIXTURE_UNUSED static int fixture_setup_empty(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || fixture_open(f, false)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

FIXTURE_UNUSED static int fixture_teardown_empty(void **state)
{
	fixture_close(*state);
	free(*state);
	return 0;
}

/* A store whose only format is "probe", with the countries vocabulary. Returns 0 or -1. */
FIXTURE_UNUSED static int fixture_open_probe(struct fixture *f)
{
	char formats_dir[256];
	if (fixture_open(f, false) || fixture_probe_formats(f->dir, formats_dir, sizeof formats_dir))
		return -1;
	if (bx_vocab_load_file(f->store, "data/vocab/countries.json") ||
	    bx_formats_load_dir(f->store, formats_dir))
		return -1;
	return bx_catalog_load(f->store, &f->catalog) ? -1 : 0;
}

/* The two stores most tests use: the shipped data (full), and the probe format. */
FIXTURE_UNUSED static struct fixture full;
FIXTURE_UNUSED static struct fixture probe;

FIXTURE_UNUSED static int full_and_probe_setup(void **state)
{
	if (sodium_init() < 0 || fixture_open(&full, true) || fixture_open_probe(&probe)) {
		fprintf(stderr, "fixture set-up failed\n");
		return -1;
	}
	return 0;
}

FIXTURE_UNUSED static int full_and_probe_teardown(void **state)
{
	fixture_close(&full);
	fixture_close(&probe);
	return 0;
}

/* Parses text, any JSON value, with ' standing for "; fails the test if it does not parse. */
FIXTURE_UNUSED static json_t *q(const char *text)
{
	char *copy = strdup(text);
	for (char *p = copy; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t error;
	json_t *value = json_loads(copy, JSON_DECODE_ANY, &error);
	if (!value)
		fail_msg("test JSON does not parse: %s (%s)", error.text, copy);
	free(copy);
	return value;
}


/* ---- records written straight to the store, for store and index tests ---- */

struct spec {
	enum bx_write_mode mode;
	const char *id;
	const char *type;        /* default "document" */
	const char *status;      /* default "published" */
	int64_t revision;        /* default 1 */
	int64_t base_revision;
	const char *country;
	const char *instrument;
	const char *const *subjects;
	size_t n_subjects;
	const char *date;
	const char *title;       /* default: the id */
	const char *language;    /* the title's, default "en" */
	const char *author;
	const char *updated;     /* default "2026-01-01T00:00:00Z" */
	bool deleted;
};

struct written {
	int rc;
	enum bx_write_outcome outcome;
	int64_t seq;
	char json[4096];
};

FIXTURE_UNUSED static void record_json(const struct spec *s, char *out, size_t size)
{
	json_t *record = json_pack("{s:s, s:s, s:s, s:{s:s}}", "id", s->id, "type", s->type ?: "document",
	                           "status", s->status ?: "published", "title", s->language ?: "en",
	                           s->title ?: s->id);
	if (s->country)
		json_object_set_new(record, "countries", json_pack("[s]", s->country));
	if (s->instrument)
		json_object_set_new(record, "conventions", json_pack("[s]", s->instrument));
	if (s->n_subjects) {
		json_t *subjects = json_array();
		for (size_t i = 0; i < s->n_subjects; i++)
			json_array_append_new(subjects, json_string(s->subjects[i]));
		json_object_set_new(record, "subjects", subjects);
	}
	if (s->date)
		json_object_set_new(record, "date", json_string(s->date));
	json_t *meta = json_pack("{s:I, s:s}", "revision", (json_int_t)(s->revision ?: 1), "updated",
	                         s->updated ?: "2026-01-01T00:00:00Z");
	if (s->author)
		json_object_set_new(meta, "author", json_string(s->author));
	if (s->deleted)
		json_object_set_new(meta, "deleted", json_true());
	json_object_set_new(record, "meta", meta);
	char *text = json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER);
	snprintf(out, size, "%s", text);
	free(text);
	json_decref(record);
}

/* Writes s inside the caller's transaction. */
FIXTURE_UNUSED static struct written put_in(struct bx_store *store, const struct spec *s)
{
	struct written w = {0};
	record_json(s, w.json, sizeof w.json);
	struct bx_record_write write = {
		.mode = s->mode, .id = s->id, .type = s->type ?: "document",
		.status = s->status ?: "published", .revision = s->revision ?: 1,
		.base_revision = s->base_revision, .deleted = s->deleted,
		.origin = "test", .author = s->author,
		.updated = s->updated ?: "2026-01-01T00:00:00Z", .json = w.json,
		.actor = s->author ?: "tester", .action = "record.write",
		.address = "127.0.0.1",
	};
	w.seq = -1;
	w.rc = bx_store_put_record(store, &write, &w.outcome, &w.seq);
	return w;
}

/* Writes s in a transaction of its own, committed on success and rolled back on failure. */
FIXTURE_UNUSED static struct written put(struct bx_store *store, const struct spec *s)
{
	assert_int_equal(bx_store_begin(store), 0);
	struct written w = put_in(store, s);
	if (w.rc)
		bx_store_rollback(store);
	else
		assert_int_equal(bx_store_commit(store), 0);
	return w;
}

#define COUNTRY(value) {.facet = "country", .values = {value}, .n_values = 1}
#define INSTRUMENT(value) {.facet = "instrument", .values = {value}, .n_values = 1}

/* Runs query (its list's limit 0 means 100) on a search index made from store, and
 * checks the ids of the page (in order, comma-separated) and the total. */
FIXTURE_UNUSED static void expect_search(struct bx_store *store, struct bx_index_query query,
                                         const char *ids, int64_t total)
{
	struct bx_list_query list = *query.list;
	if (!list.limit)
		list.limit = 100;
	query.list = &list;
	struct bx_index *index = NULL;
	assert_int_equal(bx_index_new(&index), 0);
	assert_int_equal(bx_index_sync(index, store), 0);
	struct bx_index_result result;
	assert_int_equal(bx_index_search(index, &query, &result), 0);
	char joined[512] = "";
	for (size_t i = 0; i < result.n_hits; i++) {
		size_t length = strlen(joined);
		snprintf(joined + length, sizeof joined - length, "%s%s", i ? "," : "", result.hits[i].id);
	}
	int64_t got_total = result.total;
	bx_index_result_clear(&result);
	bx_index_free(index);
	if (strcmp(joined, ids) || got_total != total)
		fail_msg("found [%s] of %lld, expected [%s] of %lld", joined, (long long)got_total, ids,
		         (long long)total);
}

/* expect_search for a listing without words. */
FIXTURE_UNUSED static void expect_list(struct bx_store *store, struct bx_list_query list, const char *ids,
                                       int64_t total)
{
	expect_search(store, (struct bx_index_query){.list = &list}, ids, total);
}

FIXTURE_UNUSED static void add_listing_records(struct bx_store *store)
{
	static const struct spec specs[] = {
		{.id = "t:a", .title = "Alpha", .country = "CN", .instrument = "cbd", .date = "2021-01-01",
		 .author = "alice", .updated = "2026-01-03T00:00:00Z"},
		{.id = "t:b", .title = "Bravo", .status = "draft", .country = "CN", .instrument = "cites",
		 .date = "2022-01-01", .author = "bob"},
		{.id = "t:c", .title = "Charlie", .type = "expert", .country = "FR", .instrument = "cbd",
		 .date = "2020-06-01", .updated = "2026-01-05T00:00:00Z"},
		{.id = "t:d", .title = "Delta", .status = "submitted", .country = "FR", .instrument = "cms",
		 .date = "2023-01-01", .author = "alice"},
		{.id = "t:e", .title = "Echo", .type = "national-report", .country = "CN", .instrument = "cbd",
		 .updated = "2026-01-04T00:00:00Z"},
		{.id = "t:f", .title = "Foxtrot", .status = "withdrawn", .country = "FR", .instrument = "cbd",
		 .date = "2024-01-01", .deleted = true},
		{.id = "t:g", .title = "Golf", .status = "draft", .country = "FR", .author = "carol"},
	};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		assert_int_equal(put(store, &specs[i]).rc, 0);
}

#endif
