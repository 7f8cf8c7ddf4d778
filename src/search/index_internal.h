/* The search index's data, shared by index.c (which fills it) and index_query.c (which
 * reads it). Nothing outside src/search/index*.c includes this. */
#ifndef BX_INDEX_INTERNAL_H
#define BX_INDEX_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "search/index.h"

#define NO_ID UINT32_MAX

/* BM25 parameters and the weight of each field (docs/search-index.md). */
#define BM25_K1 1.2
#define BM25_B 0.75
#define IMPACT_MAX 255

/* An open-addressing table of ids whose keys live elsewhere (key_of gives them). */
struct id_table {
	uint32_t *cells;    /* id + 1; 0 is empty */
	size_t capacity;    /* a power of two */
	size_t count;
};

/* Every SKIP_EVERY-th posting of a word is a skip point: a seek far ahead jumps to the
 * last skip point before its target instead of decoding every posting on the way. */
#define SKIP_EVERY 64
/* The skip points also bound the ranking: each holds the highest impact of the postings
 * from it to the next (its block). A word gets its first skip point, for its first block,
 * once it has a second block. */
struct skip {
	uint32_t slot;       /* the slot of the posting there */
	uint32_t previous;   /* the slot before it, which its delta is from */
	uint32_t offset;     /* where it starts in the postings */
	uint8_t max_impact;  /* the highest impact of its block */
};

/* A dense word's posting, by its rank in slot order: what scoring reads, and what a
 * phrase looks at before it reads the positions. */
struct posting_head {
	uint8_t impact;
	uint8_t fields;
	uint8_t positions;   /* bit p % 8 set for each position p (position_signature) */
};

/* A word's postings, appended in slot order. Each posting is: varint(slot - previous
 * slot), impact (1 byte, 1..255), fields (1 byte of bx_index_field bits),
 * varint(bytes of positions), then the positions as varint deltas. */
struct term {
	uint32_t text_at;   /* in index->term_text */
	uint32_t length;
	uint32_t last_slot;
	uint32_t n_postings;
	uint8_t *postings;
	size_t size, capacity;
	struct skip *skips;
	size_t n_skips, skips_capacity;
	uint64_t *bits;     /* NULL until dense (DENSE_TERM); bit s set for each slot s it has */
	uint32_t n_words;   /* words of bits allocated */
	struct posting_head *heads;   /* with bits: each posting's, n_postings of them */
	size_t heads_capacity;
	uint32_t *marks;    /* with bits: where each MARK_EVERY-th posting starts */
	size_t n_marks, marks_capacity;
	uint8_t max_impact; /* the highest impact of its postings */
};

/* A pair of pairable words, the second at the position after the first's, is indexed as
 * a term of its own: the first, PAIR_SEPARATOR, the second, at the first's position. A
 * phrase of pairable words finds where it stands from its pairs' postings instead of
 * reading its words' positions (docs/search-index.md, "Pairs"). */
#define PAIR_SEPARATOR '\x1f'
/* The words in one record of PAIR_SHARE at least, in a sample of the store taken when the
 * index is first filled from PAIRS_FROM changes or more, are pairable. */
#define PAIR_SHARE 32
#define PAIRS_FROM 65536

/* A word gets a bitmap of its slots too once it has DENSE_TERM postings and is in one
 * slot of DENSE_TERM_SHARE at least, with its postings' impacts and fields in slot order:
 * a search moves over the bitmap and reads a posting's impact at its rank, without
 * decoding the postings on the way (docs/search-index.md, "Dense words"). */
#define DENSE_TERM 4096
/* A dense word's positions are found from the nearest mark before its posting. */
#define MARK_EVERY 8
/* Searches ranked by relevance whose cheapest part has this many postings find their
 * matches as bitmaps and score them 64 slots at a time (index_query.c, "many matches"). */
#define BITMAPS_FROM 8192
#define DENSE_TERM_SHARE 32

/* A value has a bitmap of its slots too once it has this many, for counting it over
 * large result sets (docs/search-index.md, "Facet counts"). */
#define DENSE_VALUE 4096

/* A facet value with the slots of the records that have it (append-only, sorted), and,
 * once it has DENSE_VALUE of them, the same as a bitmap over slots. */
struct value {
	uint8_t kind;
	char *text;
	uint32_t *slots;
	size_t n_slots, capacity;
	uint64_t *bits;         /* NULL until dense; bit s set for each slot s it has */
	uint32_t n_words;       /* words of bits allocated (all zero past the last slot) */
};

/* What a search reads of every record it matches, kept apart and small (12 bytes) so
 * that walking many matches stays within few cache lines. */
struct slot {
	uint8_t live;
	uint8_t published;
	int32_t date;          /* yyyymmdd, 0 when undated */
	uint32_t languages;    /* bit per language value index below 32, for the boost */
};

/* The rest of one version of a record: for the page, sorting and bookkeeping. */
struct doc {
	char *id;
	char *sort_title;
	char *updated;
	char *author;
	uint32_t field_length[3];
};

/* A set of words with their own copies of the texts: the pairable words (whose pairs with
 * the next word are indexed too, PAIR_SEPARATOR), which analyzers read without the lock
 * while a batch is applied (and the terms' arrays grow). Made once, when they are chosen,
 * and never changed. */
struct word_set {
	char *text;              /* the words one after the other */
	size_t text_size, text_capacity;
	struct { uint32_t at, length; } *words;   /* each word's place in text */
	size_t n, capacity;
	struct id_table table;
};

struct bx_index {
	pthread_rwlock_t lock;       /* searches read, applying a batch writes */
	pthread_mutex_t sync_lock;   /* one sync at a time */
	struct bx_index_sync_state *sync_state;   /* kept by sync between runs (index.c) */
	int64_t seq;
	int64_t text_bytes;
	int64_t postings_bytes;

	struct term *terms;
	size_t n_terms, terms_capacity;
	char *term_text;
	size_t term_text_size, term_text_capacity;
	struct id_table term_table;

	struct slot *slots;          /* n_docs of them, beside docs */
	struct doc *docs;
	size_t n_docs, docs_capacity, slots_capacity;
	int64_t n_live;
	struct id_table doc_table;   /* id -> live slot */
	/* Each slot's facet values: value_codes[value_starts[slot] .. value_starts[slot + 1])
	 * (read_value). */
	uint16_t *value_codes;
	size_t n_value_codes, value_codes_capacity;
	uint32_t *value_starts;      /* n_docs + 1 of them */
	size_t value_starts_capacity;

	struct value *values;
	size_t n_values, values_capacity;
	struct id_table value_table;
	/* Every value id by kind, then by records, the most first (equals by id): facets
	 * count values in this order. Kept after every batch (kind_starts[k] to
	 * kind_starts[k + 1] are those of kind k). */
	uint32_t *by_records;
	size_t kind_starts[BX_FACET_KINDS + 1];

	double bitmaps_from;         /* searches led by this many postings use bitmaps */
	int64_t pairs_from;          /* the first sync chooses pairable words from this many changes */
	bool pairs_chosen;           /* it has (and none are chosen later) */
	struct word_set pairable;
	enum bx_facet_counting facet_counting;
	uint64_t *public_bits;       /* bit s set while slot s is live and published */
	uint32_t public_words;

	/* Sums of field lengths (in positions) over live records, for BM25's averages. */
	double field_length[3];
};

/* A record's facet values are kept as 16-bit codes, since counting the facets reads
 * every match's values: a value id below WIDE_VALUE is its own code, a larger one is
 * WIDE_VALUE followed by its high and low halves. */
#define WIDE_VALUE 0xFFFFu

/* The value whose code is at codes[*at]; moves *at past it. */
static inline uint32_t read_value(const uint16_t *codes, uint32_t *at)
{
	uint32_t id = codes[(*at)++];
	if (id == WIDE_VALUE) {
		id = (uint32_t)codes[*at] << 16 | codes[*at + 1];
		*at += 2;
	}
	return id;
}

static inline size_t varint_put(uint8_t *out, uint32_t value)
{
	size_t n = 0;
	while (value >= 0x80) {
		out[n++] = (uint8_t)(value | 0x80);
		value >>= 7;
	}
	out[n++] = (uint8_t)value;
	return n;
}

static inline const uint8_t *varint_get(const uint8_t *in, uint32_t *value)
{
	uint32_t result = 0;
	int shift = 0;
	while (*in & 0x80) {
		result |= (uint32_t)(*in++ & 0x7f) << shift;
		shift += 7;
	}
	*value = result | (uint32_t)*in++ << shift;
	return in;
}

/* The signature of a posting's positions (bytes of varint deltas at positions): bit
 * p % 8 set for each position p. Two words can stand at offsets d apart only where the
 * first's signature rotated by d shares a bit with the second's. */
static inline uint8_t position_signature(const uint8_t *positions, uint32_t bytes)
{
	const uint8_t *end = positions + bytes;
	uint32_t position = 0;
	uint8_t signature = 0;
	while (positions < end) {
		uint32_t delta;
		positions = varint_get(positions, &delta);
		position += delta;
		signature |= (uint8_t)(1u << (position % 8));
	}
	return signature;
}

/* Makes *bits cover slot (n_words words at least slot / 64 + 1, the new ones zero).
 * Returns 0 or BX_ENOMEM. */
int bx_bits_cover(uint64_t **bits, uint32_t *n_words, uint32_t slot);

static inline void bx_bits_set(uint64_t *bits, uint32_t slot)
{
	bits[slot / 64] |= 1ull << (slot % 64);
}

/* FNV-1a over key[0..length), with a salt for the table's kind. */
uint32_t bx_index_hash(const char *key, size_t length, uint32_t salt);

/* Whether set holds text[0..length). */
bool bx_word_set_has(const struct word_set *set, const char *text, size_t length);

/* The term with that text, or NO_ID. Read lock held. */
uint32_t bx_index_find_term(const struct bx_index *index, const char *text, size_t length);
/* The value of kind with that text, or NO_ID. Read lock held. */
uint32_t bx_index_find_value(const struct bx_index *index, int kind, const char *text);

#endif
