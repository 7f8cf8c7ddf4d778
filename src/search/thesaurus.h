/* The GEMET thesaurus as a lookup for cross-lingual search: which concepts of the
 * "subjects" vocabulary have a label, in any of the six languages, that is exactly a
 * given word or phrase. Built once from the store, read-only afterwards; it owns the
 * concepts' labels it hands to callers.
 *
 * Matching is on the forms the search tokenizer (text/tokenize.h) makes, so case,
 * diacritics, harakat and tatweel, elisions and inflections the stemmers unify do not
 * matter. A label or query becomes a sequence of positions (one per word, one per Han
 * character); the Han bigrams the tokenizer adds are left out (they follow from the
 * characters), and where a word has two forms (an accent, a taa marbuta) every
 * combination of forms is a key (at most 16 per phrase). Each label of language L is
 * indexed twice: under its forms analyzed as L (stemmed as L) and under its forms
 * analyzed with no language (per-script rules, Latin words folded but not stemmed). A
 * query in a known language Q (ar en es fr ru zh) is looked up as Q against the labels
 * of language Q, and with no language against every label; a query with no language (or
 * another one) is looked up as each of the six languages against the labels of that
 * language, and with no language against every label. So "Forests" with no language
 * finds the concept labelled "forest" (English stemming), "forets" finds "forêt", and
 * "pain" declared as English does not find a French label "pain". */
#ifndef BX_THESAURUS_H
#define BX_THESAURUS_H

#include <stddef.h>
#include <jansson.h>
#include "store/store.h"
#include "text/tokenizers.h"
#include "util/error.h"

struct bx_thesaurus;

/* Called once per concept found: its id ("gemet:3406") and its labels object
 * ({"en": "forest", "zh": "森林", ...}), both borrowed from the thesaurus. A non-zero
 * return stops the lookup and is returned by it (use a negative BX_E* code). */
typedef int (*bx_thesaurus_fn)(void *context, const char *concept, const json_t *labels);

/* Builds the lookup from the store's "subjects" vocabulary: every label of every concept,
 * analyzed as above. Sets *out (released with bx_thesaurus_free, which accepts NULL) and
 * returns 0; on failure sets *out to NULL and returns BX_ENOTFOUND (no "subjects"
 * vocabulary), BX_ENOMEM, BX_EIO (store or ICU failure) or BX_EINVAL (a term that is not
 * JSON). Read-only afterwards: threads may share it. */
BX_MUST_USE int bx_thesaurus_build(struct bx_store *store, struct bx_thesaurus **out);
void bx_thesaurus_free(struct bx_thesaurus *thesaurus);

/* The number of concepts and of distinct keys (for logs and tests). */
size_t bx_thesaurus_concepts(const struct bx_thesaurus *thesaurus);
size_t bx_thesaurus_keys(const struct bx_thesaurus *thesaurus);

/* Finds the concepts with a label that is exactly the phrase text[0..length) (UTF-8,
 * NULL when length is 0), written in language (a BCP 47 tag or NULL; see the header
 * comment). tokenizers, when not NULL, is a set the lookup takes its tokenizers from
 * (the caller's thread's); with NULL each call makes its own. Calls fn(context, ...) for each of them, in vocabulary order, at most max
 * times (max <= 0: none). Returns the number of concepts passed to fn, fn's non-zero
 * return, BX_ENOMEM or BX_EIO (ICU). Text that is empty, only punctuation, or longer
 * (in words) than every label finds nothing. Thread-safe. */
BX_MUST_USE int bx_thesaurus_lookup(const struct bx_thesaurus *thesaurus,
                                    struct bx_tokenizers *tokenizers, const char *text,
                                    size_t length, const char *language, int max,
                                    bx_thesaurus_fn fn, void *context);

#endif
