/* The schema dialect of formats/ (docs/formats.md): a JSON Schema 2020-12 subset plus the
 * bioex keywords x-labels, x-lstring, x-vocabulary and x-private. */
#ifndef BX_SCHEMA_H
#define BX_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

/* Checks that schema uses only the dialect's keywords, with values of the right kind,
 * and that every pattern compiles. Returns 0, or BX_EINVALID with the first problem
 * written to problem. */
int bx_schema_check(const json_t *schema, char *problem, size_t problem_size);

/* Calls fn for every "pattern" string in schema, depth first. Stops at a non-zero return. */
int bx_schema_each_pattern(const json_t *schema, int (*fn)(void *, const char *), void *context);

#endif
