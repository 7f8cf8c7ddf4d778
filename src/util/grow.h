/* Growing arrays: the one way the project makes room in a malloc'ed array. */
#ifndef BX_GROW_H
#define BX_GROW_H

#include <stddef.h>
#include "util/error.h"

/* Makes room for `more` items after the first n of *items (whose room is *capacity items
 * of item_size bytes), doubling from 16. Returns 0, or BX_ENOMEM with the array as it was. */
BX_MUST_USE int bx_reserve(void **items, size_t *capacity, size_t n, size_t more, size_t item_size);

/* bx_reserve for a typed array variable and its capacity variable. */
#define BX_RESERVE(array, capacity, n, more) \
	bx_reserve((void **)&(array), &(capacity), (n), (more), sizeof *(array))

#endif
