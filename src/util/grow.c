/* Growing arrays (see grow.h). */
#include <stdint.h>
#include <stdlib.h>
#include "util/grow.h"

int bx_reserve(void **items, size_t *capacity, size_t n, size_t more, size_t item_size)
{
	if (more > SIZE_MAX / item_size - n)
		return BX_ENOMEM;
	if (n + more <= *capacity)
		return 0;
	size_t wanted = *capacity ? *capacity : 16;
	while (wanted < n + more)
		wanted = wanted > SIZE_MAX / 2 / item_size ? n + more : wanted * 2;
	void *grown = realloc(*items, wanted * item_size);
	if (!grown)
		return BX_ENOMEM;
	*items = grown;
	*capacity = wanted;
	return 0;
}
