/* Search (see search.h): a parsed query becomes the index's parts and alternatives. Each
 * word is analyzed as every language would analyze it (records are indexed in their own
 * language, the query's is unknown), Han text becomes its character bigrams, and a word
 * or phrase that is a thesaurus label brings the concept's labels in the other languages
 * and the records tagged with it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "records/records.h"
#include "search/index.h"
#include "search/query.h"
#include "search/search.h"
#include "search/snippet.h"
#include "search/thesaurus.h"
#include "text/tokenize.h"
#include "text/tokenizers.h"
#include "util/grow.h"
#include "util/json.h"
#include "util/pool.h"

#define MAX_WORDS 32             /* words of a phrase that count; the rest is ignored */
#define MAX_ALTERNATIVES 32      /* per part */
#define MAX_CONCEPTS 3           /* thesaurus concepts taken per word or phrase */
#define SNIPPET_CHARS 200
#define SNIPPET_SCAN 4096     /* bytes of a field read for its snippet */

/* The languages a query is analyzed in: none (per script), then each with a stemmer. */
static const char *const query_languages[] = {NULL, "en", "fr", "es", "ru", "ar"};
#define N_QUERY_LANGUAGES (sizeof query_languages / sizeof query_languages[0])

/* The vocabulary that labels each facet's values (NULL: the value is its own label). */
static const char *const facet_vocabularies[BX_FACET_KINDS] = {
	[BX_FACET_TYPE] = "types", [BX_FACET_INSTRUMENT] = "instruments", [BX_FACET_COUNTRY] = "countries",
	[BX_FACET_REGION] = "regions", [BX_FACET_TARGET] = "targets",
	[BX_FACET_SUBJECT] = "subjects", [BX_FACET_LANGUAGE] = "languages",
};

struct bx_search {
	struct bx_node *node;
	struct bx_index *index;
	struct bx_thesaurus *thesaurus;
	pthread_mutex_t labels_lock;
	json_t *labels;      /* {"countries": {"CN": {"en": "China", ...}}}, filled as asked */
	pthread_mutex_t spare_lock;
	struct bx_tokenizers **spare;   /* tokenizer sets not in use, one taken per search */
	size_t n_spare, spare_capacity;
};

/* A set of tokenizers for one search: a spare one, or a new one. NULL when out of memory. */
static struct bx_tokenizers *take_tokenizers(struct bx_search *search)
{
	struct bx_tokenizers *tokenizers = NULL;
	pthread_mutex_lock(&search->spare_lock);
	if (search->n_spare)
		tokenizers = search->spare[--search->n_spare];
	pthread_mutex_unlock(&search->spare_lock);
	if (!tokenizers && bx_tokenizers_new(&tokenizers))
		return NULL;
	return tokenizers;
}

static void give_back_tokenizers(struct bx_search *search, struct bx_tokenizers *tokenizers)
{
	if (!tokenizers)
		return;
	pthread_mutex_lock(&search->spare_lock);
	if (!BX_RESERVE(search->spare, search->spare_capacity, search->n_spare, 1)) {
		search->spare[search->n_spare++] = tokenizers;
		tokenizers = NULL;
	}
	pthread_mutex_unlock(&search->spare_lock);
	bx_tokenizers_free(tokenizers);
}

int bx_search_open(struct bx_node *node, struct bx_search **out)
{
	*out = NULL;
	struct bx_search *search = calloc(1, sizeof *search);
	if (!search)
		return BX_ENOMEM;
	search->node = node;
	search->labels = json_object();
	pthread_mutex_init(&search->labels_lock, NULL);
	pthread_mutex_init(&search->spare_lock, NULL);
	int rc = bx_thesaurus_build(node->store, &search->thesaurus);
	if (rc == BX_ENOTFOUND)   /* a node without the subjects vocabulary searches without it */
		rc = 0;
	if (!rc)
		rc = bx_index_new(&search->index);
	if (!rc)
		rc = bx_index_sync(search->index, node->store);
	if (rc) {
		bx_search_close(search);
		return rc;
	}
	*out = search;
	return 0;
}

void bx_search_close(struct bx_search *search)
{
	if (!search)
		return;
	bx_index_free(search->index);
	bx_thesaurus_free(search->thesaurus);
	json_decref(search->labels);
	pthread_mutex_destroy(&search->labels_lock);
	for (size_t i = 0; i < search->n_spare; i++)
		bx_tokenizers_free(search->spare[i]);
	free(search->spare);
	pthread_mutex_destroy(&search->spare_lock);
	free(search);
}

void bx_search_stats(struct bx_search *search, struct bx_index_stats *stats)
{
	bx_index_stats(search->index, stats);
}

/* ---- from a query's words to the index's alternatives ---- */

/* A word or phrase as one language analyzes it: positions, each with its forms. */
struct plan {
	struct bx_match_word words[MAX_WORDS];
	size_t n_words;
	bool overflow;
	struct bx_pool *pool;
	int rc;
};

static int plan_token(void *context, int flags, const char *token, int length, int start, int end)
{
	struct plan *plan = context;
	if (!(flags & BX_TOKEN_COLOCATED) || !plan->n_words) {
		if (plan->n_words == MAX_WORDS) {
			plan->overflow = true;
			return 1;
		}
		plan->words[plan->n_words] = (struct bx_match_word){.offset = (int)plan->n_words};
		plan->n_words++;
	}
	struct bx_match_word *word = &plan->words[plan->n_words - 1];
	for (int f = 0; f < word->n_forms; f++)
		if ((int)strlen(word->forms[f]) == length && !memcmp(word->forms[f], token, (size_t)length))
			return 0;
	if (word->n_forms == BX_MATCH_MAX_FORMS)
		return 0;
	char *form = bx_pool_keep(plan->pool, strndup(token, (size_t)length));
	if (!form)
		return plan->rc = BX_ENOMEM;
	word->forms[word->n_forms++] = form;
	return 0;
}

/* Han text is matched by its character bigrams, which are certain wherever two Han
 * characters follow each other; the dictionary's longer words depend on how the rest of
 * the text was cut, so they are dropped. A character position whose previous position
 * holds a bigram is implied by it and dropped too. */
static void use_bigrams(struct plan *plan)
{
	bool previous_bigram = false;
	size_t kept = 0;
	for (size_t w = 0; w < plan->n_words; w++) {
		struct bx_match_word *word = &plan->words[w];
		const char *bigram = NULL;
		int n_kept = 0;
		for (int f = 0; f < word->n_forms; f++) {
			int han = bx_han_length(word->forms[f]);
			if (han == 2)
				bigram = word->forms[f];
			if (han <= 1)
				word->forms[n_kept++] = word->forms[f];
		}
		word->n_forms = n_kept;
		if (bigram) {
			word->forms[0] = bigram;
			word->n_forms = 1;
		}
		bool implied = previous_bigram && word->n_forms == 1 && bx_han_length(word->forms[0]) == 1;
		previous_bigram = bigram != NULL;
		if (!implied && word->n_forms)
			plan->words[kept++] = *word;
	}
	plan->n_words = kept;
}

static int make_plan(struct bx_tokenizers *tokenizers, const char *text, const char *language,
                     struct bx_pool *pool, struct plan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->pool = pool;
	struct bx_tokenizer *tokenizer = bx_tokenizers_get(tokenizers, language);
	if (!tokenizer)
		return BX_ENOMEM;
	int rc = bx_tokenizer_run(tokenizer, text, (int)strlen(text), plan_token, plan);
	if (rc == 1 && plan->overflow)
		rc = 0;
	if (!rc)
		rc = plan->rc;
	if (!rc)
		use_bigrams(plan);
	return rc;
}

static bool same_shape(const struct bx_match_alternative *alternative, const struct plan *plan)
{
	if (alternative->subject || alternative->n_words != plan->n_words)
		return false;
	for (size_t w = 0; w < plan->n_words; w++)
		if (alternative->words[w].offset != plan->words[w].offset)
			return false;
	return true;
}

/* A part being built: its alternatives, growing. */
struct part_builder {
	struct bx_match_alternative alternatives[MAX_ALTERNATIVES];
	size_t n;
	struct bx_pool *pool;
	struct bx_tokenizers *tokenizers;
};

static bool has_form(const struct bx_match_word *word, const char *form)
{
	for (int f = 0; f < word->n_forms; f++)
		if (!strcmp(word->forms[f], form))
			return true;
	return false;
}

/* Would plan (a prefix or not, limited to fields) make an alternative of the same kind
 * and shape? */
static bool same_kind(const struct bx_match_alternative *alternative, const struct plan *plan, bool prefix,
                      unsigned fields)
{
	return alternative->prefix == prefix && alternative->fields == fields && same_shape(alternative, plan);
}

/* Does alternative match wherever plan would (the same kind, each word with every form
 * the plan's has)? Then the plan adds nothing: French and Spanish labels of a concept
 * often stem alike ("gestion intégrée", "gestión integrada"). */
static bool covers(const struct bx_match_alternative *alternative, const struct plan *plan, bool prefix,
                   unsigned fields)
{
	if (!same_kind(alternative, plan, prefix, fields))
		return false;
	for (size_t w = 0; w < plan->n_words; w++)
		for (int f = 0; f < plan->words[w].n_forms; f++)
			if (!has_form(&alternative->words[w], plan->words[w].forms[f]))
				return false;
	return true;
}

static int add_plan(struct part_builder *part, const struct plan *plan, bool prefix, unsigned fields,
                    bool merge)
{
	if (!plan->n_words)
		return 0;
	for (size_t a = 0; a < part->n; a++)
		if (covers(&part->alternatives[a], plan, prefix, fields))
			return 0;
	for (size_t a = 0; merge && a < part->n; a++) {
		struct bx_match_alternative *alternative = &part->alternatives[a];
		if (!same_kind(alternative, plan, prefix, fields))
			continue;
		struct bx_match_word *words = (struct bx_match_word *)alternative->words;
		for (size_t w = 0; w < plan->n_words; w++)
			for (int f = 0; f < plan->words[w].n_forms && words[w].n_forms < BX_MATCH_MAX_FORMS; f++)
				if (!has_form(&words[w], plan->words[w].forms[f]))
					words[w].forms[words[w].n_forms++] = plan->words[w].forms[f];
		return 0;
	}
	if (part->n == MAX_ALTERNATIVES)
		return 0;
	struct bx_match_word *words = bx_pool_keep(part->pool, malloc(plan->n_words * sizeof *words));
	if (!words)
		return BX_ENOMEM;
	memcpy(words, plan->words, plan->n_words * sizeof *words);
	part->alternatives[part->n++] = (struct bx_match_alternative){
		.words = words, .n_words = plan->n_words, .prefix = prefix, .fields = fields};
	return 0;
}

static unsigned field_bits(const char *field)
{
	return !field ? 0 : !strcmp(field, "title") ? BX_FIELD_TITLE
	     : !strcmp(field, "summary") ? BX_FIELD_SUMMARY : BX_FIELD_TEXT;
}

/* What the thesaurus adds for one word or phrase. */
struct widening {
	struct part_builder *part;
	const char *text;
	json_t *expanded;
	int rc;
};

static int add_concept(void *context, const char *concept, const json_t *labels)
{
	struct widening *widening = context;
	struct part_builder *part = widening->part;
	const char *language;
	json_t *label;
	json_object_foreach((json_t *)labels, language, label) {
		struct plan plan;
		int rc = make_plan(part->tokenizers, json_string_value(label), language, part->pool, &plan);
		if (!rc)
			rc = add_plan(part, &plan, false, 0, false);
		if (rc)
			return widening->rc = rc;
	}
	if (part->n < MAX_ALTERNATIVES) {
		char *subject = bx_pool_keep(part->pool, strdup(concept));
		if (!subject)
			return widening->rc = BX_ENOMEM;
		part->alternatives[part->n++] = (struct bx_match_alternative){.subject = subject};
	}
	json_array_append_new(widening->expanded, json_pack("{s:s, s:s, s:O}", "text", widening->text,
	                                                    "concept", concept, "labels", labels));
	return 0;
}

/* Adds a leaf's alternatives to part: the leaf analyzed in every language, and what the
 * thesaurus adds when widen is set. */
static int add_leaf(struct bx_search *search, const struct bx_query_node *leaf, bool widen,
                    json_t *expanded, struct part_builder *part)
{
	unsigned fields = field_bits(leaf->field);
	struct plan plan;
	int rc = 0;
	/* A prefix is read in every language too: its stems are prefixes of the indexed stems
	 * ("eradic*" must find "erad", the English stem of "eradicate"). Only its last word
	 * counts. */
	bool prefix = leaf->kind == BX_QUERY_PREFIX;
	for (size_t l = 0; l < N_QUERY_LANGUAGES && !rc; l++) {
		rc = make_plan(part->tokenizers, leaf->text, query_languages[l], part->pool, &plan);
		if (!rc && prefix && plan.n_words) {
			plan.words[0] = plan.words[plan.n_words - 1];
			plan.words[0].offset = 0;
			plan.n_words = 1;
		}
		if (!rc)
			rc = add_plan(part, &plan, prefix, fields, true);
	}
	if (prefix)
		return rc;
	if (!rc && widen && search->thesaurus && !leaf->field) {
		struct widening widening = {part, leaf->text, expanded, 0};
		int found = bx_thesaurus_lookup(search->thesaurus, part->tokenizers, leaf->text,
		                                strlen(leaf->text), NULL, MAX_CONCEPTS, add_concept, &widening);
		rc = widening.rc ? widening.rc : found < 0 ? found : 0;
	}
	return rc;
}

static bool same_leaf(const struct bx_query_node *a, const struct bx_query_node *b)
{
	return a->kind == b->kind && a->text && b->text && !strcmp(a->text, b->text) &&
	       (a->field == b->field || (a->field && b->field && !strcmp(a->field, b->field)));
}

/* Is the root's child c a word, phrase, prefix or exclusion already asked for before it? */
static bool repeats_earlier(const struct bx_query_node *root, size_t c)
{
	const struct bx_query_node *child = root->children[c];
	if (child->kind == BX_QUERY_ANY)
		return false;
	for (size_t earlier = 0; earlier < c; earlier++) {
		const struct bx_query_node *other = root->children[earlier];
		if (other->kind == child->kind &&
		    (child->kind == BX_QUERY_NOT ? same_leaf(other->children[0], child->children[0])
		                                 : same_leaf(other, child)))
			return true;
	}
	return false;
}

/* The index's parts for a parsed query: one per child of its root, a repeated child once. */
static int build_parts(struct bx_search *search, struct bx_tokenizers *tokenizers,
                       const struct bx_query *query, bool widen, json_t *expanded, struct bx_pool *pool,
                       struct bx_match_part **parts_out, size_t *n_parts)
{
	const struct bx_query_node *root = bx_query_root(query);
	struct bx_match_part *parts = bx_pool_alloc(pool, (root->n_children + 1) * sizeof *parts);
	if (!parts)
		return BX_ENOMEM;
	int rc = 0;
	size_t n = 0;
	for (size_t c = 0; c < root->n_children && !rc; c++) {
		const struct bx_query_node *child = root->children[c];
		if (repeats_earlier(root, c))
			continue;   /* "forest forest" asks for no more than "forest" */
		struct part_builder *builder = bx_pool_alloc(pool, sizeof *builder);
		if (!builder)
			return BX_ENOMEM;
		builder->pool = pool;
		builder->tokenizers = tokenizers;
		bool exclude = child->kind == BX_QUERY_NOT;
		if (child->kind == BX_QUERY_ANY || exclude)
			for (size_t k = 0; k < child->n_children && !rc; k++)
				rc = add_leaf(search, child->children[k], widen && !exclude, expanded, builder);
		else
			rc = add_leaf(search, child, widen, expanded, builder);
		parts[n++] = (struct bx_match_part){builder->alternatives, builder->n, exclude};
	}
	*parts_out = parts;
	*n_parts = n;
	return rc;
}

/* ---- the answer ---- */

/* The labels of a vocabulary term, from the cache or the store (NULL when unknown). */
static const json_t *term_labels(struct bx_search *search, const char *vocabulary, const char *id)
{
	pthread_mutex_lock(&search->labels_lock);
	json_t *terms = json_object_get(search->labels, vocabulary);
	if (!terms) {
		terms = json_object();
		json_object_set_new(search->labels, vocabulary, terms);
	}
	json_t *labels = json_object_get(terms, id);
	if (!labels) {
		char *json = NULL;
		json_t *term = bx_store_vocab_term(search->node->store, vocabulary, id, &json) ? NULL
		             : json_loads(json, 0, NULL);
		free(json);
		labels = json_object_get(term, "labels");
		json_object_set(terms, id, labels ? labels : json_null());
		json_decref(term);
		labels = json_object_get(terms, id);
	}
	pthread_mutex_unlock(&search->labels_lock);
	return json_is_object(labels) ? labels : NULL;
}

static const char *label_in(const json_t *labels, const char *lang)
{
	const json_t *label = lang ? json_object_get(labels, lang) : NULL;
	if (!label)
		label = json_object_get(labels, "en");
	if (!label) {
		void *first = json_object_iter((json_t *)labels);
		label = first ? json_object_iter_value(first) : NULL;
	}
	return json_string_value(label);
}

const char *bx_search_label(struct bx_search *search, const char *vocabulary, const char *id,
                            const char *lang)
{
	const json_t *labels = term_labels(search, vocabulary, id);
	return labels ? label_in(labels, lang) : NULL;
}

/* {"country": [{"value", "label", "count"}, ...], ...}: every asked facet (asked: bits of
 * bx_facet_kind), with its values' labels in lang. */
static json_t *labelled_facets(struct bx_search *search, unsigned asked,
                               const struct bx_index_result *result, const char *lang)
{
	json_t *facets = json_object();
	for (int kind = 0; kind < BX_FACET_KINDS; kind++)
		if (asked & (1u << kind))
			json_object_set_new(facets, bx_facet_name(kind), json_array());
	for (size_t i = 0; i < result->n_facets; i++) {
		const struct bx_facet_count *count = &result->facets[i];
		const char *vocabulary = facet_vocabularies[count->kind];
		const json_t *labels = vocabulary ? term_labels(search, vocabulary, count->value) : NULL;
		const char *label = labels ? label_in(labels, lang) : NULL;
		json_array_append_new(json_object_get(facets, bx_facet_name(count->kind)),
		                      json_pack("{s:s, s:s, s:I}", "value", count->value, "label",
		                                label ? label : count->value, "count", (json_int_t)count->count));
	}
	return facets;
}

/* Every form the query looks for, for highlighting, with the word of the query each is a
 * form of: a word of a part's alternative is its part's word at the same place in the
 * alternative (a word, its stems and its translations are one). The words are numbered
 * part after part, each part taking as many numbers as its longest alternative. */
struct query_forms {
	const char *forms[256];
	int words[256];
	size_t n;
};

static void collect_forms(const struct bx_match_part *parts, size_t n_parts, struct query_forms *out)
{
	size_t max = sizeof out->forms / sizeof out->forms[0], first = 0;
	out->n = 0;
	for (size_t p = 0; p < n_parts; p++) {
		size_t longest = 0;
		for (size_t a = 0; a < parts[p].n_alternatives && !parts[p].exclude; a++) {
			const struct bx_match_alternative *alternative = &parts[p].alternatives[a];
			for (size_t w = 0; w < alternative->n_words; w++)
				for (int f = 0; f < alternative->words[w].n_forms && out->n < max; f++) {
					out->forms[out->n] = alternative->words[w].forms[f];
					out->words[out->n++] = (int)(first + w);
				}
			if (alternative->n_words > longest)
				longest = alternative->n_words;
		}
		first += longest;
	}
}

/* The field a hit's snippet comes from: the first of summary, text and title (in that
 * order) that the index found the words in (fields_found, bx_index_field bits), or, when
 * none was (a record found by its thesaurus tag, or by words in other lstrings under
 * fields), the first of them the record has. The title and summary are in summary; the
 * text, the longest, is parsed from json[0..length) only when it is wanted, into *text
 * (to be released). NULL when the record has none of them. */
static const json_t *snippet_field(const json_t *summary, const char *json, size_t length, unsigned fields_found,
                                   json_t **text)
{
	static const char *const fields[] = {"summary", "text", "title"};
	static const unsigned field_bits[] = {BX_FIELD_SUMMARY, BX_FIELD_TEXT, BX_FIELD_TITLE};
	*text = NULL;
	for (int found_only = 1; found_only >= 0; found_only--)
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			if (found_only && !(fields_found & field_bits[f]))
				continue;
			if (field_bits[f] == BX_FIELD_TEXT && !*text)
				*text = bx_json_load_members(json, length, &fields[f], 1);
			const json_t *value = json_object_get(field_bits[f] == BX_FIELD_TEXT ? *text : summary, fields[f]);
			if (value)
				return value;
		}
	return NULL;
}

/* The snippet of a hit from field (an lstring, or NULL): of its languages, the one with
 * the most matches. One field only: tokenizing for snippets is most of a search's cost. */
static json_t *hit_snippet(struct bx_tokenizers *tokenizers, const json_t *field, const struct query_forms *forms)
{
	struct bx_buf best, candidate;
	bx_buf_init(&best, 64 * 1024);
	bx_buf_init(&candidate, 64 * 1024);
	int best_matches = -1;
	const char *language;
	json_t *text;
	json_object_foreach((json_t *)field, language, text) {
		int matches = 0;
		bx_buf_reset(&candidate);
		const char *value = json_string_value(text);
		size_t length = strlen(value);
		if (length > SNIPPET_SCAN) {   /* a long document: its beginning, cut between characters */
			length = SNIPPET_SCAN;
			while (length && ((unsigned char)value[length] & 0xc0) == 0x80)
				length--;
		}
		struct bx_tokenizer *tokenizer = bx_tokenizers_get(tokenizers, language);
		if (!tokenizer ||
		    bx_snippet_run(tokenizer, value, (int)length, forms->forms, forms->words, forms->n, SNIPPET_CHARS,
		                   &candidate, &matches) ||
		    matches <= best_matches)
			continue;
		best_matches = matches;
		struct bx_buf swap = best;   /* the candidate becomes the best; the old best is reused */
		best = candidate;
		candidate = swap;
	}
	json_t *snippet = best_matches >= 0 ? json_stringn(best.data ? best.data : "", best.len) : json_null();
	bx_buf_free(&best);
	bx_buf_free(&candidate);
	return snippet;
}

/* The page being written: each hit's record becomes an item. */
struct page_items {
	struct bx_tokenizers *tokenizers;
	const struct bx_index_result *result;
	const struct query_forms *forms;
	size_t next;     /* the hit the next record is, or comes after */
	json_t *items;
};

static int add_item(void *context, const struct bx_stored *stored)
{
	struct page_items *page = context;
	const struct bx_index_result *result = page->result;
	while (page->next < result->n_hits && strcmp(result->hits[page->next].id, stored->id))
		page->next++;   /* a record changed since the index read it: the next search will know */
	if (page->next == result->n_hits)
		return 0;
	const struct bx_index_hit *hit = &result->hits[page->next++];
	size_t length = strlen(stored->json);
	json_t *summary = stored->deleted ? NULL : bx_records_load_summary(stored->json, length);
	if (!summary)
		return 0;
	json_object_set_new(summary, "score", json_real(hit->score));
	json_t *text = NULL, *snippet = json_null();
	if (page->forms->n)
		snippet = hit_snippet(page->tokenizers, snippet_field(summary, stored->json, length, hit->fields, &text),
		                      page->forms);
	json_decref(text);
	json_object_set_new(summary, "snippet", snippet);
	json_array_append_new(page->items, summary);
	return 0;
}

/* The page's items, its records read in one transaction. */
static int add_items(struct bx_search *search, struct bx_tokenizers *tokenizers,
                     const struct bx_index_result *result, const struct query_forms *forms, json_t *items)
{
	const char **ids = malloc((result->n_hits + 1) * sizeof *ids);
	if (!ids)
		return BX_ENOMEM;
	for (size_t i = 0; i < result->n_hits; i++)
		ids[i] = result->hits[i].id;
	struct page_items page = {tokenizers, result, forms, 0, items};
	int rc = bx_store_get_records(search->node->store, ids, result->n_hits, add_item, &page);
	free(ids);
	return rc;
}

int bx_search_run(struct bx_search *search, const struct bx_principal *principal,
                  struct bx_search_params *params, json_t *expanded, json_t **out)
{
	*out = NULL;
	const char *q = params->q ? params->q : "";
	struct bx_query *query = NULL;
	int rc = bx_query_parse(q, strlen(q), BX_SEARCH_MAX_QUERY, &query);
	if (!rc)
		rc = bx_index_sync(search->index, search->node->store);
	struct bx_pool pool = {0};
	struct bx_match_part *parts = NULL;
	size_t n_parts = 0;
	json_t *widened = json_array();
	struct bx_tokenizers *tokenizers = rc ? NULL : take_tokenizers(search);
	if (!rc && !tokenizers)
		rc = BX_ENOMEM;
	if (!rc)
		rc = build_parts(search, tokenizers, query, params->expand, widened, &pool, &parts, &n_parts);
	if (!rc && expanded && json_array_size(widened))
		json_object_set(expanded, "q", widened);
	bx_policy_list_scope(principal, &params->list);
	struct bx_index_query index_query = {
		.parts = parts, .n_parts = n_parts, .has_match = n_parts > 0,
		.by_relevance = params->relevance && n_parts > 0, .list = &params->list,
		.facets = params->facets, .language = params->lang,
		.facet_values = params->facet_size ? params->facet_size : BX_SEARCH_FACET_VALUES,
	};
	struct bx_index_result result = {0};
	if (!rc)
		rc = bx_index_search(search->index, &index_query, &result);
	json_t *items = json_array();
	struct query_forms forms;
	collect_forms(parts, n_parts, &forms);
	if (!rc)
		rc = add_items(search, tokenizers, &result, &forms, items);
	if (!rc)
		*out = json_pack("{s:I, s:O, s:o}", "total", (json_int_t)result.total, "items", items,
		                 "facets", labelled_facets(search, params->facets, &result, params->lang));
	json_decref(items);
	json_decref(widened);
	bx_index_result_clear(&result);
	bx_pool_free(&pool);
	bx_query_free(query);
	give_back_tokenizers(search, tokenizers);
	return rc;
}
