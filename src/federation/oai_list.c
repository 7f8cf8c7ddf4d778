/* ListIdentifiers and ListRecords (see oai_internal.h): one page of the records and
 * withdrawals that match a selection, in change-sequence order, and the resumption
 * token that continues it.
 *
 * A pass (the first page and the ones its tokens lead to) fixes a high-water mark, the
 * newest change sequence when it began, and shows only records whose current revision
 * is at or below it. A record written during the pass gets a sequence above the mark,
 * so it is not shown again in this pass if it was shown already, and it is shown by the
 * next pass (its datestamp is after this pass began). Nothing is skipped, nothing is
 * repeated within a pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/oai_internal.h"
#include "records/records.h"
#include "util/num.h"
#include "util/timeutil.h"

#define PAGE_RECORDS 500                  /* items per page */
#define PAGE_BYTES (8u << 20)            /* a page ends early past this many bytes */
#define SCAN_BATCH 1000                   /* changes read from the store at a time */
#define TOKEN_SECONDS_DEFAULT (24 * 3600)
#define STOP_SCAN 1                       /* take_change's "enough": not an error */

struct page {
	struct bx_oai_call *call;
	struct bx_oai_list *list;
	size_t start;        /* out's length when the page began */
	int n_items;
	bool full;           /* no room for more items on this page */
	bool more;           /* a matching item waits for the next page */
	bool pass_ended;     /* the scan passed the high-water mark */
	int64_t resume;      /* the next page starts after this sequence */
	int rc;              /* a failure inside the callback */
};

/* How long a token lives: $BIOEX_OAI_TOKEN_SECONDS (1 to 604800) or a day. */
static int64_t token_seconds(void)
{
	const char *text = getenv("BIOEX_OAI_TOKEN_SECONDS");
	int64_t seconds;
	return text && !bx_parse_int64(text, 1, 7 * 24 * 3600, &seconds) ? seconds : TOKEN_SECONDS_DEFAULT;
}

/* The tombstone's JSON (malloc'ed), for the sets a withdrawn record was in; NULL when
 * unreadable. Only its public lists (conventions, countries) are ever read. */
static char *tombstone_of(struct bx_node *node, const char *id)
{
	struct bx_stored stored = {0};
	char *json = NULL;
	if (!bx_store_get_record(node->store, id, &stored)) {
		json = stored.json;
		stored.json = NULL;
	}
	bx_stored_free(&stored);
	return json;
}

static int write_item(struct page *page, const struct bx_oai_item *item)
{
	struct bx_buf *out = page->call->out;
	bool records = page->list->verb == BX_OAI_LIST_RECORDS;
	int rc = records ? bx_buf_puts(out, "<record>") : 0;
	if (!rc)
		rc = bx_oai_write_header(out, item);
	if (!rc && records && !item->deleted)
		rc = bx_oai_write_metadata(out, item->record, page->list->format, page->call->base);
	if (!rc && records)
		rc = bx_buf_puts(out, "</record>");
	return rc;
}

static int take_change(void *context, const struct bx_change *change)
{
	struct page *page = context;
	const struct bx_oai_list *list = page->list;
	if (change->seq > list->high) {
		page->pass_ended = true;
		return STOP_SCAN;
	}
	if (change->changed < list->from || change->changed > list->until) {
		page->resume = change->seq;
		return 0;
	}
	char *tombstone = change->deleted ? tombstone_of(page->call->node, change->id) : NULL;
	struct bx_oai_item item = {change->id, change->type, change->deleted, change->changed,
	                           bx_oai_json_text(change->deleted ? tombstone : change->json)};
	int rc = 0;
	if (!bx_oai_in_set(list->set, &item)) {
		page->resume = change->seq;
	} else if (page->full) {
		/* The next page starts at this item; what was skipped before it is not scanned
		 * again. */
		page->more = true;
		page->resume = change->seq - 1;
		rc = STOP_SCAN;
	} else if ((page->rc = write_item(page, &item))) {
		rc = STOP_SCAN;
	} else {
		page->resume = change->seq;
		page->n_items++;
		page->full = page->n_items == PAGE_RECORDS ||
		             page->call->out->len - page->start >= PAGE_BYTES;
	}
	free(tombstone);
	return rc;
}

/* Scans from list->after until the page is full and the next item is found, or the
 * pass ends. */
static int fill_page(struct page *page)
{
	int64_t after = page->list->after;
	while (!page->more && !page->pass_ended && after < page->list->high) {
		int64_t next;
		bool more_rows;
		page->resume = after;
		int rc = bx_records_changes(page->call->node, &bx_oai_public, after, SCAN_BATCH, take_change,
		                            page, &next, &more_rows);
		if (page->rc)
			return page->rc;
		if (rc && rc != STOP_SCAN)
			return rc;
		if (rc == STOP_SCAN)
			break;
		/* Every change up to next was scanned, drafts included. */
		page->resume = next;
		if (!more_rows)
			page->pass_ended = true;
		after = next;
	}
	return 0;
}

static int write_token(struct bx_oai_call *call, struct page *page)
{
	struct bx_oai_list *list = page->list;
	struct bx_buf *out = call->out;
	int64_t cursor = list->delivered;
	if (!page->more)
		return call->request->resumed ? bx_buf_printf(out, "<resumptionToken cursor=\"%lld\"/>",
		                                              (long long)cursor)
		                              : 0;
	char expires[BX_TIME_ISO_SIZE];
	list->after = page->resume;
	list->delivered += page->n_items;
	list->expires = call->now + token_seconds();
	bx_time_iso((time_t)list->expires, expires);
	int rc = bx_buf_printf(out, "<resumptionToken expirationDate=\"%s\" cursor=\"%lld\">", expires,
	                       (long long)cursor);
	if (!rc)
		rc = bx_oai_token_encode(call->key, list, out);
	return rc ? rc : bx_buf_puts(out, "</resumptionToken>");
}

int bx_oai_list(struct bx_oai_call *call)
{
	struct bx_oai_list list = call->request->list;
	const char *verb = bx_oai_verb_name(list.verb);
	int rc = 0;
	if (!call->request->resumed) {
		list.after = 0;
		list.delivered = 0;
		rc = bx_store_last_seq(call->node->store, &list.high);
	}
	if (!rc)
		rc = bx_buf_printf(call->out, "<%s>", verb);
	struct page page = {.call = call, .list = &list, .start = call->out->len};
	if (!rc)
		rc = fill_page(&page);
	if (!rc && page.n_items == 0) {
		call->error = BX_OAI_NO_RECORDS_MATCH;
		snprintf(call->message, sizeof call->message, "%s",
		         call->request->resumed ? "no more records match (they changed since the list began)"
		                                : "no records match the arguments");
		return 0;
	}
	if (!rc)
		rc = write_token(call, &page);
	return rc ? rc : bx_buf_printf(call->out, "</%s>", verb);
}
