/* A pool: blocks kept together and freed together, for the many small allocations of
 * one piece of work (a search, a query's analysis). */
#ifndef BX_POOL_H
#define BX_POOL_H

#include <stddef.h>

struct bx_pool {
	void **blocks;
	size_t n, capacity;
};

/* Keeps block (malloc'ed, or NULL) to be freed with the pool. Returns block; NULL when it
 * was NULL or could not be kept (then it is freed). */
void *bx_pool_keep(struct bx_pool *pool, void *block);
/* A zeroed block of size bytes (at least one) kept by the pool, or NULL. */
void *bx_pool_alloc(struct bx_pool *pool, size_t size);
/* Frees every block kept, and the pool's own memory; the pool is empty again. */
void bx_pool_free(struct bx_pool *pool);

#endif
