/* Segmentation of text into tokens (see tokenize.h). Text is decoded into UTF-16 one chunk
 * of at most CHUNK_BYTES at a time, cut where no word can continue, so memory does not
 * grow with the input. ICU's word break iterator gives the words; each goes to analyze.c.
 * A run of Han characters becomes one position per character: the character, the bigram
 * it starts and the dictionary word it starts all sit at that position. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include "text/analyze.h"
#include "text/tokenize.h"

#define CHUNK_BYTES 65536

struct bx_tokenizer {
	struct bx_analyzer *analyzer;
	UBreakIterator *words;
	UChar *text;          /* the current chunk in UTF-16 */
	int32_t *byte_at;     /* the input byte offset of each unit of text, then of its end */
	int32_t capacity;     /* units text and byte_at can hold */
	int32_t length;       /* units of text in use */
	bool han_words;       /* pass the dictionary's Han words too (bx_tokenizer_set_han_words) */
};

struct pass {
	struct bx_tokenizer *tokenizer;
	bx_token_fn fn;
	void *context;
};

enum segment_kind { SEGMENT_SKIP, SEGMENT_WORD, SEGMENT_HAN };

/* Whether the bytes before p[at] end a word for sure: ASCII that is neither part of a
 * word nor joins two (UAX #29's MidLetter and MidNum: ' . , : ;), or a CJK full stop,
 * comma or other fullwidth punctuation. */
static bool ends_words(const unsigned char *p, int32_t at)
{
	unsigned char c = p[at - 1];
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		         strchr("_'.,:;@", c));
	if (at < 3)
		return false;
	const unsigned char *q = p + at - 3;
	return (q[0] == 0xE3 && q[1] == 0x80 && (q[2] == 0x81 || q[2] == 0x82)) ||    /* 、 。 */
	       (q[0] == 0xEF && q[1] == 0xBC && (q[2] == 0x81 || q[2] == 0x8C ||      /* ！ ， */
	                                         q[2] == 0x9A || q[2] == 0x9B || q[2] == 0x9F)); /* ：；？ */
}

/* How many of the remaining bytes at p the next chunk takes: all of them when they fit,
 * else up to the last place in the chunk's second half where words end, else up to a
 * character boundary (a word there is split: nothing that long is text for people). */
static int32_t chunk_length(const unsigned char *p, int32_t remaining)
{
	if (remaining <= CHUNK_BYTES)
		return remaining;
	for (int32_t at = CHUNK_BYTES; at > CHUNK_BYTES / 2; at--)
		if (ends_words(p, at))
			return at;
	for (int32_t at = CHUNK_BYTES; at > CHUNK_BYTES - 4; at--)
		if ((p[at] & 0xC0) != 0x80)
			return at;
	return CHUNK_BYTES;
}

/* Decodes the chunk of n bytes at input offset offset into t->text and t->byte_at; an
 * ill-formed sequence becomes U+FFFD, which separates words. */
static int decode(struct bx_tokenizer *t, const char *input, int32_t offset, int32_t n)
{
	if (n + 1 > t->capacity) {
		UChar *text = realloc(t->text, sizeof(UChar) * (size_t)(n + 1));
		if (text)
			t->text = text;
		int32_t *byte_at = realloc(t->byte_at, sizeof(int32_t) * (size_t)(n + 1));
		if (byte_at)
			t->byte_at = byte_at;
		if (!text || !byte_at)
			return BX_ENOMEM;
		t->capacity = n + 1;
	}
	const uint8_t *bytes = (const uint8_t *)input + offset;
	int32_t i = 0, j = 0;
	while (i < n) {
		int32_t start = i;
		UChar32 c;
		U8_NEXT(bytes, i, n, c);
		if (c < 0)
			c = 0xFFFD;
		t->byte_at[j] = offset + start;
		if (U_IS_BMP(c)) {
			t->text[j++] = (UChar)c;
		} else {
			t->byte_at[j + 1] = offset + start;
			t->text[j++] = U16_LEAD(c);
			t->text[j++] = U16_TRAIL(c);
		}
	}
	t->byte_at[j] = offset + n;
	t->length = j;
	return 0;
}

static bool is_apostrophe(UChar c)
{
	return c == 0x0027 || c == 0x2019 || c == 0xFF07;
}

/* Whether c is a Han character: what is read as characters and bigrams. */
static bool is_han(UChar32 c)
{
	UErrorCode status = U_ZERO_ERROR;
	return c >= 0x2E80 && uscript_getScript(c, &status) == USCRIPT_HAN;
}

static bool all_han(const UChar *text, int32_t from, int32_t to)
{
	while (from < to) {
		UChar32 c;
		U16_NEXT(text, from, to, c);
		if (!is_han(c))
			return false;
	}
	return true;
}

static enum segment_kind segment_kind(const struct bx_tokenizer *t, int32_t from, int32_t to, int32_t status)
{
	if (status < UBRK_WORD_NONE_LIMIT)
		return SEGMENT_SKIP;   /* spaces, punctuation, symbols, emoji */
	return all_han(t->text, from, to) ? SEGMENT_HAN : SEGMENT_WORD;
}

/* Analyzes text[from..to) and passes its forms on: the first with *flags, the others
 * colocated with it. Sets *flags to BX_TOKEN_COLOCATED once a token has been passed. */
static int emit(struct pass *p, int32_t from, int32_t to, int *flags)
{
	struct bx_tokenizer *t = p->tokenizer;
	struct bx_word_forms forms;
	int rc = bx_analyze_word(t->analyzer, t->text + from, to - from, &forms);
	if (rc)
		return rc;
	int start = t->byte_at[from + forms.skipped], end = t->byte_at[to];
	for (int i = 0; i < forms.n_forms; i++) {
		if ((rc = p->fn(p->context, *flags, forms.text[i], forms.length[i], start, end)))
			return rc;
		*flags = BX_TOKEN_COLOCATED;
	}
	return 0;
}

static int emit_word(struct pass *p, int32_t from, int32_t to)
{
	struct bx_tokenizer *t = p->tokenizer;
	/* "l' environnement": the article stands apart; "l'environnement" is one word. */
	if (to < t->length && is_apostrophe(t->text[to]) && bx_analyze_is_elided_word(t->text + from, to - from))
		return 0;
	int flags = 0;
	return emit(p, from, to, &flags);
}

/* Emits the Han word text[from..to): per character a position holding the character, the
 * bigram it starts (with the first character of the next segment when next_is_han) and,
 * at the first character, the word itself when it has three characters or more (shorter
 * ones are already there as the character or the bigram) and words are wanted. */
static int emit_han(struct pass *p, int32_t from, int32_t to, bool next_is_han)
{
	const struct bx_tokenizer *t = p->tokenizer;
	int32_t n_chars = u_countChar32(t->text + from, to - from);
	for (int32_t at = from; at < to;) {
		int32_t second = at, third;
		U16_FWD_1(t->text, second, to);
		third = second;
		if (second < to)
			U16_FWD_1(t->text, third, to);
		else if (next_is_han)
			U16_FWD_1(t->text, third, t->length);
		int flags = 0, rc = emit(p, at, second, &flags);
		if (!rc && third > second)
			rc = emit(p, at, third, &flags);
		if (!rc && at == from && n_chars >= 3 && t->han_words)
			rc = emit(p, from, to, &flags);
		if (rc)
			return rc;
		at = second;
	}
	return 0;
}

/* Tokenizes text[from..to) of the chunk with ICU's word break. */
static int tokenize_range(struct pass *p, int32_t from, int32_t to)
{
	struct bx_tokenizer *t = p->tokenizer;
	UErrorCode status = U_ZERO_ERROR;
	ubrk_setText(t->words, t->text + from, to - from, &status);
	if (U_FAILURE(status))
		return BX_EIO;
	int32_t start = from + ubrk_first(t->words);
	int32_t end = ubrk_next(t->words);
	enum segment_kind kind = SEGMENT_SKIP;
	if (end != UBRK_DONE) {
		end += from;
		kind = segment_kind(t, start, end, ubrk_getRuleStatus(t->words));
	}
	while (end != UBRK_DONE) {
		int32_t next_end = ubrk_next(t->words);
		enum segment_kind next_kind = SEGMENT_SKIP;
		if (next_end != UBRK_DONE) {
			next_end += from;
			next_kind = segment_kind(t, end, next_end, ubrk_getRuleStatus(t->words));
		}
		int rc = 0;
		if (kind == SEGMENT_WORD)
			rc = emit_word(p, start, end);
		else if (kind == SEGMENT_HAN)
			rc = emit_han(p, start, end, next_kind == SEGMENT_HAN);
		if (rc)
			return rc;
		start = end;
		end = next_end;
		kind = next_kind;
	}
	return 0;
}

static bool is_han_at(const UChar *text, int32_t at, int32_t length)
{
	UChar32 c;
	U16_NEXT(text, at, length, c);
	return is_han(c);
}

/* Without Han words, each run of Han characters is emitted as it is, and ICU's word
 * break (whose dictionary is most of the cost of Chinese text) reads only the rest. */
static int tokenize_chunk(struct pass *p)
{
	struct bx_tokenizer *t = p->tokenizer;
	if (t->han_words)
		return tokenize_range(p, 0, t->length);
	int rc = 0;
	for (int32_t at = 0; !rc && at < t->length;) {
		bool han = is_han_at(t->text, at, t->length);
		int32_t end = at;
		do
			U16_FWD_1(t->text, end, t->length);
		while (end < t->length && is_han_at(t->text, end, t->length) == han);
		rc = han ? emit_han(p, at, end, false) : tokenize_range(p, at, end);
		at = end;
	}
	return rc;
}

int bx_tokenizer_run(struct bx_tokenizer *t, const char *text, int length, bx_token_fn fn, void *context)
{
	if (length < 0 || (!text && length > 0) || !fn)
		return BX_EINVAL;
	struct pass p = {.tokenizer = t, .fn = fn, .context = context};
	int rc = 0;
	for (int32_t at = 0; !rc && at < length;) {
		int32_t n = chunk_length((const unsigned char *)text + at, length - at);
		if (!(rc = decode(t, text, at, n)))
			rc = tokenize_chunk(&p);
		at += n;
	}
	return rc;
}

int bx_tokenizer_new(const char *language, struct bx_tokenizer **out)
{
	*out = NULL;
	struct bx_tokenizer *t = calloc(1, sizeof *t);
	if (!t)
		return BX_ENOMEM;
	t->han_words = true;
	int rc = bx_analyzer_new(language, &t->analyzer);
	if (rc) {
		free(t);
		return rc;
	}
	UErrorCode status = U_ZERO_ERROR;
	t->words = ubrk_open(UBRK_WORD, bx_analyzer_locale(t->analyzer), NULL, 0, &status);
	if (U_FAILURE(status)) {
		bx_tokenizer_free(t);
		return status == U_MEMORY_ALLOCATION_ERROR ? BX_ENOMEM : BX_EIO;
	}
	*out = t;
	return 0;
}

bool bx_tokenizer_set_han_words(struct bx_tokenizer *t, bool words)
{
	bool was = t->han_words;
	t->han_words = words;
	return was;
}

void bx_tokenizer_free(struct bx_tokenizer *t)
{
	if (!t)
		return;
	if (t->words)
		ubrk_close(t->words);
	bx_analyzer_free(t->analyzer);
	free(t->text);
	free(t->byte_at);
	free(t);
}

int bx_tokenize(const char *text, int length, const char *language, bx_token_fn fn, void *context)
{
	if (length < 0 || (!text && length > 0) || !fn)
		return BX_EINVAL;
	if (length == 0)
		return 0;
	struct bx_tokenizer *t;
	int rc = bx_tokenizer_new(language, &t);
	if (rc)
		return rc;
	rc = bx_tokenizer_run(t, text, length, fn, context);
	bx_tokenizer_free(t);
	return rc;
}

int bx_han_length(const char *text)
{
	int n = 0;
	for (int32_t at = 0, length = (int32_t)strlen(text); at < length; n++) {
		UChar32 c;
		U8_NEXT(text, at, length, c);
		if (!is_han(c))
			return 0;
	}
	return n;
}
