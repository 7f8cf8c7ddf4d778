/* Parsing outside JSON with the limits every input gets: duplicate keys refused,
 * nesting at most BX_JSON_MAX_DEPTH, NUL characters in strings refused. */
#ifndef BX_JSON_H
#define BX_JSON_H

#include <jansson.h>
#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"

#define BX_JSON_MAX_DEPTH 64

/* Parses text[0..length). On success sets *out and returns 0; otherwise returns
 * BX_EINVAL with a one-line explanation (with line and column) in message. */
BX_MUST_USE int bx_json_parse(const char *text, size_t length, json_t **out, char *message,
                              size_t message_size);

/* Appends text (UTF-8) as a JSON string, quoted and escaped. */
BX_MUST_USE int bx_json_write_string(struct bx_buf *out, const char *text);

#endif
