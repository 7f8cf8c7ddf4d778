/* Fuzz target for search result snippets (src/search/snippet.c). The first byte picks the
 * language (its value modulo 7: none, en, fr, es, ru, ar, zh), the second max_chars (1 to
 * 256); then comes a query up to the first NUL byte and the text after it (without a NUL,
 * the query is the text too). The forms are the query's tokens, as the search engine makes
 * them. The snippet must be valid UTF-8 with only <mark>, </mark> and the five entities as
 * markup, at most max_chars characters, and without its markup a piece of the text with
 * white space collapsed; *matches is 0 exactly when nothing is marked; a kept tokenizer
 * gives the same snippet, and one byte short of the cap fails and leaves the buffer. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include "common.h"
#include "search/snippet.h"
#include "text/tokenize.h"
#include "util/buf.h"

#define MAX_FORMS 256
#define CAP (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const languages[] = {NULL, "en", "fr", "es", "ru", "ar", "zh"};
#define N_LANGUAGES (sizeof languages / sizeof languages[0])

static struct bx_tokenizer *kept[N_LANGUAGES];

struct forms {
	char *items[MAX_FORMS];
	size_t n;
};

static int add_form(void *context, int flags, const char *token, int length, int start, int end)
{
	struct forms *forms = context;
	if (forms->n == MAX_FORMS)
		return 1;
	forms->items[forms->n] = bx_fuzz_strndup((const unsigned char *)token, (size_t)length);
	forms->n++;
	return 0;
}

static bool is_blank(UChar32 c)
{
	return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR;
}

/* text[0..length) as a snippet shows it, without markup: ill-formed sequences as U+FFFD,
 * runs of white space and control characters as one space, none at either end. */
static char *collapse(const char *text, int length, size_t *n_out)
{
	char *out = malloc((size_t)length * 3 + 1);
	if (!out)
		bx_fuzz_fail("out of memory");
	size_t n = 0;
	bool pending = false;
	for (int32_t i = 0; i < length;) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT((const uint8_t *)text, i, length, c);
		if (c >= 0 && is_blank(c)) {
			pending = n > 0;
			continue;
		}
		if (pending)
			out[n++] = ' ';
		pending = false;
		if (c < 0) {
			memcpy(out + n, "\xEF\xBF\xBD", 3);
			n += 3;
		} else {
			memcpy(out + n, text + at, (size_t)(i - at));
			n += (size_t)(i - at);
		}
	}
	out[n] = '\0';
	*n_out = n;
	return out;
}

struct shape {
	bool prefix, suffix;   /* ellipses */
	bool marked;
	char *plain;           /* without ellipses, markup and entities */
	size_t n_plain;
};

/* Checks the snippet's markup and size and fills *shape. */
static void read_snippet(const char *out, size_t n, int max_chars, struct shape *shape)
{
	static const char *const entities[][2] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
	};
	const char *p = out, *end = out + n;
	shape->prefix = n >= 3 && !memcmp(p, "\xE2\x80\xA6", 3);
	if (shape->prefix)
		p += 3;
	shape->suffix = end - p >= 3 && !memcmp(end - 3, "\xE2\x80\xA6", 3);
	if (shape->suffix)
		end -= 3;
	shape->plain = malloc(n + 1);
	if (!shape->plain)
		bx_fuzz_fail("out of memory");
	shape->n_plain = 0;
	shape->marked = false;
	bool in_mark = false, last_space = true;
	int chars = 0;
	const char *mark_text = NULL;
	while (p < end) {
		if (end - p >= 6 && !memcmp(p, "<mark>", 6)) {
			if (in_mark)
				bx_fuzz_fail("nested <mark>");
			in_mark = shape->marked = true;
			p += 6;
			mark_text = p;
			continue;
		}
		if (end - p >= 7 && !memcmp(p, "</mark>", 7)) {
			if (!in_mark || p == mark_text)
				bx_fuzz_fail("</mark> without <mark>, or an empty mark");
			in_mark = false;
			p += 7;
			continue;
		}
		if (*p == '<' || *p == '>' || *p == '"' || *p == '\'')
			bx_fuzz_fail("unescaped %c", *p);
		if (*p == '&') {
			size_t i = 0;
			while (i < sizeof entities / sizeof entities[0] &&
			       ((size_t)(end - p) < strlen(entities[i][0]) ||
			        memcmp(p, entities[i][0], strlen(entities[i][0]))))
				i++;
			if (i == sizeof entities / sizeof entities[0])
				bx_fuzz_fail("an & that is not an entity");
			shape->plain[shape->n_plain++] = entities[i][1][0];
			p += strlen(entities[i][0]);
			chars++;
			last_space = false;
			continue;
		}
		int32_t i = 0;
		UChar32 c;
		U8_NEXT((const uint8_t *)p, i, (int32_t)(end - p), c);
		if (c < 0)
			bx_fuzz_fail("invalid UTF-8 in the snippet");
		if (c == ' ' && last_space)
			bx_fuzz_fail("a space at the start or after another");
		if (c != ' ' && is_blank(c))
			bx_fuzz_fail("white space or control character U+%04X", (unsigned)c);
		last_space = c == ' ';
		memcpy(shape->plain + shape->n_plain, p, (size_t)i);
		shape->n_plain += (size_t)i;
		p += i;
		chars++;
	}
	if (in_mark)
		bx_fuzz_fail("<mark> not closed");
	if (chars && last_space)
		bx_fuzz_fail("a space at the end");
	if (chars > max_chars)
		bx_fuzz_fail("%d characters for max_chars %d", chars, max_chars);
	shape->plain[shape->n_plain] = '\0';
}

static bool contains(const char *haystack, size_t n_haystack, const char *needle, size_t n_needle)
{
	return n_needle == 0 || memmem(haystack, n_haystack, needle, n_needle) != NULL;
}

/* Runs one snippet and checks it; returns it (malloc'ed, NUL-terminated) and its length. */
static char *check_snippet(const char *text, int length, size_t language, struct forms *forms, int max_chars,
                           int *matches, size_t *n_out)
{
	struct bx_buf out;
	bx_buf_init(&out, CAP);
	int rc = bx_snippet(text, length, languages[language], (const char *const *)forms->items, NULL, forms->n,
	                    max_chars, &out, matches);
	if (rc)
		bx_fuzz_fail("bx_snippet: %s", bx_strerror(rc));
	if (*matches < 0 || (size_t)*matches > forms->n)
		bx_fuzz_fail("%d matches for %zu forms", *matches, forms->n);
	if (out.data && strlen(out.data) != out.len)
		bx_fuzz_fail("a NUL byte in the snippet");

	struct shape shape;
	read_snippet(out.data ? out.data : "", out.len, max_chars, &shape);
	if ((*matches > 0) != shape.marked)
		bx_fuzz_fail("%d matches but %s", *matches, shape.marked ? "a mark" : "no mark");
	size_t n_collapsed;
	char *collapsed = collapse(text, length, &n_collapsed);
	if (!contains(collapsed, n_collapsed, shape.plain, shape.n_plain))
		bx_fuzz_fail("the snippet is not a piece of the text");
	if (!shape.prefix && memcmp(collapsed, shape.plain, shape.n_plain))
		bx_fuzz_fail("no leading ellipsis but the snippet does not start the text");
	if (!shape.suffix && (shape.n_plain > n_collapsed ||
	                      memcmp(collapsed + n_collapsed - shape.n_plain, shape.plain, shape.n_plain)))
		bx_fuzz_fail("no trailing ellipsis but the snippet does not end the text");
	if (shape.prefix && shape.suffix && shape.n_plain == n_collapsed)
		bx_fuzz_fail("ellipses around the whole text");
	free(shape.plain);

	/* The forms taken as two words (even and odd): the window may differ, not its
	 * shape, and it matches when any form does. */
	int *words = malloc((forms->n + 1) * sizeof *words);
	if (!words)
		bx_fuzz_fail("out of memory");
	for (size_t i = 0; i < forms->n; i++)
		words[i] = (int)(i % 2);
	struct bx_buf grouped;
	bx_buf_init(&grouped, CAP);
	int grouped_matches;
	if (bx_snippet(text, length, languages[language], (const char *const *)forms->items, words, forms->n,
	               max_chars, &grouped, &grouped_matches))
		bx_fuzz_fail("bx_snippet with words failed");
	if (grouped_matches < 0 || grouped_matches > 2 || (grouped_matches > 0) != (*matches > 0))
		bx_fuzz_fail("%d matches of two words, %d of the forms", grouped_matches, *matches);
	read_snippet(grouped.data ? grouped.data : "", grouped.len, max_chars, &shape);
	if (!contains(collapsed, n_collapsed, shape.plain, shape.n_plain))
		bx_fuzz_fail("the snippet of two words is not a piece of the text");
	free(shape.plain);
	bx_buf_free(&grouped);
	free(words);
	free(collapsed);

	if (!kept[language] && bx_tokenizer_new(languages[language], &kept[language]))
		bx_fuzz_fail("bx_tokenizer_new failed");
	struct bx_buf again;
	bx_buf_init(&again, CAP);
	int again_matches;
	if (bx_snippet_run(kept[language], text, length, (const char *const *)forms->items, NULL, forms->n, max_chars,
	                   &again, &again_matches) ||
	    again.len != out.len || (out.len && memcmp(again.data, out.data, out.len)) || again_matches != *matches)
		bx_fuzz_fail("a kept tokenizer gave another snippet");
	bx_buf_free(&again);

	if (out.len) {
		struct bx_buf small;
		bx_buf_init(&small, out.len);
		int small_matches;
		if (bx_buf_puts(&small, "x"))
			bx_fuzz_fail("bx_buf_puts failed");
		if (bx_snippet(text, length, languages[language], (const char *const *)forms->items, NULL, forms->n,
		               max_chars, &small, &small_matches) != BX_ETOOBIG ||
		    small.len != 1 || strcmp(small.data, "x") || small_matches)
			bx_fuzz_fail("bx_snippet did not stop cleanly at the cap");
		bx_buf_free(&small);
	}
	*n_out = out.len;
	return bx_buf_steal(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 1 << 16)
		return 0;
	size_t language = data[0] % N_LANGUAGES;
	int max_chars = 1 + data[1];
	/* "…" in the text could not be told from the snippet's own ellipses: made "...". */
	char *input = malloc(size * 3 + 1);
	if (!input)
		bx_fuzz_fail("out of memory");
	size_t n_input = 0;
	for (size_t i = 2; i < size; i++) {
		if (i + 2 < size && !memcmp(data + i, "\xE2\x80\xA6", 3)) {
			memcpy(input + n_input, "...", 3);
			n_input += 3;
			i += 2;
		} else {
			input[n_input++] = (char)data[i];
		}
	}
	const char *query = input, *text = input;
	size_t n_query = n_input, n_text = n_input;
	const char *nul = memchr(input, '\0', n_input);
	if (nul) {
		n_query = (size_t)(nul - input);
		text = nul + 1;
		n_text = n_input - n_query - 1;
	}
	struct forms forms = {.n = 0};
	int rc = bx_tokenize(query, (int)n_query, languages[language], add_form, &forms);
	if (rc != 0 && rc != 1)
		bx_fuzz_fail("bx_tokenize: %s", bx_strerror(rc));

	int matches;
	size_t n_out;
	free(check_snippet(text, (int)n_text, language, &forms, max_chars, &matches, &n_out));
	/* Without forms: the start of the text, nothing marked. */
	size_t n_forms = forms.n;
	forms.n = 0;
	char *beginning = check_snippet(text, (int)n_text, language, &forms, max_chars, &matches, &n_out);
	if (matches || (n_out >= 3 && !memcmp(beginning, "\xE2\x80\xA6", 3)))
		bx_fuzz_fail("without forms, not the beginning of the text");
	free(beginning);
	forms.n = n_forms;

	for (size_t i = 0; i < forms.n; i++)
		free(forms.items[i]);
	free(input);
	return 0;
}
