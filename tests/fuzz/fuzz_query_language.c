/* Fuzz target for the search query language (src/search/query.c, query_fts5.c): the
 * input is a query as a person might type it. It must parse into the tree query.h
 * promises, and its FTS5 text must run as a MATCH on a real FTS5 table without any
 * SQLite error: a "fts5: syntax error" means typed text reached FTS5 as syntax. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "search/query.h"
#include "util/buf.h"

#define MAX_QUERY 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *count_matches;

/* An in-memory FTS5 table with the columns the FTS5 text names, and a few rows so that
 * a MATCH is evaluated, not only parsed. Made once. */
static void open_table(void)
{
	static const char setup[] =
		"CREATE VIRTUAL TABLE t USING fts5(title, summary, text);"
		"INSERT INTO t VALUES ('Coral reef protection', 'Reefs and lagoons', 'bottom trawling');"
		"INSERT INTO t VALUES ('生物多样性 保护', '生物多样性 战略', '珊瑚 保护');"
		"INSERT INTO t VALUES ('التنوع البيولوجي', 'حماية البحر', 'or and not near');";
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &count_matches,
	                       NULL) != SQLITE_OK)
		bx_fuzz_fail("cannot set up the FTS5 table: %s", sqlite3_errmsg(db));
}

static bool is_valid_utf8_text(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (s[i] < 0x80)
			continue;
		size_t n = s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;
		if (s[i] < 0xc2 || s[i] > 0xf4)
			return false;
		for (size_t j = 1; j < n; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		if ((s[i] == 0xe0 && s[i + 1] < 0xa0) || (s[i] == 0xed && s[i + 1] > 0x9f) ||
		    (s[i] == 0xf0 && s[i + 1] < 0x90) || (s[i] == 0xf4 && s[i + 1] > 0x8f))
			return false;
		i += n - 1;
	}
	return true;
}

static void check_leaf(const struct bx_query_node *leaf)
{
	if (leaf->kind != BX_QUERY_TERM && leaf->kind != BX_QUERY_PHRASE &&
	    leaf->kind != BX_QUERY_PREFIX)
		bx_fuzz_fail("a leaf of kind %d", (int)leaf->kind);
	if (!leaf->text || !leaf->text[0] || leaf->n_children)
		bx_fuzz_fail("an empty leaf, or one with children");
	if (!is_valid_utf8_text(leaf->text) || strchr(leaf->text, '"'))
		bx_fuzz_fail("a leaf's text has invalid UTF-8, a control character or a quote");
	if (leaf->field && strcmp(leaf->field, "title") && strcmp(leaf->field, "summary") &&
	    strcmp(leaf->field, "text"))
		bx_fuzz_fail("unknown field %s", leaf->field);
}

/* Checks the tree's shape (query.h) and returns how many of the root's children are
 * things to match rather than exclusions. */
static size_t check_tree(const struct bx_query_node *root)
{
	if (root->kind != BX_QUERY_ALL || root->text || root->field)
		bx_fuzz_fail("the root is not a bare ALL node");
	size_t n_positive = 0;
	for (size_t i = 0; i < root->n_children; i++) {
		const struct bx_query_node *child = root->children[i];
		if (child->kind == BX_QUERY_ANY) {
			if (child->n_children < 2)
				bx_fuzz_fail("an ANY with %zu children", child->n_children);
			for (size_t j = 0; j < child->n_children; j++)
				check_leaf(child->children[j]);
			n_positive++;
		} else if (child->kind == BX_QUERY_NOT) {
			if (child->n_children != 1)
				bx_fuzz_fail("a NOT with %zu children", child->n_children);
			check_leaf(child->children[0]);
		} else {
			check_leaf(child);
			n_positive++;
		}
	}
	return n_positive;
}

/* Runs the MATCH to the end; any SQLite error fails the run. */
static void run_match(const char *fts5)
{
	sqlite3_reset(count_matches);
	sqlite3_bind_text(count_matches, 1, fts5, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(count_matches)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		bx_fuzz_fail("MATCH '%s': %s", fts5, sqlite3_errmsg(db));
	sqlite3_clear_bindings(count_matches);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		open_table();
	struct bx_query *query = NULL;
	int rc = bx_query_parse((const char *)data, size, MAX_QUERY, &query);
	if (size > MAX_QUERY) {
		if (rc != BX_ETOOBIG || query)
			bx_fuzz_fail("a query of %zu bytes was not refused as too big", size);
		return 0;
	}
	if (rc != 0 || !query)
		bx_fuzz_fail("bx_query_parse: %s", bx_strerror(rc));
	size_t n_positive = check_tree(bx_query_root(query));

	struct bx_buf fts5;
	bx_buf_init(&fts5, 1 << 20);
	rc = bx_query_to_fts5(query, &fts5);
	if (rc == BX_EINVAL) {
		if (n_positive || fts5.len)
			bx_fuzz_fail("BX_EINVAL for a query with something to match, or with output");
	} else if (rc != 0) {
		bx_fuzz_fail("bx_query_to_fts5: %s", bx_strerror(rc));
	} else {
		if (!n_positive || !fts5.len || strlen(fts5.data) != fts5.len)
			bx_fuzz_fail("FTS5 text for a query with nothing to match, or with a NUL");
		run_match(fts5.data);
		/* One byte short of the cap: refused, and the buffer left as it was. */
		struct bx_buf small;
		bx_buf_init(&small, fts5.len - 1);
		if (bx_query_to_fts5(query, &small) != BX_ETOOBIG || small.len)
			bx_fuzz_fail("bx_query_to_fts5 did not stop cleanly at the cap");
		bx_buf_free(&small);
	}
	bx_buf_free(&fts5);
	bx_query_free(query);
	return 0;
}
