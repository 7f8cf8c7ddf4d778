/* Readers of what a harvested peer answers, apart from the network so that they can be
 * fuzzed: a page of a bioex changes feed (JSON, harvest_read.c) and an OAI-PMH response
 * (XML, harvest_read_xml.c). They take a buffer, check its shape and bound what they keep;
 * they never touch storage. */
#ifndef BX_HARVEST_READ_H
#define BX_HARVEST_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

/* One page of GET /api/v1/changes: {"items":[...],"next","more"}. */
struct bx_changes_page {
	json_t *root;      /* the parsed page; owns items */
	json_t *items;     /* [{"seq","id","revision","deleted","record"?}], every one checked */
	int64_t next;      /* the cursor to ask from next */
	bool more;
};

/* Reads a page asked for with since. Every item must have an increasing seq after since,
 * an id, a revision from 1, deleted, and unless deleted a record object with the same id;
 * next must not go back, and must advance when more is true. On success fills *page
 * (free with bx_changes_page_free) and returns 0; otherwise returns BX_EINVAL with the
 * reason in message and leaves *page empty. */
BX_MUST_USE int bx_changes_page_read(const char *text, size_t length, int64_t since,
                                     struct bx_changes_page *page, char *message,
                                     size_t message_size);
void bx_changes_page_free(struct bx_changes_page *page);
/* The import line that applies a checked item: its record as sent (a replica, with its
 * meta), or for a withdrawal the tombstone line {"id", "meta": {"revision", "deleted":
 * true}} (records.h). A new reference. */
json_t *bx_changes_item_line(const json_t *item);

/* OAI-PMH 2.0 with oai_dc, read as a stream (xmlReader: no DTD, no entity expansion, no
 * network). Values over these limits are dropped, not kept. */
#define BX_OAI_MAX_RECORDS 10000       /* records in one response */
#define BX_OAI_MAX_VALUES 200          /* values of one element in one record */
#define BX_OAI_MAX_TEXT (1024 * 1024)  /* bytes of one value */

struct bx_oai_value {
	char *text;        /* trimmed */
	char *language;    /* its xml:lang, NULL when none */
};

struct bx_oai_values {
	struct bx_oai_value *items;
	size_t n;
};

/* One record of ListRecords (or GetRecord): its header and its Dublin Core elements. */
struct bx_oai_record {
	char *identifier;
	char *datestamp;
	bool deleted;                      /* header status="deleted" */
	struct bx_oai_values sets;         /* setSpec */
	struct bx_oai_values title, description, date, language, subject, identifiers, type;
};

struct bx_oai_response {
	char verb[32];                     /* the answer's element: "Identify", "ListRecords", ... */
	char *response_date;
	char *error_code;                  /* the first <error code=...>, NULL when none */
	char *error_message;
	char *granularity;                 /* Identify: "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ" */
	struct bx_oai_record *records;
	size_t n_records;
	char *resumption_token;            /* NULL or "" when the list is complete */
};

/* Reads an OAI-PMH response. On success fills *response (free with
 * bx_oai_response_free) and returns 0; BX_EINVAL with the reason in message for what is not
 * well-formed XML or not an OAI-PMH response. An OAI error element is not a failure here:
 * it is reported in error_code. */
BX_MUST_USE int bx_oai_response_read(const char *xml, size_t length, struct bx_oai_response *response,
                                     char *message, size_t message_size);
void bx_oai_response_free(struct bx_oai_response *response);

#endif
