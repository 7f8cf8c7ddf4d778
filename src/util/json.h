/* Parsing outside JSON with the limits every input gets: duplicate keys refused,
 * nesting at most BX_JSON_MAX_DEPTH, NUL characters in strings refused. */
#ifndef BX_JSON_H
#define BX_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"

#define BX_JSON_MAX_DEPTH 64

/* Parses text[0..length). On success sets *out and returns 0; otherwise returns
 * BX_EINVAL with a one-line explanation (with line and column) in message. */
BX_MUST_USE int bx_json_parse(const char *text, size_t length, json_t **out, char *message,
                              size_t message_size);

/* The JSON value text[0..length), as json_loadb reads it with JSON_DECODE_ANY; NULL when
 * it does not parse. An lstring (an object of strings) is read without jansson's lexer,
 * five times faster. */
json_t *bx_json_load_value(const char *text, size_t length);

/* Parses only the members of the JSON object text[0..length) whose keys are among
 * keys[0..n_keys) (as text writes them: a key with an escape is not recognized), into a
 * new object; the other members
 * are passed over, read only as far as finding where they end. For JSON this program
 * wrote (a stored record): text is not checked beyond what the members taken need. NULL
 * when text is not an object, a member taken does not parse, or memory runs out. */
json_t *bx_json_load_members(const char *text, size_t length, const char *const *keys, size_t n_keys);

/* Decodes the content of a JSON string (between its quotes: p to end) into out. A
 * malformed escape is BX_EINVAL. strict reads as jansson does: a raw control character,
 * \u0000 or a lone surrogate is BX_EINVAL too; otherwise they are kept, a lone surrogate
 * as U+FFFD. BX_ETOOBIG past out's cap, BX_ENOMEM. */
BX_MUST_USE int bx_json_decode_string(struct bx_buf *out, const char *p, const char *end, bool strict);

/* Appends text (UTF-8) as a JSON string, quoted and escaped. */
BX_MUST_USE int bx_json_write_string(struct bx_buf *out, const char *text);

/* Appends value as compact JSON, the text json_dumps(JSON_COMPACT) gives, written
 * straight into out (several times faster: the replies' way). BX_ETOOBIG past out's cap,
 * BX_ENOMEM. */
BX_MUST_USE int bx_json_write(struct bx_buf *out, const json_t *value);

#endif
