/* The query parser (see query.h, docs/query-language.md). Three steps: the input is
 * cleaned (invalid UTF-8, control characters, Unicode spaces and separator punctuation
 * become ASCII spaces, typographic double quotes become '"'), cut into words and phrases
 * with their -, field: and * marks, and grouped at each OR. Everything lives in one arena. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include "search/query.h"

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct bx_query {
	struct arena_block *blocks;
	struct bx_query_node *root;
};

/* A word or phrase as read, before grouping: joined when an OR links it to the previous. */
struct item {
	struct bx_query_node *node;
	bool joined;
};

struct parser {
	struct bx_query *query;
	const char *text;        /* the cleaned input, NUL-terminated */
	size_t length;
	struct item *items;      /* malloc'ed, freed when parsing ends */
	size_t n_items;
	size_t items_cap;
	bool last_positive;      /* the last thing read is something to match */
	bool pending_or;         /* an OR stands between that and what comes next */
	bool negate_next;        /* a NOT was read: the next word or phrase is excluded */
};

static void *arena_alloc(struct bx_query *query, size_t size)
{
	const size_t align = sizeof(max_align_t);
	if (size > SIZE_MAX / 2)
		return NULL;
	size = (size + align - 1) / align * align;
	struct arena_block *block = query->blocks;
	if (!block || block->size - block->used < size) {
		size_t block_size = block ? block->size * 2 : 1024;
		if (block_size < size)
			block_size = size;
		block = malloc(sizeof *block + block_size);
		if (!block)
			return NULL;
		block->next = query->blocks;
		block->size = block_size;
		block->used = 0;
		query->blocks = block;
	}
	void *memory = (unsigned char *)block->data + block->used;
	block->used += size;
	return memory;
}

static char *arena_strndup(struct bx_query *query, const char *text, size_t length)
{
	char *copy = arena_alloc(query, length + 1);
	if (copy) {
		memcpy(copy, text, length);
		copy[length] = '\0';
	}
	return copy;
}

/* Decodes one UTF-8 sequence from s[0..n) into *code_point; returns its length, or 0
 * when the bytes there are not valid UTF-8 (overlong, surrogate, past U+10FFFF, cut). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *code_point)
{
	if (s[0] < 0x80) {
		*code_point = s[0];
		return 1;
	}
	size_t length;
	uint32_t value;
	unsigned char low = 0x80, high = 0xbf;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		length = 2;
		value = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		length = 3;
		value = s[0] & 0x0f;
		if (s[0] == 0xe0)
			low = 0xa0;
		else if (s[0] == 0xed)
			high = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		length = 4;
		value = s[0] & 0x07;
		if (s[0] == 0xf0)
			low = 0x90;
		else if (s[0] == 0xf4)
			high = 0x8f;
	} else {
		return 0;
	}
	if (n < length || s[1] < low || s[1] > high)
		return 0;
	for (size_t i = 1; i < length; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		value = value << 6 | (s[i] & 0x3f);
	}
	*code_point = value;
	return length;
}

/* Characters that separate words: control characters, Unicode spaces (with the
 * zero-width ones), and the brackets and operator characters of other query syntaxes. */
static bool is_separator(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0xa0))
		return true;
	if (c < 0x80)
		return c == ' ' || strchr("()[]{}+|&^~", (int)c) != NULL;
	return c == 0x1680 || c == 0x180e || (c >= 0x2000 && c <= 0x200b) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x2060 || c == 0x3000 ||
	       c == 0xfeff;
}

/* Double quotes as keyboards and word processors type them. */
static bool is_quote(uint32_t c)
{
	return c == '"' || c == 0x201c || c == 0x201d || c == 0x201e || c == 0xff02;
}

/* Writes the cleaned form of text[0..length) into the arena: separators and invalid
 * bytes as ' ', quotes as '"', everything else as it was. Never longer than the input. */
static char *clean(struct bx_query *query, const char *text, size_t length)
{
	char *cleaned = arena_alloc(query, length + 1);
	if (!cleaned)
		return NULL;
	const unsigned char *in = (const unsigned char *)text;
	size_t at = 0, n = 0;
	while (at < length) {
		uint32_t code_point;
		size_t step = utf8_decode(in + at, length - at, &code_point);
		if (step == 0) {
			cleaned[n++] = ' ';
			at++;
			continue;
		}
		if (is_separator(code_point))
			cleaned[n++] = ' ';
		else if (is_quote(code_point))
			cleaned[n++] = '"';
		else {
			memcpy(cleaned + n, in + at, step);
			n += step;
		}
		at += step;
	}
	cleaned[n] = '\0';
	return cleaned;
}

/* Whether the (valid UTF-8) text holds a letter, a digit or a private-use character:
 * without one no tokenizer finds a word in it, and FTS5 makes an empty phrase match
 * nothing, which would turn "whales :" into a query that finds nothing. */
static bool has_word_character(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	for (size_t at = 0; at < n;) {
		uint32_t code_point;
		size_t step = utf8_decode(s + at, n - at, &code_point);
		if (step == 0)
			return false;
		if (U_GET_GC_MASK((UChar32)code_point) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_CO_MASK))
			return true;
		at += step;
	}
	return false;
}

static const char *const field_names[] = {"title", "summary", "text"};

/* When s starts with a field name and ':' (ASCII letters in any case), sets *field to
 * the field's name and returns the length of the mark; otherwise returns 0. */
static size_t field_at(const char *s, size_t n, const char **field)
{
	for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++) {
		size_t name_length = strlen(field_names[i]);
		if (n > name_length && s[name_length] == ':' &&
		    strncasecmp(s, field_names[i], name_length) == 0) {
			*field = field_names[i];
			return name_length + 1;
		}
	}
	return 0;
}

static int push_item(struct parser *parser, struct bx_query_node *node, bool joined)
{
	if (parser->n_items == parser->items_cap) {
		size_t cap = parser->items_cap ? parser->items_cap * 2 : 16;
		struct item *items = realloc(parser->items, cap * sizeof *items);
		if (!items)
			return BX_ENOMEM;
		parser->items = items;
		parser->items_cap = cap;
	}
	parser->items[parser->n_items++] = (struct item){.node = node, .joined = joined};
	return 0;
}

static struct bx_query_node *new_node(struct bx_query *query, enum bx_query_kind kind)
{
	struct bx_query_node *node = arena_alloc(query, sizeof *node);
	if (node)
		*node = (struct bx_query_node){.kind = kind};
	return node;
}

/* Adds a word or phrase (text in the arena) as read; one without a word character is
 * dropped, as if it had not been typed. */
static int add_leaf(struct parser *parser, enum bx_query_kind kind, const char *field,
                    bool negated, const char *text)
{
	if (!has_word_character(text))
		return 0;
	negated = negated || parser->negate_next;
	parser->negate_next = false;
	struct bx_query_node *leaf = new_node(parser->query, kind);
	if (!leaf)
		return BX_ENOMEM;
	leaf->field = field;
	leaf->text = text;
	if (!negated) {
		bool joined = parser->pending_or;
		parser->pending_or = false;
		parser->last_positive = true;
		return push_item(parser, leaf, joined);
	}
	struct bx_query_node *not = new_node(parser->query, BX_QUERY_NOT);
	struct bx_query_node **children = arena_alloc(parser->query, sizeof *children);
	if (!not || !children)
		return BX_ENOMEM;
	children[0] = leaf;
	not->children = children;
	not->n_children = 1;
	parser->pending_or = false;
	parser->last_positive = false;
	return push_item(parser, not, false);
}

/* The phrase s[0..n) with runs of spaces made one and the ends trimmed, in the arena. */
static char *phrase_text(struct bx_query *query, const char *s, size_t n)
{
	char *phrase = arena_alloc(query, n + 1);
	if (!phrase)
		return NULL;
	size_t length = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ')
			phrase[length++] = s[i];
		else if (length && phrase[length - 1] != ' ')
			phrase[length++] = ' ';
	}
	if (length && phrase[length - 1] == ' ')
		length--;
	phrase[length] = '\0';
	return phrase;
}

static bool word_is(const char *word, size_t length, const char *keyword)
{
	return length == strlen(keyword) && memcmp(word, keyword, length) == 0;
}

/* Reads the word at *at (up to a space or a quote): the operators OR, AND (which says
 * what a space says) and NOT (which says what '-' says), a prefix or a term. */
static int read_word(struct parser *parser, size_t *at, const char *field, bool negated)
{
	const char *s = parser->text;
	size_t start = *at, end = *at;
	while (end < parser->length && s[end] != ' ' && s[end] != '"')
		end++;
	*at = end;
	size_t length = end - start;
	if (!negated && !field) {
		if (word_is(s + start, length, "OR")) {
			if (parser->last_positive)
				parser->pending_or = true;
			return 0;
		}
		if (word_is(s + start, length, "AND"))
			return 0;
		if (word_is(s + start, length, "NOT")) {
			parser->negate_next = true;
			return 0;
		}
	}
	size_t stars = 0;
	while (stars < length && s[end - 1 - stars] == '*')
		stars++;
	char *word = arena_strndup(parser->query, s + start, length - stars);
	if (!word)
		return BX_ENOMEM;
	return add_leaf(parser, stars ? BX_QUERY_PREFIX : BX_QUERY_TERM, field, negated, word);
}

/* Cuts the cleaned text into items: each is a word or a quoted phrase, with the marks
 * in front of it (any number of '-', one field name with ':', in any order). */
static int read_items(struct parser *parser)
{
	const char *s = parser->text;
	size_t at = 0;
	while (at < parser->length) {
		if (s[at] == ' ') {
			at++;
			continue;
		}
		bool negated = false;
		const char *field = NULL;
		for (;;) {
			while (at < parser->length && s[at] == '-') {
				negated = true;
				at++;
			}
			size_t mark = field ? 0 : field_at(s + at, parser->length - at, &field);
			if (!mark)
				break;
			at += mark;
		}
		int rc;
		if (at < parser->length && s[at] == '"') {
			const char *close = memchr(s + at + 1, '"', parser->length - at - 1);
			size_t end = close ? (size_t)(close - s) : parser->length;
			char *phrase = phrase_text(parser->query, s + at + 1, end - at - 1);
			at = close ? end + 1 : end;
			rc = phrase ? add_leaf(parser, BX_QUERY_PHRASE, field, negated, phrase) : BX_ENOMEM;
		} else {
			rc = read_word(parser, &at, field, negated);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Makes the root: each run of items joined by OR becomes one ANY child. */
static int build_tree(struct parser *parser)
{
	struct bx_query *query = parser->query;
	size_t n_groups = 0;
	for (size_t i = 0; i < parser->n_items; i++)
		n_groups += !parser->items[i].joined;
	query->root = new_node(query, BX_QUERY_ALL);
	if (!query->root)
		return BX_ENOMEM;
	if (n_groups == 0)
		return 0;
	struct bx_query_node **groups = arena_alloc(query, n_groups * sizeof *groups);
	if (!groups)
		return BX_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < parser->n_items;) {
		size_t end = i + 1;
		while (end < parser->n_items && parser->items[end].joined)
			end++;
		if (end - i == 1) {
			groups[n++] = parser->items[i].node;
		} else {
			struct bx_query_node *any = new_node(query, BX_QUERY_ANY);
			struct bx_query_node **children = arena_alloc(query, (end - i) * sizeof *children);
			if (!any || !children)
				return BX_ENOMEM;
			for (size_t j = i; j < end; j++)
				children[j - i] = parser->items[j].node;
			any->children = children;
			any->n_children = end - i;
			groups[n++] = any;
		}
		i = end;
	}
	query->root->children = groups;
	query->root->n_children = n;
	return 0;
}

int bx_query_parse(const char *text, size_t length, size_t max_length, struct bx_query **out)
{
	*out = NULL;
	if (length > max_length)
		return BX_ETOOBIG;
	struct bx_query *query = calloc(1, sizeof *query);
	if (!query)
		return BX_ENOMEM;
	struct parser parser = {.query = query};
	int rc = BX_ENOMEM;
	char *cleaned = clean(query, length ? text : "", length);
	if (!cleaned)
		goto out;
	parser.text = cleaned;
	parser.length = strlen(cleaned);
	if ((rc = read_items(&parser)) != 0 || (rc = build_tree(&parser)) != 0)
		goto out;
	*out = query;
out:
	free(parser.items);
	if (rc)
		bx_query_free(query);
	return rc;
}

void bx_query_free(struct bx_query *query)
{
	if (!query)
		return;
	struct arena_block *block = query->blocks;
	while (block) {
		struct arena_block *next = block->next;
		free(block);
		block = next;
	}
	free(query);
}

const struct bx_query_node *bx_query_root(const struct bx_query *query)
{
	return query->root;
}
