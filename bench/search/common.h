/* What the search benchmark's drivers (fts5_bench.c, xapian_bench.cc) share: loading the
 * generated records and queries (NDJSON, see generate.py and queries.py), a clock, and a
 * runner that sends the queries from N threads for a bounded time and measures queries
 * per second and latency percentiles. The drivers print the same result lines, which
 * bench/search/run.sh reads. */
#ifndef BX_BENCH_COMMON_H
#define BX_BENCH_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BX_BENCH_MAX_THREADS 16
#define BX_BENCH_USAGE \
	"--db PATH --records FILE.ndjson --queries FILE.ndjson [--seconds N] [--threads 1,2] [--keep]"

/* The drivers' command line: where the index goes, the inputs, how long each timed run
 * lasts (default 10 s) and with how many threads (default 1 then 2). With --keep, an index
 * built at PATH is kept, with PATH.stamp holding its index line, and a later run with
 * --keep reuses it while the stamp is newer than the records (Xapian takes about 25
 * minutes to index a million records here). */
struct bx_bench_options {
	const char *db_path;
	int keep;
	const char *records_path;
	const char *queries_path;
	double seconds;
	int threads[BX_BENCH_MAX_THREADS];
	int n_threads;
};

/* Fills *options from argv (BX_BENCH_USAGE). Returns 0, or -1 on a missing or bad option. */
int bx_bench_options_parse(int argc, char **argv, struct bx_bench_options *options);

/* One language-tagged string of an lstring field: {"en": "...", "zh": "..."}. */
struct bx_bench_text {
	char *language;
	char *text;
	size_t length;
};

struct bx_bench_lstring {
	struct bx_bench_text *items;
	size_t n_items;
};

struct bx_bench_record {
	char *id;
	char *type;
	struct bx_bench_lstring title, summary, text;
	char **countries;
	size_t n_countries;
	char **instruments;
	size_t n_instruments;
};

struct bx_bench_records {
	struct bx_bench_record *items;
	size_t n_items;
	size_t text_bytes;   /* bytes of title, summary and text, every language */
};

/* A query of queries.py. Absent filters are NULL. */
struct bx_bench_query {
	char *q;
	char *language;
	char *kind;
	char *type;
	char *country;
	char *instrument;
};

struct bx_bench_queries {
	struct bx_bench_query *items;
	size_t n_items;
};

/* Loads every line of path. Returns 0, or -1 after printing why to stderr. The caller
 * releases *out with the matching _free (which accepts a zeroed struct). */
int bx_bench_records_load(const char *path, struct bx_bench_records *out);
void bx_bench_records_free(struct bx_bench_records *records);
int bx_bench_queries_load(const char *path, struct bx_bench_queries *out);
void bx_bench_queries_free(struct bx_bench_queries *queries);

/* The lstring's texts joined with '\n' into a new NUL-terminated string (empty if it has
 * none), or NULL when out of memory. The caller frees it. */
char *bx_bench_lstring_join(const struct bx_bench_lstring *lstring);

/* Seconds on the monotonic clock. */
double bx_bench_now(void);

/* An engine under test. open makes the state of one searching thread (NULL on failure);
 * search runs one query and returns the number of hits it fetched (0 to 20) or a
 * negative number on an error; close releases a state. */
struct bx_bench_engine {
	const char *name;
	void *config;
	void *(*open)(void *config, int thread);
	int (*search)(void *state, const struct bx_bench_query *query);
	void (*close)(void *state);
};

struct bx_bench_result {
	int threads;
	size_t n_queries;    /* queries answered in the timed run */
	size_t n_errors;     /* searches that failed, in the check pass and the timed run */
	size_t n_empty;      /* queries of the list without a hit, in the check pass */
	double seconds;
	double qps, p50_ms, p99_ms;
};

/* First a check pass: every query once, on one thread, not timed (it also warms the
 * caches). Then the timed run: threads each walk the query list from their own offset,
 * round and round, until seconds have passed. Returns 0, or -1 if a thread could not
 * start or open its state. */
int bx_bench_run(const struct bx_bench_engine *engine, const struct bx_bench_queries *queries, int threads,
                 double seconds, struct bx_bench_result *out);

/* Prints the result lines that run.sh reads:
 *   index engine=NAME records=N text_mb=X seconds=S mb_per_s=R size_mb=Z
 *   search engine=NAME threads=T queries=N seconds=S qps=Q p50_ms=A p99_ms=B empty=E errors=F */
void bx_bench_print_index(const char *engine, size_t n_records, size_t text_bytes, double seconds,
                          double size_bytes);
void bx_bench_print_search(const char *engine, const struct bx_bench_result *result);

/* With --keep: returns 1 after printing the index line of PATH.stamp if the index at
 * PATH can be reused, else 0. */
int bx_bench_index_kept(const struct bx_bench_options *options);

/* With --keep, after a build: writes the last index line printed into PATH.stamp. */
void bx_bench_index_keep(const struct bx_bench_options *options);

/* Sum of the sizes of the regular files under path (a file or a directory), in bytes. */
double bx_bench_disk_size(const char *path);

#ifdef __cplusplus
}
#endif

#endif
