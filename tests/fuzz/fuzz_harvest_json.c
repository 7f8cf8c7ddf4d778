/* Fuzz target for the changes-feed page reader (src/federation/harvest_read.c), what a
 * harvester reads from another bioex node. The first byte is the cursor the page was
 * asked from (since), the rest the page. An accepted page must keep the reader's
 * contract: items with increasing seq after since, record ids, revisions from 1, a record
 * with the item's id unless deleted; next not going back, and advancing when more. Each
 * item's import line is the record or the tombstone line. A refused page leaves nothing
 * and says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "core/validate.h"
#include "federation/harvest_read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	bx_fuzz_setup();
	return 0;
}

static void check_item(const json_t *item, int64_t *last_seq)
{
	int64_t seq = json_integer_value(json_object_get(item, "seq"));
	const char *id = json_string_value(json_object_get(item, "id"));
	size_t node_length;
	if (seq <= *last_seq || !id || !bx_is_record_id(id, &node_length))
		bx_fuzz_fail("an accepted item has seq %lld after %lld or a bad id", (long long)seq, (long long)*last_seq);
	if (json_integer_value(json_object_get(item, "revision")) < 1)
		bx_fuzz_fail("an accepted item has no revision from 1");
	*last_seq = seq;
	bool deleted = json_is_true(json_object_get(item, "deleted"));
	json_t *line = bx_changes_item_line(item);
	const char *line_id = json_string_value(json_object_get(line, "id"));
	if (!json_is_object(line) || !line_id || strcmp(line_id, id))
		bx_fuzz_fail("the import line of %s does not name it", id);
	json_t *meta = json_object_get(line, "meta");
	if (!deleted && line != json_object_get(item, "record"))
		bx_fuzz_fail("the line of %s is not its record", id);
	if (deleted && (json_object_size(line) != 2 || !json_is_true(json_object_get(meta, "deleted")) ||
	                json_integer_value(json_object_get(meta, "revision")) < 1))
		bx_fuzz_fail("a tombstone line is not {\"id\", \"meta\": {\"revision\", \"deleted\": true}}");
	json_decref(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int64_t since = data[0];
	struct bx_changes_page page;
	char message[256] = "";
	int rc = bx_changes_page_read((const char *)data + 1, size - 1, since, &page, message, sizeof message);
	if (rc) {
		if (rc != BX_EINVAL || page.root || page.items || !message[0] || !memchr(message, '\0', sizeof message))
			bx_fuzz_fail("a refused page left something behind or gave no reason (rc %d)", rc);
		return 0;
	}
	if (!json_is_array(page.items))
		bx_fuzz_fail("an accepted page has no items");
	int64_t last_seq = since;
	size_t i;
	json_t *item;
	json_array_foreach(page.items, i, item)
		check_item(item, &last_seq);
	if (page.next < last_seq || (page.more && page.next <= since))
		bx_fuzz_fail("next %lld after items up to %lld (since %lld, more %d)", (long long)page.next,
		             (long long)last_seq, (long long)since, page.more);
	bx_changes_page_free(&page);
	if (page.root)
		bx_fuzz_fail("bx_changes_page_free left the page");
	return 0;
}
