/* The search index: every current record's words, facet values and sort keys, held in
 * memory and kept up to date by following the store's change sequence. It answers a
 * search — a match expression, the filters and visibility of a listing, a sort, a page
 * — with the exact total, the page of ids, and exact facet counts over the whole result
 * set. docs/search-index.md describes the layout, the ranking and the costs.
 *
 * Each version of a record gets a new slot (a dense number, in change order), so every
 * word's posting list is appended to in slot order and stays sorted; the slot of the
 * previous version is marked dead. Words are the forms the tokenizer (text/tokenize.h)
 * makes, each lstring read in its own language. */
#ifndef BX_INDEX_H
#define BX_INDEX_H

#include <stdbool.h>
#include <stdint.h>
#include "util/listing.h"
#include "store/store.h"
#include "util/error.h"

/* The fields a word can be found in, as bits. */
enum bx_index_field {
	BX_FIELD_TITLE = 1,
	BX_FIELD_SUMMARY = 2,
	BX_FIELD_TEXT = 4,   /* the text, and every other lstring under fields */
	BX_FIELD_ALL = 7,
};

/* The facets the index counts and filters on. */
enum bx_facet_kind {
	BX_FACET_TYPE, BX_FACET_INSTRUMENT, BX_FACET_COUNTRY, BX_FACET_REGION, BX_FACET_TARGET,
	BX_FACET_SUBJECT, BX_FACET_LANGUAGE, BX_FACET_YEAR, BX_FACET_STATUS, BX_FACET_KINDS
};

/* The name of a facet kind ("country"), and the kind of a name (-1 when unknown). */
const char *bx_facet_name(enum bx_facet_kind kind);
int bx_facet_kind(const char *name);

#define BX_MATCH_MAX_FORMS 16

/* One word of an alternative: the forms it may take (any of them matches) and its place
 * relative to the alternative's first word. */
struct bx_match_word {
	const char *forms[BX_MATCH_MAX_FORMS];
	int n_forms;
	int offset;
};

/* One way a part of a query can match: a word (one word), a phrase (words at their
 * offsets), a prefix (one word whose forms are prefixes of indexed words), or records
 * tagged with a subject (n_words 0, subject set). fields limits where words count. */
struct bx_match_alternative {
	const struct bx_match_word *words;
	size_t n_words;
	bool prefix;
	unsigned fields;        /* bx_index_field bits; 0 means BX_FIELD_ALL */
	const char *subject;    /* a "subjects" concept id, with n_words 0 */
};

/* A part of a query: it matches where any of its alternatives does. An excluded part
 * removes the records it matches. */
struct bx_match_part {
	const struct bx_match_alternative *alternatives;
	size_t n_alternatives;
	bool exclude;
};

/* A search. match NULL (or no parts): every record the listing allows, ranked by the
 * listing's sort; a match with only excluded parts matches nothing. */
struct bx_index_query {
	const struct bx_match_part *parts;
	size_t n_parts;
	bool has_match;                     /* false: no words were asked for */
	bool by_relevance;                  /* rank by score (else by list->sort) */
	const struct bx_list_query *list;   /* filters, visibility, page (required) */
	unsigned facets;                    /* bit (1 << kind) for each facet to count */
	const char *language;               /* records in it rank a little higher; may be NULL */
	int facet_values;                   /* at most this many values per facet (by count) */
};

struct bx_index_hit {
	char *id;
	double score;
	unsigned fields;   /* bx_index_field bits where its words were found (0: none, as when
	                    * only a thesaurus concept's tag matched) */
};

/* A facet value and the number of matches that have it. */
struct bx_facet_count {
	enum bx_facet_kind kind;
	const char *value;           /* borrowed from the index, valid while it lives */
	int64_t count;
};

struct bx_index_result {
	int64_t total;
	struct bx_index_hit *hits;   /* the page, best first */
	size_t n_hits;
	struct bx_facet_count *facets;   /* by kind, then most frequent first (equal counts in
	                                  * the order the values were first indexed) */
	size_t n_facets;
};
void bx_index_result_clear(struct bx_index_result *result);

struct bx_index;

/* An empty index (nothing read yet). Sets *out; BX_ENOMEM. */
BX_MUST_USE int bx_index_new(struct bx_index **out);
void bx_index_free(struct bx_index *index);

/* Reads every change of store after the last one read, and applies it: new versions
 * are indexed, withdrawn records dropped. Searches go on meanwhile and see each batch
 * once it is whole. One sync runs at a time; others wait for it and then find little or
 * nothing left to do. Returns 0, BX_ENOMEM, BX_EIO. */
BX_MUST_USE int bx_index_sync(struct bx_index *index, struct bx_store *store);

/* Runs a search. Thread-safe with other searches and with sync. Returns 0, BX_ENOMEM. */
BX_MUST_USE int bx_index_search(struct bx_index *index, const struct bx_index_query *query,
                                struct bx_index_result *result);

/* Sets how many postings the cheapest part of a search must have for the search to find
 * its matches as bitmaps (BITMAPS_FROM unless set; 0: always; INFINITY: never). Both ways
 * give the same results; the tests compare them. */
void bx_index_set_bitmaps_from(struct bx_index *index, double postings);

/* Sets from how many changes the first sync chooses pairable words (PAIRS_FROM unless
 * set; 0: always; INT64_MAX: never). Results are the same either way; the tests compare
 * them. Call it before the first sync. */
void bx_index_set_pairs_from(struct bx_index *index, int64_t changes);

/* How facets are counted over many matches (more than fit a list): the cheaper way by the
 * index's estimate (the default), or always one way. All give the same counts; the tests
 * compare them. */
enum bx_facet_counting { BX_FACETS_CHEAPER, BX_FACETS_BY_RECORD, BX_FACETS_BY_VALUE };
void bx_index_set_facet_counting(struct bx_index *index, enum bx_facet_counting counting);

/* Figures for logs, metrics and tests. */
struct bx_index_stats {
	int64_t seq;            /* the last change applied */
	int64_t records;        /* current records indexed */
	int64_t slots;          /* slots used, live and dead */
	int64_t terms;
	int64_t postings_bytes;
	int64_t pairable;       /* words whose pairs are indexed (docs/search-index.md, "Pairs") */
	int64_t text_bytes;     /* bytes of text read since the index was made */
};
void bx_index_stats(struct bx_index *index, struct bx_index_stats *stats);

#endif
