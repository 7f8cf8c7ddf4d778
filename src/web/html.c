/* The HTML writer and its escaping (see html.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "web/html.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

void bx_html_init(struct bx_html *html, size_t max)
{
	bx_buf_init(&html->out, max);
	html->error = 0;
}

void bx_html_free(struct bx_html *html)
{
	bx_buf_free(&html->out);
}

static void append(struct bx_html *html, const char *bytes, size_t length)
{
	if (!html->error)
		html->error = bx_buf_append(&html->out, bytes, length);
}

void bx_html_raw(struct bx_html *html, const char *markup)
{
	append(html, markup, strlen(markup));
}

void bx_html_rawf(struct bx_html *html, const char *format, ...)
{
	char text[256];
	va_list args;
	va_start(args, format);
	int n = vsnprintf(text, sizeof text, format, args);
	va_end(args);
	if (n < 0 || (size_t)n >= sizeof text) {
		html->error = html->error ? html->error : BX_ETOOBIG;
		return;
	}
	append(html, text, (size_t)n);
}

/* The length of the well-formed UTF-8 sequence at text[0..length) (1 to 4), or 0. */
static size_t utf8_sequence(const unsigned char *text, size_t length)
{
	unsigned char lead = text[0];
	size_t n = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
	         : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
	if (!n || n > length)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((text[i] & 0xC0) != 0x80)
			return 0;
	if ((lead == 0xE0 && text[1] < 0xA0) || (lead == 0xED && text[1] > 0x9F) ||
	    (lead == 0xF0 && text[1] < 0x90) || (lead == 0xF4 && text[1] > 0x8F))
		return 0;   /* overlong, surrogate or past U+10FFFF */
	return n;
}

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

void bx_html_textn(struct bx_html *html, const char *text, size_t length)
{
	const unsigned char *at = (const unsigned char *)text;
	size_t plain = 0;   /* bytes at at[0..plain) waiting to be copied as they are */
	while (plain < length && !html->error) {
		unsigned char c = at[plain];
		size_t n = utf8_sequence(at + plain, length - plain);
		bool control = n == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
		const char *escaped = n == 1 ? entity(c) : NULL;
		if (n && !control && !escaped) {
			plain += n;
			continue;
		}
		append(html, (const char *)at, plain);
		append(html, escaped ? escaped : REPLACEMENT, strlen(escaped ? escaped : REPLACEMENT));
		at += plain + (n ? n : 1);
		length -= plain + (n ? n : 1);
		plain = 0;
	}
	append(html, (const char *)at, plain);
}

void bx_html_text(struct bx_html *html, const char *text)
{
	if (text)
		bx_html_textn(html, text, strlen(text));
}

void bx_html_attr(struct bx_html *html, const char *name, const char *value)
{
	if (!value)
		return;
	bx_html_raw(html, " ");
	bx_html_raw(html, name);
	bx_html_raw(html, "=\"");
	bx_html_text(html, value);
	bx_html_raw(html, "\"");
}

void bx_html_url_part(struct bx_html *html, const char *text, bool in_path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *at = (const unsigned char *)text; *at && !html->error; at++) {
		unsigned char c = *at;
		bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		            c == '-' || c == '.' || c == '_' || c == '~' || (in_path && c == ':');
		char encoded[3] = {'%', hex[c >> 4], hex[c & 15]};
		if (keep)
			append(html, (const char *)at, 1);
		else
			append(html, encoded, 3);
	}
}

void bx_html_snippet(struct bx_html *html, const char *snippet)
{
	static const char *const kept[] = {"<mark>", "</mark>", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	const char *at = snippet ? snippet : "";
	while (*at && !html->error) {
		size_t plain = strcspn(at, "<>&\"'");
		bx_html_textn(html, at, plain);
		at += plain;
		if (!*at)
			break;
		size_t taken = 0;
		for (size_t i = 0; i < sizeof kept / sizeof kept[0] && !taken; i++)
			if (!strncmp(at, kept[i], strlen(kept[i])))
				taken = strlen(kept[i]);
		if (taken)
			append(html, at, taken);
		else
			bx_html_textn(html, at, taken = 1);
		at += taken;
	}
}

bool bx_html_safe_link(const char *url)
{
	static const char *const schemes[] = {"http://", "https://", "mailto:"};
	for (size_t i = 0; url && i < sizeof schemes / sizeof schemes[0]; i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])) && url[strlen(schemes[i])])
			return true;
	return false;
}
