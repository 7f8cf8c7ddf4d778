/* Writes a parsed query (query.h) as SQLite FTS5 MATCH text. Only the query's own
 * structure is written as FTS5 syntax; every word goes out as a quoted FTS5 string, so
 * no character a person typed can act as an FTS5 operator. */
#include <stdbool.h>
#include <string.h>
#include "search/query.h"

static int write_node(struct bx_buf *out, const struct bx_query_node *node);

/* "text" with each inner '"' doubled. */
static int write_string(struct bx_buf *out, const char *text)
{
	int rc = bx_buf_puts(out, "\"");
	for (const char *quote; !rc && (quote = strchr(text, '"')) != NULL; text = quote + 1) {
		rc = bx_buf_append(out, text, (size_t)(quote - text + 1));
		if (!rc)
			rc = bx_buf_puts(out, "\"");
	}
	if (!rc)
		rc = bx_buf_puts(out, text);
	if (!rc)
		rc = bx_buf_puts(out, "\"");
	return rc;
}

static int write_leaf(struct bx_buf *out, const struct bx_query_node *leaf)
{
	int rc = 0;
	if (leaf->field)
		rc = bx_buf_printf(out, "{%s} : ", leaf->field);
	if (!rc)
		rc = write_string(out, leaf->text);
	if (!rc && leaf->kind == BX_QUERY_PREFIX)
		rc = bx_buf_puts(out, " *");
	return rc;
}

static int write_any(struct bx_buf *out, const struct bx_query_node *any)
{
	if (any->n_children == 0)
		return BX_EINVAL;
	int rc = bx_buf_puts(out, "(");
	for (size_t i = 0; !rc && i < any->n_children; i++) {
		if (i)
			rc = bx_buf_puts(out, " OR ");
		if (!rc)
			rc = write_node(out, any->children[i]);
	}
	return rc ? rc : bx_buf_puts(out, ")");
}

/* The children to match joined with AND, then " NOT x" for each exclusion; in brackets
 * when nested and more than one thing. BX_EINVAL when nothing is there to match. */
static int write_all(struct bx_buf *out, const struct bx_query_node *all, bool nested)
{
	size_t n_positive = 0, n_negative = 0;
	for (size_t i = 0; i < all->n_children; i++) {
		if (all->children[i]->kind == BX_QUERY_NOT)
			n_negative++;
		else
			n_positive++;
	}
	if (n_positive == 0)
		return BX_EINVAL;
	bool outer = nested && n_positive + n_negative > 1;
	bool inner = n_positive > 1 && n_negative > 0;
	int rc = 0;
	if (outer || inner)
		rc = bx_buf_puts(out, outer && inner ? "((" : "(");
	bool first = true;
	for (size_t i = 0; !rc && i < all->n_children; i++) {
		if (all->children[i]->kind == BX_QUERY_NOT)
			continue;
		if (!first)
			rc = bx_buf_puts(out, " AND ");
		first = false;
		if (!rc)
			rc = write_node(out, all->children[i]);
	}
	if (!rc && inner)
		rc = bx_buf_puts(out, ")");
	for (size_t i = 0; !rc && i < all->n_children; i++) {
		const struct bx_query_node *not = all->children[i];
		if (not->kind != BX_QUERY_NOT)
			continue;
		if (not->n_children != 1)
			return BX_EINVAL;
		rc = bx_buf_puts(out, " NOT ");
		if (!rc)
			rc = write_node(out, not->children[0]);
	}
	if (!rc && outer)
		rc = bx_buf_puts(out, ")");
	return rc;
}

/* A NOT has no meaning on its own in FTS5 (its NOT is binary), so only an ALL holds one. */
static int write_node(struct bx_buf *out, const struct bx_query_node *node)
{
	switch (node->kind) {
	case BX_QUERY_TERM:
	case BX_QUERY_PHRASE:
	case BX_QUERY_PREFIX:
		return write_leaf(out, node);
	case BX_QUERY_ANY:
		return write_any(out, node);
	case BX_QUERY_ALL:
		return write_all(out, node, true);
	case BX_QUERY_NOT:
		break;
	}
	return BX_EINVAL;
}

int bx_query_to_fts5(const struct bx_query *query, struct bx_buf *out)
{
	size_t start = out->len;
	int rc = write_all(out, bx_query_root(query), false);
	if (rc) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}
