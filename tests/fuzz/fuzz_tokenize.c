/* Fuzz target for the search tokenizer. The first byte picks the language (its value
 * modulo 7: none, en, fr, es, ru, ar, zh) and, in its high nibble, a token count after
 * which the callback stops the run; the rest is the text. Every token must be 1 to
 * BX_TOKEN_MAX bytes of UTF-8 with a source span inside the text, the first one not
 * colocated, and a tokenizer kept across inputs must give what a fresh one gives. */
#include <stdint.h>
#include <string.h>
#include <unicode/utf8.h>
#include "common.h"
#include "text/analyze.h"
#include "text/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const languages[] = {NULL, "en", "fr", "es", "ru", "ar", "zh"};
#define N_LANGUAGES (sizeof languages / sizeof languages[0])

/* Made on first use and kept, to catch state one input leaves for the next. */
static struct bx_tokenizer *kept[N_LANGUAGES];

struct check {
	int length;           /* of the text */
	int stop_after;       /* 0: never stop */
	int n_tokens;
	int last_start;
	uint64_t digest;      /* FNV-1a of every token, flag and offset */
};

static void mix(struct check *check, const void *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check->digest = (check->digest ^ ((const uint8_t *)bytes)[i]) * 1099511628211u;
}

static int check_token(void *context, int flags, const char *token, int length, int start, int end)
{
	struct check *check = context;
	if (length < 1 || length > BX_TOKEN_MAX)
		bx_fuzz_fail("token of %d bytes", length);
	int32_t i = 0;
	while (i < length) {
		UChar32 c;
		U8_NEXT((const uint8_t *)token, i, length, c);
		if (c < 0)
			bx_fuzz_fail("token is not UTF-8");
	}
	if (start < 0 || start >= end || end > check->length)
		bx_fuzz_fail("span [%d, %d) outside a text of %d bytes", start, end, check->length);
	if (flags != 0 && flags != BX_TOKEN_COLOCATED)
		bx_fuzz_fail("flags %d", flags);
	if (check->n_tokens == 0 && flags)
		bx_fuzz_fail("the first token is colocated");
	if (!flags) {
		if (start < check->last_start)
			bx_fuzz_fail("position at %d after one at %d", start, check->last_start);
		check->last_start = start;
	}
	mix(check, token, (size_t)length);
	int numbers[3] = {flags, start, end};
	mix(check, numbers, sizeof numbers);
	check->n_tokens++;
	return check->stop_after && check->n_tokens == check->stop_after ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 20)
		return 0;
	size_t language = data[0] % N_LANGUAGES;
	const char *text = (const char *)data + 1;
	int length = (int)size - 1;
	struct check fresh = {.length = length, .stop_after = data[0] >> 4, .digest = 14695981039346656037u};
	int rc = bx_tokenize(text, length, languages[language], check_token, &fresh);
	if (rc != 0 && !(rc == 1 && fresh.stop_after && fresh.n_tokens == fresh.stop_after))
		bx_fuzz_fail("bx_tokenize returned %d after %d tokens", rc, fresh.n_tokens);

	if (!kept[language] && bx_tokenizer_new(languages[language], &kept[language]))
		bx_fuzz_fail("bx_tokenizer_new failed");
	struct check again = {.length = length, .stop_after = fresh.stop_after, .digest = 14695981039346656037u};
	if (bx_tokenizer_run(kept[language], text, length, check_token, &again) != rc)
		bx_fuzz_fail("a kept tokenizer returned something else");
	if (again.n_tokens != fresh.n_tokens || again.digest != fresh.digest)
		bx_fuzz_fail("a kept tokenizer gave other tokens (%d, not %d)", again.n_tokens, fresh.n_tokens);
	return 0;
}
