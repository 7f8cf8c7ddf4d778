/* Fuzz target for the OAI-PMH response reader (src/federation/harvest_read_xml.c) and the
 * oai_dc mapping (harvest_map.c), what a harvester reads from a generic OAI-PMH endpoint.
 * An accepted response must respect the reader's limits (records, values per element,
 * bytes per value, values trimmed and non-empty, a verb or an error), and every record
 * with an identifier must map onto an envelope that validates against the real catalog,
 * with an id made from the peer slug that is the same when mapped again. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "core/catalog.h"
#include "core/validate.h"
#include "federation/harvest_map.h"
#include "federation/harvest_read.h"

#define MAX_INPUT (256 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bx_catalog *catalog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	bx_fuzz_setup();
	char path[4096];
	bx_fuzz_path(path, sizeof path, "harvest-xml.db");
	struct bx_store *store = bx_fuzz_make_store(path, "fz", true);
	if (bx_catalog_load(store, &catalog))
		bx_fuzz_fail("cannot load the catalog");
	bx_store_close(store);
	return 0;
}

static void check_values(const struct bx_oai_values *values)
{
	if (values->n > BX_OAI_MAX_VALUES)
		bx_fuzz_fail("%zu values of one element", values->n);
	for (size_t i = 0; i < values->n; i++) {
		const char *text = values->items[i].text;
		size_t n = text ? strlen(text) : 0;
		if (!n || n > BX_OAI_MAX_TEXT || isspace((unsigned char)text[0]) || isspace((unsigned char)text[n - 1]))
			bx_fuzz_fail("a value is empty, too long or not trimmed");
	}
}

static void check_mapping(const struct bx_oai_record *record)
{
	json_t *first = bx_harvest_map_oai_dc(catalog, "peer-1", record);
	json_t *second = bx_harvest_map_oai_dc(catalog, "peer-1", record);
	if (!first || !second || !json_equal(first, second))
		bx_fuzz_fail("mapping the same record twice differs");
	const char *id = json_string_value(json_object_get(first, "id"));
	if (!id || strncmp(id, "peer-1:", 7))
		bx_fuzz_fail("the id is not made from the peer slug");
	json_t *details = json_array();
	struct bx_validation validation = {.catalog = catalog, .node = "fz", .foreign_ids = true,
	                                   .details = details};
	if (bx_validate_record(&validation, first)) {
		char *shown = json_dumps(details, 0);
		bx_fuzz_fail("a mapped record is not valid: %s", shown ? shown : "?");
	}
	json_decref(details);
	json_decref(first);
	json_decref(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	struct bx_oai_response response;
	char message[256] = "";
	if (bx_oai_response_read((const char *)data, size, &response, message, sizeof message)) {
		if (response.records || response.n_records || !message[0])
			bx_fuzz_fail("a refused response left records or gave no reason");
		return 0;
	}
	if (!response.verb[0] && !response.error_code)
		bx_fuzz_fail("an accepted response has neither a verb nor an error");
	if (response.n_records > BX_OAI_MAX_RECORDS)
		bx_fuzz_fail("%zu records", response.n_records);
	for (size_t i = 0; i < response.n_records; i++) {
		const struct bx_oai_record *record = &response.records[i];
		const struct bx_oai_values *lists[] = {&record->sets, &record->title, &record->description,
		                                       &record->date, &record->language, &record->subject,
		                                       &record->identifiers, &record->type};
		for (size_t j = 0; j < sizeof lists / sizeof lists[0]; j++)
			check_values(lists[j]);
		if (record->identifier && record->identifier[0] && !record->deleted)
			check_mapping(record);
	}
	bx_oai_response_free(&response);
	return 0;
}
