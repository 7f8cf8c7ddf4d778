/* A set of kept tokenizers, one per language, made on first use: making a tokenizer (ICU
 * break iterator, stemmer) costs far more than tokenizing a title, so code that tokenizes
 * many short texts keeps a set. One set serves one thread at a time. */
#ifndef BX_TOKENIZERS_H
#define BX_TOKENIZERS_H

#include "text/tokenize.h"

struct bx_tokenizers;

/* An empty set. Sets *out; BX_ENOMEM. */
BX_MUST_USE int bx_tokenizers_new(struct bx_tokenizers **out);
/* Frees the set and its tokenizers. Accepts NULL. */
void bx_tokenizers_free(struct bx_tokenizers *tokenizers);

/* The tokenizer for language (a BCP 47 tag, or NULL for per-script rules), made the
 * first time it is asked for; past 16 languages, or for a tag over 15 bytes, the NULL
 * one serves. Returns NULL when one cannot be made (memory, or ICU without its data). */
struct bx_tokenizer *bx_tokenizers_get(struct bx_tokenizers *tokenizers, const char *language);

#endif
