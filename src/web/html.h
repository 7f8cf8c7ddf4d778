/* Writing HTML into a capped buffer with the escaping each context needs: text and
 * attribute values (& < > " ' escaped, ill-formed UTF-8 and control characters replaced),
 * URL parts (percent-encoded, which is also safe in an attribute) and search snippets
 * (only <mark> kept). The writer's error is sticky: after a failed append every call does
 * nothing, so a page is written straight through and checked once at the end. */
#ifndef BX_HTML_H
#define BX_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

struct bx_html {
	struct bx_buf out;
	int error;          /* 0, or the first append's error (BX_ETOOBIG, BX_ENOMEM) */
};

/* Starts an empty page of at most max bytes. */
void bx_html_init(struct bx_html *html, size_t max);
void bx_html_free(struct bx_html *html);

/* Appends markup the program wrote itself (never data). */
void bx_html_raw(struct bx_html *html, const char *markup);
/* Appends markup made with a printf format; for numbers only, never for data strings. */
void bx_html_rawf(struct bx_html *html, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Appends text (may be NULL: nothing) escaped for element content and quoted attributes. */
void bx_html_text(struct bx_html *html, const char *text);
void bx_html_textn(struct bx_html *html, const char *text, size_t length);
/* Appends ` name="value"` with value escaped; nothing when value is NULL. */
void bx_html_attr(struct bx_html *html, const char *name, const char *value);
/* Appends text percent-encoded as one URL path segment or query value: every byte but
 * A-Z a-z 0-9 - . _ ~ (and ':' in a path segment) becomes %XX. */
void bx_html_url_part(struct bx_html *html, const char *text, bool in_path);
/* Appends a search snippet: <mark> and </mark> and the entities &amp; &lt; &gt; &quot;
 * &#39; pass as they are; any other markup character is escaped as text. */
void bx_html_snippet(struct bx_html *html, const char *snippet);

/* True when url is absolute http, https or mailto (what a record link may point to). */
bool bx_html_safe_link(const char *url);

#endif
