/* Unit tests of src/http/router.c: plain and parameter segments, "{name:a|b}" choices,
 * the trailing "{name...}" rest segment, and 404 against 405. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "http/router.h"

static bx_handler route(struct bx_request *request, const char *method, const char *path, int *error,
                        char *allow)
{
	memset(request, 0, sizeof *request);
	request->method = method;
	request->path = path;
	return bx_route(request, error, allow, 64);
}

static void api_parameters(void **state)
{
	struct bx_request request;
	char allow[64];
	int error;
	assert_ptr_equal(route(&request, "GET", "/api/v1/records/cn:x/revisions/2", &error, allow),
	                 bx_api_record_revision);
	assert_string_equal(request.params[0], "cn:x");
	assert_string_equal(request.params[1], "2");
}

static void language_choices_and_rest(void **state)
{
	struct bx_request request;
	char allow[64];
	int error;
	assert_ptr_equal(route(&request, "GET", "/zh/records/cn:x", &error, allow), bx_web_get);
	assert_string_equal(request.params[0], "zh");
	assert_string_equal(request.params[1], "records/cn:x");
	assert_ptr_equal(route(&request, "GET", "/ar", &error, allow), bx_web_get);
	assert_string_equal(request.params[1], "");
	assert_ptr_equal(route(&request, "GET", "/fr/", &error, allow), bx_web_get);
	assert_string_equal(request.params[1], "");
	assert_ptr_equal(route(&request, "POST", "/en/logout", &error, allow), bx_web_post);
	assert_ptr_equal(route(&request, "GET", "/static/site.css", &error, allow), bx_web_get);
	assert_string_equal(request.params[1], "site.css");
	assert_ptr_equal(route(&request, "GET", "/", &error, allow), bx_web_root);
}

static void other_first_segments_are_not_pages(void **state)
{
	struct bx_request request;
	char allow[64];
	int error;
	assert_null(route(&request, "GET", "/xx/search", &error, allow));
	assert_int_equal(error, BX_ENOTFOUND);
	assert_null(route(&request, "GET", "/english/search", &error, allow));
	assert_null(route(&request, "GET", "/e/search", &error, allow));
	assert_null(route(&request, "GET", "/api/v1/nothing", &error, allow));
	assert_int_equal(error, BX_ENOTFOUND);
	/* a POST to a record stays the API's 405, not a page */
	assert_null(route(&request, "POST", "/api/v1/records/cn:x", &error, allow));
	assert_int_equal(error, BX_EMETHOD);
	assert_null(route(&request, "POST", "/static/site.css", &error, allow));
	assert_int_equal(error, BX_EMETHOD);
	assert_string_equal(allow, "GET");
	assert_null(route(&request, "DELETE", "/en/search", &error, allow));
	assert_int_equal(error, BX_EMETHOD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(api_parameters),
		cmocka_unit_test(language_choices_and_rest),
		cmocka_unit_test(other_first_segments_are_not_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
