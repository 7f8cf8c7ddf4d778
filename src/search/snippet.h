/* Search result snippets: the fragment of one field's text that holds the most of a
 * query's words, HTML-escaped, with the words in <mark>. The query arrives as the
 * normalized forms the search tokenizer (text/tokenize.h) made of its words; the text is
 * tokenized with the same rules, so a snippet highlights exactly what the index matched.
 * docs/text-analysis.md ("Snippets") describes the choice of the window. */
#ifndef BX_SNIPPET_H
#define BX_SNIPPET_H

#include <stddef.h>
#include "text/tokenize.h"
#include "util/buf.h"
#include "util/error.h"

/* Appends to out the snippet of the UTF-8 text[0..length) (text may be NULL when length
 * is 0) for the forms forms[0..n_forms): NUL-terminated token texts as bx_tokenize passes
 * them (empty and repeated forms are ignored). words[i] says which word of the query
 * forms[i] is a form of (forms of one word in several languages, or by several
 * stemmers, share it); words NULL makes each form a word of its own. The text is
 * tokenized as language (see bx_tokenize), Han text into its characters and bigrams only
 * (bx_tokenizer_set_han_words), which is what a search asks for; a token whose form is
 * one of forms is a match of that form's word.
 *
 * The snippet is at most max_chars characters of the text (Unicode code points, after
 * each run of white space and control characters became one space and the ends were
 * trimmed): the window of at most max_chars characters holding the most distinct matched
 * words (the earliest of equals; the start of the text when nothing matches), widened
 * on both sides with context and cut where a token starts and ends (at any character of
 * Chinese). Written HTML-escaped (& < > " '), with each run of matched tokens that touch
 * or overlap in one <mark>...</mark>; "…" before it when text comes before, "…" after
 * it when text follows. An ill-formed UTF-8 sequence is written as U+FFFD.
 *
 * Sets *matches to the number of distinct words of the matches shown (which is the most
 * that any max_chars characters of the text hold). Returns 0; BX_EINVAL for a negative
 * length, NULL text with a positive length, NULL forms with n_forms > 0 or max_chars < 1;
 * BX_ETOOBIG when out's cap is reached; BX_ENOMEM; BX_EIO (ICU has no data). On failure
 * out is left as it was and *matches is 0. Memory does not grow with length beyond the
 * spans of 4,096 tokens, only with max_chars; time is linear in length (one tokenization
 * of the text, which stops a little after the first window holding every word, and, past
 * 4,096 tokens, one of the window). Thread-safe. */
BX_MUST_USE int bx_snippet(const char *text, int length, const char *language,
                           const char *const *forms, const int *words, size_t n_forms, int max_chars,
                           struct bx_buf *out, int *matches);

/* bx_snippet with a kept tokenizer (from bx_tokenizer_new; not NULL), which saves making
 * one per call: the text is tokenized in the tokenizer's language. A tokenizer must not
 * be used by two threads at once. */
BX_MUST_USE int bx_snippet_run(struct bx_tokenizer *tokenizer, const char *text, int length,
                               const char *const *forms, const int *words, size_t n_forms,
                               int max_chars, struct bx_buf *out, int *matches);

#endif
