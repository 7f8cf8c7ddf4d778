/* Shared set-up for the unit tests that need a store: a temporary directory holding a
 * fresh database, optionally loaded with the repository's vocabularies and formats (tests
 * run from the repository root), and the catalog built from it; and q(), test JSON written
 * with ' for ". Header-only so that each test binary stays one file; everything is static
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

#endif
