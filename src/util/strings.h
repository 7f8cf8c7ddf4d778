/* Membership tests for short lists of strings, in C arrays and in JSON arrays. */
#ifndef BX_STRINGS_H
#define BX_STRINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* True when value (may be NULL: false) is one of list[0..n). */
bool bx_str_one_of(const char *value, const char *const *list, size_t n);
/* True when the JSON array list (may be NULL) holds the string value. */
bool bx_json_array_has(const json_t *list, const char *value);

#endif
