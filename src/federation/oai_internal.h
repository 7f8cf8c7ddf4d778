/* What the OAI-PMH provider's files share and nothing else includes: the names of
 * verbs, arguments and formats, the XML writing helpers, and one call being answered. */
#ifndef BX_OAI_INTERNAL_H
#define BX_OAI_INTERNAL_H

#include <string.h>
#include "federation/oai.h"

#define BX_OAI_DC_NAMESPACE "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define BX_OAI_DC_SCHEMA "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
#define BX_OAI_RECORD_NAMESPACE "https://bioex.org/ns/record/1"
#define BX_OAI_RECORD_SCHEMA_PATH "/oai/bioex-record.xsd"   /* under the base URL */

/* oai_args.c: the protocol's names. */
const char *bx_oai_verb_name(enum bx_oai_verb verb);
const char *bx_oai_format_prefix(enum bx_oai_format format);
const char *bx_oai_argument_name(enum bx_oai_argument argument);
/* True for the unreserved URI characters of setSpec and metadataPrefix, in non-empty
 * parts separated by colons when colons is true. */
bool bx_oai_is_unreserved(const char *text, bool colons);

/* oai.c: who OAI-PMH answers as. The interface is public: anonymous, so only published
 * records and withdrawals, without private fields. */
struct bx_principal;
extern const struct bx_principal bx_oai_public;

/* One request being answered: what the verbs read, and where they write. */
struct bx_oai_call {
	struct bx_node *node;
	const struct bx_oai_request *request;
	const unsigned char *key;     /* BX_OAI_KEY_SIZE bytes */
	const char *base;             /* "http://HOST", no trailing slash */
	int64_t now;
	struct bx_buf *out;
	enum bx_oai_error error;      /* set by a verb that answers with an error instead */
	char message[256];
};

/* oai_json.c: a JSON value inside a record's text, from start to end (start NULL for
 * none), read in place. */
struct bx_oai_json {
	const char *start, *end;
};
struct bx_oai_json_walk {
	const char *at, *end;   /* at NULL: nothing (more) to walk */
	char close;             /* '}' for an object's members, ']' for an array's items */
	bool started;
};
static inline struct bx_oai_json bx_oai_json_text(const char *text)
{
	return (struct bx_oai_json){text, text ? text + strlen(text) : NULL};
}
/* Starts walking an object or array; anything else walks as empty. */
void bx_oai_json_walk(struct bx_oai_json container, struct bx_oai_json_walk *walk);
/* The next member (key set) or item (key empty): 1, or 0 at the end, or BX_EINVAL when
 * the text is malformed. */
BX_MUST_USE int bx_oai_json_next(struct bx_oai_json_walk *walk, struct bx_oai_json *key,
                                 struct bx_oai_json *value);
/* An object's member by name; empty when absent or not an object. */
struct bx_oai_json bx_oai_json_get(struct bx_oai_json object, const char *name);
bool bx_oai_json_is_string(struct bx_oai_json value);
/* Is value the JSON string text (compared as written, without escapes)? */
bool bx_oai_json_equals(struct bx_oai_json value, const char *text);
/* A JSON string's content, unescaped, cut at max bytes (at a character boundary; SIZE_MAX
 * for all of it), then escaped for XML text or an attribute. */
BX_MUST_USE int bx_oai_xml_json_string(struct bx_buf *out, struct bx_oai_json string, bool attribute,
                                       size_t max);

/* An item as the headers and metadata show it. */
struct bx_oai_item {
	const char *id;
	const char *type;
	bool deleted;
	int64_t changed;              /* the datestamp: when stored here, Unix seconds */
	struct bx_oai_json record;    /* the public record; for a withdrawal the tombstone
	                                 (its sets only) or nothing */
};

/* oai_xml.c. Text escaped for element content or an attribute value: characters XML 1.0
 * forbids are dropped and bytes that are not UTF-8 become U+FFFD. 0, or the buffer's
 * error. */
BX_MUST_USE int bx_oai_xml_text(struct bx_buf *out, const char *text, size_t length);
BX_MUST_USE int bx_oai_xml_attr(struct bx_buf *out, const char *text, size_t length);
BX_MUST_USE int bx_oai_xml_puts(struct bx_buf *out, const char *text);   /* escaped */
/* <header> of an item: identifier, datestamp, the leaf sets it belongs to. */
BX_MUST_USE int bx_oai_write_header(struct bx_buf *out, const struct bx_oai_item *item);
/* Is the item in the set (setSpec; "" for every item)? */
bool bx_oai_in_set(const char *set, const struct bx_oai_item *item);

/* oai_formats.c: the <metadata> content of a record in a format. */
BX_MUST_USE int bx_oai_write_metadata(struct bx_buf *out, struct bx_oai_json record,
                                      enum bx_oai_format format, const char *base);

/* oai_list.c: ListIdentifiers and ListRecords, one page. */
BX_MUST_USE int bx_oai_list(struct bx_oai_call *call);

#endif
