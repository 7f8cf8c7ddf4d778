/* A pool of blocks freed together (see pool.h). */
#include <stdlib.h>
#include "util/grow.h"
#include "util/pool.h"

void *bx_pool_keep(struct bx_pool *pool, void *block)
{
	if (!block)
		return NULL;
	if (BX_RESERVE(pool->blocks, pool->capacity, pool->n, 1)) {
		free(block);
		return NULL;
	}
	return pool->blocks[pool->n++] = block;
}

void *bx_pool_alloc(struct bx_pool *pool, size_t size)
{
	return bx_pool_keep(pool, calloc(1, size ? size : 1));
}

void bx_pool_free(struct bx_pool *pool)
{
	for (size_t i = 0; i < pool->n; i++)
		free(pool->blocks[i]);
	free(pool->blocks);
	*pool = (struct bx_pool){0};
}
