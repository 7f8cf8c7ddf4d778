/* Membership tests (see strings.h). */
#include <string.h>
#include "util/strings.h"

bool bx_str_one_of(const char *value, const char *const *list, size_t n)
{
	for (size_t i = 0; value && i < n; i++)
		if (!strcmp(value, list[i]))
			return true;
	return false;
}

bool bx_json_array_has(const json_t *list, const char *value)
{
	size_t i;
	json_t *item;
	json_array_foreach((json_t *)list, i, item)
		if (json_is_string(item) && !strcmp(json_string_value(item), value))
			return true;
	return false;
}
