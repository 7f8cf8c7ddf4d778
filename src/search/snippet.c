/* Search result snippets (see snippet.h). The tokenizer's pass over the text keeps the
 * matches of the last max_chars characters, in a queue, to find the best window, and
 * stops a little after the first window holding every query word; it also keeps every
 * token's span, the boundaries to cut at and the spans to mark, while they are few
 * (MAX_SPANS). When they are not (a long text), a second pass over the region around the
 * window gives them. Characters are counted as they are written: a run of white space is
 * one character, leading and trailing ones none. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include "search/snippet.h"
#include "util/grow.h"

/* Characters read on both sides of the window (the first pass reads on that far past
 * it, the second starts that far before it), so that its first and last tokens are not
 * words cut by the region's edge. */
#define SLACK 16
/* The token spans the first pass keeps, at most (a text of 4 KiB has fewer). */
#define MAX_SPANS 4096

static const char ellipsis[] = "\xE2\x80\xA6";
static const char replacement[] = "\xEF\xBF\xBD";

/* ---- the set of forms: sorted, without repeats, each with its query word ---- */

/* Returned by the first pass's callback to stop tokenizing: every word is in a window. */
#define FOUND_ALL 1

struct form {
	const char *text;
	size_t length;
	int word;         /* given, then renumbered 0 .. n_words - 1 */
};

struct form_set {
	struct form *forms;
	size_t n;
	size_t n_words;   /* distinct words of the forms kept: the most a window can hold */
	bool starts[256]; /* the first bytes of the forms: most tokens are none of them */
};

static int compare_bytes(const char *a, size_t n_a, const char *b, size_t n_b)
{
	int order = memcmp(a, b, n_a < n_b ? n_a : n_b);
	if (order)
		return order;
	return n_a < n_b ? -1 : n_a > n_b;
}

static bool same_text(const struct form *x, const struct form *y)
{
	return !compare_bytes(x->text, x->length, y->text, y->length);
}

/* By text, then by word. */
static int compare_forms(const void *a, const void *b)
{
	const struct form *x = a, *y = b;
	int order = compare_bytes(x->text, x->length, y->text, y->length);
	return order ? order : (x->word > y->word) - (x->word < y->word);
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Keeps the forms once each (a repeated form keeps the smallest of its words) and
 * numbers their words from 0. */
static int form_set_init(struct form_set *set, const char *const *forms, const int *words, size_t n_forms)
{
	*set = (struct form_set){0};
	if (!n_forms)
		return 0;
	set->forms = malloc(sizeof *set->forms * n_forms);
	int *numbers = malloc(sizeof *numbers * n_forms);
	if (!set->forms || !numbers) {
		free(numbers);
		return BX_ENOMEM;
	}
	for (size_t i = 0; i < n_forms; i++)
		if (forms[i] && forms[i][0])
			set->forms[set->n++] = (struct form){forms[i], strlen(forms[i]), words ? words[i] : (int)i};
	qsort(set->forms, set->n, sizeof *set->forms, compare_forms);
	size_t kept = 0;
	for (size_t i = 0; i < set->n; i++)
		if (!kept || !same_text(&set->forms[kept - 1], &set->forms[i]))
			set->forms[kept++] = set->forms[i];
	set->n = kept;
	for (size_t i = 0; i < set->n; i++)
		set->starts[(unsigned char)set->forms[i].text[0]] = true;
	for (size_t i = 0; i < set->n; i++)
		numbers[i] = set->forms[i].word;
	qsort(numbers, set->n, sizeof *numbers, compare_ints);
	for (size_t i = 0; i < set->n; i++)
		if (!set->n_words || numbers[set->n_words - 1] != numbers[i])
			numbers[set->n_words++] = numbers[i];
	for (size_t i = 0; i < set->n; i++)
		set->forms[i].word = (int)((int *)bsearch(&set->forms[i].word, numbers, set->n_words, sizeof *numbers,
		                                          compare_ints) - numbers);
	free(numbers);
	return 0;
}

/* The word of token[0..length) in the set, or -1 when it is none of the forms. */
static int word_of(const struct form_set *set, const char *token, int length)
{
	if (length < 1 || !set->starts[(unsigned char)token[0]])
		return -1;
	size_t low = 0, high = set->n;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		const struct form *form = &set->forms[middle];
		int order = compare_bytes(token, (size_t)length, form->text, form->length);
		if (!order)
			return form->word;
		if (order < 0)
			high = middle;
		else
			low = middle + 1;
	}
	return -1;
}

/* ---- reading the text as the snippet writes it ---- */

/* A place in the text: the byte to read next and how many characters the text before it
 * makes once white space is collapsed and trimmed. */
struct cursor {
	int byte;
	int position;        /* characters before byte, a pending space not counted */
	bool pending_space;  /* white space after some content: a space if more content follows */
};

static inline bool is_blank(UChar32 c)
{
	if (c < 0x80)
		return c <= 0x20 || c == 0x7F;   /* the same as below, for ASCII */
	if ((c > 0xA0 && c < 0x1680) || c > 0x3000)
		return false;   /* no white space or control character there (most letters) */
	return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR;
}

/* Reads the character at *byte and moves past it; an ill-formed sequence is U+FFFD. */
static inline UChar32 read_char(const char *text, int length, int *byte)
{
	UChar32 c;
	U8_NEXT((const uint8_t *)text, *byte, length, c);
	return c < 0 ? 0xFFFD : c;
}

/* The position of the next character that is not white space. */
static int next_position(const struct cursor *cursor)
{
	return cursor->position + (cursor->pending_space ? 1 : 0);
}

static inline void step(struct cursor *cursor, const char *text, int length)
{
	if (is_blank(read_char(text, length, &cursor->byte))) {
		cursor->pending_space = cursor->position > 0;
		return;
	}
	cursor->position = next_position(cursor) + 1;
	cursor->pending_space = false;
}

static void advance_to_byte(struct cursor *cursor, const char *text, int length, int byte)
{
	while (cursor->byte < byte && cursor->byte < length)
		step(cursor, text, length);
}

/* Moves the cursor to the first byte from which the next character is at position or
 * later (or to the end). */
static void advance_to_position(struct cursor *cursor, const char *text, int length, long long position)
{
	while (cursor->byte < length && next_position(cursor) < position)
		step(cursor, text, length);
}

/* ---- the tokens' spans ---- */

/* Where the tokens read so far are: the start and the end of the last one. */
struct reading {
	struct cursor start, end;
};

static struct reading reading_from(struct cursor cursor)
{
	return (struct reading){cursor, cursor};
}

struct span {
	int start_byte, end_byte;
	int start, end;   /* positions */
	int word;         /* -1: not a match */
};

struct region {
	const char *text;
	int length;
	int base;                 /* the region's first byte in text */
	const struct form_set *set;
	struct reading reading;
	struct span *spans;
	size_t n_spans, capacity;
};

static int add_span(struct region *r, struct span span)
{
	if (BX_RESERVE(r->spans, r->capacity, r->n_spans, 1))
		return BX_ENOMEM;
	r->spans[r->n_spans++] = span;
	return 0;
}

/* The span of the token at bytes [start, end) of the text, read on from the last token's
 * end, or from its start when they begin together (forms of one place). */
static struct span span_at(struct reading *reading, const char *text, int length, int start, int end, int word)
{
	if (start >= reading->end.byte)
		reading->start = reading->end;
	advance_to_byte(&reading->start, text, length, start);
	reading->end = reading->start;
	advance_to_byte(&reading->end, text, length, end);
	return (struct span){start, end, next_position(&reading->start), reading->end.position, word};
}

/* ---- first pass: the window with the most distinct words ---- */

struct hit {
	int start, end;   /* positions of the first character and after the last */
	int word;
};

struct best_window {
	const char *text;
	int length;
	const struct form_set *set;
	int max_chars;
	struct reading reading;
	struct hit *hits;          /* the queue: hits[head .. head + n_hits) */
	size_t head, n_hits, capacity;
	int *counts;               /* per word, of the hits in the queue */
	int distinct;              /* words with a count */
	int best_distinct, best_start, best_end;
	bool found_all;            /* the best window holds every word: it is final */
	struct region *spans;      /* every token's span kept there; NULL past MAX_SPANS */
};

static int push_hit(struct best_window *w, struct hit hit)
{
	if (w->head + w->n_hits == w->capacity) {
		if (w->head > 0) {
			memmove(w->hits, w->hits + w->head, sizeof *w->hits * w->n_hits);
			w->head = 0;
		}
		if (BX_RESERVE(w->hits, w->capacity, w->n_hits, 1))
			return BX_ENOMEM;
	}
	w->hits[w->head + w->n_hits++] = hit;
	if (w->counts[hit.word]++ == 0)
		w->distinct++;
	return 0;
}

static void pop_hit(struct best_window *w)
{
	if (--w->counts[w->hits[w->head].word] == 0)
		w->distinct--;
	w->head++;
	w->n_hits--;
}

/* Token callback of the first pass: keeps the token's span while spans are kept; queues a
 * match, drops the ones that no longer fit in a window with it and keeps the first window
 * with more distinct words than before. Once one holds every word, no later window can
 * hold more: returns FOUND_ALL then, or, while spans are kept, once the tokens are past
 * any the snippet can show. */
static int find_best(void *context, int flags, const char *token, int length, int start, int end)
{
	struct best_window *w = context;
	int word = word_of(w->set, token, length);
	if (word < 0 && !w->spans)
		return 0;
	struct span span = span_at(&w->reading, w->text, w->length, start, end, word);
	int rc = 0;
	if (w->spans) {
		if (w->found_all && span.start > w->best_start + w->max_chars + SLACK)
			return FOUND_ALL;
		if (w->spans->n_spans == MAX_SPANS)
			w->spans = NULL;   /* too many: the second pass will read the region */
		else if ((rc = add_span(w->spans, span)))
			return rc;
	}
	if (w->found_all)
		return w->spans ? 0 : FOUND_ALL;
	if (word < 0)
		return 0;
	struct hit hit = {span.start, span.end, word};
	while (w->n_hits && hit.end - w->hits[w->head].start > w->max_chars)
		pop_hit(w);
	if ((rc = push_hit(w, hit)) || w->distinct <= w->best_distinct)
		return rc;
	w->best_distinct = w->distinct;
	w->best_start = w->hits[w->head].start;
	w->best_end = hit.end;
	for (size_t i = w->head; i < w->head + w->n_hits; i++)
		if (w->hits[i].end > w->best_end)
			w->best_end = w->hits[i].end;
	w->found_all = (size_t)w->best_distinct == w->set->n_words;
	return w->found_all && !w->spans ? FOUND_ALL : 0;
}

/* ---- second pass, after a long text: the tokens of the region around the window ---- */

static int collect_span(void *context, int flags, const char *token, int length, int start, int end)
{
	struct region *r = context;
	return add_span(r, span_at(&r->reading, r->text, r->length, start + r->base, end + r->base,
	                           word_of(r->set, token, length)));
}

/* ---- choosing the cut and writing ---- */

struct cut {
	struct cursor start;   /* the first byte written, and its position */
	int end_byte;          /* the byte after the last one written */
	int end_position;      /* the position after the last character written */
};

/* Where the snippet starts: the text's start when the window does, else the first token
 * starting in [window_start, latest], else the window's first character. */
static struct cursor choose_start(const struct region *r, const struct cursor *region_start,
                                  long long window_start, int latest)
{
	struct cursor start = {0, 0, false};
	if (window_start <= 0)
		return start;
	for (size_t i = 0; i < r->n_spans; i++) {
		const struct span *span = &r->spans[i];
		if (span->start >= window_start && span->start <= latest)
			return (struct cursor){span->start_byte, span->start, false};
	}
	start = *region_start;
	advance_to_position(&start, r->text, r->length, window_start);
	return start;
}

/* Where the snippet ends: the text's end when it fits, else the last token end at most
 * max_chars after the start, else the max_chars-th character. */
static void choose_end(const struct region *r, struct cut *cut, int max_chars, int total)
{
	long long limit = (long long)next_position(&cut->start) + max_chars;
	if (limit >= total) {
		cut->end_byte = r->length;
		cut->end_position = total;
		return;
	}
	cut->end_byte = -1;
	for (size_t i = 0; i < r->n_spans; i++) {
		const struct span *span = &r->spans[i];
		if (span->start_byte >= cut->start.byte && span->end <= limit &&
		    (cut->end_byte < 0 || span->end > cut->end_position)) {
			cut->end_byte = span->end_byte;
			cut->end_position = span->end;
		}
	}
	if (cut->end_byte < 0) {
		struct cursor end = cut->start;
		advance_to_position(&end, r->text, r->length, limit);
		cut->end_byte = end.byte;
		cut->end_position = end.position;
	}
}

/* Keeps in r->spans only the matches that overlap the cut, merged where they touch or
 * overlap, and returns how many distinct words they have (seen: one flag per word). */
static int merge_matches(struct region *r, const struct cut *cut, char *seen, size_t n_words)
{
	size_t n_merged = 0;
	int distinct = 0;
	memset(seen, 0, n_words);
	for (size_t i = 0; i < r->n_spans; i++) {
		struct span span = r->spans[i];
		if (span.word < 0 || span.end_byte <= cut->start.byte || span.start_byte >= cut->end_byte)
			continue;
		if (!seen[span.word]) {
			seen[span.word] = 1;
			distinct++;
		}
		struct span *last = n_merged ? &r->spans[n_merged - 1] : NULL;
		if (last && span.start_byte <= last->end_byte) {
			if (span.end_byte > last->end_byte)
				last->end_byte = span.end_byte;
		} else {
			r->spans[n_merged++] = span;
		}
	}
	r->n_spans = n_merged;
	return distinct;
}

static int write_char(struct bx_buf *out, UChar32 c, const char *bytes, size_t n)
{
	switch (c) {
	case '&': return bx_buf_puts(out, "&amp;");
	case '<': return bx_buf_puts(out, "&lt;");
	case '>': return bx_buf_puts(out, "&gt;");
	case '"': return bx_buf_puts(out, "&quot;");
	case '\'': return bx_buf_puts(out, "&#39;");
	case 0xFFFD: return bx_buf_puts(out, replacement);
	default: return bx_buf_append(out, bytes, n);
	}
}

/* Whether c is written as its own bytes: neither markup nor an ill-formed sequence. */
static bool written_as_is(UChar32 c)
{
	return c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' && c != 0xFFFD;
}

/* Writes text[cut) escaped, white space collapsed, the merged matches of r in <mark>.
 * Characters written as they are gather in a run, appended at once. */
static int write_snippet(const struct region *r, const struct cut *cut, int total, struct bx_buf *out)
{
	int rc = 0;
	if (next_position(&cut->start) > 0)
		rc = bx_buf_puts(out, ellipsis);
	size_t next_span = 0;
	bool in_mark = false, wrote = false, pending_space = false;
	int run = cut->start.byte;   /* the run's first byte */
	for (int byte = cut->start.byte; !rc && byte < cut->end_byte;) {
		int at = byte;
		UChar32 c = read_char(r->text, cut->end_byte, &byte);
		bool blank = is_blank(c);
		while (!blank && !in_mark && next_span < r->n_spans && r->spans[next_span].end_byte <= at)
			next_span++;
		bool opens = !blank && !in_mark && next_span < r->n_spans && r->spans[next_span].start_byte <= at;
		bool closes = !blank && (in_mark || opens) && byte >= r->spans[next_span].end_byte;
		if (!blank && !pending_space && !opens && !closes && written_as_is(c)) {
			wrote = true;
			continue;
		}
		rc = bx_buf_append(out, r->text + run, (size_t)(at - run));
		run = byte;
		if (blank) {
			pending_space = wrote;
			continue;
		}
		if (!rc && pending_space)
			rc = bx_buf_puts(out, " ");
		pending_space = false;
		if (!rc && opens) {
			rc = bx_buf_puts(out, "<mark>");
			in_mark = true;
		}
		if (!rc)
			rc = write_char(out, c, r->text + at, (size_t)(byte - at));
		wrote = true;
		if (!rc && closes) {
			rc = bx_buf_puts(out, "</mark>");
			in_mark = false;
			next_span++;
		}
	}
	if (!rc)
		rc = bx_buf_append(out, r->text + run, (size_t)(cut->end_byte - run));
	if (!rc && in_mark)
		rc = bx_buf_puts(out, "</mark>");
	if (!rc && cut->end_position < total)
		rc = bx_buf_puts(out, ellipsis);
	return rc;
}

/* The window around the best matches [first, last) (positions): max_chars characters
 * with the context shared on both sides, less at the text's start and end. */
static void place_window(int first, int last, int max_chars, int total, long long *start, long long *end)
{
	long long spare = (long long)max_chars - (last - first);
	if (spare <= 0) {
		*start = first;
		*end = (long long)first + max_chars;
		return;
	}
	long long before = spare / 2, after = spare - before;
	if (before > first)
		before = first;
	after = spare - before;
	if (last + after > total) {
		after = total - last;
		before = spare - after < first ? spare - after : first;
	}
	*start = first - before;
	*end = last + after;
}

/* The number of characters of the text, or, when it has more than limit, a number
 * above limit (from cursor, which is at a character's start, on). */
static int characters_up_to(struct cursor cursor, const char *text, int length, int limit)
{
	advance_to_position(&cursor, text, length, (long long)limit + 2);
	return cursor.position;
}

int bx_snippet_run(struct bx_tokenizer *tokenizer, const char *text, int length,
                   const char *const *forms, const int *words, size_t n_forms, int max_chars,
                   struct bx_buf *out, int *matches)
{
	*matches = 0;
	if (length < 0 || (!text && length > 0) || (!forms && n_forms > 0) || max_chars < 1)
		return BX_EINVAL;
	size_t out_start = out->len;
	struct form_set set;
	struct best_window w = {.text = text, .length = length, .max_chars = max_chars, .set = &set};
	struct region r = {.text = text, .length = length, .set = &set};
	char *seen = NULL;
	int rc = form_set_init(&set, forms, words, n_forms);
	if (rc)
		return rc;
	bool han_words = bx_tokenizer_set_han_words(tokenizer, false);
	w.counts = calloc(set.n_words + 1, sizeof *w.counts);
	seen = malloc(set.n_words + 1);
	if (!w.counts || !seen) {
		rc = BX_ENOMEM;
		goto out;
	}
	w.spans = &r;
	if (set.n && length > 0 && (rc = bx_tokenizer_run(tokenizer, text, length, find_best, &w)) &&
	    rc != FOUND_ALL)
		goto out;
	rc = 0;
	bool have_spans = w.spans && set.n && length > 0;
	/* what comes after the window's widest reach only matters for "…" */
	int total = characters_up_to(w.reading.start, text, length, w.best_start + max_chars);

	long long window_start, window_end;
	place_window(w.best_start, w.best_end, max_chars, total, &window_start, &window_end);
	struct cursor region_start = {0, 0, false};
	advance_to_position(&region_start, text, length, window_start - SLACK);
	if (!have_spans) {
		struct cursor region_end = region_start;
		advance_to_position(&region_end, text, length, (long long)w.best_start + max_chars + SLACK);
		r.n_spans = 0;
		r.base = region_start.byte;
		r.reading = reading_from(region_start);
		if (region_end.byte > r.base &&
		    (rc = bx_tokenizer_run(tokenizer, text + r.base, region_end.byte - r.base, collect_span, &r)))
			goto out;
	}

	struct cut cut = {.start = choose_start(&r, &region_start, window_start, w.best_start)};
	choose_end(&r, &cut, max_chars, total);
	*matches = merge_matches(&r, &cut, seen, set.n_words);
	rc = write_snippet(&r, &cut, total, out);
out:
	bx_tokenizer_set_han_words(tokenizer, han_words);
	if (rc) {
		*matches = 0;
		out->len = out_start;
		if (out->data)
			out->data[out_start] = '\0';
	}
	free(set.forms);
	free(w.hits);
	free(w.counts);
	free(r.spans);
	free(seen);
	return rc;
}

int bx_snippet(const char *text, int length, const char *language,
               const char *const *forms, const int *words, size_t n_forms, int max_chars,
               struct bx_buf *out, int *matches)
{
	*matches = 0;
	if (length < 0 || (!text && length > 0) || (!forms && n_forms > 0) || max_chars < 1)
		return BX_EINVAL;
	struct bx_tokenizer *tokenizer;
	int rc = bx_tokenizer_new(language, &tokenizer);
	if (rc)
		return rc;
	rc = bx_snippet_run(tokenizer, text, length, forms, words, n_forms, max_chars, out, matches);
	bx_tokenizer_free(tokenizer);
	return rc;
}
