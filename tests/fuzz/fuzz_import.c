/* Fuzz target for NDJSON imports: the bytes are split into lines as the API splits a
 * request body, and imported by an admin into a real node. A batch with a bad line is
 * rolled back; good batches commit, so the database is put back to its fresh copy from
 * time to time to stay small. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "records/records.h"

#define NODE "fz"
#define MAX_INPUT (64 * 1024)
#define MAX_WRITES 2000        /* records committed before the database is renewed */

static char template_path[4096], db_path[4096];
static struct bx_node *node;
static int64_t n_writes;
static bool verbose;     /* BX_FUZZ_VERBOSE set: print each import's report */
static const struct bx_principal admin = {.role = BX_ROLE_ADMIN, .name = "fuzzer"};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Replaces the node's database with a fresh copy of the template and opens it. */
static void renew_node(void)
{
	bx_node_close(node);
	node = NULL;
	bx_fuzz_remove_db(db_path);
	bx_fuzz_copy_file(template_path, db_path);
	int rc = bx_node_open(db_path, &node);
	if (rc)
		bx_fuzz_fail("cannot open the node: %s", bx_strerror(rc));
	n_writes = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	bx_fuzz_setup();
	verbose = getenv("BX_FUZZ_VERBOSE") != NULL;
	bx_fuzz_path(template_path, sizeof template_path, "template.db");
	bx_fuzz_path(db_path, sizeof db_path, "import.db");
	/* Closing checkpoints the WAL, so the template is one self-contained file. */
	bx_store_close(bx_fuzz_make_store(template_path, NODE, true));
	renew_node();
	return 0;
}

static int64_t report_count(const json_t *report, const char *key)
{
	json_t *value = json_object_get(report, key);
	if (!json_is_integer(value))
		bx_fuzz_fail("the import report has no integer \"%s\"", key);
	return json_integer_value(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	if (n_writes > MAX_WRITES)
		renew_node();
	struct bx_actor actor = {.principal = &admin, .address = NULL};
	struct bx_import *import = NULL;
	int rc = bx_import_begin(node, &actor, true, &import);
	if (rc)
		bx_fuzz_fail("bx_import_begin: %s", bx_strerror(rc));
	bx_import_add_ndjson(import, (const char *)data, size);
	/* The oracle: the lines that are not blank (trailing CR, space and tab ignored). */
	const char *text = (const char *)data, *end = text + size;
	size_t n_records = 0;
	while (text < end) {
		const char *newline = memchr(text, '\n', (size_t)(end - text));
		const char *line_end = newline ? newline : end;
		bool blank = true;
		for (const char *p = text; p < line_end && blank; p++)
			blank = *p == '\r' || *p == ' ' || *p == '\t';
		n_records += !blank;
		text = line_end + (newline != NULL);
	}
	json_t *report = NULL;
	rc = bx_import_finish(import, &report);
	if (!json_is_object(report))
		bx_fuzz_fail("bx_import_finish gave no report (rc %d)", rc);
	if (verbose) {
		char *shown = json_dumps(report, JSON_COMPACT);
		fprintf(stderr, "import %s: %s\n", bx_strerror(rc), shown ? shown : "?");
		free(shown);
	}
	if (rc != 0 && rc != BX_EINVALID)
		bx_fuzz_fail("bx_import_finish: %s", bx_strerror(rc));
	int64_t created = report_count(report, "created"), updated = report_count(report, "updated"),
	        unchanged = report_count(report, "unchanged"), invalid = report_count(report, "invalid");
	json_t *committed = json_object_get(report, "committed");
	json_t *lines = json_object_get(report, "lines");
	if (!json_is_boolean(committed) || json_is_true(committed) != (rc == 0))
		bx_fuzz_fail("the report's \"committed\" does not match the result %d", rc);
	if (!json_is_array(lines) || json_array_size(lines) != n_records)
		bx_fuzz_fail("the report has %zu lines for %zu records", json_array_size(lines), n_records);
	if (rc == 0 && (invalid != 0 || created + updated + unchanged != (int64_t)n_records))
		bx_fuzz_fail("a committed import counts %lld invalid and %lld written of %zu",
		             (long long)invalid, (long long)(created + updated + unchanged), n_records);
	if (rc == BX_EINVALID && (invalid == 0 || created + updated + unchanged != 0))
		bx_fuzz_fail("a rolled-back import counts %lld invalid and %lld written", (long long)invalid,
		             (long long)(created + updated + unchanged));
	n_writes += created + updated;
	json_decref(report);
	return 0;
}
