/* The search index (see index.h): its tables, and sync, which reads the store's changes,
 * analyzes them outside the lock and applies each batch under it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/record.h"
#include "core/validate.h"
#include "search/index_internal.h"
#include "text/analyze.h"
#include "text/tokenize.h"
#include "text/tokenizers.h"
#include "util/grow.h"

#define SYNC_BATCH 256
#define POSITION_GAP 100        /* between two lstring values, so phrases do not span them */
#define PAIR_SAMPLE_RUNS 64     /* places in the store's changes the pairable words are chosen from */
#define PAIR_SAMPLE_RUN 64      /* changes read at each */

static const char *const facet_names[BX_FACET_KINDS] = {
	"type", "instrument", "country", "region", "target", "subject", "language", "year", "status",
};
static const double field_weights[3] = {3.0, 1.5, 1.0};

const char *bx_facet_name(enum bx_facet_kind kind)
{
	return kind < BX_FACET_KINDS ? facet_names[kind] : NULL;
}

int bx_facet_kind(const char *name)
{
	for (int kind = 0; kind < BX_FACET_KINDS; kind++)
		if (!strcmp(name, facet_names[kind]))
			return kind;
	return -1;
}

uint32_t bx_index_hash(const char *key, size_t length, uint32_t salt)
{
	uint32_t hash = 2166136261u ^ salt;
	for (size_t i = 0; i < length; i++)
		hash = (hash ^ (uint8_t)key[i]) * 16777619u;
	return hash;
}

/* ---- id tables ---- */

/* Whether id's key is key[0..length), and the hash of id's key; context is what holds
 * the keys (the index, or the analysis of a record). */
typedef bool (*key_equals_fn)(const void *context, uint32_t id, const char *key, size_t length);
typedef uint32_t (*key_hash_fn)(const void *context, uint32_t id);

/* The cell holding the id whose key is key[0..length), or the empty cell where it would
 * go. The table must have cells. */
static uint32_t *table_cell(const void *context, const struct id_table *table, uint32_t hash,
                            const char *key, size_t length, key_equals_fn equals)
{
	size_t mask = table->capacity - 1;
	for (size_t at = hash & mask;; at = (at + 1) & mask) {
		uint32_t *cell = &table->cells[at];
		if (!*cell || equals(context, *cell - 1, key, length))
			return cell;
	}
}

static uint32_t table_find(const void *context, const struct id_table *table, uint32_t hash,
                           const char *key, size_t length, key_equals_fn equals)
{
	if (!table->capacity)
		return NO_ID;
	uint32_t cell = *table_cell(context, table, hash, key, length, equals);
	return cell ? cell - 1 : NO_ID;
}

/* Adds id under hash (its key must not be there yet), growing the table as needed. */
static int table_add(const void *context, struct id_table *table, uint32_t hash, uint32_t id,
                     key_hash_fn rehash)
{
	if ((table->count + 1) * 4 > table->capacity * 3) {
		size_t capacity = table->capacity ? table->capacity * 2 : 1024;
		uint32_t *cells = calloc(capacity, sizeof *cells);
		if (!cells)
			return BX_ENOMEM;
		for (size_t i = 0; i < table->capacity; i++) {
			uint32_t cell = table->cells[i];
			if (!cell)
				continue;
			size_t at = rehash(context, cell - 1) & (capacity - 1);
			while (cells[at])
				at = (at + 1) & (capacity - 1);
			cells[at] = cell;
		}
		free(table->cells);
		table->cells = cells;
		table->capacity = capacity;
	}
	size_t mask = table->capacity - 1, at = hash & mask;
	while (table->cells[at])
		at = (at + 1) & mask;
	table->cells[at] = id + 1;
	table->count++;
	return 0;
}

enum { SALT_TERM = 0, SALT_DOC = 0x9e3779b9u };

static bool term_equals(const void *context, uint32_t id, const char *key, size_t length)
{
	const struct bx_index *index = context;
	const struct term *term = &index->terms[id];
	return term->length == length && !memcmp(index->term_text + term->text_at, key, length);
}

static uint32_t term_hash(const void *context, uint32_t id)
{
	const struct bx_index *index = context;
	const struct term *term = &index->terms[id];
	return bx_index_hash(index->term_text + term->text_at, term->length, SALT_TERM);
}

static bool doc_equals(const void *context, uint32_t id, const char *key, size_t length)
{
	return !strcmp(((const struct bx_index *)context)->docs[id].id, key);
}

static uint32_t doc_hash(const void *context, uint32_t id)
{
	const char *key = ((const struct bx_index *)context)->docs[id].id;
	return bx_index_hash(key, strlen(key), SALT_DOC);
}

/* ---- word sets ---- */

static bool set_word_equals(const void *context, uint32_t id, const char *key, size_t length)
{
	const struct word_set *set = context;
	return set->words[id].length == length && !memcmp(set->text + set->words[id].at, key, length);
}

static uint32_t set_word_hash(const void *context, uint32_t id)
{
	const struct word_set *set = context;
	return bx_index_hash(set->text + set->words[id].at, set->words[id].length, SALT_TERM);
}

/* Adds text[0..length) to set (not there yet). Returns 0 or BX_ENOMEM. */
static int word_set_add(struct word_set *set, const char *text, size_t length)
{
	if (BX_RESERVE(set->text, set->text_capacity, set->text_size, length) ||
	    BX_RESERVE(set->words, set->capacity, set->n, 1) ||
	    table_add(set, &set->table, bx_index_hash(text, length, SALT_TERM), (uint32_t)set->n, set_word_hash))
		return BX_ENOMEM;
	memcpy(set->text + set->text_size, text, length);
	set->words[set->n].at = (uint32_t)set->text_size;
	set->words[set->n++].length = (uint32_t)length;
	set->text_size += length;
	return 0;
}

bool bx_word_set_has(const struct word_set *set, const char *text, size_t length)
{
	return set->n && table_find(set, &set->table, bx_index_hash(text, length, SALT_TERM), text, length,
	                            set_word_equals) != NO_ID;
}

static void word_set_free(struct word_set *set)
{
	free(set->text);
	free(set->words);
	free(set->table.cells);
}

static bool value_equals(const void *context, uint32_t id, const char *key, size_t length)
{
	const struct value *value = &((const struct bx_index *)context)->values[id];
	return value->kind == length && !strcmp(value->text, key);
}

static uint32_t value_hash(const void *context, uint32_t id)
{
	const struct value *value = &((const struct bx_index *)context)->values[id];
	return bx_index_hash(value->text, strlen(value->text), value->kind + 1);
}

uint32_t bx_index_find_term(const struct bx_index *index, const char *text, size_t length)
{
	return table_find(index, &index->term_table, bx_index_hash(text, length, SALT_TERM), text,
	                  length, term_equals);
}

/* The value's key is its text; its kind travels as the "length" argument. */
uint32_t bx_index_find_value(const struct bx_index *index, int kind, const char *text)
{
	return table_find(index, &index->value_table, bx_index_hash(text, strlen(text), (uint32_t)kind + 1),
	                  text, (size_t)kind, value_equals);
}

static int intern_term(struct bx_index *index, const char *text, size_t length, uint32_t *out)
{
	uint32_t hash = bx_index_hash(text, length, SALT_TERM);
	uint32_t id = table_find(index, &index->term_table, hash, text, length, term_equals);
	if (id != NO_ID) {
		*out = id;
		return 0;
	}
	if (BX_RESERVE(index->terms, index->terms_capacity, index->n_terms, 1) ||
	    BX_RESERVE(index->term_text, index->term_text_capacity, index->term_text_size, length + 1))
		return BX_ENOMEM;
	id = (uint32_t)index->n_terms;
	index->terms[id] = (struct term){.text_at = (uint32_t)index->term_text_size, .length = (uint32_t)length};
	memcpy(index->term_text + index->term_text_size, text, length);
	index->term_text[index->term_text_size + length] = '\0';
	index->term_text_size += length + 1;
	index->n_terms++;
	*out = id;
	return table_add(index, &index->term_table, hash, id, term_hash);
}

static int intern_value(struct bx_index *index, int kind, const char *text, uint32_t *out)
{
	uint32_t hash = bx_index_hash(text, strlen(text), (uint32_t)kind + 1);
	uint32_t id = table_find(index, &index->value_table, hash, text, (size_t)kind, value_equals);
	if (id != NO_ID) {
		*out = id;
		return 0;
	}
	if (BX_RESERVE(index->values, index->values_capacity, index->n_values, 1))
		return BX_ENOMEM;
	char *copy = strdup(text);
	if (!copy)
		return BX_ENOMEM;
	id = (uint32_t)index->n_values++;
	index->values[id] = (struct value){.kind = (uint8_t)kind, .text = copy};
	*out = id;
	return table_add(index, &index->value_table, hash, id, value_hash);
}

static void sync_state_free(struct bx_index_sync_state *state);

int bx_index_new(struct bx_index **out)
{
	struct bx_index *index = calloc(1, sizeof *index);
	if (!index)
		return BX_ENOMEM;
	index->bitmaps_from = BITMAPS_FROM;
	index->pairs_from = PAIRS_FROM;
	pthread_rwlock_init(&index->lock, NULL);
	pthread_mutex_init(&index->sync_lock, NULL);
	*out = index;
	return 0;
}

void bx_index_free(struct bx_index *index)
{
	if (!index)
		return;
	for (size_t i = 0; i < index->n_terms; i++) {
		free(index->terms[i].postings);
		free(index->terms[i].skips);
		free(index->terms[i].bits);
		free(index->terms[i].heads);
		free(index->terms[i].marks);
	}
	for (size_t i = 0; i < index->n_docs; i++) {
		struct doc *doc = &index->docs[i];
		free(doc->id);
		free(doc->sort_title);
		free(doc->updated);
		free(doc->author);
	}
	for (size_t i = 0; i < index->n_values; i++) {
		free(index->values[i].text);
		free(index->values[i].slots);
		free(index->values[i].bits);
	}
	free(index->terms);
	free(index->term_text);
	free(index->term_table.cells);
	free(index->docs);
	free(index->slots);
	free(index->public_bits);
	free(index->doc_table.cells);
	free(index->value_codes);
	free(index->value_starts);
	free(index->values);
	free(index->by_records);
	free(index->value_table.cells);
	word_set_free(&index->pairable);
	sync_state_free(index->sync_state);
	pthread_rwlock_destroy(&index->lock);
	pthread_mutex_destroy(&index->sync_lock);
	free(index);
}

void bx_index_stats(struct bx_index *index, struct bx_index_stats *stats)
{
	pthread_rwlock_rdlock(&index->lock);
	*stats = (struct bx_index_stats){.seq = index->seq, .records = index->n_live,
	                                 .slots = (int64_t)index->n_docs, .terms = (int64_t)index->n_terms,
	                                 .text_bytes = index->text_bytes,
	                                 .postings_bytes = index->postings_bytes,
	                                 .pairable = (int64_t)index->pairable.n};
	pthread_rwlock_unlock(&index->lock);
}

/* ---- analysis of one record, outside the lock ---- */

/* A word of the record being analyzed: where its text is, its frequency per field. */
struct word {
	uint32_t text_at, length;
	uint32_t tf[3];
	uint8_t fields;
	uint32_t first_position;   /* index into the analysis' occurrences */
	uint32_t n_positions;
	bool pairable;
};

/* A change analyzed and ready to apply. */
struct pending {
	char *id;
	char *json;                /* the stored record, until analyzed */
	int64_t seq;
	bool deleted;
	bool published;
	char *sort_title, *updated, *author;
	int32_t date;
	struct { int kind; char *text; } *values;
	size_t n_values, values_capacity;
	uint8_t *postings;         /* per word: u16 length, text, impact, fields, varint n, positions */
	size_t postings_size, postings_capacity;
	uint32_t field_length[3];
	int64_t text_bytes;
};

/* The state of analyzing records: tokenizers by language and scratch tables. */
struct analysis {
	const struct word_set *pairable;   /* the index's, which do not change once chosen */
	double average_length[3];          /* of the fields, in the index when the batch was read */
	struct bx_tokenizers *tokenizers;
	/* the current record's words */
	struct word *words;
	size_t n_words, words_capacity;
	char *text;
	size_t text_size, text_capacity;
	struct id_table word_table;
	struct { uint32_t word, position, field; } *occurrences;
	size_t n_occurrences, occurrences_capacity;
	uint32_t *sorted_positions;
	size_t sorted_capacity;
	uint8_t *encoded;      /* one word's positions, as varint deltas */
	size_t encoded_capacity;
	char *pair;            /* a pair's text */
	size_t pair_capacity;
	/* where the tokenizer is */
	int field;
	uint32_t position;
	bool started;
};

/* A batch of changes read from the store, analyzed by ANALYZERS threads. */
#define ANALYZERS 2
#define THREADED_BATCH 32     /* smaller batches are analyzed on the calling thread */
struct batch {
	struct pending *changes;
	size_t n, capacity;
};

struct analyzer_job {
	struct analysis analysis;
	struct batch *batch;
	size_t first, step;        /* analyzes changes first, first + step, ... */
	int rc;
};

static void analysis_free(struct analysis *analysis)
{
	bx_tokenizers_free(analysis->tokenizers);
	free(analysis->words);
	free(analysis->text);
	free(analysis->word_table.cells);
	free(analysis->occurrences);
	free(analysis->sorted_positions);
	free(analysis->encoded);
	free(analysis->pair);
}

static void analysis_reset_record(struct analysis *analysis)
{
	analysis->n_words = 0;
	analysis->text_size = 0;
	analysis->n_occurrences = 0;
	analysis->position = 0;
	analysis->started = false;
	/* a table grown for a long document is let go rather than cleared for every short one */
	struct id_table *table = &analysis->word_table;
	if (table->capacity > 4096 && table->count * 16 < table->capacity) {
		free(table->cells);
		*table = (struct id_table){0};
	} else if (table->count) {
		memset(table->cells, 0, table->capacity * sizeof *table->cells);
		table->count = 0;
	}
}

static bool word_equals(const void *context, uint32_t id, const char *key, size_t length)
{
	const struct analysis *analysis = context;
	const struct word *word = &analysis->words[id];
	return word->length == length && !memcmp(analysis->text + word->text_at, key, length);
}

static uint32_t word_hash(const void *context, uint32_t id)
{
	const struct analysis *analysis = context;
	const struct word *word = &analysis->words[id];
	return bx_index_hash(analysis->text + word->text_at, word->length, SALT_TERM);
}

/* Adds an occurrence of token, at position in field, to the record's words; pairs may
 * say whether the word is pairable (a pair is not). */
static int add_occurrence(struct analysis *analysis, const char *token, size_t length, uint32_t position,
                          uint32_t field, bool pairs)
{
	uint32_t hash = bx_index_hash(token, length, SALT_TERM);
	uint32_t w = table_find(analysis, &analysis->word_table, hash, token, length, word_equals);
	if (w == NO_ID) {
		if (BX_RESERVE(analysis->words, analysis->words_capacity, analysis->n_words, 1) ||
		    BX_RESERVE(analysis->text, analysis->text_capacity, analysis->text_size, length))
			return BX_ENOMEM;
		w = (uint32_t)analysis->n_words++;
		analysis->words[w] = (struct word){.text_at = (uint32_t)analysis->text_size, .length = (uint32_t)length,
		                                   .pairable = pairs && bx_word_set_has(analysis->pairable, token, length)};
		memcpy(analysis->text + analysis->text_size, token, length);
		analysis->text_size += length;
		if (table_add(analysis, &analysis->word_table, hash, w, word_hash))
			return BX_ENOMEM;
	}
	struct word *word = &analysis->words[w];
	word->tf[field]++;
	word->fields |= (uint8_t)(1u << field);
	if (BX_RESERVE(analysis->occurrences, analysis->occurrences_capacity, analysis->n_occurrences, 1))
		return BX_ENOMEM;
	analysis->occurrences[analysis->n_occurrences++] = (typeof(*analysis->occurrences)){w, position, field};
	return 0;
}

static int add_token(void *context, int flags, const char *token, int length, int start, int end)
{
	struct analysis *analysis = context;
	if (analysis->started && !(flags & BX_TOKEN_COLOCATED))
		analysis->position++;
	analysis->started = true;
	return add_occurrence(analysis, token, (size_t)length, analysis->position, (uint32_t)analysis->field, true);
}

/* Adds the pair of words first and second at position in field. */
static int add_pair(struct analysis *analysis, uint32_t first, uint32_t second, uint32_t position, uint32_t field)
{
	const struct word *a = &analysis->words[first], *b = &analysis->words[second];
	size_t length = a->length + 1 + b->length;
	if (BX_RESERVE(analysis->pair, analysis->pair_capacity, 0, length))
		return BX_ENOMEM;
	memcpy(analysis->pair, analysis->text + a->text_at, a->length);
	analysis->pair[a->length] = PAIR_SEPARATOR;
	memcpy(analysis->pair + a->length + 1, analysis->text + b->text_at, b->length);
	return add_occurrence(analysis, analysis->pair, length, position, field, false);
}

/* Adds the record's pairs: each pairable word with each pairable word at the next
 * position (the occurrences come in the order of their positions). */
static int add_pairs(struct analysis *analysis)
{
	size_t n = analysis->n_occurrences;
	int rc = 0;
	for (size_t i = 0, next; i < n && !rc; i = next) {
		uint32_t position = analysis->occurrences[i].position;
		next = i;
		while (next < n && analysis->occurrences[next].position == position)
			next++;
		size_t after = next;
		while (after < n && analysis->occurrences[after].position == position + 1)
			after++;
		for (size_t a = i; a < next && !rc; a++) {
			if (!analysis->words[analysis->occurrences[a].word].pairable)
				continue;
			for (size_t b = next; b < after && !rc; b++)
				if (analysis->words[analysis->occurrences[b].word].pairable)
					rc = add_pair(analysis, analysis->occurrences[a].word, analysis->occurrences[b].word, position,
					              analysis->occurrences[a].field);
		}
	}
	return rc;
}

/* Tokenizes one lstring value into the current record's words. */
static int analyze_text(struct analysis *analysis, int field, const char *language, const char *text,
                        struct pending *pending)
{
	struct bx_tokenizer *tokenizer = bx_tokenizers_get(analysis->tokenizers, language);
	if (!tokenizer)
		return BX_ENOMEM;
	if (analysis->started)
		analysis->position += POSITION_GAP;
	uint32_t before = analysis->position;
	bool started = analysis->started;
	analysis->field = field;
	size_t length = strlen(text);
	pending->text_bytes += (int64_t)length;
	int rc = bx_tokenizer_run(tokenizer, text, (int)length, add_token, analysis);
	pending->field_length[field] += analysis->position - before + (analysis->started && !started);
	return rc;
}

/* Is value an lstring: a non-empty object of language tags to strings? */
static bool is_lstring(const json_t *value)
{
	if (!json_is_object(value) || !json_object_size(value))
		return false;
	const char *key;
	json_t *text;
	json_object_foreach((json_t *)value, key, text)
		if (!json_is_string(text) || !bx_is_language_tag(key))
			return false;
	return true;
}

static int analyze_lstring(struct analysis *analysis, int field, const json_t *lstring,
                           struct pending *pending)
{
	const char *language;
	json_t *text;
	int rc = 0;
	json_object_foreach((json_t *)lstring, language, text)
		if (!rc)
			rc = analyze_text(analysis, field, language, json_string_value(text), pending);
	return rc;
}

/* Every lstring found under value, as text. */
static int analyze_fields(struct analysis *analysis, const json_t *value, struct pending *pending, int depth)
{
	if (depth > 16)
		return 0;
	if (is_lstring(value))
		return analyze_lstring(analysis, 2, value, pending);
	int rc = 0;
	if (json_is_object(value)) {
		const char *key;
		json_t *item;
		json_object_foreach((json_t *)value, key, item)
			if (!rc)
				rc = analyze_fields(analysis, item, pending, depth + 1);
	} else if (json_is_array(value)) {
		size_t i;
		json_t *item;
		json_array_foreach(value, i, item)
			if (!rc)
				rc = analyze_fields(analysis, item, pending, depth + 1);
	}
	return rc;
}

/* The impact of a word in a record: BM25F's saturated, length-normalized frequency
 * (docs/search-index.md), as 1..255. */
static uint8_t impact_of(const double average_length[3], const struct pending *pending, const struct word *word)
{
	double weighted = 0;
	for (int f = 0; f < 3; f++) {
		if (!word->tf[f])
			continue;
		double average = average_length[f];
		double ratio = average > 0 ? pending->field_length[f] / average : 1;
		weighted += field_weights[f] * word->tf[f] / (1 - BM25_B + BM25_B * ratio);
	}
	long impact = lround(weighted / (BM25_K1 + weighted) * IMPACT_MAX);
	return (uint8_t)(impact < 1 ? 1 : impact > IMPACT_MAX ? IMPACT_MAX : impact);
}

static int pending_put(struct pending *pending, const void *bytes, size_t n)
{
	if (BX_RESERVE(pending->postings, pending->postings_capacity, pending->postings_size, n))
		return BX_ENOMEM;
	memcpy(pending->postings + pending->postings_size, bytes, n);
	pending->postings_size += n;
	return 0;
}

/* Writes the record's words, with impacts and positions, into pending->postings. */
static int encode_words(struct analysis *analysis, struct pending *pending)
{
	/* group the occurrences by word (a counting sort keeps each word's positions in order) */
	for (size_t w = 0; w < analysis->n_words; w++)
		analysis->words[w].n_positions = 0;
	for (size_t i = 0; i < analysis->n_occurrences; i++)
		analysis->words[analysis->occurrences[i].word].n_positions++;
	uint32_t at = 0;
	for (size_t w = 0; w < analysis->n_words; w++) {
		analysis->words[w].first_position = at;
		at += analysis->words[w].n_positions;
		analysis->words[w].n_positions = 0;
	}
	if (BX_RESERVE(analysis->sorted_positions, analysis->sorted_capacity, 0, analysis->n_occurrences))
		return BX_ENOMEM;
	for (size_t i = 0; i < analysis->n_occurrences; i++) {
		struct word *word = &analysis->words[analysis->occurrences[i].word];
		analysis->sorted_positions[word->first_position + word->n_positions++] = analysis->occurrences[i].position;
	}
	int rc = 0;
	for (size_t w = 0; w < analysis->n_words && !rc; w++) {
		const struct word *word = &analysis->words[w];
		const uint32_t *positions = analysis->sorted_positions + word->first_position;
		if (BX_RESERVE(analysis->encoded, analysis->encoded_capacity, 0, (size_t)word->n_positions * 5))
			return BX_ENOMEM;
		size_t encoded = 0;
		uint32_t previous = 0;
		for (uint32_t p = 0; p < word->n_positions; p++) {
			if (p && positions[p] == previous)
				continue;   /* two forms of one word at one place */
			encoded += varint_put(analysis->encoded + encoded, positions[p] - previous);
			previous = positions[p];
		}
		uint16_t length = (uint16_t)word->length;
		uint8_t head[2 + 5] = {impact_of(analysis->average_length, pending, word), word->fields};
		size_t head_size = 2 + varint_put(head + 2, (uint32_t)encoded);
		rc = pending_put(pending, &length, sizeof length);
		if (!rc)
			rc = pending_put(pending, analysis->text + word->text_at, word->length);
		if (!rc)
			rc = pending_put(pending, head, head_size);
		if (!rc)
			rc = pending_put(pending, analysis->encoded, encoded);
	}
	return rc;
}

static int add_pending_value(struct pending *pending, int kind, const char *text)
{
	if (!text || !*text)
		return 0;
	if (BX_RESERVE(pending->values, pending->values_capacity, pending->n_values, 1))
		return BX_ENOMEM;
	char *copy = strdup(text);
	if (!copy)
		return BX_ENOMEM;
	pending->values[pending->n_values].kind = kind;
	pending->values[pending->n_values++].text = copy;
	return 0;
}

static int add_facet_value(void *context, const char *name, const char *value)
{
	int kind = bx_facet_kind(name);
	return kind < 0 ? 0 : add_pending_value(context, kind, value);
}

/* yyyymmdd of "2021", "2021-05" or "2021-05-03"; 0 for anything else. */
static int32_t date_key(const char *date)
{
	if (!date || strlen(date) < 4 || strspn(date, "0123456789") < 4)
		return 0;
	int32_t year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
	int32_t month = 0, day = 0;
	if (date[4] == '-' && strspn(date + 5, "0123456789") >= 2) {
		month = (date[5] - '0') * 10 + (date[6] - '0');
		if (date[7] == '-' && strspn(date + 8, "0123456789") >= 2)
			day = (date[8] - '0') * 10 + (date[9] - '0');
	}
	return year * 10000 + month * 100 + day;
}

static char *title_for_sorting(const json_t *record)
{
	const json_t *title = json_object_get(record, "title");
	const json_t *english = json_object_get(title, "en");
	if (english)
		return strdup(json_string_value(english));
	void *first = json_object_iter((json_t *)title);
	return strdup(first ? json_string_value(json_object_iter_value(first)) : "");
}

static char *strdup_or_null(const char *text)
{
	return text ? strdup(text) : NULL;
}

static int analyze_record(struct analysis *analysis, const json_t *record, struct pending *pending)
{
	const json_t *meta = json_object_get(record, "meta");
	const char *date = json_string_value(json_object_get(record, "date"));
	const char *status = json_string_value(json_object_get(record, "status"));
	pending->published = status && !strcmp(status, "published");
	pending->date = date_key(date);
	pending->sort_title = title_for_sorting(record);
	pending->updated = strdup_or_null(json_string_value(json_object_get(meta, "updated")));
	pending->author = strdup_or_null(json_string_value(json_object_get(meta, "author")));
	if (!pending->sort_title)
		return BX_ENOMEM;
	char year[5] = {0};
	if (pending->date)
		memcpy(year, date, 4);
	int rc = add_pending_value(pending, BX_FACET_TYPE, json_string_value(json_object_get(record, "type")));
	if (!rc)
		rc = add_pending_value(pending, BX_FACET_STATUS, status);
	if (!rc)
		rc = add_pending_value(pending, BX_FACET_YEAR, year);
	if (!rc)
		rc = bx_record_each_facet(record, add_facet_value, pending);

	analysis_reset_record(analysis);
	static const char *const fields[3] = {"title", "summary", "text"};
	for (int f = 0; f < 3 && !rc; f++)
		if (is_lstring(json_object_get(record, fields[f])))
			rc = analyze_lstring(analysis, f, json_object_get(record, fields[f]), pending);
	if (!rc)
		rc = analyze_fields(analysis, json_object_get(record, "fields"), pending, 0);
	if (!rc && analysis->pairable->n)
		rc = add_pairs(analysis);
	if (!rc)
		rc = encode_words(analysis, pending);
	return rc;
}

static void pending_clear(struct pending *pending)
{
	free(pending->id);
	free(pending->json);
	free(pending->sort_title);
	free(pending->updated);
	free(pending->author);
	for (size_t i = 0; i < pending->n_values; i++)
		free(pending->values[i].text);
	free(pending->values);
	free(pending->postings);
	memset(pending, 0, sizeof *pending);
}

static int collect_change(void *context, const struct bx_stored *stored)
{
	struct batch *batch = context;
	if (BX_RESERVE(batch->changes, batch->capacity, batch->n, 1))
		return BX_ENOMEM;
	struct pending *pending = &batch->changes[batch->n++];
	memset(pending, 0, sizeof *pending);
	pending->seq = stored->seq;
	pending->deleted = stored->deleted;
	pending->id = strdup(stored->id);
	pending->json = stored->deleted ? NULL : strdup(stored->json);
	return pending->id && (stored->deleted || pending->json) ? 0 : BX_ENOMEM;
}

static void *analyze_share(void *argument)
{
	struct analyzer_job *job = argument;
	for (size_t i = job->first; i < job->batch->n && !job->rc; i += job->step) {
		struct pending *pending = &job->batch->changes[i];
		if (pending->deleted)
			continue;
		json_t *record = json_loads(pending->json, 0, NULL);
		job->rc = record ? analyze_record(&job->analysis, record, pending) : BX_EIO;
		json_decref(record);
		free(pending->json);
		pending->json = NULL;
	}
	return NULL;
}

/* Analyzes every change of the batch, on ANALYZERS threads when it is big enough, with
 * the fields' average lengths given. */
static int analyze_batch(struct analyzer_job jobs[ANALYZERS], struct batch *batch, const double average_length[3])
{
	size_t n_jobs = batch->n >= THREADED_BATCH ? ANALYZERS : 1;
	pthread_t threads[ANALYZERS];
	bool started[ANALYZERS] = {false};
	for (size_t j = 0; j < n_jobs; j++) {
		memcpy(jobs[j].analysis.average_length, average_length, sizeof jobs[j].analysis.average_length);
		jobs[j].batch = batch;
		jobs[j].first = j;
		jobs[j].step = n_jobs;
		jobs[j].rc = 0;
		if (j > 0)
			started[j] = pthread_create(&threads[j], NULL, analyze_share, &jobs[j]) == 0;
	}
	analyze_share(&jobs[0]);
	int rc = jobs[0].rc;
	for (size_t j = 1; j < n_jobs; j++) {
		if (started[j])
			pthread_join(threads[j], NULL);
		else
			analyze_share(&jobs[j]);   /* no thread to be had: analyze here */
		if (!rc)
			rc = jobs[j].rc;
	}
	return rc;
}

/* Reads the changes after a given one, a batch of them, and analyzes them: on a thread of
 * its own while the batch before is applied (bx_index_sync). */
struct batch_reader {
	struct bx_store *store;
	int64_t after;
	double average_length[3];
	struct batch *batch;
	struct analyzer_job *jobs;
	int rc;
};

static void *read_batch(void *argument)
{
	struct batch_reader *reader = argument;
	struct batch *batch = reader->batch;
	batch->n = 0;
	reader->rc = bx_store_each_change(reader->store, reader->after, SYNC_BATCH, collect_change, batch);
	if (!reader->rc && batch->n)
		reader->rc = analyze_batch(reader->jobs, batch, reader->average_length);
	return NULL;
}

static void clear_batch(struct batch *batch)
{
	for (size_t i = 0; i < batch->n; i++)
		pending_clear(&batch->changes[i]);
	batch->n = 0;
}

/* ---- applying a batch, under the write lock ---- */

static void retire_slot(struct bx_index *index, uint32_t slot)
{
	if (!index->slots[slot].live)
		return;
	index->slots[slot].live = 0;
	if (index->slots[slot].published)
		index->public_bits[slot / 64] &= ~(1ull << (slot % 64));
	index->n_live--;
	for (int f = 0; f < 3; f++)
		index->field_length[f] -= index->docs[slot].field_length[f];
}

int bx_bits_cover(uint64_t **bits, uint32_t *n_words, uint32_t slot)
{
	uint32_t wanted = slot / 64 + 1;
	if (wanted <= *n_words)
		return 0;
	uint32_t grown = *n_words ? *n_words : 16;
	while (grown < wanted)
		grown *= 2;
	uint64_t *more = realloc(*bits, grown * sizeof *more);
	if (!more)
		return BX_ENOMEM;
	memset(more + *n_words, 0, (grown - *n_words) * sizeof *more);
	*bits = more;
	*n_words = grown;
	return 0;
}

/* The head of the posting whose bytes after its slot are rest (impact, fields, the
 * positions' length and positions); sets *next past them. */
static struct posting_head read_head(const uint8_t *rest, const uint8_t **next)
{
	uint32_t position_bytes;
	const uint8_t *positions = varint_get(rest + 2, &position_bytes);
	*next = positions + position_bytes;
	return (struct posting_head){rest[0], rest[1], position_signature(positions, position_bytes)};
}

/* Sets the bit of the term's last slot, keeps its head and, every MARK_EVERY postings,
 * where it starts (at); makes them all from its postings when it has no bitmap yet. */
static int set_term_bits(struct term *term, struct posting_head head, uint32_t at)
{
	bool fresh = !term->bits;
	size_t rank = term->n_postings - 1;
	if (bx_bits_cover(&term->bits, &term->n_words, term->last_slot) ||
	    BX_RESERVE(term->heads, term->heads_capacity, fresh ? 0 : rank, fresh ? term->n_postings : 1) ||
	    BX_RESERVE(term->marks, term->marks_capacity, term->n_marks, fresh ? rank / MARK_EVERY + 1 : 1)) {
		/* searched by its postings alone until they can all be made again */
		free(term->bits), free(term->heads), free(term->marks);
		term->bits = NULL, term->heads = NULL, term->marks = NULL;
		term->n_words = 0, term->heads_capacity = 0, term->n_marks = 0, term->marks_capacity = 0;
		return BX_ENOMEM;
	}
	if (!fresh) {
		bx_bits_set(term->bits, term->last_slot);
		term->heads[rank] = head;
		if (rank % MARK_EVERY == 0)
			term->marks[term->n_marks++] = at;
		return 0;
	}
	const uint8_t *next = term->postings, *end = next + term->size;
	uint32_t slot = 0;
	for (rank = 0; next < end; rank++) {
		if (rank % MARK_EVERY == 0)
			term->marks[term->n_marks++] = (uint32_t)(next - term->postings);
		uint32_t delta;
		next = varint_get(next, &delta);
		slot += delta;
		bx_bits_set(term->bits, slot);
		term->heads[rank] = read_head(next, &next);
	}
	return 0;
}

static int append_posting(struct bx_index *index, struct term *term, uint32_t slot, const uint8_t *rest,
                          size_t rest_size)
{
	uint8_t impact = rest[0];
	if (term->n_postings % SKIP_EVERY == 0 && term->n_postings) {
		if (BX_RESERVE(term->skips, term->skips_capacity, term->n_skips, 2))
			return BX_ENOMEM;
		if (!term->n_skips) {   /* the first block's, now that there is a second */
			uint32_t first;
			varint_get(term->postings, &first);
			term->skips[term->n_skips++] = (struct skip){first, 0, 0, term->max_impact};
		}
		term->skips[term->n_skips++] = (struct skip){slot, term->last_slot, (uint32_t)term->size, impact};
	} else if (term->n_skips && impact > term->skips[term->n_skips - 1].max_impact) {
		term->skips[term->n_skips - 1].max_impact = impact;
	}
	if (impact > term->max_impact)
		term->max_impact = impact;
	uint32_t at = (uint32_t)term->size;
	uint8_t head[8];
	size_t head_size = varint_put(head, slot - term->last_slot);
	if (BX_RESERVE(term->postings, term->capacity, term->size, head_size + rest_size))
		return BX_ENOMEM;
	memcpy(term->postings + term->size, head, head_size);
	memcpy(term->postings + term->size + head_size, rest, rest_size);
	term->size += head_size + rest_size;
	index->postings_bytes += (int64_t)(head_size + rest_size);
	term->last_slot = slot;
	term->n_postings++;
	bool dense = term->n_postings >= DENSE_TERM && (size_t)term->n_postings * DENSE_TERM_SHARE >= index->n_docs;
	const uint8_t *next;
	return term->bits || dense ? set_term_bits(term, read_head(rest, &next), at) : 0;
}

/* Reads the word of an analyzed record's postings at *at (encode_words): its text and
 * length, and where the rest of its posting starts; moves *at past it. */
static const uint8_t *next_word(const uint8_t **at, const char **text, uint16_t *length)
{
	memcpy(length, *at, sizeof *length);
	*text = (const char *)*at + sizeof *length;
	const uint8_t *rest = *at + sizeof *length + *length;
	uint32_t position_bytes;
	*at = varint_get(rest + 2, &position_bytes) + position_bytes;
	return rest;
}

static int apply_words(struct bx_index *index, uint32_t slot, const struct pending *pending)
{
	const uint8_t *at = pending->postings, *end = at + pending->postings_size;
	int rc = 0;
	while (at < end && !rc) {
		const char *text;
		uint16_t length;
		const uint8_t *rest = next_word(&at, &text, &length);
		uint32_t term;
		rc = intern_term(index, text, length, &term);
		if (!rc)
			rc = append_posting(index, &index->terms[term], slot, rest, (size_t)(at - rest));
	}
	return rc;
}

/* Sets the bit of value's last slot, making the bitmap from every slot when there is
 * none yet; the bitmap grows with the slots. */
static int set_value_bits(struct value *value)
{
	uint32_t last = value->slots[value->n_slots - 1];
	if (bx_bits_cover(&value->bits, &value->n_words, last))
		return BX_ENOMEM;
	bool fresh = value->n_slots == DENSE_VALUE;
	for (size_t i = fresh ? 0 : value->n_slots - 1; i < value->n_slots; i++)
		bx_bits_set(value->bits, value->slots[i]);
	return 0;
}

static int apply_values(struct bx_index *index, uint32_t slot, struct slot *hot,
                        const struct pending *pending)
{
	if (BX_RESERVE(index->value_codes, index->value_codes_capacity, index->n_value_codes, 3 * pending->n_values))
		return BX_ENOMEM;
	index->value_starts[slot] = (uint32_t)index->n_value_codes;
	for (size_t i = 0; i < pending->n_values; i++) {
		uint32_t id;
		if (intern_value(index, pending->values[i].kind, pending->values[i].text, &id))
			return BX_ENOMEM;
		struct value *value = &index->values[id];
		if (BX_RESERVE(value->slots, value->capacity, value->n_slots, 1))
			return BX_ENOMEM;
		value->slots[value->n_slots++] = slot;
		if ((value->bits || value->n_slots == DENSE_VALUE) && set_value_bits(value))
			return BX_ENOMEM;
		if (id >= WIDE_VALUE) {
			index->value_codes[index->n_value_codes++] = WIDE_VALUE;
			index->value_codes[index->n_value_codes++] = (uint16_t)(id >> 16);
		}
		index->value_codes[index->n_value_codes++] = (uint16_t)id;
		if (value->kind == BX_FACET_LANGUAGE && id < 32)
			hot->languages |= 1u << id;
	}
	index->value_starts[slot + 1] = (uint32_t)index->n_value_codes;
	return 0;
}

static int apply_change(struct bx_index *index, struct pending *pending)
{
	size_t length = strlen(pending->id);
	uint32_t old = table_find(index, &index->doc_table, bx_index_hash(pending->id, length, SALT_DOC),
	                          pending->id, length, doc_equals);
	if (old != NO_ID)
		retire_slot(index, old);
	index->seq = pending->seq;
	index->text_bytes += pending->text_bytes;
	if (pending->deleted)
		return 0;
	if (BX_RESERVE(index->docs, index->docs_capacity, index->n_docs, 1) ||
	    BX_RESERVE(index->slots, index->slots_capacity, index->n_docs, 1) ||
	    BX_RESERVE(index->value_starts, index->value_starts_capacity, index->n_docs + 1, 1))
		return BX_ENOMEM;
	uint32_t slot = (uint32_t)index->n_docs++;
	struct doc *doc = &index->docs[slot];
	*doc = (struct doc){.id = pending->id, .sort_title = pending->sort_title, .updated = pending->updated,
	                    .author = pending->author};
	struct slot *hot = &index->slots[slot];
	*hot = (struct slot){.date = pending->date, .live = 1, .published = pending->published};
	pending->id = pending->sort_title = pending->updated = pending->author = NULL;
	index->n_live++;
	if (hot->published) {
		if (bx_bits_cover(&index->public_bits, &index->public_words, slot))
			return BX_ENOMEM;
		bx_bits_set(index->public_bits, slot);
	}
	for (int f = 0; f < 3; f++) {
		doc->field_length[f] = pending->field_length[f];
		index->field_length[f] += pending->field_length[f];
	}
	int rc = apply_values(index, slot, hot, pending);
	if (!rc)
		rc = apply_words(index, slot, pending);
	if (rc)
		return rc;
	uint32_t hash = bx_index_hash(doc->id, length, SALT_DOC);
	if (old == NO_ID)
		return table_add(index, &index->doc_table, hash, slot, doc_hash);
	*table_cell(index, &index->doc_table, hash, doc->id, length, doc_equals) = slot + 1;   /* the new version */
	return 0;
}

/* What sync keeps between runs (under sync_lock): two batches (one is applied while the
 * next is read and analyzed), each with its array and its analyzers (their tokenizers and
 * scratch tables). */
struct bx_index_sync_state {
	struct batch batches[2];
	struct analyzer_job jobs[2][ANALYZERS];
};

static void sync_state_free(struct bx_index_sync_state *state)
{
	if (!state)
		return;
	for (size_t b = 0; b < 2; b++) {
		for (size_t j = 0; j < ANALYZERS; j++)
			analysis_free(&state->jobs[b][j].analysis);
		free(state->batches[b].changes);
	}
	free(state);
}

static int sync_state_new(struct bx_index *index, struct bx_index_sync_state **out)
{
	struct bx_index_sync_state *state = calloc(1, sizeof *state);
	int rc = state ? 0 : BX_ENOMEM;
	for (size_t b = 0; b < 2 && !rc; b++)
		for (size_t j = 0; j < ANALYZERS && !rc; j++) {
			state->jobs[b][j].analysis.pairable = &index->pairable;
			rc = bx_tokenizers_new(&state->jobs[b][j].analysis.tokenizers);
		}
	if (rc) {
		sync_state_free(state);
		return rc;
	}
	*out = state;
	return 0;
}

/* By kind, then by records (the most first), then by id. */
static int compare_by_records(const void *a, const void *b, void *context)
{
	const struct value *values = context;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (values[x].kind != values[y].kind)
		return values[x].kind < values[y].kind ? -1 : 1;
	if (values[x].n_slots != values[y].n_slots)
		return values[x].n_slots > values[y].n_slots ? -1 : 1;
	return (x > y) - (x < y);
}

/* Puts index->by_records in order again after a batch (write lock held): the values new
 * since the last batch are added at its end, and then each moves back to its place, by
 * insertion. A batch changes few values' places, so this is about one pass over them.
 * Returns 0 or BX_ENOMEM. */
static int order_values(struct bx_index *index)
{
	uint32_t *order = realloc(index->by_records, (index->n_values + 1) * sizeof *order);
	if (!order)
		return BX_ENOMEM;
	index->by_records = order;
	for (size_t v = index->kind_starts[BX_FACET_KINDS]; v < index->n_values; v++)
		order[v] = (uint32_t)v;
	for (size_t i = 1; i < index->n_values; i++) {
		uint32_t id = order[i];
		size_t at = i;
		for (; at > 0 && compare_by_records(&order[at - 1], &id, index->values) > 0; at--)
			order[at] = order[at - 1];
		order[at] = id;
	}
	size_t at = 0;
	for (int kind = 0; kind <= BX_FACET_KINDS; kind++) {
		while (at < index->n_values && index->values[order[at]].kind < kind)
			at++;
		index->kind_starts[kind] = at;
	}
	index->kind_starts[BX_FACET_KINDS] = index->n_values;
	return 0;
}

/* Applies an analyzed batch, under the write lock. */
static int apply_batch(struct bx_index *index, struct batch *batch)
{
	int rc = 0;
	pthread_rwlock_wrlock(&index->lock);
	for (size_t i = 0; i < batch->n && !rc; i++)
		rc = apply_change(index, &batch->changes[i]);
	if (!rc)
		rc = order_values(index);
	pthread_rwlock_unlock(&index->lock);
	return rc;
}

/* The fields' average lengths over the live records, which impacts are relative to.
 * Read by sync alone (which alone applies batches). */
static void average_lengths(const struct bx_index *index, double out[3])
{
	for (int f = 0; f < 3; f++)
		out[f] = index->n_live ? index->field_length[f] / (double)index->n_live : 0;
}

void bx_index_set_pairs_from(struct bx_index *index, int64_t changes)
{
	pthread_mutex_lock(&index->sync_lock);
	index->pairs_from = changes;
	pthread_mutex_unlock(&index->sync_lock);
}

/* Whether a word may be pairable: not one Han character, nor a dictionary word of three
 * or more, which a search never asks for beside a bigram (search.c, use_bigrams); no
 * longer than a form (BX_TOKEN_MAX). */
static bool may_pair(const char *text, size_t length)
{
	int han = bx_han_length(text);
	return length <= BX_TOKEN_MAX && (han == 0 || han == 2);
}

/* Marks pairable the words of one analyzed record of PAIR_SHARE at least in batch (its
 * words are interned now: they are about to be indexed anyway). Write lock held. */
static int mark_pairable(struct bx_index *index, const struct batch *batch)
{
	uint32_t *records = NULL;
	size_t capacity = 0, n_records = 0;
	int rc = 0;
	for (size_t i = 0; i < batch->n && !rc; i++) {
		const struct pending *pending = &batch->changes[i];
		n_records += !pending->deleted;
		const uint8_t *at = pending->postings, *end = at + pending->postings_size;
		while (at < end && !rc) {
			const char *text;
			uint16_t length;
			uint32_t id;
			next_word(&at, &text, &length);
			rc = intern_term(index, text, length, &id);
			if (!rc && id >= capacity) {
				size_t old = capacity;
				rc = BX_RESERVE(records, capacity, id, 1);
				if (!rc)
					memset(records + old, 0, (capacity - old) * sizeof *records);
			}
			if (!rc)
				records[id]++;
		}
	}
	for (size_t id = 0; id < capacity && !rc; id++) {
		const char *text = index->term_text + index->terms[id].text_at;
		if (records[id] && (size_t)records[id] * PAIR_SHARE >= n_records &&
		    may_pair(text, index->terms[id].length))
			rc = word_set_add(&index->pairable, text, index->terms[id].length);
	}
	free(records);
	return rc;
}

/* Chooses the pairable words, once, before the index's first record is applied: when
 * the store has pairs_from changes or more to read, from a sample of them, PAIR_SAMPLE_RUN
 * changes at each of PAIR_SAMPLE_RUNS places spread over them. */
static int choose_pairable(struct bx_index *index, struct bx_store *store, struct bx_index_sync_state *state)
{
	int64_t last = 0;
	int rc = bx_store_last_seq(store, &last);
	if (rc || last - index->seq < index->pairs_from || last <= index->seq)
		return rc;
	struct batch *batch = &state->batches[0];
	double average_length[3];
	average_lengths(index, average_length);
	batch->n = 0;
	for (int run = 0; run < PAIR_SAMPLE_RUNS && !rc; run++)
		rc = bx_store_each_change(store, index->seq + (last - index->seq) * run / PAIR_SAMPLE_RUNS,
		                          PAIR_SAMPLE_RUN, collect_change, batch);
	if (!rc)
		rc = analyze_batch(state->jobs[0], batch, average_length);
	if (!rc) {
		pthread_rwlock_wrlock(&index->lock);
		rc = mark_pairable(index, batch);
		pthread_rwlock_unlock(&index->lock);
	}
	clear_batch(batch);
	return rc;
}

int bx_index_sync(struct bx_index *index, struct bx_store *store)
{
	pthread_mutex_lock(&index->sync_lock);
	int rc = index->sync_state ? 0 : sync_state_new(index, &index->sync_state);
	struct bx_index_sync_state *state = index->sync_state;
	if (!rc && !index->pairs_chosen) {
		index->pairs_chosen = true;
		rc = choose_pairable(index, store, state);
	}
	struct batch_reader now = {.store = store, .after = index->seq};
	if (!rc) {
		now.batch = &state->batches[0];
		now.jobs = state->jobs[0];
		average_lengths(index, now.average_length);
		read_batch(&now);
		rc = now.rc;
	}
	for (int which = 0; !rc && now.batch->n; which = !which) {
		/* a full batch may have more after it: read and analyzed on a thread of its own
		 * while this one is applied, with the averages from before it */
		bool more = now.batch->n == SYNC_BATCH;
		struct batch_reader next = {.store = store, .after = now.batch->changes[now.batch->n - 1].seq,
		                            .batch = &state->batches[!which], .jobs = state->jobs[!which]};
		average_lengths(index, next.average_length);
		pthread_t thread;
		bool started = more && pthread_create(&thread, NULL, read_batch, &next) == 0;
		rc = apply_batch(index, now.batch);
		clear_batch(now.batch);
		if (started)
			pthread_join(thread, NULL);
		else if (more && !rc)
			read_batch(&next);   /* no thread to be had: read here */
		if (!more)
			break;
		if (!rc)
			rc = next.rc;
		now = next;
	}
	for (size_t b = 0; b < 2 && state; b++)
		clear_batch(&state->batches[b]);
	pthread_mutex_unlock(&index->sync_lock);
	return rc;
}
