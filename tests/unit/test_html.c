/* Unit tests of src/web's input and output edges: the HTML writer's escaping in each
 * context (text, attribute, URL, snippet), link schemes, and form bodies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "web/form.h"
#include "web/html.h"

static void text_escapes_markup_and_quotes(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 1024);
	bx_html_text(&html, "<script>alert('x')</script> & \"q\"");
	assert_int_equal(html.error, 0);
	assert_string_equal(html.out.data,
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	bx_html_free(&html);
}

static void text_replaces_bad_utf8_and_controls(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 1024);
	bx_html_text(&html, "a\xC0\xAF" "b\x01" "c\xED\xA0\x80" "d 中文 ع\n");
	assert_string_equal(html.out.data, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
	                    "d 中文 ع\n");
	bx_html_free(&html);
}

static void attribute_is_quoted_and_escaped(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 1024);
	bx_html_attr(&html, "value", "\" onfocus=\"alert(1)");
	bx_html_attr(&html, "title", NULL);
	assert_string_equal(html.out.data, " value=\"&quot; onfocus=&quot;alert(1)\"");
	bx_html_free(&html);
}

static void url_parts_are_percent_encoded(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 1024);
	bx_html_url_part(&html, "cn:a b&c=\"/中", false);
	bx_html_raw(&html, "|");
	bx_html_url_part(&html, "cn:x.y_z-~", true);
	assert_string_equal(html.out.data, "cn%3Aa%20b%26c%3D%22%2F%E4%B8%AD|cn:x.y_z-~");
	bx_html_free(&html);
}

static void snippet_keeps_only_mark(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 1024);
	bx_html_snippet(&html, "a <mark>b</mark> &amp; &lt;i&gt; <script>x</script> & <mark onclick=1>");
	assert_string_equal(html.out.data, "a <mark>b</mark> &amp; &lt;i&gt; &lt;script&gt;x&lt;/script&gt; &amp; "
	                    "&lt;mark onclick=1&gt;");
	bx_html_free(&html);
}

static void writer_error_is_sticky(void **state)
{
	struct bx_html html;
	bx_html_init(&html, 8);
	bx_html_raw(&html, "12345");
	bx_html_text(&html, "<<<");
	assert_int_equal(html.error, BX_ETOOBIG);
	bx_html_raw(&html, "6");
	assert_string_equal(html.out.data, "12345");
	bx_html_free(&html);
}

static void only_web_and_mail_links(void **state)
{
	assert_true(bx_html_safe_link("https://example.org/a.pdf"));
	assert_true(bx_html_safe_link("HTTP://example.org"));
	assert_true(bx_html_safe_link("mailto:focal@example.org"));
	assert_false(bx_html_safe_link("javascript:alert(1)"));
	assert_false(bx_html_safe_link(" javascript:alert(1)"));
	assert_false(bx_html_safe_link("data:text/html,<script>"));
	assert_false(bx_html_safe_link("https://"));
	assert_false(bx_html_safe_link(NULL));
}

static void form_fields_are_decoded(void **state)
{
	struct bx_form form;
	const char body[] = "username=focal.cn&password=p%C3%A4ss+word%26%3D&csrf_token=abc&empty=&flag";
	assert_int_equal(bx_form_parse(body, strlen(body), &bx_form_small, &form), 0);
	assert_string_equal(bx_form_get(&form, "username"), "focal.cn");
	assert_string_equal(bx_form_get(&form, "password"), "päss word&=");
	assert_string_equal(bx_form_get(&form, "empty"), "");
	assert_string_equal(bx_form_get(&form, "flag"), "");
	assert_null(bx_form_get(&form, "other"));
	bx_form_free(&form);
}

static void bad_forms_are_refused(void **state)
{
	struct bx_form form;
	static const char *const bad[] = {"a=%zz", "a=%4", "a=%", "a=%00", "%00=b"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(bx_form_parse(bad[i], strlen(bad[i]), &bx_form_small, &form), BX_EINVAL);
		bx_form_free(&form);
	}
	char many[BX_FORM_MAX_FIELDS * 4 + 8];
	for (int i = 0; i <= BX_FORM_MAX_FIELDS; i++)
		memcpy(many + 4 * i, "a=1&", 5);
	assert_int_equal(bx_form_parse(many, strlen(many), &bx_form_small, &form), BX_ETOOBIG);
	bx_form_free(&form);
	assert_int_equal(bx_form_parse("x", BX_FORM_MAX_BODY + 1, &bx_form_small, &form), BX_ETOOBIG);
	bx_form_free(&form);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_escapes_markup_and_quotes),
		cmocka_unit_test(text_replaces_bad_utf8_and_controls),
		cmocka_unit_test(attribute_is_quoted_and_escaped),
		cmocka_unit_test(url_parts_are_percent_encoded),
		cmocka_unit_test(snippet_keeps_only_mark),
		cmocka_unit_test(writer_error_is_sticky),
		cmocka_unit_test(only_web_and_mail_links),
		cmocka_unit_test(form_fields_are_decoded),
		cmocka_unit_test(bad_forms_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
