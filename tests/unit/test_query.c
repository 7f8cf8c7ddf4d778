/* Unit tests of src/search/query.c and query_fts5.c: each case of a table gives what a
 * person types, the tree the parser must make and the exact FTS5 MATCH text; then every
 * case and thousands of hostile inputs run as a MATCH against a real FTS5 table, which
 * must never answer with an error, and a few queries must find exactly the right rows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "search/query.h"

#define MAX_QUERY 4096

/* The tree as text: a leaf is kind[text] with "field:" in front when it has one, an ANY
 * is any(...), a NOT is not(...); the root's children are separated by spaces. */
static void dump_node(struct bx_buf *out, const struct bx_query_node *node)
{
	static const char *const kinds[] = {"all", "any", "not", "term", "phrase", "prefix"};
	int rc = 0;
	if (node->field)
		rc = bx_buf_printf(out, "%s:", node->field);
	if (!rc && node->text)
		rc = bx_buf_printf(out, "%s[%s]", kinds[node->kind], node->text);
	if (!rc && !node->text) {
		rc = bx_buf_printf(out, "%s(", kinds[node->kind]);
		for (size_t i = 0; !rc && i < node->n_children; i++) {
			if (i)
				rc = bx_buf_puts(out, " ");
			dump_node(out, node->children[i]);
		}
		if (!rc)
			rc = bx_buf_puts(out, ")");
	}
	assert_int_equal(rc, 0);
}

/* The dump of the root's children (an empty string for an empty query). */
static char *dump_query(const struct bx_query *query)
{
	const struct bx_query_node *root = bx_query_root(query);
	assert_int_equal(root->kind, BX_QUERY_ALL);
	struct bx_buf out;
	bx_buf_init(&out, 1 << 20);
	assert_int_equal(bx_buf_puts(&out, ""), 0);
	for (size_t i = 0; i < root->n_children; i++) {
		if (i)
			assert_int_equal(bx_buf_puts(&out, " "), 0);
		dump_node(&out, root->children[i]);
	}
	return bx_buf_steal(&out);
}

struct query_case {
	const char *input;
	size_t length;      /* 0: strlen(input) */
	const char *tree;   /* dump_query of the parse */
	const char *fts5;   /* NULL: bx_query_to_fts5 must answer BX_EINVAL */
};

static const struct query_case cases[] = {
	/* Words, all required. */
	{"biodiversity", 0, "term[biodiversity]", "\"biodiversity\""},
	{"coral reef", 0, "term[coral] term[reef]", "\"coral\" AND \"reef\""},
	{"  coral\t\treef  ", 0, "term[coral] term[reef]", "\"coral\" AND \"reef\""},
	{"Biodiversité", 0, "term[Biodiversité]", "\"Biodiversité\""},
	{"l'eau e-mail gbf:3", 0, "term[l'eau] term[e-mail] term[gbf:3]",
	 "\"l'eau\" AND \"e-mail\" AND \"gbf:3\""},
	/* Phrases. */
	{"\"coral reef\"", 0, "phrase[coral reef]", "\"coral reef\""},
	{"\"  coral \t  reef  \"", 0, "phrase[coral reef]", "\"coral reef\""},
	{"\"coral reef", 0, "phrase[coral reef]", "\"coral reef\""},
	{"reef \"", 0, "term[reef]", "\"reef\""},
	{"\"\"", 0, "", NULL},
	{"\" \" \"coral re\"*", 0, "phrase[coral re]", "\"coral re\""},
	{"\"", 0, "", NULL},
	{"a\"b c\"d", 0, "term[a] phrase[b c] term[d]", "\"a\" AND \"b c\" AND \"d\""},
	{"\"a \"b\" c\"", 0, "phrase[a] term[b] phrase[c]", "\"a\" AND \"b\" AND \"c\""},
	{"\xe2\x80\x9c" "coral reef" "\xe2\x80\x9d", 0, "phrase[coral reef]", "\"coral reef\""},
	{"\"OR -x title:y z*\"", 0, "phrase[OR -x title:y z*]", "\"OR -x title:y z*\""},
	/* OR binds tighter than the implied AND. */
	{"reef OR lagoon", 0, "any(term[reef] term[lagoon])", "(\"reef\" OR \"lagoon\")"},
	{"coral reef OR lagoon", 0, "term[coral] any(term[reef] term[lagoon])",
	 "\"coral\" AND (\"reef\" OR \"lagoon\")"},
	{"a OR b OR c", 0, "any(term[a] term[b] term[c])", "(\"a\" OR \"b\" OR \"c\")"},
	{"a OR b c OR d", 0, "any(term[a] term[b]) any(term[c] term[d])",
	 "(\"a\" OR \"b\") AND (\"c\" OR \"d\")"},
	{"reef or lagoon", 0, "term[reef] term[or] term[lagoon]",
	 "\"reef\" AND \"or\" AND \"lagoon\""},
	{"OR reef", 0, "term[reef]", "\"reef\""},
	{"reef OR", 0, "term[reef]", "\"reef\""},
	{"OR", 0, "", NULL},
	{"OR OR", 0, "", NULL},
	{"reef OR OR lagoon", 0, "any(term[reef] term[lagoon])", "(\"reef\" OR \"lagoon\")"},
	{"\"coral reef\" OR atoll*", 0, "any(phrase[coral reef] prefix[atoll])",
	 "(\"coral reef\" OR \"atoll\" *)"},
	{"\"OR\" OR*", 0, "phrase[OR] prefix[OR]", "\"OR\" AND \"OR\" *"},
	/* Exclusion, and the words AND and NOT. */
	{"reef -fishing", 0, "term[reef] not(term[fishing])", "\"reef\" NOT \"fishing\""},
	{"reef coral -fishing -\"bottom trawling\"", 0,
	 "term[reef] term[coral] not(term[fishing]) not(phrase[bottom trawling])",
	 "(\"reef\" AND \"coral\") NOT \"fishing\" NOT \"bottom trawling\""},
	{"-fishing", 0, "not(term[fishing])", NULL},
	{"-fishing -\"trawl\"", 0, "not(term[fishing]) not(phrase[trawl])", NULL},
	{"coral --reef", 0, "term[coral] not(term[reef])", "\"coral\" NOT \"reef\""},
	{"a - - b", 0, "term[a] term[b]", "\"a\" AND \"b\""},
	{"-", 0, "", NULL},
	{"-*", 0, "", NULL},
	{"reef OR -fishing", 0, "term[reef] not(term[fishing])", "\"reef\" NOT \"fishing\""},
	{"-fishing OR reef", 0, "not(term[fishing]) term[reef]", "\"reef\" NOT \"fishing\""},
	{"a OR -b OR c", 0, "term[a] not(term[b]) term[c]", "(\"a\" AND \"c\") NOT \"b\""},
	{"reef AND coral NOT fishing", 0, "term[reef] term[coral] not(term[fishing])",
	 "(\"reef\" AND \"coral\") NOT \"fishing\""},
	{"reef NOT", 0, "term[reef]", "\"reef\""},
	{"reef -NOT -OR", 0, "term[reef] not(term[NOT]) not(term[OR])",
	 "\"reef\" NOT \"NOT\" NOT \"OR\""},
	/* Prefixes. */
	{"eco*", 0, "prefix[eco]", "\"eco\" *"},
	{"eco** sys*tem", 0, "prefix[eco] term[sys*tem]", "\"eco\" * AND \"sys*tem\""},
	{"*", 0, "", NULL},
	{"* reef *eco", 0, "term[reef] term[*eco]", "\"reef\" AND \"*eco\""},
	{"reef -eco*", 0, "term[reef] not(prefix[eco])", "\"reef\" NOT \"eco\" *"},
	/* Fields. */
	{"title:whale", 0, "title:term[whale]", "{title} : \"whale\""},
	{"TITLE:whale Summary:krill", 0, "title:term[whale] summary:term[krill]",
	 "{title} : \"whale\" AND {summary} : \"krill\""},
	{"title:\"blue whale\"", 0, "title:phrase[blue whale]", "{title} : \"blue whale\""},
	{"summary:eco* OR text:\"coral reef\"", 0,
	 "any(summary:prefix[eco] text:phrase[coral reef])",
	 "({summary} : \"eco\" * OR {text} : \"coral reef\")"},
	{"reef -text:mining title:-oil", 0,
	 "term[reef] not(text:term[mining]) not(title:term[oil])",
	 "\"reef\" NOT {text} : \"mining\" NOT {title} : \"oil\""},
	{"title:", 0, "", NULL},
	{"title: whale", 0, "term[whale]", "\"whale\""},
	{"title:* -title:", 0, "", NULL},
	{"http://x.org C4.5 -AND", 0, "term[http://x.org] term[C4.5] not(term[AND])",
	 "(\"http://x.org\" AND \"C4.5\") NOT \"AND\""},
	{"title:title:x", 0, "title:term[title:x]", "{title} : \"title:x\""},
	{"foo:bar x: :y", 0, "term[foo:bar] term[x:] term[:y]",
	 "\"foo:bar\" AND \"x:\" AND \":y\""},
	/* Brackets and operator characters of other syntaxes separate words. */
	{"(reef OR lagoon) +coral", 0, "any(term[reef] term[lagoon]) term[coral]",
	 "(\"reef\" OR \"lagoon\") AND \"coral\""},
	{"a&b|c^d~e{f}[g]", 0, "term[a] term[b] term[c] term[d] term[e] term[f] term[g]",
	 "\"a\" AND \"b\" AND \"c\" AND \"d\" AND \"e\" AND \"f\" AND \"g\""},
	{"NEAR(a b, 2) col:x", 0, "term[NEAR] term[a] term[b,] term[2] term[col:x]",
	 "\"NEAR\" AND \"a\" AND \"b,\" AND \"2\" AND \"col:x\""},
	{"- * OR ( ) : \" + ^ ~ {} [] | & -- ** : , . \xe2\x80\x94", 0, "", NULL},
	{"whales \xe2\x80\x94 : ...", 0, "term[whales]", "\"whales\""},
	/* Chinese, Arabic, mixed, Unicode spaces. */
	{"生物多样性 保护", 0, "term[生物多样性] term[保护]", "\"生物多样性\" AND \"保护\""},
	{"生物多样性\xe3\x80\x80保护", 0, "term[生物多样性] term[保护]",
	 "\"生物多样性\" AND \"保护\""},
	{"生物多样性保护", 0, "term[生物多样性保护]", "\"生物多样性保护\""},
	{"\xef\xbc\x82生物多样性 保护\xef\xbc\x82", 0, "phrase[生物多样性 保护]",
	 "\"生物多样性 保护\""},
	{"التنوع البيولوجي", 0, "term[التنوع] term[البيولوجي]", "\"التنوع\" AND \"البيولوجي\""},
	{"\"التنوع البيولوجي\" -البحر", 0, "phrase[التنوع البيولوجي] not(term[البحر])",
	 "\"التنوع البيولوجي\" NOT \"البحر\""},
	{"biodiversité 生物多样性 OR التنوع title:珊瑚*", 0,
	 "term[biodiversité] any(term[生物多样性] term[التنوع]) title:prefix[珊瑚]",
	 "\"biodiversité\" AND (\"生物多样性\" OR \"التنوع\") AND {title} : \"珊瑚\" *"},
	{"coral\xc2\xa0reef\xe2\x80\x8bsea\xe2\x80\x83" "atoll", 0,
	 "term[coral] term[reef] term[sea] term[atoll]",
	 "\"coral\" AND \"reef\" AND \"sea\" AND \"atoll\""},
	/* Control characters and NUL are spaces; invalid UTF-8 bytes are spaces. */
	{"coral\x01reef\x1b\x7f" "sea\r\n", 0, "term[coral] term[reef] term[sea]",
	 "\"coral\" AND \"reef\" AND \"sea\""},
	{"coral\0reef", 10, "term[coral] term[reef]", "\"coral\" AND \"reef\""},
	{"\"coral\0reef\"", 12, "phrase[coral reef]", "\"coral reef\""},
	{"coral\xffreef", 0, "term[coral] term[reef]", "\"coral\" AND \"reef\""},
	{"caf\xe9 \xc0\xaf \xed\xa0\x80x reef\xe4\xb8", 0, "term[caf] term[x] term[reef]",
	 "\"caf\" AND \"x\" AND \"reef\""},
	{"\xc2\x85" "coral\xc2\x9f" "reef", 0, "term[coral] term[reef]",
	 "\"coral\" AND \"reef\""},
	{"", 0, "", NULL},
};

static struct bx_query *parse_or_fail(const char *text, size_t length)
{
	struct bx_query *query = (struct bx_query *)1;
	assert_int_equal(bx_query_parse(text, length, MAX_QUERY, &query), 0);
	assert_non_null(query);
	return query;
}

static void cases_give_exact_tree_and_fts5(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct query_case *c = &cases[i];
		size_t length = c->length ? c->length : strlen(c->input);
		struct bx_query *query = parse_or_fail(c->input, length);
		char *tree = dump_query(query);
		if (strcmp(tree, c->tree) != 0)
			fail_msg("case %zu (%s): tree %s, expected %s", i, c->input, tree, c->tree);
		free(tree);
		struct bx_buf out;
		bx_buf_init(&out, 1 << 16);
		int rc = bx_query_to_fts5(query, &out);
		if (c->fts5) {
			if (rc != 0 || strcmp(out.data, c->fts5) != 0)
				fail_msg("case %zu (%s): rc %d, fts5 %s, expected %s", i, c->input, rc,
				         out.data ? out.data : "(none)", c->fts5);
		} else if (rc != BX_EINVAL || out.len != 0) {
			fail_msg("case %zu (%s): rc %d, expected BX_EINVAL and no output", i, c->input, rc);
		}
		bx_buf_free(&out);
		bx_query_free(query);
	}
}

static void length_over_the_limit_is_refused(void **state)
{
	char text[5001];
	memset(text, 'a', sizeof text - 1);
	text[5000] = '\0';
	struct bx_query *query = (struct bx_query *)1;
	assert_int_equal(bx_query_parse(text, 5000, 4096, &query), BX_ETOOBIG);
	assert_null(query);
	assert_int_equal(bx_query_parse(text, 4097, 4096, &query), BX_ETOOBIG);
	assert_null(query);
	assert_int_equal(bx_query_parse(text, 4096, 4096, &query), 0);
	const struct bx_query_node *root = bx_query_root(query);
	assert_int_equal(root->n_children, 1);
	assert_int_equal(strlen(root->children[0]->text), 4096);
	bx_query_free(query);
	/* Only length bytes are read. */
	assert_int_equal(bx_query_parse("reef OR lagoon", 4, 4096, &query), 0);
	char *tree = dump_query(query);
	assert_string_equal(tree, "term[reef]");
	free(tree);
	bx_query_free(query);
	assert_int_equal(bx_query_parse(NULL, 0, 4096, &query), 0);
	assert_int_equal(bx_query_root(query)->n_children, 0);
	bx_query_free(query);
	bx_query_free(NULL);
}

static void output_appends_and_is_left_alone_on_failure(void **state)
{
	struct bx_query *query = parse_or_fail("coral reef OR lagoon -fishing", 29);
	const char *expected = "(\"coral\" AND (\"reef\" OR \"lagoon\")) NOT \"fishing\"";
	struct bx_buf out;
	bx_buf_init(&out, 1 << 12);
	assert_int_equal(bx_buf_puts(&out, "x MATCH "), 0);
	assert_int_equal(bx_query_to_fts5(query, &out), 0);
	char joined[128];
	snprintf(joined, sizeof joined, "x MATCH %s", expected);
	assert_string_equal(out.data, joined);
	bx_buf_free(&out);
	/* Each cap short of the whole text fails and keeps what was there. */
	for (size_t cap = 3; cap < 3 + strlen(expected); cap++) {
		bx_buf_init(&out, cap);
		assert_int_equal(bx_buf_puts(&out, "abc"), 0);
		assert_int_equal(bx_query_to_fts5(query, &out), BX_ETOOBIG);
		assert_int_equal(out.len, 3);
		assert_string_equal(out.data, "abc");
		bx_buf_free(&out);
	}
	bx_buf_init(&out, 3 + strlen(expected));
	assert_int_equal(bx_buf_puts(&out, "abc"), 0);
	assert_int_equal(bx_query_to_fts5(query, &out), 0);
	bx_buf_free(&out);
	bx_query_free(query);
	/* An empty buffer stays empty when there is nothing to match. */
	query = parse_or_fail("-reef", 5);
	bx_buf_init(&out, 64);
	assert_int_equal(bx_query_to_fts5(query, &out), BX_EINVAL);
	assert_int_equal(out.len, 0);
	bx_buf_free(&out);
	bx_query_free(query);
}

static void inner_quotes_are_doubled(void **state)
{
	/* The parser never leaves '"' in a word; a tree from elsewhere might. */
	struct bx_query_node leaf = {.kind = BX_QUERY_TERM, .text = "say \"hi\" \"\""};
	struct bx_query_node *children[] = {&leaf};
	struct bx_query *query = parse_or_fail("placeholder", 11);
	struct bx_query_node *root = (struct bx_query_node *)bx_query_root(query);
	root->children[0] = children[0];
	struct bx_buf out;
	bx_buf_init(&out, 256);
	assert_int_equal(bx_query_to_fts5(query, &out), 0);
	assert_string_equal(out.data, "\"say \"\"hi\"\" \"\"\"\"\"");
	bx_buf_free(&out);
	bx_query_free(query);
}

/* Checks the shape query.h promises and that every text is valid UTF-8 without control
 * characters or '"'. */
static void check_leaf(const struct bx_query_node *leaf)
{
	assert_true(leaf->kind == BX_QUERY_TERM || leaf->kind == BX_QUERY_PHRASE ||
	            leaf->kind == BX_QUERY_PREFIX);
	assert_non_null(leaf->text);
	assert_true(leaf->text[0] != '\0');
	assert_int_equal(leaf->n_children, 0);
	const unsigned char *s = (const unsigned char *)leaf->text;
	for (size_t i = 0; s[i]; i++) {
		assert_true(s[i] >= 0x20 && s[i] != 0x7f && s[i] != '"');
		if (s[i] >= 0x80) {
			size_t n = s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;
			assert_true(s[i] >= 0xc2 && s[i] <= 0xf4);
			for (size_t j = 1; j < n; j++)
				assert_true((s[i + j] & 0xc0) == 0x80);
			i += n - 1;
		}
	}
}

static void check_shape(const struct bx_query *query)
{
	const struct bx_query_node *root = bx_query_root(query);
	assert_int_equal(root->kind, BX_QUERY_ALL);
	for (size_t i = 0; i < root->n_children; i++) {
		const struct bx_query_node *child = root->children[i];
		if (child->kind == BX_QUERY_ANY) {
			assert_true(child->n_children >= 2);
			for (size_t j = 0; j < child->n_children; j++)
				check_leaf(child->children[j]);
		} else if (child->kind == BX_QUERY_NOT) {
			assert_int_equal(child->n_children, 1);
			check_leaf(child->children[0]);
		} else {
			check_leaf(child);
		}
	}
}

struct fts5_table {
	sqlite3 *db;
	sqlite3_stmt *count;
};

static void open_table(struct fts5_table *table)
{
	static const char *const rows[][3] = {
		{"Coral reef protection", "Reefs and lagoons of the Pacific", "bottom trawling harms coral"},
		{"Whale migration", "Blue whale routes", "krill and fishing"},
		{"Lagoon fishing", "Small scale fishing", "nets"},
		{"生物多样性 保护", "生物多样性 战略", "珊瑚 保护"},
		{"التنوع البيولوجي", "حماية البحر", "الشعاب المرجانية"},
		{"Ecosystem services", "ecology and economy", "eco labels"},
	};
	assert_int_equal(sqlite3_open(":memory:", &table->db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(table->db,
	                              "CREATE VIRTUAL TABLE t USING fts5(title, summary, text)",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *insert;
	assert_int_equal(sqlite3_prepare_v2(table->db, "INSERT INTO t VALUES (?, ?, ?)", -1,
	                                    &insert, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (int column = 0; column < 3; column++)
			sqlite3_bind_text(insert, column + 1, rows[i][column], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(insert), SQLITE_DONE);
		sqlite3_reset(insert);
	}
	sqlite3_finalize(insert);
	assert_int_equal(sqlite3_prepare_v2(table->db, "SELECT count(*) FROM t WHERE t MATCH ?",
	                                    -1, &table->count, NULL), SQLITE_OK);
}

static void close_table(struct fts5_table *table)
{
	sqlite3_finalize(table->count);
	sqlite3_close(table->db);
}

/* Runs the FTS5 text as a MATCH; fails the test on any SQLite error. Returns the count. */
static int match_count(struct fts5_table *table, const char *fts5, const char *input)
{
	sqlite3_reset(table->count);
	sqlite3_bind_text(table->count, 1, fts5, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(table->count);
	if (rc != SQLITE_ROW)
		fail_msg("MATCH %s (from input %s): %s", fts5, input, sqlite3_errmsg(table->db));
	int count = sqlite3_column_int(table->count, 0);
	assert_int_equal(sqlite3_step(table->count), SQLITE_DONE);
	return count;
}

/* Parses length bytes, checks the tree's shape and, when there is something to match,
 * runs it. Returns the count, or -1 for a query with nothing to match. */
static int run_query(struct fts5_table *table, const char *text, size_t length, size_t max)
{
	struct bx_query *query;
	assert_int_equal(bx_query_parse(text, length, max, &query), 0);
	check_shape(query);
	struct bx_buf out;
	bx_buf_init(&out, 1 << 18);
	int rc = bx_query_to_fts5(query, &out);
	int count = -1;
	if (rc == 0)
		count = match_count(table, out.data, text);
	else
		assert_int_equal(rc, BX_EINVAL);
	bx_buf_free(&out);
	bx_query_free(query);
	return count;
}

static void cases_run_in_fts5(void **state)
{
	struct fts5_table table;
	open_table(&table);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct query_case *c = &cases[i];
		int count = run_query(&table, c->input, c->length ? c->length : strlen(c->input),
		                      MAX_QUERY);
		assert_int_equal(count == -1, c->fts5 == NULL);
	}
	close_table(&table);
}

static void queries_find_the_right_rows(void **state)
{
	static const struct {
		const char *input;
		int count;
	} expected[] = {
		{"coral", 1},
		{"fishing", 2},
		{"fishing -krill", 1},
		{"reef OR whale", 2},
		{"lagoon", 1},                  /* no stemming in unicode61: lagoons is not lagoon */
		{"lagoon*", 2},
		{"title:lagoon*", 1},
		{"\"bottom trawling\"", 1},
		{"\"trawling bottom\"", 0},
		{"\"bottom trawling", 1},
		{"eco*", 1},
		{"eco* OR coral -text:krill", 2},
		{"生物多样性 保护", 1},
		{"生物多样性 -珊瑚", 0},
		{"التنوع", 1},
		{"fishing (", 2},
		{"fishing :", 2},
		{"whale title:", 1},
	};
	struct fts5_table table;
	open_table(&table);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		int count = run_query(&table, expected[i].input, strlen(expected[i].input), MAX_QUERY);
		if (count != expected[i].count)
			fail_msg("%s: %d rows, expected %d", expected[i].input, count, expected[i].count);
	}
	close_table(&table);
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Thousands of inputs made of operators, quotes, fields, FTS5 syntax, scripts, control
 * characters and broken UTF-8, plus raw random bytes: each parses, has the promised
 * shape, and its FTS5 text runs without an SQLite error. */
static void hostile_inputs_never_reach_fts5_as_syntax(void **state)
{
	static const char *const pieces[] = {
		"\"", "-", "*", "OR", "AND", "NOT", "NEAR", "(", ")", ":", "title:", "summary:",
		"text:", "{", "}", "[", "]", "^", "+", "|", "&", "~", ",", ".", "'", " ", "  ",
		"\t", "\n", "\x01", "\x7f", "\xff", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf",
		"\xe3\x80\x80", "\xc2\xa0", "\xe2\x80\x9c", "生物多样性", "保护", "التنوع", "reef",
		"a", "x", "9", "rank", "col", "{title summary}", "NEAR(", "\\", "%", "_", "$",
		"\xf0\x9f\x90\x8b", "\xef\xbc\x82", "-\"", "\"-", "**", "OR OR", "- -", "\0",
	};
	const size_t n_pieces = sizeof pieces / sizeof pieces[0];
	struct fts5_table table;
	open_table(&table);
	uint64_t random_state = 0x9e3779b97f4a7c15u;
	char text[8192];
	for (int round = 0; round < 4000; round++) {
		size_t length = 0;
		size_t n = 1 + next_random(&random_state) % 24;
		for (size_t i = 0; i < n; i++) {
			size_t which = next_random(&random_state) % n_pieces;
			size_t piece_length = which == n_pieces - 1 ? 1 : strlen(pieces[which]);
			memcpy(text + length, pieces[which], piece_length);
			length += piece_length;
		}
		(void)run_query(&table, text, length, MAX_QUERY);
	}
	for (int round = 0; round < 2000; round++) {
		size_t length = next_random(&random_state) % 64;
		for (size_t i = 0; i < length; i++)
			text[i] = (char)next_random(&random_state);
		(void)run_query(&table, text, length, MAX_QUERY);
	}
	/* 5,000 characters: alternating operators and words, only operators, only quotes,
	 * deeply "nested" brackets and quotes. */
	static const char *const long_patterns[] = {
		"a OR -\"b* title:(c ", "-*\"OR(:)^", "\"", "((((\"a ", "\xff\xe4", "生物 OR ",
	};
	for (size_t p = 0; p < sizeof long_patterns / sizeof long_patterns[0]; p++) {
		size_t pattern_length = strlen(long_patterns[p]);
		for (size_t i = 0; i < 5000; i++)
			text[i] = long_patterns[p][i % pattern_length];
		(void)run_query(&table, text, 5000, 8192);
	}
	close_table(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases_give_exact_tree_and_fts5),
		cmocka_unit_test(length_over_the_limit_is_refused),
		cmocka_unit_test(output_appends_and_is_left_alone_on_failure),
		cmocka_unit_test(inner_quotes_are_doubled),
		cmocka_unit_test(cases_run_in_fts5),
		cmocka_unit_test(queries_find_the_right_rows),
		cmocka_unit_test(hostile_inputs_never_reach_fts5_as_syntax),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
