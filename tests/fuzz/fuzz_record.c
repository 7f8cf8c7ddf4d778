/* Fuzz target for the record path a write takes before storage: JSON text, the JSON
 * parser's limits, the validator against the real catalog and, for a valid record, the
 * canonical form (which must parse and validate again) and the hiding of private fields.
 * Also the reading of some members only (bx_json_load_members), as a search reads a
 * stored record: of any text, the members it gives are the whole's; of the JSON this
 * program writes, exactly those of the whole; and each value read as jansson reads it.
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

static const char *const member_keys[] = {"title", "summary", "text", "meta", "id"};
#define N_MEMBER_KEYS (sizeof member_keys / sizeof member_keys[0])

/* Checks bx_json_load_members over text against whole (text parsed, or NULL when it
 * does not parse): each member given is whole's, and all of whole's when exact. */
static void check_members(const char *text, size_t length, const json_t *whole, bool exact)
{
	json_t *members = bx_json_load_members(text, length, member_keys, N_MEMBER_KEYS);
	if (!members)
		return;
	if (!json_is_object(whole)) {
		if (exact || whole)
			bx_fuzz_fail("bx_json_load_members gave members of what is not an object");
		json_decref(members);
		return;
	}
	size_t expected = 0;
	for (size_t i = 0; i < N_MEMBER_KEYS; i++) {
		json_t *member = json_object_get(members, member_keys[i]);
		expected += json_object_get(whole, member_keys[i]) != NULL;
		if (member && !json_equal(member, json_object_get(whole, member_keys[i])))
			bx_fuzz_fail("bx_json_load_members gave another %s than the whole's", member_keys[i]);
	}
	if (exact && json_object_size(members) != expected)
		bx_fuzz_fail("bx_json_load_members gave %zu members of %zu", json_object_size(members), expected);
	json_decref(members);
}

/* Checks that bx_json_load_value reads text as jansson does: the same value, or none. */
static void check_value(const char *text, size_t length)
{
	json_t *ours = bx_json_load_value(text, length), *theirs = json_loadb(text, length, JSON_DECODE_ANY, NULL);
	if (!ours != !theirs || (ours && !json_equal(ours, theirs)))
		bx_fuzz_fail("bx_json_load_value read %s where jansson read %s", ours ? "a value" : "nothing",
		             theirs ? "a value" : "nothing");
	json_decref(ours);
	json_decref(theirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *record = NULL;
	char message[256];
	check_value((const char *)data, size);
	int parsed = bx_json_parse((const char *)data, size, &record, message, sizeof message);
	check_members((const char *)data, size, record, false);
	if (parsed)
		return 0;
	char *written = json_dumps(record, JSON_COMPACT | JSON_ENCODE_ANY);
	if (written)
		check_members(written, strlen(written), record, true);
	free(written);
	const char *key;
	json_t *member;
	json_object_foreach(record, key, member) {   /* each member as this program writes it */
		char *text = json_dumps(member, JSON_COMPACT | JSON_ENCODE_ANY);
		if (text)
			check_value(text, strlen(text));
		free(text);
	}
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
