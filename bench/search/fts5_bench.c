/* The SQLite FTS5 peer of the search benchmark: indexes the generated records in a
 * contentless FTS5 table (title, summary, text; every language of a field joined) with
 * bioex's own tokenizer "bioex", and the filter values in plain tables; then runs the
 * queries ranked by bm25 (title 10, summary 5, text 1), top 20, on 1 and more threads.
 * Prints the lines of common.h.
 *
 * usage: fts5_bench --db FILE --records FILE.ndjson --queries FILE.ndjson
 *                   [--seconds N] [--threads 1,2] */
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "text/tokenize.h"

#define MATCH_MAX 4096
#define BATCH 10000

enum filter { FILTER_TYPE = 1, FILTER_COUNTRY = 2, FILTER_INSTRUMENT = 4, N_SHAPES = 8 };


/* The state of one searching thread: its connection and statements. */
struct searcher {
	sqlite3 *db;
	sqlite3_stmt *shapes[N_SHAPES];   /* prepared on first use, by filter mask */
	sqlite3_stmt *record_id;
};

static atomic_int errors_printed;

static void report_error(sqlite3 *db, const char *what)
{
	if (atomic_fetch_add(&errors_printed, 1) < 5)
		fprintf(stderr, "fts5: %s: %s\n", what, sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql)
{
	char *message = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
		fprintf(stderr, "fts5: %s: %s\n", sql, message ? message : "?");
		sqlite3_free(message);
		return -1;
	}
	return 0;
}

static int open_db(const char *path, int flags, sqlite3 **out)
{
	if (sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "fts5: %s: %s\n", path, sqlite3_errmsg(*out));
		return -1;
	}
	if (bx_tokenize_register_fts5(*out)) {
		fprintf(stderr, "fts5: cannot register the bioex tokenizer\n");
		return -1;
	}
	return 0;
}

static int step_done(sqlite3 *db, sqlite3_stmt *statement)
{
	int rc = sqlite3_step(statement);
	sqlite3_reset(statement);
	if (rc != SQLITE_DONE) {
		report_error(db, "insert");
		return -1;
	}
	return 0;
}

/* Inserts record number rowid into the FTS5 table and the filter tables. */
static int insert_record(sqlite3 *db, sqlite3_stmt *const statements[4], sqlite3_int64 rowid,
                         const struct bx_bench_record *record)
{
	sqlite3_stmt *text = statements[0], *row = statements[1], *country = statements[2],
	             *instrument = statements[3];
	const struct bx_bench_lstring *fields[3] = {&record->title, &record->summary, &record->text};
	sqlite3_bind_int64(text, 1, rowid);
	for (int f = 0; f < 3; f++) {
		char *joined = bx_bench_lstring_join(fields[f]);
		if (!joined)
			return -1;
		sqlite3_bind_text(text, f + 2, joined, -1, free);
	}
	if (step_done(db, text))
		return -1;
	sqlite3_bind_int64(row, 1, rowid);
	sqlite3_bind_text(row, 2, record->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(row, 3, record->type, -1, SQLITE_STATIC);
	if (step_done(db, row))
		return -1;
	for (size_t i = 0; i < record->n_countries; i++) {
		sqlite3_bind_int64(country, 1, rowid);
		sqlite3_bind_text(country, 2, record->countries[i], -1, SQLITE_STATIC);
		if (step_done(db, country))
			return -1;
	}
	for (size_t i = 0; i < record->n_instruments; i++) {
		sqlite3_bind_int64(instrument, 1, rowid);
		sqlite3_bind_text(instrument, 2, record->instruments[i], -1, SQLITE_STATIC);
		if (step_done(db, instrument))
			return -1;
	}
	return 0;
}

/* Creates the database at path from records, timed; prints the index line. */
static int build_index(const char *path, const struct bx_bench_records *records)
{
	static const char *const schema =
		"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072;"
		"CREATE TABLE rec(id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, type TEXT NOT NULL);"
		"CREATE TABLE rec_country(rid INTEGER, country TEXT, PRIMARY KEY(rid, country)) WITHOUT ROWID;"
		"CREATE TABLE rec_instrument(rid INTEGER, instrument TEXT, PRIMARY KEY(rid, instrument)) WITHOUT ROWID;"
		"CREATE VIRTUAL TABLE t USING fts5(title, summary, text, content='', tokenize='bioex');";
	static const char *const inserts[4] = {
		"INSERT INTO t(rowid, title, summary, text) VALUES (?1, ?2, ?3, ?4)",
		"INSERT INTO rec(id, record_id, type) VALUES (?1, ?2, ?3)",
		"INSERT INTO rec_country(rid, country) VALUES (?1, ?2)",
		"INSERT INTO rec_instrument(rid, instrument) VALUES (?1, ?2)",
	};
	sqlite3 *db = NULL;
	sqlite3_stmt *statements[4] = {0};
	int rc = -1;
	double begin = 0.0, end = 0.0;
	unlink(path);
	if (open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db) || exec(db, schema))
		goto out;
	for (int i = 0; i < 4; i++)
		if (sqlite3_prepare_v2(db, inserts[i], -1, &statements[i], NULL) != SQLITE_OK) {
			report_error(db, inserts[i]);
			goto out;
		}
	begin = bx_bench_now();
	for (size_t i = 0; i < records->n_items; i++) {
		if (i % BATCH == 0 && exec(db, i ? "COMMIT; BEGIN" : "BEGIN"))
			goto out;
		if (insert_record(db, statements, (sqlite3_int64)i + 1, &records->items[i]))
			goto out;
	}
	if (exec(db, "COMMIT"))
		goto out;
	double inserted = bx_bench_now();
	if (exec(db, "INSERT INTO t(t) VALUES ('optimize')"))
		goto out;
	end = bx_bench_now();
	printf("# fts5: inserts %.2f s, optimize %.2f s\n", inserted - begin, end - inserted);
	rc = 0;
out:
	for (int i = 0; i < 4; i++)
		sqlite3_finalize(statements[i]);
	sqlite3_close(db);
	if (rc == 0)
		bx_bench_print_index("fts5", records->n_items, records->text_bytes, end - begin,
		                     bx_bench_disk_size(path));
	return rc;
}

/* Appends text[0..length) to the MATCH buffer as an FTS5 string, inner '"' doubled. */
static int append_string(char *match, size_t *at, const char *text, size_t length)
{
	if (length == 0)
		return 0;
	if (*at + 2 * length + 8 >= MATCH_MAX)
		return -1;
	if (*at) {
		memcpy(match + *at, " AND ", 5);
		*at += 5;
	}
	match[(*at)++] = '"';
	for (size_t i = 0; i < length; i++) {
		if (text[i] == '"')
			match[(*at)++] = '"';
		match[(*at)++] = text[i];
	}
	match[(*at)++] = '"';
	match[*at] = '\0';
	return 0;
}

/* Writes the FTS5 MATCH text of a query of words and "phrases": each word and each phrase
 * an FTS5 string, all joined with AND (as bioex's query_fts5.c writes them). */
static int to_match(const char *q, char match[MATCH_MAX])
{
	size_t at = 0;
	int in_phrase = 0;
	match[0] = '\0';
	const char *p = q;
	while (*p) {
		if (*p == '"') {
			in_phrase = !in_phrase;
			p++;
			continue;
		}
		size_t length = in_phrase ? strcspn(p, "\"") : strcspn(p, "\" \t\n");
		if (append_string(match, &at, p, length))
			return -1;
		p += length;
		while (!in_phrase && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
	}
	return at ? 0 : -1;
}

static sqlite3_stmt *shape_statement(struct searcher *searcher, int mask)
{
	if (searcher->shapes[mask])
		return searcher->shapes[mask];
	char sql[1024];
	int n = snprintf(sql, sizeof sql,
	                 "SELECT t.rowid FROM t%s WHERE t MATCH ?1%s%s%s ORDER BY bm25(t, 10.0, 5.0, 1.0) LIMIT 20",
	                 mask & FILTER_TYPE ? " CROSS JOIN rec r ON r.id = t.rowid" : "",
	                 mask & FILTER_TYPE ? " AND r.type = ?2" : "",
	                 mask & FILTER_COUNTRY ?
	                         " AND EXISTS (SELECT 1 FROM rec_country c WHERE c.rid = t.rowid AND c.country = ?3)" :
	                         "",
	                 mask & FILTER_INSTRUMENT ? " AND EXISTS (SELECT 1 FROM rec_instrument i WHERE i.rid = t.rowid"
	                                            " AND i.instrument = ?4)" :
	                                            "");
	if (n < 0 || (size_t)n >= sizeof sql)
		return NULL;
	if (sqlite3_prepare_v2(searcher->db, sql, -1, &searcher->shapes[mask], NULL) != SQLITE_OK) {
		report_error(searcher->db, sql);
		return NULL;
	}
	return searcher->shapes[mask];
}

static void *open_searcher(void *config, int thread)
{
	struct searcher *searcher = calloc(1, sizeof *searcher);
	if (!searcher)
		return NULL;
	if (open_db(config, SQLITE_OPEN_READONLY, &searcher->db) ||
	    sqlite3_prepare_v2(searcher->db, "SELECT record_id FROM rec WHERE id = ?1", -1, &searcher->record_id,
	                       NULL) != SQLITE_OK) {
		sqlite3_close(searcher->db);
		free(searcher);
		return NULL;
	}
	return searcher;
}

static void close_searcher(void *state)
{
	struct searcher *searcher = state;
	if (!searcher)
		return;
	for (int i = 0; i < N_SHAPES; i++)
		sqlite3_finalize(searcher->shapes[i]);
	sqlite3_finalize(searcher->record_id);
	sqlite3_close(searcher->db);
	free(searcher);
}

/* Runs one query; fetches the record id of each of the top 20. Returns the hits or -1. */
static int search(void *state, const struct bx_bench_query *query)
{
	struct searcher *searcher = state;
	char match[MATCH_MAX];
	if (to_match(query->q, match))
		return 0;
	int mask = (query->type ? FILTER_TYPE : 0) | (query->country ? FILTER_COUNTRY : 0) |
	           (query->instrument ? FILTER_INSTRUMENT : 0);
	sqlite3_stmt *statement = shape_statement(searcher, mask);
	if (!statement)
		return -1;
	sqlite3_bind_text(statement, 1, match, -1, SQLITE_STATIC);
	if (query->type)
		sqlite3_bind_text(statement, 2, query->type, -1, SQLITE_STATIC);
	if (query->country)
		sqlite3_bind_text(statement, 3, query->country, -1, SQLITE_STATIC);
	if (query->instrument)
		sqlite3_bind_text(statement, 4, query->instrument, -1, SQLITE_STATIC);
	int hits = 0, rc;
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		sqlite3_bind_int64(searcher->record_id, 1, sqlite3_column_int64(statement, 0));
		if (sqlite3_step(searcher->record_id) == SQLITE_ROW && sqlite3_column_bytes(searcher->record_id, 0) > 0)
			hits++;
		sqlite3_reset(searcher->record_id);
	}
	if (rc != SQLITE_DONE)
		report_error(searcher->db, match);
	sqlite3_reset(statement);
	sqlite3_clear_bindings(statement);
	return rc == SQLITE_DONE ? hits : -1;
}

int main(int argc, char **argv)
{
	struct bx_bench_options options;
	if (bx_bench_options_parse(argc, argv, &options)) {
		fprintf(stderr, "usage: fts5_bench %s\n", BX_BENCH_USAGE);
		return 2;
	}
	/* As bioex does: SQLite's memory statistics take a global mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct bx_bench_records records;
	struct bx_bench_queries queries;
	int rc = 1;
	records = (struct bx_bench_records){0};
	if (bx_bench_queries_load(options.queries_path, &queries))
		return 1;
	if (!bx_bench_index_kept(&options)) {
		if (bx_bench_records_load(options.records_path, &records) || build_index(options.db_path, &records))
			goto out;
		bx_bench_index_keep(&options);
		bx_bench_records_free(&records);
	}
	struct bx_bench_engine engine = {"fts5", (void *)options.db_path, open_searcher, search, close_searcher};
	for (int i = 0; i < options.n_threads; i++) {
		struct bx_bench_result result;
		if (bx_bench_run(&engine, &queries, options.threads[i], options.seconds, &result))
			goto out;
		bx_bench_print_search("fts5", &result);
	}
	rc = 0;
out:
	bx_bench_records_free(&records);
	bx_bench_queries_free(&queries);
	return rc;
}
