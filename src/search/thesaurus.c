/* The thesaurus lookup: a hash map (a jansson object) from the analyzed forms of every
 * GEMET label to the concepts carrying it. thesaurus.h describes the matching rules; this
 * file owns the map, the concepts' ids and labels, and the cutting of a phrase into
 * positions and keys. */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "search/thesaurus.h"
#include "util/buf.h"
#include "text/analyze.h"
#include "text/tokenizers.h"

#define VOCABULARY "subjects"
#define N_LANGUAGES 6
/* Doubled positions (two forms) expanded into keys; later ones use their first form. */
#define MAX_DOUBLED 4
/* Prefix of the keys made with no language. */
#define ANY_LANGUAGE "*"
/* Returned by the token callback to stop a phrase longer than every label. */
#define STOP_TOO_LONG 1

static const char *const languages[N_LANGUAGES] = {"ar", "en", "es", "fr", "ru", "zh"};

struct bx_thesaurus {
	json_t *keys;       /* "<language>\x1f<form>\x1f<form>..." -> concept index, or an
	                     * array of them when several concepts share the key */
	json_t *ids;        /* concept index -> id string */
	json_t *labels;     /* concept index -> labels object */
	int max_positions;  /* the most positions of any label */
};

/* One word (or Han character) of a phrase: its form, and a second one if it has two. */
struct position {
	char form[2][BX_TOKEN_MAX + 1];
	int length[2];
	int n_forms;
	int start, end;
};

/* A phrase as positions. limit > 0 stops tokenizing past limit positions (too_long). */
struct phrase {
	struct position *positions;
	int n_positions, capacity, limit;
	bool too_long;
};

/* The longest key: the forms of a phrase as long as the longest label, joined. */
#define KEY_MAX (64 * 1024)

typedef int (*key_fn)(void *context, const char *key);

/* The index of language's primary subtag in languages[], or -1. */
static int language_index(const char *language)
{
	if (!language)
		return -1;
	size_t length = strcspn(language, "-_");
	for (int i = 0; i < N_LANGUAGES; i++)
		if (length == 2 && !strncasecmp(language, languages[i], 2))
			return i;
	return -1;
}

static int add_token(void *context, int flags, const char *token, int length, int start, int end)
{
	struct phrase *phrase = context;
	if (length <= 0 || length > BX_TOKEN_MAX)
		return 0;
	if (flags & BX_TOKEN_COLOCATED) {
		/* A second form of the same word; a colocated Han bigram (another span) is dropped. */
		if (phrase->n_positions == 0)
			return 0;
		struct position *last = &phrase->positions[phrase->n_positions - 1];
		if (last->start != start || last->end != end || last->n_forms == 2)
			return 0;
		if (last->length[0] == length && !memcmp(last->form[0], token, (size_t)length))
			return 0;
		memcpy(last->form[1], token, (size_t)length);
		last->form[1][length] = '\0';
		last->length[1] = length;
		last->n_forms = 2;
		return 0;
	}
	if (phrase->limit > 0 && phrase->n_positions >= phrase->limit) {
		phrase->too_long = true;
		return STOP_TOO_LONG;
	}
	if (phrase->n_positions == phrase->capacity) {
		int capacity = phrase->capacity ? phrase->capacity * 2 : 8;
		struct position *grown = realloc(phrase->positions, (size_t)capacity * sizeof *grown);
		if (!grown)
			return BX_ENOMEM;
		phrase->positions = grown;
		phrase->capacity = capacity;
	}
	struct position *position = &phrase->positions[phrase->n_positions++];
	memcpy(position->form[0], token, (size_t)length);
	position->form[0][length] = '\0';
	position->length[0] = length;
	position->n_forms = 1;
	position->start = start;
	position->end = end;
	return 0;
}

/* Cuts text into phrase's positions with tokenizer, or with bx_tokenize in language when
 * tokenizer is NULL. Returns 0 (phrase->too_long says whether it stopped early),
 * BX_ENOMEM or BX_EIO. */
static int analyze(struct bx_tokenizer *tokenizer, const char *language, const char *text,
                   size_t length, struct phrase *phrase)
{
	phrase->n_positions = 0;
	phrase->too_long = false;
	if (length == 0)
		return 0;
	int clipped = length > INT_MAX ? INT_MAX : (int)length;
	int rc = tokenizer ? bx_tokenizer_run(tokenizer, text, clipped, add_token, phrase)
	                   : bx_tokenize(text, clipped, language, add_token, phrase);
	if (rc == STOP_TOO_LONG && phrase->too_long)
		return 0;
	if (rc > 0 || rc == BX_EINVAL)
		return BX_EIO;
	return rc;
}

/* Calls fn with every key of phrase under prefix: the forms joined by \x1f, once per
 * combination of the forms of its first MAX_DOUBLED doubled positions. Returns 0, fn's
 * non-zero return, BX_ENOMEM or BX_ETOOBIG (a key over KEY_MAX). A phrase
 * without positions has no key. */
static int each_key(const struct phrase *phrase, const char *prefix, struct bx_buf *key,
                    key_fn fn, void *context)
{
	if (phrase->n_positions == 0 || phrase->too_long)
		return 0;
	int n_doubled = 0;
	for (int i = 0; i < phrase->n_positions; i++)
		n_doubled += phrase->positions[i].n_forms == 2;
	if (n_doubled > MAX_DOUBLED)
		n_doubled = MAX_DOUBLED;
	for (unsigned combination = 0; combination < (1u << n_doubled); combination++) {
		bx_buf_reset(key);
		int rc = bx_buf_append(key, prefix, strlen(prefix));
		int doubled = 0;
		for (int i = 0; !rc && i < phrase->n_positions; i++) {
			const struct position *position = &phrase->positions[i];
			int form = 0;
			if (position->n_forms == 2 && doubled < n_doubled)
				form = (combination >> doubled++) & 1;
			rc = bx_buf_append(key, "\x1f", 1);
			if (!rc)
				rc = bx_buf_append(key, position->form[form], (size_t)position->length[form]);
		}
		if (!rc)
			rc = fn(context, key->data);
		if (rc)
			return rc;
	}
	return 0;
}

/* Building. */

struct building {
	struct bx_thesaurus *thesaurus;
	struct bx_tokenizer *tokenizers[N_LANGUAGES + 1];   /* the last: no language */
	struct phrase phrase;
	struct bx_buf key;
	json_t *index;      /* the concept being added, as a json integer */
};

static int add_key(void *context, const char *key)
{
	struct building *building = context;
	json_t *keys = building->thesaurus->keys;
	json_t *value = json_object_get(keys, key);
	if (!value)
		return json_object_set(keys, key, building->index) ? BX_ENOMEM : 0;
	if (value == building->index)
		return 0;
	if (json_is_integer(value)) {
		json_t *list = json_array();
		if (!list || json_array_append(list, value) || json_object_set_new(keys, key, list))
			return BX_ENOMEM;
		value = list;
	}
	size_t size = json_array_size(value);
	if (size && json_array_get(value, size - 1) == building->index)
		return 0;
	return json_array_append(value, building->index) ? BX_ENOMEM : 0;
}

/* Indexes label under the forms tokenizer makes, with prefix. */
static int add_label(struct building *building, struct bx_tokenizer *tokenizer, const char *prefix,
                     const char *label)
{
	int rc = analyze(tokenizer, NULL, label, strlen(label), &building->phrase);
	if (rc)
		return rc;
	if (building->phrase.n_positions > building->thesaurus->max_positions)
		building->thesaurus->max_positions = building->phrase.n_positions;
	return each_key(&building->phrase, prefix, &building->key, add_key, building);
}

static int add_term(void *context, const char *json)
{
	struct building *building = context;
	struct bx_thesaurus *thesaurus = building->thesaurus;
	json_t *term = json_loads(json, 0, NULL);
	const char *id = json_string_value(json_object_get(term, "id"));
	json_t *labels = json_object_get(term, "labels");
	int rc = 0;
	if (!id || !json_is_object(labels)) {
		rc = BX_EINVAL;
		goto out;
	}
	building->index = json_integer((json_int_t)json_array_size(thesaurus->ids));
	if (!building->index || json_array_append_new(thesaurus->ids, json_string(id)) ||
	    json_array_append(thesaurus->labels, labels)) {
		rc = BX_ENOMEM;
		goto out;
	}
	const char *language;
	json_t *label;
	json_object_foreach(labels, language, label) {
		const char *text = json_string_value(label);
		if (!text)
			continue;
		int which = language_index(language);
		if (which >= 0)
			rc = add_label(building, building->tokenizers[which], languages[which], text);
		if (!rc)
			rc = add_label(building, building->tokenizers[N_LANGUAGES], ANY_LANGUAGE, text);
		if (rc)
			break;
	}
out:
	json_decref(building->index);
	building->index = NULL;
	json_decref(term);
	return rc;
}

int bx_thesaurus_build(struct bx_store *store, struct bx_thesaurus **out)
{
	struct building building = {0};
	bx_buf_init(&building.key, KEY_MAX);
	struct bx_thesaurus *thesaurus = calloc(1, sizeof *thesaurus);
	int rc = BX_ENOMEM;
	*out = NULL;
	if (!thesaurus)
		return BX_ENOMEM;
	building.thesaurus = thesaurus;
	thesaurus->keys = json_object();
	thesaurus->ids = json_array();
	thesaurus->labels = json_array();
	if (!thesaurus->keys || !thesaurus->ids || !thesaurus->labels)
		goto out;
	for (int i = 0; i <= N_LANGUAGES; i++) {
		rc = bx_tokenizer_new(i < N_LANGUAGES ? languages[i] : NULL, &building.tokenizers[i]);
		if (rc)
			goto out;
	}
	int64_t total;
	rc = bx_store_vocab_terms(store, VOCABULARY, NULL, 0, -1, &total, add_term, &building);
out:
	for (int i = 0; i <= N_LANGUAGES; i++)
		bx_tokenizer_free(building.tokenizers[i]);
	free(building.phrase.positions);
	bx_buf_free(&building.key);
	if (rc) {
		bx_thesaurus_free(thesaurus);
		return rc;
	}
	*out = thesaurus;
	return 0;
}

void bx_thesaurus_free(struct bx_thesaurus *thesaurus)
{
	if (!thesaurus)
		return;
	json_decref(thesaurus->keys);
	json_decref(thesaurus->ids);
	json_decref(thesaurus->labels);
	free(thesaurus);
}

size_t bx_thesaurus_concepts(const struct bx_thesaurus *thesaurus)
{
	return json_array_size(thesaurus->ids);
}

size_t bx_thesaurus_keys(const struct bx_thesaurus *thesaurus)
{
	return json_object_size(thesaurus->keys);
}

/* Looking up. */

struct matches {
	const struct bx_thesaurus *thesaurus;
	size_t *indices;
	size_t n_indices, capacity;
};

static int collect(void *context, const char *key)
{
	struct matches *matches = context;
	json_t *value = json_object_get(matches->thesaurus->keys, key);
	size_t n = json_is_integer(value) ? 1 : json_array_size(value);
	for (size_t i = 0; i < n; i++) {
		json_t *index = json_is_integer(value) ? value : json_array_get(value, i);
		if (matches->n_indices == matches->capacity) {
			size_t capacity = matches->capacity ? matches->capacity * 2 : 16;
			size_t *grown = realloc(matches->indices, capacity * sizeof *grown);
			if (!grown)
				return BX_ENOMEM;
			matches->indices = grown;
			matches->capacity = capacity;
		}
		matches->indices[matches->n_indices++] = (size_t)json_integer_value(index);
	}
	return 0;
}

static int compare_indices(const void *a, const void *b)
{
	size_t left = *(const size_t *)a, right = *(const size_t *)b;
	return (left > right) - (left < right);
}

/* Looks text up as written in languages[which] (which < 0: no language, keys of every
 * label) and adds the concepts found to matches. */
static int lookup_as(struct matches *matches, struct bx_tokenizers *tokenizers, const char *text,
                     size_t length, int which, struct phrase *phrase, struct bx_buf *key)
{
	const char *language = which >= 0 ? languages[which] : NULL;
	struct bx_tokenizer *tokenizer = tokenizers ? bx_tokenizers_get(tokenizers, language) : NULL;
	if (tokenizers && !tokenizer)
		return BX_ENOMEM;
	int rc = analyze(tokenizer, language, text, length, phrase);
	if (rc)
		return rc;
	return each_key(phrase, which >= 0 ? languages[which] : ANY_LANGUAGE, key, collect, matches);
}

int bx_thesaurus_lookup(const struct bx_thesaurus *thesaurus, struct bx_tokenizers *tokenizers,
                        const char *text, size_t length, const char *language, int max,
                        bx_thesaurus_fn fn, void *context)
{
	struct matches matches = {.thesaurus = thesaurus};
	struct phrase phrase = {.limit = thesaurus->max_positions};
	struct bx_buf key;
	bx_buf_init(&key, KEY_MAX);
	int rc = 0;
	if (!text || length == 0 || max <= 0 || thesaurus->max_positions == 0)
		goto out;
	int which = language_index(language);
	if (which >= 0) {
		rc = lookup_as(&matches, tokenizers, text, length, which, &phrase, &key);
	} else {
		for (int i = 0; !rc && i < N_LANGUAGES; i++)
			rc = lookup_as(&matches, tokenizers, text, length, i, &phrase, &key);
	}
	if (!rc)
		rc = lookup_as(&matches, tokenizers, text, length, -1, &phrase, &key);
	if (rc)
		goto out;
	if (matches.n_indices > 1)
		qsort(matches.indices, matches.n_indices, sizeof *matches.indices, compare_indices);
	int n_found = 0;
	for (size_t i = 0; i < matches.n_indices && n_found < max; i++) {
		if (i > 0 && matches.indices[i] == matches.indices[i - 1])
			continue;
		size_t index = matches.indices[i];
		rc = fn(context, json_string_value(json_array_get(thesaurus->ids, index)),
		        json_array_get(thesaurus->labels, index));
		if (rc)
			goto out;
		n_found++;
	}
	rc = n_found;
out:
	free(matches.indices);
	free(phrase.positions);
	bx_buf_free(&key);
	return rc;
}
