/* What one word becomes in the search index: Unicode case folding and NFKC, Arabic
 * normalization, French elisions, Snowball stemming and the folding of diacritics. The
 * segmentation of text into words (and Chinese bigrams) is tokenize.c's; this module sees
 * one word at a time, in UTF-16 as ICU hands it over. docs/text-analysis.md has the rules. */
#ifndef BX_ANALYZE_H
#define BX_ANALYZE_H

#include <stdbool.h>
#include <unicode/utypes.h>
#include "util/error.h"

/* The longest form passed on, in bytes: longer forms are cut at a character boundary. */
#define BX_TOKEN_MAX 256
/* How many UTF-16 units of a word are read; the rest of a longer word is ignored. */
#define BX_WORD_SCAN_MAX 1024

struct bx_analyzer;

/* The forms of one word, valid until the next call on the same analyzer. A word has no
 * form when nothing is left of it (only tatweel, an elided article alone), one form, or
 * two when its stem depends on a normalization (an accent, a taa marbuta): both are
 * indexed at the same position so that text typed either way matches. */
struct bx_word_forms {
	const char *text[2];   /* UTF-8, NUL-terminated, at most BX_TOKEN_MAX bytes */
	int length[2];
	int n_forms;
	int skipped;           /* UTF-16 units dropped from the start of the word (an elision) */
};

/* Makes an analyzer for text in language (a BCP 47 tag; NULL or unknown: no stemming of
 * Latin script). Sets *out, to be released with bx_analyzer_free; BX_ENOMEM or BX_EIO
 * (ICU has no normalization data) on failure, with *out NULL. Not thread-safe: one
 * analyzer per thread or per SQLite connection. */
BX_MUST_USE int bx_analyzer_new(const char *language, struct bx_analyzer **out);
void bx_analyzer_free(struct bx_analyzer *analyzer);

/* The ICU locale for the word break iterator: the language's primary subtag, or "". */
const char *bx_analyzer_locale(const struct bx_analyzer *analyzer);

/* Analyzes word[0..length) (UTF-16 without unpaired surrogates) into *forms. Returns 0 or
 * BX_ENOMEM. */
BX_MUST_USE int bx_analyze_word(struct bx_analyzer *analyzer, const UChar *word, int32_t length,
                                struct bx_word_forms *forms);

/* Whether word[0..length) is an article or conjunction French elides ("l", "qu", ...):
 * the tokenizer drops it when an apostrophe follows and the word break put it apart. */
bool bx_analyze_is_elided_word(const UChar *word, int32_t length);

#endif
