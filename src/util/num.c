/* Checked number parsing (see num.h). */
#include <errno.h>
#include <stdlib.h>
#include "util/num.h"

int bx_parse_int64(const char *text, int64_t min, int64_t max, int64_t *out)
{
	if (!text || !*text || (*text != '-' && (*text < '0' || *text > '9')))
		return BX_EINVAL;
	char *end = NULL;
	errno = 0;
	long long value = strtoll(text, &end, 10);
	if (errno || *end || value < min || value > max)
		return BX_EINVAL;
	*out = value;
	return 0;
}
