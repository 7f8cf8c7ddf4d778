/* The search tokenizer: cuts text into words with ICU's word break (dictionary-based for
 * Chinese), passes each through analyze.c (folding, normalization, stemming) and adds
 * overlapping Han bigrams. The same module reads records when they are indexed and
 * queries when they are searched, directly or as the SQLite FTS5 tokenizer "bioex".
 * docs/text-analysis.md describes the rules per language. */
#ifndef BX_TOKENIZE_H
#define BX_TOKENIZE_H

#include <stdbool.h>
#include "util/error.h"

struct sqlite3;
struct bx_tokenizer;

enum bx_token_flags {
	BX_TOKEN_COLOCATED = 1,   /* same position as the previous token (FTS5_TOKEN_COLOCATED) */
};

/* Called once per token. token is the normalized (folded, stemmed) form, 1 to
 * BX_TOKEN_MAX (256) bytes of UTF-8, not NUL-terminated; start and end are the byte
 * offsets of its source span in the input, 0 <= start < end <= length. The first token
 * is never colocated. A non-zero return stops tokenizing and is returned. */
typedef int (*bx_token_fn)(void *context, int flags, const char *token, int length, int start, int end);

/* Tokenizes the UTF-8 text[0..length) (text may be NULL when length is 0) as written in
 * language, a BCP 47 tag ("en", "zh-Hans"; only the primary subtag counts). NULL or a
 * language without rules of its own means per-script rules: Han, Arabic and Cyrillic
 * words are treated as in zh, ar and ru text, Latin words are folded but not stemmed.
 * Bytes that are not UTF-8 separate words and are otherwise skipped, never an error.
 * Memory does not grow with length: text is read in chunks of 64 KiB. Returns 0, the
 * callback's non-zero return, BX_EINVAL for a negative length (or NULL text or fn),
 * BX_ENOMEM, or BX_EIO when ICU lacks its data. Thread-safe: everything it uses is made
 * for the call. */
BX_MUST_USE int bx_tokenize(const char *text, int length, const char *language, bx_token_fn fn,
                            void *context);

/* A tokenizer kept across calls, which saves making the ICU break iterator and the
 * stemmers each time. Sets *out (released with bx_tokenizer_free, which accepts NULL);
 * BX_ENOMEM or BX_EIO with *out NULL. One tokenizer must not be used by two threads
 * at once. */
BX_MUST_USE int bx_tokenizer_new(const char *language, struct bx_tokenizer **out);
void bx_tokenizer_free(struct bx_tokenizer *tokenizer);

/* Whether tokenizer passes, at the first character of each Han word of ICU's dictionary
 * with three characters or more, the word too (the default), or only the characters and
 * their bigrams, which it then finds without the dictionary, several times faster.
 * Searching asks for no more than characters and bigrams (search.c), so snippets do
 * without. Returns the setting it had. */
bool bx_tokenizer_set_han_words(struct bx_tokenizer *tokenizer, bool words);

/* The number of Han characters the NUL-terminated UTF-8 text is made of, or 0 when it
 * holds anything else: 2 for a bigram, as tokenizing Han text gives them. */
int bx_han_length(const char *text);

/* bx_tokenize with the language and the state of tokenizer. */
BX_MUST_USE int bx_tokenizer_run(struct bx_tokenizer *tokenizer, const char *text, int length,
                                 bx_token_fn fn, void *context);

/* Registers the FTS5 tokenizer "bioex" with db. Its one optional argument is the
 * language of the column (tokenize = 'bioex zh'; FTS5 wants a tag with '-' quoted:
 * tokenize = "bioex 'zh-Hans'"); without one the rules follow each word's script, as
 * bx_tokenize's with NULL. A second argument, or one that is not a language tag, makes
 * CREATE VIRTUAL TABLE fail. Documents, queries and prefix queries are tokenized alike.
 * Returns 0, or BX_EIO when db has no FTS5. */
BX_MUST_USE int bx_tokenize_register_fts5(struct sqlite3 *db);

#endif
