/* Fuzz target for the record path a write takes before storage: JSON text, the JSON
 * parser's limits, the validator against the real catalog and, for a valid record, the
 * canonical form (which must parse and validate again) and the hiding of private fields.
 * BX_FUZZ_VERBOSE=1 prints each input's problems. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "core/catalog.h"
#include "core/record.h"
#include "core/validate.h"
#include "util/json.h"

#define NODE "fz"

static struct bx_catalog *catalog;
static bool verbose;     /* BX_FUZZ_VERBOSE set: print each input's problems */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char db[4096];
	bx_fuzz_setup();
	verbose = getenv("BX_FUZZ_VERBOSE") != NULL;
	bx_fuzz_path(db, sizeof db, "record.db");
	struct bx_store *store = bx_fuzz_make_store(db, NODE, true);
	int rc = bx_catalog_load(store, &catalog);
	if (rc)
		bx_fuzz_fail("cannot load the catalog: %s", bx_strerror(rc));
	bx_store_close(store);
	return 0;
}

/* Prepares a valid record as a new one and checks what comes out. */
static void prepare(const json_t *record, bool keep_meta)
{
	struct bx_write_context context = {
		.catalog = catalog, .node = NODE, .actor = "fuzzer", .address = NULL,
		.keep_meta = keep_meta,
	};
	struct bx_prepared prepared;
	int rc = bx_record_prepare(&context, record, NULL, "draft", BX_WRITE_CREATE, &prepared);
	if (rc == BX_ENOMEM)
		return;
	if (rc)
		bx_fuzz_fail("bx_record_prepare refused a valid record: %s", bx_strerror(rc));
	if (!prepared.json || !prepared.write.id || !prepared.write.type || !prepared.write.status)
		bx_fuzz_fail("a prepared record lacks its json, id, type or status");
	json_t *again = NULL;
	char message[256];
	if (bx_json_parse(prepared.json, strlen(prepared.json), &again, message, sizeof message))
		bx_fuzz_fail("the canonical JSON does not parse: %s", message);
	json_decref(again);
	/* What the store keeps is itself a valid record. */
	struct bx_validation validation = {
		.catalog = catalog, .node = NODE, .foreign_ids = true, .details = json_array(),
	};
	if (bx_validate_record(&validation, prepared.record)) {
		char *listed = json_dumps(validation.details, JSON_COMPACT);
		bx_fuzz_fail("a prepared record is not valid: %s", listed ? listed : "?");
	}
	json_decref(validation.details);
	bx_record_redact(catalog, prepared.record);
	bx_prepared_free(&prepared);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *record = NULL;
	char message[256];
	if (bx_json_parse((const char *)data, size, &record, message, sizeof message))
		return 0;
	for (int foreign = 0; foreign < 2; foreign++) {
		struct bx_validation validation = {
			.catalog = catalog, .node = NODE, .foreign_ids = foreign, .details = json_array(),
		};
		size_t problems = bx_validate_record(&validation, record);
		if (problems != json_array_size(validation.details))
			bx_fuzz_fail("bx_validate_record counted %zu problems but listed %zu", problems,
			             json_array_size(validation.details));
		if (verbose && foreign) {
			char *listed = json_dumps(validation.details, JSON_COMPACT);
			fprintf(stderr, "%zu problems: %s\n", problems, listed ? listed : "?");
			free(listed);
		}
		if (!problems && foreign) {
			prepare(record, false);
			prepare(record, true);
		}
		json_decref(validation.details);
	}
	/* Redaction must cope with any object, valid or not. */
	if (json_is_object(record)) {
		json_t *copy = json_deep_copy(record);
		bx_record_redact(catalog, copy);
		json_decref(copy);
	}
	json_decref(record);
	return 0;
}
