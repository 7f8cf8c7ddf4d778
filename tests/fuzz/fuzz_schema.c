/* Fuzz target for format schemas: JSON text checked by bx_schema_check, the gate every
 * file of formats/ passes at load time, and walked for its patterns. */
#include <regex.h>
#include <stdint.h>
#include <string.h>
#include "common.h"
#include "core/schema.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_pattern(void *context, const char *pattern)
{
	(*(size_t *)context)++;
	return 0;
}

static int compile_pattern(void *context, const char *pattern)
{
	regex_t compiled;
	if (regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB))
		return 1;
	regfree(&compiled);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *schema = NULL;
	char message[256];
	if (bx_json_parse((const char *)data, size, &schema, message, sizeof message))
		return 0;
	char problem[512];
	memset(problem, 0, sizeof problem);
	int rc = bx_schema_check(schema, problem, sizeof problem);
	if (rc != 0 && rc != BX_EINVALID)
		bx_fuzz_fail("bx_schema_check: unexpected code %d", rc);
	if (rc == BX_EINVALID && !problem[0])
		bx_fuzz_fail("bx_schema_check refused a schema without saying why");
	size_t n_patterns = 0;
	(void)bx_schema_each_pattern(schema, count_pattern, &n_patterns);
	if (rc == 0 && bx_schema_each_pattern(schema, compile_pattern, NULL))
		bx_fuzz_fail("bx_schema_check accepted a pattern that does not compile");
	json_decref(schema);
	return 0;
}
