/* The search query language of DESIGN 6: words, "phrases", OR, -exclusion, prefix* and
 * title:word. bx_query_parse reads a query as a person types it into a small syntax tree
 * that knows nothing of any index; it never fails on content. bx_query_to_fts5 writes a
 * tree as the text of an SQLite FTS5 MATCH. docs/query-language.md is the user's guide. */
#ifndef BX_QUERY_H
#define BX_QUERY_H

#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"

enum bx_query_kind {
	BX_QUERY_ALL,     /* every child must match */
	BX_QUERY_ANY,     /* at least one child must match */
	BX_QUERY_NOT,     /* the one child must not match */
	BX_QUERY_TERM,    /* a word */
	BX_QUERY_PHRASE,  /* words next to each other, in order */
	BX_QUERY_PREFIX,  /* a word starting with text */
};

/* The tree always has this shape:
 *   the root is an ALL node (no children: the query asks for nothing);
 *   the root's children are TERM, PHRASE or PREFIX leaves, ANY nodes and NOT nodes;
 *   an ANY node has two or more children, each a leaf;
 *   a NOT node has exactly one child, a leaf.
 * A leaf's text is never empty, is valid UTF-8 without control characters, and holds at
 * least one letter, digit or private-use character. */
struct bx_query_node {
	enum bx_query_kind kind;
	const char *field;   /* leaves: NULL for every field, else "title", "summary" or "text" */
	const char *text;    /* TERM: the word as typed (not normalized); PREFIX: the word
	                      * without its '*'; PHRASE: the words between the quotes, runs of
	                      * spaces made one ASCII space and the ends trimmed. NULL otherwise */
	struct bx_query_node **children;
	size_t n_children;
};

struct bx_query;

/* Parses length bytes of text (NUL bytes included, no terminator needed) as a person's
 * query. Every content parses: stray quotes, operators and brackets are read as described
 * in docs/query-language.md, invalid UTF-8 bytes and control characters as spaces. On
 * success sets *out to the query (free with bx_query_free) and returns 0; otherwise sets
 * *out to NULL and returns BX_ETOOBIG when length is over max_length, BX_ENOMEM when an
 * allocation fails. The whole tree lives in one arena owned by the query. */
BX_MUST_USE int bx_query_parse(const char *text, size_t length, size_t max_length,
                               struct bx_query **out);

/* Frees the query and every node and string of its tree. Accepts NULL. */
void bx_query_free(struct bx_query *query);

/* The root (an ALL node) of the query's tree, valid until bx_query_free. */
const struct bx_query_node *bx_query_root(const struct bx_query *query);

/* Appends the query to out as FTS5 MATCH text for a table whose columns include title,
 * summary and text. Every word and phrase goes out as an FTS5 string ("word", inner
 * quotes doubled) as typed: FTS5 runs the table's tokenizer over it. A field is a column
 * filter ({title} : "word"), a prefix is "word" *, an ANY is ("a" OR "b"), the root's
 * positive children are joined with AND and its exclusions follow with NOT, which FTS5
 * only has as a binary operator: ("a" AND "b") NOT "c" NOT "d".
 * Returns 0; BX_EINVAL when the tree has nothing to match (empty, or only exclusions:
 * such a query matches nothing); BX_ETOOBIG when out's cap is reached. On failure out
 * is left as it was. */
BX_MUST_USE int bx_query_to_fts5(const struct bx_query *query, struct bx_buf *out);

#endif
