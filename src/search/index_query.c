/* Searching the index (see index.h): the query's words become cursors over posting
 * lists, combined document-at-a-time (a part matches where any alternative does, the
 * query where every part does and no excluded part does); each match passes the
 * listing's visibility and filters, is counted in the facets, scored and offered to a
 * heap that keeps the page. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "search/index_internal.h"
#include "text/analyze.h"
#include "util/pool.h"

#define MAX_PREFIX_TERMS 64
#define MAX_PHRASE_POSITIONS 4096
#define SUBJECT_IMPACT (IMPACT_MAX / 2)
/* A walk keeps up to this many matches as a list for the facets, counted record by
 * record; past it, and when the matches were found as bitmaps, they are a bitmap, counted
 * record by record or value by value, whichever reads less (docs/search-index.md, "Facet
 * counts"). */
#define FORWARD_MATCHES 32768

/* A walk over one posting list, or over the slots of a facet value. */
struct cursor {
	const uint8_t *start, *at, *end;
	const struct skip *skips;
	size_t n_skips, next_skip;
	const uint32_t *slots;
	size_t n_slots, next;
	uint32_t slot;             /* the current slot; NO_ID past the end */
	uint32_t previous;
	uint8_t impact;
	uint8_t fields;
	uint8_t field_mask;
	const uint8_t *positions;
	uint32_t position_bytes;
	double weight;             /* the idf of its word */
	uint8_t max_impact;        /* of all its postings */
	size_t count;              /* its postings (or slots) */
	const uint64_t *bits;      /* its slots as a bitmap, when dense (NULL: none) */
	uint32_t n_bits;           /* words of bits */
	/* A dense word's cursor moves over bits, not its postings: its posting in slot is the
	 * rank-th, rank being the postings in the bitmap's words before rank_word
	 * (rank_before) and those before slot in its word. */
	const struct posting_head *heads;
	const uint32_t *marks;
	uint32_t rank, rank_word, rank_before;
	const uint8_t *decoded_at;   /* the posting after those decoded last for positions */
	uint32_t decoded_rank;       /* its rank */
};

/* The first slot >= from set in bits (NO_ID: none). */
static uint32_t next_bit(const uint64_t *bits, uint32_t n_words, uint32_t from)
{
	uint32_t w = from / 64;
	if (w >= n_words)
		return NO_ID;
	uint64_t word = bits[w] & (~0ull << (from % 64));
	while (!word) {
		if (++w == n_words)
			return NO_ID;
		word = bits[w];
	}
	return w * 64 + (uint32_t)__builtin_ctzll(word);
}

/* Sets c's rank_before to the postings of its bitmap's words before word w (moving
 * rank_word there, forward or back). */
static void rank_at_word(struct cursor *c, uint32_t w)
{
	while (c->rank_word < w)
		c->rank_before += (uint32_t)__builtin_popcountll(c->bits[c->rank_word++]);
	while (c->rank_word > w)
		c->rank_before -= (uint32_t)__builtin_popcountll(c->bits[--c->rank_word]);
}

/* The rank of the posting at bit j of bits, c's bitmap word at rank_word. */
static uint32_t rank_at_bit(const struct cursor *c, uint64_t bits, int j)
{
	return c->rank_before + (uint32_t)__builtin_popcountll(bits & ((1ull << j) - 1));
}

/* Moves a dense word's cursor to its first posting at or after slot from whose fields it
 * counts. */
static void dense_move(struct cursor *c, uint32_t from)
{
	for (;;) {
		uint32_t slot = next_bit(c->bits, c->n_bits, from);
		if (slot == NO_ID) {
			c->slot = NO_ID;
			return;
		}
		uint32_t w = slot / 64;
		rank_at_word(c, w);
		c->rank = rank_at_bit(c, c->bits[w], (int)(slot % 64));
		struct posting_head head = c->heads[c->rank];
		if (head.fields & c->field_mask) {
			c->slot = slot;
			c->impact = head.impact;
			c->fields = head.fields;
			return;
		}
		from = slot + 1;
	}
}

static void cursor_next(struct cursor *c)
{
	if (c->heads) {
		if (c->slot != NO_ID)
			dense_move(c, c->slot + 1);
		return;
	}
	if (c->slots) {
		c->slot = c->next < c->n_slots ? c->slots[c->next++] : NO_ID;
		return;
	}
	while (c->at < c->end) {
		uint32_t delta;
		c->at = varint_get(c->at, &delta);
		c->slot = c->previous + delta;
		c->previous = c->slot;
		c->impact = c->at[0];
		c->fields = c->at[1];
		c->at = varint_get(c->at + 2, &c->position_bytes);
		c->positions = c->at;
		c->at += c->position_bytes;
		if (c->fields & c->field_mask)
			return;
	}
	c->slot = NO_ID;
}

/* The first index in [low, high) of the sorted a whose item is at least target (high
 * when none is). */
static size_t lower_bound(const uint32_t *a, size_t low, size_t high, uint32_t target)
{
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (a[middle] < target)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

static void cursor_seek(struct cursor *c, uint32_t target)
{
	if (c->slot >= target)
		return;
	if (c->slots) {   /* a facet value's slots: the first at or after target */
		c->next = lower_bound(c->slots, c->next, c->n_slots, target);
		cursor_next(c);
		return;
	}
	if (c->heads) {
		dense_move(c, target);
		return;
	}
	size_t jump = SIZE_MAX;
	while (c->next_skip < c->n_skips && c->skips[c->next_skip].slot <= target)
		jump = c->next_skip++;
	if (jump != SIZE_MAX && c->skips[jump].slot > c->slot) {
		c->at = c->start + c->skips[jump].offset;
		c->previous = c->skips[jump].previous;
		cursor_next(c);
	}
	while (c->slot < target)
		cursor_next(c);
}

/* Where a phrase searched by bitmaps matched, and what it scores there. */
struct phrase_match {
	uint32_t slot;
	uint8_t fields;
	double score;
};

/* One word of an alternative: the cursors of its forms. */
struct word_walk {
	struct cursor *cursors;
	size_t n_cursors;
	int offset;
};

/* An alternative is walked in two phases: where all its words are (at), then, only
 * where every other part of the query may match too, whether they stand as its phrase
 * says (confirmed). Positions are read only for the slots that can be hits. */
struct alternative_walk {
	struct word_walk *words;
	size_t n_words;
	/* A phrase of pairable words: pairs that hold all its words (the first with the
	 * second, the third with the fourth, …, and the last two), after its words (pairs ==
	 * words + n_words), or none. It stands where they stand as its words would, and one
	 * pair needs no positions at all (docs/search-index.md, "Pairs"). */
	struct word_walk *pairs;
	size_t n_pairs;
	uint32_t at;          /* where all its words were last; NO_ID when done */
	bool started;
	uint32_t checked;     /* the slot whose positions were checked last; NO_ID: none */
	bool confirmed;       /* whether they matched there */
	uint64_t *bits;       /* a phrase searched by bitmaps: the slots where it matched */
	struct phrase_match *matched;   /* and there, in slot order, its scores */
	size_t next_matched;            /* the first of them not yet scored */
};

struct part_walk {
	struct alternative_walk *alternatives;
	size_t n_alternatives;
	double cost;          /* postings to read, to choose the part that leads */
	bool exclude;
	bool filter;          /* a filter's values: it narrows, it does not score */
};

/* The smallest slot >= target among the word's cursors (NO_ID: none). */
static uint32_t word_seek(struct word_walk *word, uint32_t target)
{
	uint32_t lowest = NO_ID;
	for (size_t i = 0; i < word->n_cursors; i++) {
		cursor_seek(&word->cursors[i], target);
		if (word->cursors[i].slot < lowest)
			lowest = word->cursors[i].slot;
	}
	return lowest;
}

/* The bytes of the positions of the posting c stands on, in *positions. A dense word's
 * are decoded from where the last were found, or else from its rank's mark, whichever
 * is nearer. */
static uint32_t cursor_positions(struct cursor *c, const uint8_t **positions)
{
	if (!c->heads) {
		*positions = c->positions;
		return c->position_bytes;
	}
	uint32_t from = c->rank - c->rank % MARK_EVERY;
	const uint8_t *at = c->start + c->marks[c->rank / MARK_EVERY];
	if (c->decoded_at && c->decoded_rank <= c->rank && c->decoded_rank >= from) {
		from = c->decoded_rank;
		at = c->decoded_at;
	}
	uint32_t bytes = 0;
	for (; from <= c->rank; from++) {
		uint32_t delta;
		at = varint_get(varint_get(at, &delta) + 2, &bytes);
		*positions = at;
		at += bytes;
	}
	c->decoded_rank = from;
	c->decoded_at = at;
	return bytes;
}

/* Whether c stands on slot with positions (a facet value's slots have none). */
static bool has_positions_at(const struct cursor *c, uint32_t slot)
{
	return c->slot == slot && !c->slots;
}

/* The word's positions in the current slot, from every cursor standing on it, sorted. */
static size_t word_positions(const struct word_walk *word, uint32_t slot, uint32_t *out)
{
	size_t n = 0, n_lists = 0;
	for (size_t i = 0; i < word->n_cursors; i++) {
		struct cursor *c = &word->cursors[i];
		if (!has_positions_at(c, slot))
			continue;
		n_lists++;
		const uint8_t *at;
		uint32_t bytes = cursor_positions(c, &at);
		const uint8_t *end = at + bytes;
		uint32_t position = 0;
		while (at < end && n < MAX_PHRASE_POSITIONS) {
			uint32_t delta;
			at = varint_get(at, &delta);
			position += delta;
			out[n++] = position;
		}
	}
	for (size_t i = 1; n_lists > 1 && i < n; i++)   /* several forms: merge by insertion (short lists) */
		for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
			uint32_t swap = out[j];
			out[j] = out[j - 1];
			out[j - 1] = swap;
		}
	return n;
}

/* The positions of a word in one slot, read in order: its one cursor's standing there,
 * decoded as they are asked for, or, when several stand there, word_positions's list. */
struct position_reader {
	const uint8_t *at, *end;   /* the one cursor's */
	const uint32_t *list;      /* or the list (not NULL) */
	size_t n, read;
	uint32_t position;
};

/* Opens the word's positions in slot (list: room for MAX_PHRASE_POSITIONS, used when
 * several of its cursors stand there). */
static void open_positions(struct position_reader *r, const struct word_walk *word, uint32_t slot, uint32_t *list)
{
	*r = (struct position_reader){0};
	struct cursor *one = NULL;
	size_t n_lists = 0;
	for (size_t i = 0; i < word->n_cursors; i++)
		if (has_positions_at(&word->cursors[i], slot)) {
			one = &word->cursors[i];
			n_lists++;
		}
	if (n_lists == 1) {
		uint32_t bytes = cursor_positions(one, &r->at);
		r->end = r->at + bytes;
	} else {
		r->n = word_positions(word, slot, list);
		r->list = list;
	}
}

/* Sets *position to the next position; false past the last (or past MAX_PHRASE_POSITIONS,
 * as word_positions). */
static bool read_position(struct position_reader *r, uint32_t *position)
{
	if (r->read == MAX_PHRASE_POSITIONS || (r->list ? r->read == r->n : r->at >= r->end))
		return false;
	if (r->list) {
		*position = r->list[r->read++];
		return true;
	}
	uint32_t delta;
	r->at = varint_get(r->at, &delta);
	r->position += delta;
	r->read++;
	*position = r->position;
	return true;
}

/* The signature of the word's positions in slot (position_signature), from its cursors
 * standing there: a dense word's is kept with its posting, a rarer one's is read. */
static uint8_t word_signature(const struct word_walk *word, uint32_t slot)
{
	uint8_t signature = 0;
	for (size_t i = 0; i < word->n_cursors; i++) {
		const struct cursor *c = &word->cursors[i];
		if (!has_positions_at(c, slot))
			continue;
		signature |= c->heads ? c->heads[c->rank].positions : position_signature(c->positions, c->position_bytes);
	}
	return signature;
}

static uint8_t rotate_left(uint8_t bits, int by)
{
	by &= 7;
	return (uint8_t)(bits << by | bits >> ((8 - by) & 7));
}

/* Do the alternative's words stand at their offsets from one another in slot? Its words
 * come the rarest first (open_part). First the signatures of their positions (no, unless
 * each word's can follow the rarest word's); then the rarest word's positions are the
 * candidates; each other word keeps those it also stands beside, its positions read only
 * as far as needed: the answer is no as soon as none is left, yes at the first the last
 * word keeps. */
static bool words_in_place(const struct word_walk *words, size_t n_words, uint32_t slot, uint32_t *scratch)
{
	uint32_t *starts = scratch, *other = scratch + MAX_PHRASE_POSITIONS;
	if (!n_words)
		return false;
	const struct word_walk *rarest = &words[0];
	uint8_t rarest_signature = word_signature(rarest, slot);
	for (size_t k = 1; k < n_words; k++) {
		const struct word_walk *word = &words[k];
		if (!(rotate_left(rarest_signature, word->offset - rarest->offset) & word_signature(word, slot)))
			return false;
	}
	size_t n_starts = word_positions(rarest, slot, starts);
	for (size_t k = 1; k < n_words && n_starts; k++) {
		const struct word_walk *word = &words[k];
		struct position_reader reader;
		open_positions(&reader, word, slot, other);
		int64_t shift = (int64_t)word->offset - rarest->offset;
		size_t kept = 0;
		uint32_t position;
		bool more = read_position(&reader, &position);
		for (size_t p = 0; p < n_starts && more; p++) {   /* both sorted: one merge */
			int64_t wanted = (int64_t)starts[p] + shift;
			while (more && (int64_t)position < wanted)
				more = read_position(&reader, &position);
			if (more && (int64_t)position == wanted) {
				if (k == n_words - 1)
					return true;
				starts[kept++] = starts[p];
			}
		}
		n_starts = kept;
	}
	return n_starts > 0;
}

/* Does the phrase stand in slot as it says, where its words (and pairs) stand? */
static bool phrase_matches(const struct alternative_walk *phrase, uint32_t slot, uint32_t *scratch)
{
	if (phrase->n_pairs == 1)
		return true;
	return phrase->n_pairs ? words_in_place(phrase->pairs, phrase->n_pairs, slot, scratch)
	                       : words_in_place(phrase->words, phrase->n_words, slot, scratch);
}

/* The first slot >= target where all the alternative's words are (NO_ID: none). */
static uint32_t alternative_seek(struct alternative_walk *alternative, uint32_t target)
{
	if (alternative->started && (alternative->at == NO_ID || alternative->at >= target))
		return alternative->at;
	alternative->started = true;
	uint32_t high = target;
	bool stable = false;
	while (!stable) {
		stable = true;
		for (size_t w = 0; w < alternative->n_words + alternative->n_pairs; w++) {
			uint32_t slot = word_seek(&alternative->words[w], high);
			if (slot == NO_ID)
				return alternative->at = NO_ID;
			if (slot != high) {
				high = slot;
				stable = false;
			}
		}
	}
	return alternative->at = high;
}

/* Does the alternative match in slot, its words at their places? */
static bool alternative_matches(struct alternative_walk *alternative, uint32_t slot, uint32_t *scratch)
{
	if (alternative->at != slot)
		return false;
	if (alternative->n_words == 1)
		return true;
	if (alternative->checked != slot) {
		alternative->checked = slot;
		alternative->confirmed = phrase_matches(alternative, slot, scratch);
	}
	return alternative->confirmed;
}

/* The first slot >= target where all the words of one of the part's alternatives are. */
static uint32_t part_seek(struct part_walk *part, uint32_t target)
{
	uint32_t lowest = NO_ID;
	for (size_t a = 0; a < part->n_alternatives; a++) {
		uint32_t slot = alternative_seek(&part->alternatives[a], target);
		if (slot < lowest)
			lowest = slot;
	}
	return lowest;
}

/* Does one of the part's alternatives match in slot (where part_seek stands)? */
static bool part_matches(struct part_walk *part, uint32_t slot, uint32_t *scratch)
{
	for (size_t a = 0; a < part->n_alternatives; a++)
		if (alternative_matches(&part->alternatives[a], slot, scratch))
			return true;
	return false;
}

/* The best contribution of the word's cursors standing on slot; adds the fields they
 * were found in to *fields. */
static double word_score(const struct word_walk *word, uint32_t slot, uint8_t *fields)
{
	double best = 0;
	for (size_t i = 0; i < word->n_cursors; i++) {
		const struct cursor *c = &word->cursors[i];
		if (c->slot == slot) {
			double score = c->weight * c->impact;
			if (score > best)
				best = score;
			*fields |= c->slots ? 0 : c->fields;
		}
	}
	return best;
}

/* The sum of the alternative's words' contributions in slot, where its cursors stand. */
static double alternative_score(const struct alternative_walk *alternative, uint32_t slot, uint8_t *fields)
{
	double score = 0;
	for (size_t w = 0; w < alternative->n_words; w++)
		score += word_score(&alternative->words[w], slot, fields);
	return score;
}

/* A part's score from the idf-weighted impacts of its best alternative. */
static double part_bm25(double weighted_impacts)
{
	return weighted_impacts * (BM25_K1 + 1) / IMPACT_MAX;
}

static double part_score(struct part_walk *part, uint32_t slot, uint8_t *fields, uint32_t *scratch)
{
	double best = 0;
	for (size_t a = 0; a < part->n_alternatives; a++) {
		struct alternative_walk *alternative = &part->alternatives[a];
		if (!alternative_matches(alternative, slot, scratch))
			continue;
		double score = alternative_score(alternative, slot, fields);
		if (score > best)
			best = score;
	}
	return part_bm25(best);
}

/* ---- building the walks ---- */

static double idf(const struct bx_index *index, double df)
{
	double n = (double)index->n_live;
	return log(1 + (n - df + 0.5) / (df + 0.5));
}

static void open_term(const struct bx_index *index, uint32_t id, uint8_t field_mask, struct cursor *c)
{
	const struct term *term = &index->terms[id];
	*c = (struct cursor){.start = term->postings, .at = term->postings, .end = term->postings + term->size,
	                     .skips = term->skips, .n_skips = term->n_skips,
	                     .field_mask = field_mask, .weight = idf(index, term->n_postings),
	                     .max_impact = term->max_impact, .count = term->n_postings, .bits = term->bits,
	                     .n_bits = term->n_words, .heads = term->heads, .marks = term->marks};
	if (c->heads)
		dense_move(c, 0);
	else
		cursor_next(c);
}

/* The ids of up to MAX_PREFIX_TERMS terms starting with prefix, the most frequent first. */
static size_t prefix_terms(const struct bx_index *index, const char *prefix, uint32_t *out)
{
	size_t length = strlen(prefix), n = 0;
	for (size_t id = 0; id < index->n_terms; id++) {
		const struct term *term = &index->terms[id];
		const char *text = index->term_text + term->text_at;
		if (term->length < length || memcmp(text, prefix, length) || memchr(text, PAIR_SEPARATOR, term->length))
			continue;
		if (n < MAX_PREFIX_TERMS) {
			out[n++] = (uint32_t)id;
			continue;
		}
		size_t rarest = 0;
		for (size_t i = 1; i < n; i++)
			if (index->terms[out[i]].n_postings < index->terms[out[rarest]].n_postings)
				rarest = i;
		if (term->n_postings > index->terms[out[rarest]].n_postings)
			out[rarest] = (uint32_t)id;
	}
	return n;
}

static int open_word(const struct bx_index *index, const struct bx_match_word *word, bool prefix,
                     uint8_t field_mask, struct bx_pool *pool, struct word_walk *walk, double *cost)
{
	uint32_t ids[MAX_PREFIX_TERMS * BX_MATCH_MAX_FORMS];
	size_t n_ids = 0;
	for (int f = 0; f < word->n_forms; f++) {
		if (prefix) {
			n_ids += prefix_terms(index, word->forms[f], ids + n_ids);
			continue;
		}
		uint32_t id = bx_index_find_term(index, word->forms[f], strlen(word->forms[f]));
		bool seen = false;
		for (size_t i = 0; i < n_ids && !seen; i++)
			seen = ids[i] == id;
		if (id != NO_ID && !seen)
			ids[n_ids++] = id;
	}
	walk->cursors = bx_pool_alloc(pool, n_ids * sizeof *walk->cursors);
	if (!walk->cursors)
		return BX_ENOMEM;
	walk->n_cursors = n_ids;
	walk->offset = word->offset;
	for (size_t i = 0; i < n_ids; i++) {
		open_term(index, ids[i], field_mask, &walk->cursors[i]);
		*cost += index->terms[ids[i]].n_postings;
	}
	return 0;
}

/* A walk over the slots of value id (NO_ID: none). */
static int open_value(const struct bx_index *index, uint32_t id, struct bx_pool *pool,
                      struct word_walk *walk, double *cost)
{
	walk->n_cursors = id == NO_ID ? 0 : 1;
	walk->cursors = bx_pool_alloc(pool, sizeof *walk->cursors);
	if (!walk->cursors)
		return BX_ENOMEM;
	if (id != NO_ID) {
		const struct value *value = &index->values[id];
		walk->cursors[0] = (struct cursor){.slots = value->slots, .n_slots = value->n_slots,
		                                   .impact = SUBJECT_IMPACT, .max_impact = SUBJECT_IMPACT,
		                                   .field_mask = BX_FIELD_ALL, .count = value->n_slots,
		                                   .bits = value->bits,
		                                   .n_bits = value->n_words,
		                                   .weight = idf(index, (double)value->n_slots)};
		cursor_next(&walk->cursors[0]);
		*cost += (double)value->n_slots;
	}
	return 0;
}

/* Merges the one-word alternatives of a part, alternatives[first..n), into the one at
 * first: an alternative of one word matches where any of its cursors does and scores its
 * best cursor, so one word with all their cursors is the same, and walks faster. */
static int merge_single_words(struct part_walk *walk, size_t first, struct bx_pool *pool)
{
	size_t n_cursors = 0;
	for (size_t a = first; a < walk->n_alternatives; a++)
		n_cursors += walk->alternatives[a].words[0].n_cursors;
	struct cursor *cursors = bx_pool_alloc(pool, n_cursors * sizeof *cursors);
	if (!cursors)
		return BX_ENOMEM;
	size_t at = 0;
	for (size_t a = first; a < walk->n_alternatives; a++) {
		const struct word_walk *word = &walk->alternatives[a].words[0];
		memcpy(cursors + at, word->cursors, word->n_cursors * sizeof *cursors);
		at += word->n_cursors;
	}
	walk->alternatives[first].words[0].cursors = cursors;
	walk->alternatives[first].words[0].n_cursors = n_cursors;
	walk->n_alternatives = first + 1;
	return 0;
}

static size_t word_postings(const struct word_walk *word)
{
	size_t n = 0;
	for (size_t i = 0; i < word->n_cursors; i++)
		n += word->cursors[i].count;
	return n;
}

/* Puts a phrase's words in order of their postings, the rarest first: its positions are
 * checked from there (phrase_matches). Each word keeps its offset. */
static void rarest_first(struct word_walk *words, size_t n_words)
{
	for (size_t w = 1; w < n_words; w++) {
		struct word_walk word = words[w];
		size_t at = w, postings = word_postings(&word);
		for (; at > 0 && word_postings(&words[at - 1]) > postings; at--)
			words[at] = words[at - 1];
		words[at] = word;
	}
}

/* Sets ids[0..*n) to the terms of word's forms that the index has; false when one of
 * them is not pairable. */
static bool pairable_forms(const struct bx_index *index, const struct bx_match_word *word, uint32_t *ids, size_t *n)
{
	*n = 0;
	for (int f = 0; f < word->n_forms; f++) {
		size_t length = strlen(word->forms[f]);
		uint32_t id = bx_index_find_term(index, word->forms[f], length);
		if (id != NO_ID && !bx_word_set_has(&index->pairable, word->forms[f], length))
			return false;
		if (id != NO_ID)
			ids[(*n)++] = id;
	}
	return true;
}

/* Whether match is a phrase of pairable words, one after the other, in every field:
 * then its pairs find where it stands. */
static bool has_pairs(const struct bx_index *index, const struct bx_match_alternative *match)
{
	if (!index->pairable.n || match->prefix || match->fields || match->subject || match->n_words < 2)
		return false;
	uint32_t ids[BX_MATCH_MAX_FORMS];
	size_t n;
	for (size_t w = 0; w < match->n_words; w++)
		if ((w && match->words[w].offset != match->words[w - 1].offset + 1) ||
		    !pairable_forms(index, &match->words[w], ids, &n))
			return false;
	return true;
}

/* Opens the pair of the phrase's word w and the next: a cursor for each pair of their
 * forms that the index has. */
static int open_pair(const struct bx_index *index, const struct bx_match_alternative *match, size_t w,
                     struct bx_pool *pool, struct word_walk *pair)
{
	uint32_t first[BX_MATCH_MAX_FORMS], second[BX_MATCH_MAX_FORMS];
	size_t n_first, n_second;
	pairable_forms(index, &match->words[w], first, &n_first);
	pairable_forms(index, &match->words[w + 1], second, &n_second);
	*pair = (struct word_walk){.offset = match->words[w].offset};
	pair->cursors = bx_pool_alloc(pool, (n_first * n_second + 1) * sizeof *pair->cursors);
	if (!pair->cursors)
		return BX_ENOMEM;
	for (size_t a = 0; a < n_first; a++)
		for (size_t b = 0; b < n_second; b++) {
			const struct term *x = &index->terms[first[a]], *y = &index->terms[second[b]];
			char text[2 * BX_TOKEN_MAX + 1];   /* pairable words are no longer (may_pair) */
			if (x->length + 1 + y->length > sizeof text)
				continue;
			memcpy(text, index->term_text + x->text_at, x->length);
			text[x->length] = PAIR_SEPARATOR;
			memcpy(text + x->length + 1, index->term_text + y->text_at, y->length);
			uint32_t id = bx_index_find_term(index, text, x->length + 1 + y->length);
			if (id != NO_ID)
				open_term(index, id, BX_FIELD_ALL, &pair->cursors[pair->n_cursors++]);
		}
	return 0;
}

static int open_part(const struct bx_index *index, const struct bx_match_part *part,
                     struct bx_pool *pool, struct part_walk *walk)
{
	walk->exclude = part->exclude;
	walk->alternatives = bx_pool_alloc(pool, part->n_alternatives * sizeof *walk->alternatives);
	if (!walk->alternatives)
		return BX_ENOMEM;
	/* phrases first, then the one-word alternatives, which are merged into one */
	size_t n_phrases = 0;
	for (size_t a = 0; a < part->n_alternatives; a++)
		n_phrases += !part->alternatives[a].subject && part->alternatives[a].n_words > 1;
	size_t next_phrase = 0, next_single = n_phrases;
	walk->n_alternatives = part->n_alternatives;
	for (size_t a = 0; a < part->n_alternatives; a++) {
		const struct bx_match_alternative *match = &part->alternatives[a];
		/* a subject is one word of one cursor; no words at all, one word of none */
		size_t n_words = match->subject || !match->n_words ? 1 : match->n_words;
		size_t n_pairs = has_pairs(index, match) ? (n_words + 1) / 2 : 0;
		struct alternative_walk *alternative = &walk->alternatives[n_words > 1 ? next_phrase++ : next_single++];
		alternative->words = bx_pool_alloc(pool, (n_words + n_pairs) * sizeof *alternative->words);
		if (!alternative->words)
			return BX_ENOMEM;
		alternative->n_words = n_words;
		alternative->pairs = alternative->words + n_words;
		alternative->n_pairs = n_pairs;
		alternative->checked = NO_ID;
		uint8_t mask = (uint8_t)(match->fields ? match->fields : BX_FIELD_ALL);
		int rc = 0;
		if (match->subject)
			rc = open_value(index, bx_index_find_value(index, BX_FACET_SUBJECT, match->subject), pool,
			                &alternative->words[0], &walk->cost);
		for (size_t w = 0; w < match->n_words && !match->subject && !rc; w++)
			rc = open_word(index, &match->words[w], match->prefix, mask, pool,
			               &alternative->words[w], &walk->cost);
		for (size_t k = 0; k < n_pairs && !rc; k++)   /* words 0-1, 2-3, …, and the last two */
			rc = open_pair(index, match, 2 * k + 2 <= n_words ? 2 * k : n_words - 2, pool, &alternative->pairs[k]);
		if (rc)
			return rc;
		rarest_first(alternative->words, n_words);
		rarest_first(alternative->pairs, n_pairs);
	}
	return part->n_alternatives - n_phrases > 1 ? merge_single_words(walk, n_phrases, pool) : 0;
}

/* A filter as a part: its values' slot lists, any of which matches. Walked like the
 * query's words, a selective filter leads the walk and the words' lists seek past the
 * records it excludes. */
static int open_filter(const struct bx_index *index, const uint32_t *ids, size_t n_ids,
                       struct bx_pool *pool, struct part_walk *walk)
{
	*walk = (struct part_walk){.filter = true, .n_alternatives = n_ids};
	walk->alternatives = bx_pool_alloc(pool, n_ids * sizeof *walk->alternatives);
	if (!walk->alternatives)
		return BX_ENOMEM;
	for (size_t a = 0; a < n_ids; a++) {
		struct alternative_walk *alternative = &walk->alternatives[a];
		alternative->words = bx_pool_alloc(pool, sizeof *alternative->words);
		if (!alternative->words)
			return BX_ENOMEM;
		alternative->n_words = 1;
		alternative->checked = NO_ID;
		int rc = open_value(index, ids[a], pool, &alternative->words[0], &walk->cost);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- the page: a heap of the best hits so far ---- */

struct hit {
	uint32_t slot;
	uint8_t fields;
	double score;
};

struct ranking {
	const struct bx_index *index;
	bool by_relevance;
	enum bx_sort sort;
	struct hit *heap;     /* the worst kept hit at the root */
	size_t n, capacity;
};

/* Does a rank before b? */
static bool ranks_before(const struct ranking *ranking, const struct hit *a, const struct hit *b)
{
	if (ranking->by_relevance && a->score != b->score)
		return a->score > b->score;
	const struct doc *x = &ranking->index->docs[a->slot], *y = &ranking->index->docs[b->slot];
	if (!ranking->by_relevance) {
		int32_t x_date = ranking->index->slots[a->slot].date, y_date = ranking->index->slots[b->slot].date;
		int order = 0;
		switch (ranking->sort) {
		case BX_SORT_DATE_DESC:
		case BX_SORT_DATE_ASC:
			if (x_date != y_date) {
				if (!x_date || !y_date)
					return y_date == 0;
				return ranking->sort == BX_SORT_DATE_DESC ? x_date > y_date : x_date < y_date;
			}
			break;
		case BX_SORT_TITLE:
			order = strcmp(x->sort_title, y->sort_title);
			break;
		case BX_SORT_UPDATED:
			order = -strcmp(x->updated ? x->updated : "", y->updated ? y->updated : "");
			break;
		}
		if (order)
			return order < 0;
	}
	return strcmp(x->id, y->id) < 0;
}

static void sift_down(struct ranking *ranking, size_t at)
{
	for (;;) {
		size_t worst = at, left = 2 * at + 1, right = left + 1;
		if (left < ranking->n && ranks_before(ranking, &ranking->heap[worst], &ranking->heap[left]))
			worst = left;
		if (right < ranking->n && ranks_before(ranking, &ranking->heap[worst], &ranking->heap[right]))
			worst = right;
		if (worst == at)
			return;
		struct hit swap = ranking->heap[at];
		ranking->heap[at] = ranking->heap[worst];
		ranking->heap[worst] = swap;
		at = worst;
	}
}

static void offer(struct ranking *ranking, struct hit hit)
{
	if (!ranking->capacity)
		return;
	if (ranking->n < ranking->capacity) {
		size_t at = ranking->n++;
		ranking->heap[at] = hit;
		while (at && ranks_before(ranking, &ranking->heap[(at - 1) / 2], &ranking->heap[at])) {
			struct hit swap = ranking->heap[at];
			ranking->heap[at] = ranking->heap[(at - 1) / 2];
			ranking->heap[(at - 1) / 2] = swap;
			at = (at - 1) / 2;
		}
	} else if (ranks_before(ranking, &hit, &ranking->heap[0])) {
		ranking->heap[0] = hit;
		sift_down(ranking, 0);
	}
}

/* ---- filters and visibility ---- */

struct filter {
	uint32_t ids[BX_MAX_FILTER_VALUES];
	size_t n;
};

struct search {
	struct bx_index *index;
	struct bx_pool *pool;
	const struct bx_index_query *query;
	struct filter filters[BX_MAX_FILTERS + 3];
	size_t n_filters;
	uint32_t see_country;      /* value id, NO_ID for none */
	uint32_t language;         /* value id of the boosted language */
	int current_year;
	/* The matches facets are counted over: a walk's slots while they are few, then (past
	 * FORWARD_MATCHES) a bitmap of them; search_bitmaps' bitmap. */
	uint32_t *matched;
	size_t n_matched;
	uint64_t *match_bits;
	size_t n_match_words;
	uint32_t *counts;          /* per value, filled at the end */
	int rc;
	struct ranking ranking;
	int64_t total;
};

static void add_filter(struct search *search, int kind, const char *const *values, size_t n_values)
{
	struct filter *filter = &search->filters[search->n_filters++];
	for (size_t v = 0; v < n_values && filter->n < BX_MAX_FILTER_VALUES; v++) {
		uint32_t id = kind < 0 ? NO_ID : bx_index_find_value(search->index, kind, values[v]);
		if (id != NO_ID)
			filter->ids[filter->n++] = id;
	}
}

static void set_filters(struct search *search)
{
	const struct bx_list_query *list = search->query->list;
	if (list->type)
		add_filter(search, BX_FACET_TYPE, &list->type, 1);
	if (list->year)
		add_filter(search, BX_FACET_YEAR, &list->year, 1);
	if (list->status)
		add_filter(search, BX_FACET_STATUS, &list->status, 1);
	for (size_t f = 0; f < list->n_filters; f++)
		add_filter(search, bx_facet_kind(list->filters[f].facet), list->filters[f].values,
		           list->filters[f].n_values);
	search->see_country = list->see_country
	                    ? bx_index_find_value(search->index, BX_FACET_COUNTRY, list->see_country) : NO_ID;
}

static bool has_any(const struct bx_index *index, uint32_t slot, const uint32_t *ids, size_t n)
{
	for (uint32_t at = index->value_starts[slot]; at < index->value_starts[slot + 1];) {
		uint32_t value = read_value(index->value_codes, &at);
		for (size_t i = 0; i < n; i++)
			if (value == ids[i])
				return true;
	}
	return false;
}

/* May the searcher see this record? (Filters need no check here: they are parts of the
 * walk, so every match has passed them.) */
static bool admits(const struct search *search, uint32_t slot)
{
	const struct bx_list_query *list = search->query->list;
	const struct slot *hot = &search->index->slots[slot];
	if (!hot->published) {
		const char *author = search->index->docs[slot].author;
		if (!list->status && !list->any_status)
			return false;
		bool visible = list->see_all ||
		               (search->see_country != NO_ID && has_any(search->index, slot, &search->see_country, 1)) ||
		               (list->see_author && author && !strcmp(author, list->see_author));
		if (!visible)
			return false;
	}
	return true;
}

/* A little more for records age years old (0 for this year or later; -1 when undated,
 * and 20 or more, add nothing) and for records in the interface language. */
static double boost_factor(int age, bool in_language)
{
	double factor = 1;
	if (age >= 0 && age < 20)
		factor += 0.1 * (20 - age) / 20.0;
	if (in_language)
		factor += 0.1;
	return factor;
}

/* Above boost_factor's largest value (1.2), whatever the rounding: a bound on every boost. */
#define MOST_BOOST (1.2 * (1 + 1e-9))

static double boost(const struct search *search, const struct slot *hot)
{
	int age = !hot->date ? -1 : search->current_year - hot->date / 10000;
	return boost_factor(hot->date && age < 0 ? 0 : age, search->language != NO_ID && search->language < 32 &&
	                                                    (hot->languages & (1u << search->language)));
}

/* Keeps slot among the matches facets are counted over. */
static void remember_match(struct search *search, uint32_t slot)
{
	if (!search->match_bits && search->n_matched < FORWARD_MATCHES) {
		search->matched[search->n_matched++] = slot;
		return;
	}
	if (!search->match_bits) {
		search->n_match_words = search->index->n_docs / 64 + 1;
		search->match_bits = calloc(search->n_match_words, sizeof *search->match_bits);
		if (!search->match_bits) {
			search->rc = BX_ENOMEM;
			search->n_matched = 0;
			return;
		}
		for (size_t i = 0; i < search->n_matched; i++)
			bx_bits_set(search->match_bits, search->matched[i]);
	}
	bx_bits_set(search->match_bits, slot);
}

static void take(struct search *search, uint32_t slot, double score, uint8_t fields)
{
	const struct bx_index *index = search->index;
	const struct slot *hot = &index->slots[slot];
	if (!hot->live || !admits(search, slot))
		return;
	search->total++;
	if (search->query->facets)
		remember_match(search, slot);
	offer(&search->ranking, (struct hit){slot, fields, score * boost(search, hot)});
}

/* Puts the positive parts first, the cheapest leading, and returns how many there are. */
static size_t order_parts(struct part_walk *parts, size_t n_parts)
{
	size_t n_positive = 0;
	for (size_t p = 0; p < n_parts; p++)
		if (!parts[p].exclude) {
			struct part_walk swap = parts[n_positive];
			parts[n_positive] = parts[p];
			parts[p] = swap;
			for (size_t q = n_positive; q > 0 && parts[q].cost < parts[q - 1].cost; q--) {
				swap = parts[q];
				parts[q] = parts[q - 1];
				parts[q - 1] = swap;
			}
			n_positive++;
		}
	return n_positive;
}

/* The score of the positive parts in slot, where every one of them matches. */
static double score_at(struct part_walk *parts, size_t n_positive, uint32_t slot, uint8_t *fields,
                       uint32_t *scratch)
{
	double score = 0;
	for (size_t p = 0; p < n_positive; p++)
		if (!parts[p].filter)
			score += part_score(&parts[p], slot, fields, scratch);
	return score;
}

/* Walks the matches of the parts in slot order. */
static void walk_matches(struct search *search, struct part_walk *parts, size_t n_parts, uint32_t *scratch)
{
	size_t n_positive = order_parts(parts, n_parts);
	if (!n_positive)
		return;
	uint32_t target = 0;
	for (;;) {
		uint32_t slot = part_seek(&parts[0], target);
		if (slot == NO_ID)
			return;
		bool all = true;
		for (size_t p = 1; p < n_positive && all; p++) {
			uint32_t other = part_seek(&parts[p], slot);
			if (other == NO_ID)
				return;
			if (other != slot) {
				target = other;
				all = false;
			}
		}
		if (!all)
			continue;
		target = slot + 1;
		/* every part's words are here: now their positions */
		bool matches = true;
		for (size_t p = 0; p < n_positive && matches; p++)
			matches = part_matches(&parts[p], slot, scratch);
		for (size_t p = n_positive; p < n_parts && matches; p++)
			matches = !(part_seek(&parts[p], slot) == slot && part_matches(&parts[p], slot, scratch));
		if (!matches)
			continue;
		uint8_t fields = 0;
		double score = score_at(parts, n_positive, slot, &fields, scratch);
		take(search, slot, score, fields);
	}
}

struct counted {
	uint32_t value;
	uint32_t count;
};

/* Whether x comes before y in a facet: more records first, then the value indexed first. */
static bool counted_before(const struct counted *x, const struct counted *y)
{
	return x->count != y->count ? x->count > y->count : x->value < y->value;
}

/* Keeps in first[0..*n) the (at most) k values that come first (counted_before), in order. */
static void keep_first(struct counted *first, size_t *n, size_t k, struct counted candidate)
{
	if (*n == k && !counted_before(&candidate, &first[k - 1]))
		return;
	size_t at = *n < k ? (*n)++ : k - 1;
	for (; at > 0 && counted_before(&candidate, &first[at - 1]); at--)
		first[at] = first[at - 1];
	first[at] = candidate;
}

/* Counting the facets' values over the matches costs, in reads of a bitmap word or
 * probes of one bit, about this much for each match counted record by record: where its
 * codes start and the codes are two cache misses, only partly hidden by prefetching
 * (measured here: 35 ns a match against 0.7 ns a word). */
#define FORWARD_MATCH_COST 48
#define PREFETCH_AHEAD 8   /* matches */

/* Counts every value of every match, record by record in slot order, prefetching where
 * the codes of the matches ahead start and then the codes. */
static void count_forward(struct search *search, const uint32_t *matched, size_t n_matched)
{
	const struct bx_index *index = search->index;
	for (size_t i = 0; i < n_matched; i++) {
		if (i + 2 * PREFETCH_AHEAD < n_matched)
			__builtin_prefetch(&index->value_starts[matched[i + 2 * PREFETCH_AHEAD]]);
		if (i + PREFETCH_AHEAD < n_matched)
			__builtin_prefetch(index->value_codes + index->value_starts[matched[i + PREFETCH_AHEAD]]);
		for (uint32_t at = index->value_starts[matched[i]]; at < index->value_starts[matched[i] + 1];)
			search->counts[read_value(index->value_codes, &at)]++;
	}
}

/* count_forward over the matches of the bitmap, taken a batch at a time. */
static void count_forward_bits(struct search *search)
{
	uint32_t batch[256] = {0};
	size_t n = 0;
	for (size_t w = 0; w < search->n_match_words; w++)
		for (uint64_t bits = search->match_bits[w]; bits; bits &= bits - 1) {
			batch[n++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
			if (n == sizeof batch / sizeof batch[0]) {
				count_forward(search, batch, n);
				n = 0;
			}
		}
	count_forward(search, batch, n);
}

/* What counting how many matches have value costs (see FORWARD_MATCH_COST): a probe of
 * the matches' bitmap per slot of the value, or a read of a word of each bitmap. */
static size_t value_cost(const struct search *search, const struct value *value)
{
	return value->bits && search->n_match_words < value->n_slots ? search->n_match_words : value->n_slots;
}

/* The ids of the values of kind, the most records first; sets *n. */
static const uint32_t *values_of(const struct bx_index *index, int kind, size_t *n)
{
	*n = index->by_records ? index->kind_starts[kind + 1] - index->kind_starts[kind] : 0;
	return *n ? index->by_records + index->kind_starts[kind] : NULL;
}

/* Whether counting record by record costs less than counting value by value would (an
 * upper bound: count_by_value may stop early). */
static bool forward_is_cheaper(const struct search *search)
{
	const struct bx_index *index = search->index;
	double forward = (double)search->total * FORWARD_MATCH_COST, by_value = 0;
	for (int kind = 0; kind < BX_FACET_KINDS && by_value < forward; kind++) {
		size_t n = 0;
		const uint32_t *ids = search->query->facets & (1u << kind) ? values_of(index, kind, &n) : NULL;
		for (size_t i = 0; i < n && by_value < forward; i++)
			by_value += (double)value_cost(search, &index->values[ids[i]]);
	}
	return forward <= by_value;
}

/* The bits set in both a[0..n) and b[0..n) (one instruction a word where the build has
 * popcnt: see the Makefile). */
static uint32_t common_bits(const uint64_t *a, const uint64_t *b, size_t n)
{
	uint64_t count = 0;
	for (size_t w = 0; w < n; w++)
		count += (uint64_t)__builtin_popcountll(a[w] & b[w]);
	return (uint32_t)count;
}

/* How many of the matches have value: its bitmap against theirs, or its slots looked up
 * in theirs. */
static uint32_t count_in_matches(const struct search *search, const struct value *value)
{
	const uint64_t *matches = search->match_bits;
	uint32_t count = 0;
	if (value_cost(search, value) < value->n_slots) {
		size_t n_words = value->n_words < search->n_match_words ? value->n_words : search->n_match_words;
		return common_bits(value->bits, matches, n_words);
	}
	for (size_t i = 0; i < value->n_slots; i++) {
		uint32_t slot = value->slots[i];
		count += slot / 64 < search->n_match_words && (matches[slot / 64] >> (slot % 64) & 1);
	}
	return count;
}

/* Counts the values of kind over many matches, the most common values first, and stops
 * once facet_values counts are known that no value left can beat: a value's count is at
 * most its number of records. Values not reached keep a count of 0. */
static void count_by_value(struct search *search, int kind, uint32_t *best)
{
	const struct bx_index *index = search->index;
	size_t n_best = 0, k = (size_t)search->query->facet_values, n;
	const uint32_t *order = values_of(index, kind, &n);
	for (size_t i = 0; i < n; i++) {
		const struct value *value = &index->values[order[i]];
		if (n_best == k && best[k - 1] > value->n_slots)
			break;
		uint32_t count = count_in_matches(search, value);
		search->counts[order[i]] = count;
		if (n_best < k || count > best[n_best - 1]) {   /* keep the k best, largest first */
			size_t at = n_best < k ? n_best++ : k - 1;
			while (at > 0 && best[at - 1] < count) {
				best[at] = best[at - 1];
				at--;
			}
			best[at] = count;
		}
	}
}

/* Fills result->facets: each asked facet's values that have matches, the most frequent
 * first (equal counts in the order the values were first indexed), at most facet_values
 * of each. Returns 0 or BX_ENOMEM. */
static int facet_counts(struct search *search, struct bx_index_result *result)
{
	const struct bx_index *index = search->index;
	size_t k = (size_t)search->query->facet_values;
	struct counted *counted = malloc((k ? k : 1) * sizeof *counted);
	uint32_t *best = malloc((k + 1) * sizeof *best);
	result->facets = malloc(BX_FACET_KINDS * (k ? k : 1) * sizeof *result->facets);
	int rc = counted && best && result->facets && k ? 0 : BX_ENOMEM;
	enum bx_facet_counting counting = index->facet_counting;
	bool by_value = search->match_bits && (counting == BX_FACETS_BY_VALUE ||
	                                       (counting == BX_FACETS_CHEAPER && !forward_is_cheaper(search)));
	if (!rc && !search->match_bits)
		count_forward(search, search->matched, search->n_matched);
	else if (!rc && !by_value)
		count_forward_bits(search);
	for (int kind = 0; kind < BX_FACET_KINDS && !rc; kind++) {
		if (!(search->query->facets & (1u << kind)))
			continue;
		if (by_value)
			count_by_value(search, kind, best);
		size_t n = 0, n_ids;
		const uint32_t *ids = values_of(index, kind, &n_ids);
		for (size_t i = 0; i < n_ids; i++)
			if (search->counts[ids[i]])
				keep_first(counted, &n, k, (struct counted){ids[i], search->counts[ids[i]]});
		for (size_t i = 0; i < n; i++)
			result->facets[result->n_facets++] = (struct bx_facet_count){
				kind, index->values[counted[i].value].text, counted[i].count};
	}
	free(counted);
	free(best);
	return rc;
}

/* ---- many matches: the matches as a bitmap, scored 64 slots at a time ----
 *
 * When the leading part has many postings, the matches are found as bitmaps: a dense
 * word's slots are its bitmap, a rarer one's are read from its postings, a phrase's are
 * confirmed by its positions only where the matches so far are; they are ANDed with the
 * public records' bitmap and the filters'. The total is their popcount and the facets
 * are counted over them. Then the matches are scored a bitmap word (64 slots) at a time,
 * each cursor adding to the slots it has there: a dense word reads the impacts at its
 * postings' ranks, a rarer one its postings from where it stood. docs/search-index.md,
 * "Many matches". */

/* Each cursor of the part, for saving and restoring where they stand. */
static size_t part_cursors(struct part_walk *part, struct cursor *copy, bool restore)
{
	size_t n = 0;
	for (size_t a = 0; a < part->n_alternatives; a++)
		for (size_t w = 0; w < part->alternatives[a].n_words + part->alternatives[a].n_pairs; w++) {
			struct word_walk *word = &part->alternatives[a].words[w];
			if (copy)
				memcpy(restore ? word->cursors : copy + n, restore ? copy + n : word->cursors,
				       word->n_cursors * sizeof *copy);
			n += word->n_cursors;
		}
	return n;
}

static void part_rewind(struct part_walk *part, const struct cursor *saved)
{
	part_cursors(part, (struct cursor *)saved, true);
	for (size_t a = 0; a < part->n_alternatives; a++) {
		part->alternatives[a].started = false;
		part->alternatives[a].at = 0;
		part->alternatives[a].checked = NO_ID;
	}
}

static uint32_t count_bits(const uint64_t *bits, uint32_t n)
{
	return common_bits(bits, bits, n);
}

static bool has_phrase(const struct part_walk *part)
{
	for (size_t a = 0; a < part->n_alternatives; a++)
		if (part->alternatives[a].n_words > 1)
			return true;
	return false;
}

/* Sets in bits the slots of c, at least those within has: its bitmap when it has one and
 * counts every field; else its postings, all of them, or, when within has far fewer
 * slots, sought one by one at within's slots. */
static void add_cursor_slots(const struct cursor *c, const uint64_t *within, uint32_t n_within,
                             uint64_t *bits, uint32_t n_words)
{
	if (c->bits && c->field_mask == BX_FIELD_ALL && c->slot != NO_ID) {
		uint32_t n = c->n_bits < n_words ? c->n_bits : n_words;
		for (uint32_t w = 0; w < n; w++)
			bits[w] |= c->bits[w];
		return;
	}
	struct cursor walk = *c;
	if (c->count <= (size_t)n_within * 8) {
		for (; walk.slot != NO_ID; cursor_next(&walk))
			bx_bits_set(bits, walk.slot);
		return;
	}
	for (uint32_t slot = next_bit(within, n_words, 0); slot != NO_ID; ) {
		cursor_seek(&walk, slot);
		if (walk.slot == NO_ID)
			return;
		if (walk.slot == slot)
			bx_bits_set(bits, slot);
		slot = next_bit(within, n_words, walk.slot == slot ? slot + 1 : walk.slot);
	}
}

/* Sets in the phrase's bits (and in bits) the slots of within where it matches, and
 * keeps its score there: where all its words are (their slots ANDed as bitmaps, in
 * candidates, with word_bits to spare), its positions read there. Returns 0 or
 * BX_ENOMEM. */
static int add_phrase_slots(struct search *search, struct alternative_walk *phrase, const uint64_t *within,
                            uint64_t *bits, uint32_t n_words, uint64_t *candidates, uint64_t *word_bits,
                            uint32_t *scratch)
{
	memcpy(candidates, within, n_words * sizeof *candidates);
	size_t n_where = phrase->n_pairs ? phrase->n_pairs : phrase->n_words;   /* pairs hold their words */
	for (size_t w = 0; w < n_where; w++) {
		const struct word_walk *word = phrase->n_pairs ? &phrase->pairs[w] : &phrase->words[w];
		uint32_t n_candidates = count_bits(candidates, n_words);
		memset(word_bits, 0, n_words * sizeof *word_bits);
		for (size_t i = 0; i < word->n_cursors; i++)
			add_cursor_slots(&word->cursors[i], candidates, n_candidates, word_bits, n_words);
		for (uint32_t i = 0; i < n_words; i++)
			candidates[i] &= word_bits[i];
	}
	phrase->bits = bx_pool_alloc(search->pool, n_words * sizeof *phrase->bits);
	phrase->matched = bx_pool_alloc(search->pool, (count_bits(candidates, n_words) + 1) * sizeof *phrase->matched);
	if (!phrase->bits || !phrase->matched)
		return BX_ENOMEM;
	size_t n_matched = 0;
	for (uint32_t slot = next_bit(candidates, n_words, 0); slot != NO_ID; slot = next_bit(candidates, n_words, slot + 1)) {
		for (size_t w = 0; w < phrase->n_words + (phrase->n_pairs > 1 ? phrase->n_pairs : 0); w++)
			word_seek(&phrase->words[w], slot);
		if (!phrase_matches(phrase, slot, scratch))
			continue;
		bx_bits_set(phrase->bits, slot);
		bx_bits_set(bits, slot);
		struct phrase_match *match = &phrase->matched[n_matched++];
		match->slot = slot;
		match->fields = 0;
		match->score = alternative_score(phrase, slot, &match->fields);
	}
	phrase->matched[n_matched].slot = NO_ID;
	phrase->next_matched = 0;
	return 0;
}

/* Sets in bits the slots where the part matches, at least those within has, and in each
 * phrase's bits those where it does; leaves its cursors where they were. */
static int add_part_slots(struct search *search, struct part_walk *part, const uint64_t *within, uint64_t *bits,
                          uint32_t n_words, uint32_t *scratch)
{
	struct cursor *saved = malloc((part_cursors(part, NULL, false) + 1) * sizeof *saved);
	bool phrases = has_phrase(part);
	uint64_t *candidates = phrases ? malloc(2 * n_words * sizeof *candidates) : NULL;
	int rc = saved && (candidates || !phrases) ? 0 : BX_ENOMEM;
	if (!rc)
		part_cursors(part, saved, false);
	uint32_t n_within = rc ? 0 : count_bits(within, n_words);
	for (size_t a = 0; a < part->n_alternatives && !rc; a++) {
		struct alternative_walk *alternative = &part->alternatives[a];
		if (alternative->n_words == 1) {
			for (size_t i = 0; i < alternative->words[0].n_cursors; i++)
				add_cursor_slots(&alternative->words[0].cursors[i], within, n_within, bits, n_words);
		} else {
			rc = add_phrase_slots(search, alternative, within, bits, n_words, candidates, candidates + n_words,
			                      scratch);
		}
	}
	if (saved)
		part_rewind(part, saved);
	free(saved);
	free(candidates);
	return rc;
}

/* The scores of the matches of one bitmap word, by bit. */
struct word_scores {
	double sum[64];      /* of the parts scored so far */
	double part[64];     /* of the part being scored: its best alternative so far */
	uint8_t fields[64];
};

/* Keeps score for bit j of the part being scored if it is its best so far. */
static void keep_best(struct word_scores *scores, int j, double score, uint8_t fields)
{
	if (score > scores->part[j])
		scores->part[j] = score;
	scores->fields[j] |= fields;
}

/* What c adds to the slots of mask in bitmap word w: a dense word's impacts at the ranks
 * of its postings there, a rarer one's postings read on from where it stood. */
static void cursor_scores(struct cursor *c, uint32_t w, uint64_t mask, struct word_scores *scores)
{
	if (c->heads) {
		uint64_t bits = w < c->n_bits ? c->bits[w] : 0, hits = bits & mask;
		if (!hits)
			return;
		rank_at_word(c, w);
		for (; hits; hits &= hits - 1) {
			int j = __builtin_ctzll(hits);
			struct posting_head head = c->heads[rank_at_bit(c, bits, j)];
			if (head.fields & c->field_mask)
				keep_best(scores, j, c->weight * head.impact, head.fields);
		}
		return;
	}
	uint32_t end = w * 64 + 64;
	for (cursor_seek(c, w * 64); c->slot < end; cursor_next(c))
		if (mask >> (c->slot % 64) & 1)
			keep_best(scores, (int)(c->slot % 64), c->weight * c->impact, c->slots ? 0 : c->fields);
}

/* What the phrase adds to the slots of mask in bitmap word w where it matched. */
static void phrase_scores(struct alternative_walk *phrase, uint32_t w, uint64_t mask, struct word_scores *scores)
{
	for (uint64_t hits = mask & phrase->bits[w]; hits; hits &= hits - 1) {
		int j = __builtin_ctzll(hits);
		uint32_t slot = w * 64 + (uint32_t)j;
		while (phrase->matched[phrase->next_matched].slot < slot)
			phrase->next_matched++;
		const struct phrase_match *match = &phrase->matched[phrase->next_matched];
		keep_best(scores, j, match->score, match->fields);
	}
}

/* The page's worst score once it is full: what a record must beat to enter it. */
static bool page_full(const struct ranking *ranking, double *worst)
{
	if (ranking->n < ranking->capacity)
		return false;
	*worst = ranking->heap[0].score;
	return true;
}

/* The highest impact c has in the slots of bitmap word w (0: none there): of the blocks
 * of a dense word's postings there, or of all a rarer one's. */
static uint8_t cursor_bound(struct cursor *c, uint32_t w)
{
	if (!c->heads) {
		cursor_seek(c, w * 64);
		return c->slot / 64 == w ? c->max_impact : 0;
	}
	uint64_t bits = w < c->n_bits ? c->bits[w] : 0;
	if (!bits)
		return 0;
	if (!c->n_skips)
		return c->max_impact;
	rank_at_word(c, w);
	uint32_t last = (c->rank_before + (uint32_t)__builtin_popcountll(bits) - 1) / SKIP_EVERY;
	uint8_t most = 0;
	for (uint32_t block = c->rank_before / SKIP_EVERY; block <= last; block++)
		if (c->skips[block].max_impact > most)
			most = c->skips[block].max_impact;
	return most;
}

/* The most the scored parts can add in a slot of bitmap word w (before the boost). */
static double word_bound(struct part_walk *parts, size_t n_positive, uint32_t w)
{
	double sum = 0;
	for (size_t p = 0; p < n_positive; p++) {
		if (parts[p].filter)
			continue;
		double best = 0;
		for (size_t a = 0; a < parts[p].n_alternatives; a++) {
			struct alternative_walk *alternative = &parts[p].alternatives[a];
			double alternative_sum = 0;
			for (size_t k = 0; k < alternative->n_words; k++) {
				double word_best = 0;
				for (size_t i = 0; i < alternative->words[k].n_cursors; i++) {
					struct cursor *c = &alternative->words[k].cursors[i];
					double most = c->weight * cursor_bound(c, w);
					if (most > word_best)
						word_best = most;
				}
				alternative_sum += word_best;
			}
			if (alternative_sum > best)
				best = alternative_sum;
		}
		sum += part_bm25(best);
	}
	return sum * (1 + 1e-9);   /* above every score it bounds, whatever the rounding */
}

/* Checking a word's bound costs about as much as scoring it, and for a common word most
 * checks skip nothing (84% of them over the benchmark's queries at 100,000 records): a
 * bound that failed to skip is checked again only after 1, 3, 7 ... (at most this many)
 * words while it keeps failing. */
#define BOUND_WAIT_MOST 63

/* Scores every match that can reach the page and offers it: a bitmap word is skipped
 * when the highest impacts of its words' blocks there cannot beat the page's worst. */
static void rank_matches(struct search *search, struct part_walk *parts, size_t n_positive,
                         const uint64_t *matches, uint32_t n_words)
{
	struct word_scores scores;
	uint32_t failures = 0, wait = 0;   /* of the bound, in a row; words until it is checked again */
	for (uint32_t w = 0; w < n_words; w++) {
		uint64_t mask = matches[w];
		double worst;
		if (!mask)
			continue;
		if (wait) {
			wait--;
		} else if (page_full(&search->ranking, &worst)) {
			if (word_bound(parts, n_positive, w) * MOST_BOOST < worst) {
				failures = 0;
				continue;
			}
			failures = failures < BOUND_WAIT_MOST ? 2 * failures + 1 : failures;
			wait = failures;
		}
		for (uint64_t bits = mask; bits; bits &= bits - 1) {
			int j = __builtin_ctzll(bits);
			scores.sum[j] = 0;
			scores.fields[j] = 0;
		}
		for (size_t p = 0; p < n_positive; p++) {
			if (parts[p].filter)
				continue;
			for (uint64_t bits = mask; bits; bits &= bits - 1)
				scores.part[__builtin_ctzll(bits)] = 0;
			for (size_t a = 0; a < parts[p].n_alternatives; a++) {
				struct alternative_walk *alternative = &parts[p].alternatives[a];
				if (alternative->n_words > 1)
					phrase_scores(alternative, w, mask, &scores);
				else
					for (size_t i = 0; i < alternative->words[0].n_cursors; i++)
						cursor_scores(&alternative->words[0].cursors[i], w, mask, &scores);
			}
			for (uint64_t bits = mask; bits; bits &= bits - 1) {
				int j = __builtin_ctzll(bits);
				scores.sum[j] += part_bm25(scores.part[j]);
			}
		}
		bool full = page_full(&search->ranking, &worst);
		for (uint64_t bits = mask; bits; bits &= bits - 1) {
			int j = __builtin_ctzll(bits);
			uint32_t slot = w * 64 + (uint32_t)j;
			if (full && scores.sum[j] * MOST_BOOST < worst)
				continue;
			offer(&search->ranking, (struct hit){slot, scores.fields[j],
			                                     scores.sum[j] * boost(search, &search->index->slots[slot])});
			full = page_full(&search->ranking, &worst);
		}
	}
}

/* Finds the matches as a bitmap, counts them, scores them, and leaves them for the
 * facets. Returns 0 or BX_ENOMEM. */
static int search_bitmaps(struct search *search, struct part_walk *parts, size_t n_parts, uint32_t *scratch)
{
	const struct bx_index *index = search->index;
	size_t n_positive = order_parts(parts, n_parts);
	uint32_t n_words = (uint32_t)(index->n_docs / 64 + 1);
	uint64_t *matches = calloc(n_words, sizeof *matches), *part_bits = malloc(n_words * sizeof *part_bits);
	int rc = matches && part_bits ? 0 : BX_ENOMEM;
	if (!rc)
		memcpy(matches, index->public_bits,
		       (index->public_words < n_words ? index->public_words : n_words) * sizeof *matches);
	/* the parts of single words first, then those with phrases, then the exclusions: each
	 * read only where the matches so far are, once there are few of them */
	for (int round = 0; round < 3 && !rc; round++)
		for (size_t p = 0; p < n_parts && !rc; p++) {
			if ((parts[p].exclude ? 2 : has_phrase(&parts[p])) != round)
				continue;
			memset(part_bits, 0, n_words * sizeof *part_bits);
			rc = add_part_slots(search, &parts[p], matches, part_bits, n_words, scratch);
			for (uint32_t w = 0; w < n_words && !rc; w++)
				matches[w] &= parts[p].exclude ? ~part_bits[w] : part_bits[w];
		}
	free(part_bits);
	if (!rc) {
		search->total = count_bits(matches, n_words);
		rank_matches(search, parts, n_positive, matches, n_words);
	}
	if (!rc && search->query->facets) {
		search->match_bits = matches;   /* freed with the search */
		search->n_match_words = n_words;
		return 0;
	}
	free(matches);
	return rc;
}

void bx_index_set_bitmaps_from(struct bx_index *index, double postings)
{
	pthread_rwlock_wrlock(&index->lock);
	index->bitmaps_from = postings;
	pthread_rwlock_unlock(&index->lock);
}

void bx_index_set_facet_counting(struct bx_index *index, enum bx_facet_counting counting)
{
	pthread_rwlock_wrlock(&index->lock);
	index->facet_counting = counting;
	pthread_rwlock_unlock(&index->lock);
}

void bx_index_result_clear(struct bx_index_result *result)
{
	for (size_t i = 0; i < result->n_hits; i++)
		free(result->hits[i].id);
	free(result->hits);
	free(result->facets);
	memset(result, 0, sizeof *result);
}

static int page_of(struct search *search, struct bx_index_result *result)
{
	struct ranking *ranking = &search->ranking;
	/* empty the heap worst first, filling the sorted list from its end */
	struct hit *sorted = malloc((ranking->n ? ranking->n : 1) * sizeof *sorted);
	if (!sorted)
		return BX_ENOMEM;
	size_t n = ranking->n;
	for (size_t i = n; i > 0; i--) {
		sorted[i - 1] = ranking->heap[0];
		ranking->heap[0] = ranking->heap[--ranking->n];
		sift_down(ranking, 0);
	}
	size_t offset = (size_t)search->query->list->offset;
	size_t n_page = n > offset ? n - offset : 0;
	result->hits = calloc(n_page ? n_page : 1, sizeof *result->hits);
	int rc = result->hits ? 0 : BX_ENOMEM;
	for (size_t i = 0; i < n_page && !rc; i++) {
		result->hits[i].score = sorted[offset + i].score;
		result->hits[i].fields = sorted[offset + i].fields;
		if (!(result->hits[i].id = strdup(search->index->docs[sorted[offset + i].slot].id)))
			rc = BX_ENOMEM;
		result->n_hits = i + 1;
	}
	free(sorted);
	return rc;
}

int bx_index_search(struct bx_index *index, const struct bx_index_query *query,
                    struct bx_index_result *result)
{
	memset(result, 0, sizeof *result);
	const struct bx_list_query *list = query->list;
	struct bx_pool pool = {0};
	time_t now = time(NULL);
	struct tm today;
	gmtime_r(&now, &today);
	struct search search = {
		.index = index, .pool = &pool, .query = query, .current_year = today.tm_year + 1900,
		.ranking = {.index = index, .by_relevance = query->by_relevance, .sort = list->sort},
	};
	size_t wanted = list->limit > 0 ? (size_t)list->offset + (size_t)list->limit : 0;
	uint32_t *scratch = malloc(2 * MAX_PHRASE_POSITIONS * sizeof *scratch);
	int rc = scratch ? 0 : BX_ENOMEM;

	pthread_rwlock_rdlock(&index->lock);
	search.ranking.capacity = wanted < index->n_docs ? wanted : index->n_docs;
	search.ranking.heap = bx_pool_alloc(&pool, search.ranking.capacity * sizeof *search.ranking.heap);
	if (query->facets) {
		search.counts = bx_pool_alloc(&pool, index->n_values * sizeof *search.counts);
		search.matched = bx_pool_alloc(&pool, FORWARD_MATCHES * sizeof *search.matched);
	}
	if (!search.ranking.heap || (query->facets && (!search.counts || !search.matched)))
		rc = BX_ENOMEM;
	search.language = query->language
	                ? bx_index_find_value(index, BX_FACET_LANGUAGE, query->language) : NO_ID;
	set_filters(&search);
	size_t n_parts = query->has_match ? query->n_parts : 0;
	struct part_walk *parts = rc ? NULL : bx_pool_alloc(&pool, (n_parts + search.n_filters) * sizeof *parts);
	if (!rc && !parts)
		rc = BX_ENOMEM;
	for (size_t p = 0; p < n_parts && !rc; p++)
		rc = open_part(index, &query->parts[p], &pool, &parts[p]);
	for (size_t f = 0; f < search.n_filters && !rc; f++)
		rc = open_filter(index, search.filters[f].ids, search.filters[f].n, &pool, &parts[n_parts + f]);
	bool asks_words = false;   /* a query of exclusions only matches nothing */
	double lead = INFINITY;    /* the postings of the cheapest positive part */
	for (size_t p = 0; p < n_parts + search.n_filters && !rc; p++) {
		asks_words = asks_words || (p < n_parts && !query->parts[p].exclude);
		if (!parts[p].exclude && parts[p].cost < lead)
			lead = parts[p].cost;
	}
	bool by_bitmaps = asks_words && query->by_relevance && !list->status && !list->any_status &&
	                  lead >= index->bitmaps_from;
	if (!rc && by_bitmaps)
		rc = search_bitmaps(&search, parts, n_parts + search.n_filters, scratch);
	else if (!rc && (asks_words || (!query->has_match && search.n_filters)))
		walk_matches(&search, parts, n_parts + search.n_filters, scratch);
	else if (!rc && !query->has_match)
		for (uint32_t slot = 0; slot < index->n_docs; slot++)
			take(&search, slot, 0, 0);
	if (!rc)
		rc = search.rc;
	if (!rc)
		rc = page_of(&search, result);
	if (!rc) {
		result->total = search.total;
		if (query->facets)
			rc = facet_counts(&search, result);
	}
	pthread_rwlock_unlock(&index->lock);

	free(search.match_bits);
	free(scratch);
	bx_pool_free(&pool);
	if (rc)
		bx_index_result_clear(result);
	return rc;
}
