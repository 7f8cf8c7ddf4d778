/* The changes-feed page reader (see harvest_read.h): a page of GET /api/v1/changes from
 * another bioex node, checked item by item before anything of it is applied. */
#include <stdio.h>
#include <string.h>
#include "core/validate.h"
#include "federation/harvest_read.h"
#include "util/json.h"

/* Checks item i of a page; writes the problem into message. */
static bool check_item(const json_t *item, size_t i, int64_t *last_seq, char *message, size_t size)
{
	json_t *seq = json_object_get(item, "seq"), *revision = json_object_get(item, "revision");
	json_t *deleted = json_object_get(item, "deleted"), *record = json_object_get(item, "record");
	const char *id = json_string_value(json_object_get(item, "id"));
	size_t node_length;
	const char *problem = !json_is_object(item) ? "is not an object"
	                    : !json_is_integer(seq) ? "has no integer seq"
	                    : json_integer_value(seq) <= *last_seq ? "has a seq that does not increase"
	                    : !id || !bx_is_record_id(id, &node_length) ? "has no valid record id"
	                    : !json_is_integer(revision) || json_integer_value(revision) < 1
	                      ? "has no revision from 1"
	                    : !json_is_boolean(deleted) ? "has no boolean deleted"
	                    : json_is_true(deleted) ? NULL
	                    : !json_is_object(record) ? "has no record object"
	                    : !json_is_string(json_object_get(record, "id")) ||
	                      strcmp(json_string_value(json_object_get(record, "id")), id)
	                      ? "has a record whose id differs from the item's" : NULL;
	if (problem) {
		snprintf(message, size, "item %zu %s", i, problem);
		return false;
	}
	*last_seq = json_integer_value(seq);
	return true;
}

static bool check_page(const json_t *root, int64_t since, char *message, size_t size)
{
	json_t *items = json_object_get(root, "items"), *next = json_object_get(root, "next");
	json_t *more = json_object_get(root, "more");
	if (!json_is_object(root) || !json_is_array(items) || !json_is_integer(next) ||
	    !json_is_boolean(more)) {
		snprintf(message, size, "expected {\"items\": [...], \"next\": N, \"more\": true|false}");
		return false;
	}
	int64_t last_seq = since;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		if (!check_item(item, i, &last_seq, message, size))
			return false;
	int64_t next_seq = json_integer_value(next);
	if (next_seq < last_seq || (json_is_true(more) && next_seq <= since)) {
		snprintf(message, size, "next (%lld) goes back or does not advance", (long long)next_seq);
		return false;
	}
	return true;
}

int bx_changes_page_read(const char *text, size_t length, int64_t since,
                         struct bx_changes_page *page, char *message, size_t message_size)
{
	memset(page, 0, sizeof *page);
	json_t *root;
	int rc = bx_json_parse(text, length, &root, message, message_size);
	if (rc)
		return rc;
	if (!check_page(root, since, message, message_size)) {
		json_decref(root);
		return BX_EINVAL;
	}
	page->root = root;
	page->items = json_object_get(root, "items");
	page->next = json_integer_value(json_object_get(root, "next"));
	page->more = json_is_true(json_object_get(root, "more"));
	return 0;
}

void bx_changes_page_free(struct bx_changes_page *page)
{
	json_decref(page->root);
	memset(page, 0, sizeof *page);
}

json_t *bx_changes_item_line(const json_t *item)
{
	if (!json_is_true(json_object_get(item, "deleted")))
		return json_incref(json_object_get(item, "record"));
	return json_pack("{s:O, s:{s:O, s:b}}", "id", json_object_get(item, "id"),
	                 "meta", "revision", json_object_get(item, "revision"), "deleted", 1);
}
