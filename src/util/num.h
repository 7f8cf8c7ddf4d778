/* Checked number parsing: the whole string must be a number within [min, max]. */
#ifndef BX_NUM_H
#define BX_NUM_H

#include <stdint.h>
#include "util/error.h"

/* Parses decimal text into *out. Returns 0, or BX_EINVAL for anything that is not
 * exactly an integer in [min, max] (empty, trailing text, overflow). */
BX_MUST_USE int bx_parse_int64(const char *text, int64_t min, int64_t max, int64_t *out);

#endif
