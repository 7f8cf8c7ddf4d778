/* Loading records and queries, and the timed multi-threaded query runner of the search
 * benchmark's drivers (see common.h). */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Parses a positive decimal integer up to limit; returns it, or -1. */
static long parse_count(const char *text, long limit)
{
	char *end;
	errno = 0;
	long value = strtol(text, &end, 10);
	if (errno || end == text || *end || value < 1 || value > limit)
		return -1;
	return value;
}

/* Parses a list such as "1,2" into options->threads. */
static int threads_parse(const char *list, struct bx_bench_options *options)
{
	options->n_threads = 0;
	const char *p = list;
	for (;;) {
		char *end;
		errno = 0;
		long threads = strtol(p, &end, 10);
		if (errno || end == p || threads < 1 || threads > 64 || options->n_threads == BX_BENCH_MAX_THREADS)
			return -1;
		options->threads[options->n_threads++] = (int)threads;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

int bx_bench_options_parse(int argc, char **argv, struct bx_bench_options *options)
{
	*options = (struct bx_bench_options){.seconds = 10.0, .threads = {1, 2}, .n_threads = 2};
	for (int i = 1; i < argc; i += 2) {
		const char *name = argv[i], *value = argv[i + 1];
		if (!strcmp(name, "--keep")) {
			options->keep = 1;
			i--;
		} else if (!value)
			return -1;
		else if (!strcmp(name, "--db"))
			options->db_path = value;
		else if (!strcmp(name, "--records"))
			options->records_path = value;
		else if (!strcmp(name, "--queries"))
			options->queries_path = value;
		else if (!strcmp(name, "--seconds")) {
			long seconds = parse_count(value, 3600);
			if (seconds < 0)
				return -1;
			options->seconds = (double)seconds;
		} else if (!strcmp(name, "--threads")) {
			if (threads_parse(value, options))
				return -1;
		} else
			return -1;
	}
	return options->db_path && options->records_path && options->queries_path && options->n_threads ? 0 : -1;
}

double bx_bench_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* A copy of the string member key of object, or NULL when absent or not a string. */
static char *string_member(const json_t *object, const char *key)
{
	const char *value = json_string_value(json_object_get(object, key));
	return value ? strdup(value) : NULL;
}

/* Copies the strings of a JSON array into *out; sets *n. Returns 0 or -1 (no memory). */
static int string_array(const json_t *array, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t size = json_array_size(array);
	if (size == 0)
		return 0;
	*out = calloc(size, sizeof **out);
	if (!*out)
		return -1;
	for (size_t i = 0; i < size; i++) {
		const char *value = json_string_value(json_array_get(array, i));
		if (!value)
			continue;
		if (!((*out)[*n] = strdup(value)))
			return -1;
		(*n)++;
	}
	return 0;
}

/* Copies an lstring object; adds its bytes to *bytes. Returns 0 or -1 (no memory). */
static int lstring(const json_t *object, struct bx_bench_lstring *out, size_t *bytes)
{
	out->items = NULL;
	out->n_items = 0;
	size_t size = json_object_size(object);
	if (size == 0)
		return 0;
	out->items = calloc(size, sizeof *out->items);
	if (!out->items)
		return -1;
	const char *language;
	json_t *value;
	json_object_foreach((json_t *)object, language, value) {
		if (!json_is_string(value))
			continue;
		struct bx_bench_text *item = &out->items[out->n_items];
		item->length = json_string_length(value);
		item->language = strdup(language);
		item->text = malloc(item->length + 1);
		if (!item->language || !item->text) {
			free(item->language);
			free(item->text);
			return -1;
		}
		memcpy(item->text, json_string_value(value), item->length + 1);
		*bytes += item->length;
		out->n_items++;
	}
	return 0;
}

static void lstring_free(struct bx_bench_lstring *lstring)
{
	for (size_t i = 0; i < lstring->n_items; i++) {
		free(lstring->items[i].language);
		free(lstring->items[i].text);
	}
	free(lstring->items);
}

static void strings_free(char **strings, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(strings[i]);
	free(strings);
}

char *bx_bench_lstring_join(const struct bx_bench_lstring *lstring)
{
	size_t size = 1;
	for (size_t i = 0; i < lstring->n_items; i++)
		size += lstring->items[i].length + 1;
	char *joined = malloc(size);
	if (!joined)
		return NULL;
	size_t at = 0;
	for (size_t i = 0; i < lstring->n_items; i++) {
		if (at)
			joined[at++] = '\n';
		memcpy(joined + at, lstring->items[i].text, lstring->items[i].length);
		at += lstring->items[i].length;
	}
	joined[at] = '\0';
	return joined;
}

/* Calls add(line_json, context, line_number) for each JSON line of path. */
static int each_line(const char *path, int (*add)(const json_t *line, void *context, size_t number), void *context)
{
	FILE *file = fopen(path, "r");
	if (!file) {
		perror(path);
		return -1;
	}
	char *line = NULL;
	size_t capacity = 0;
	ssize_t length;
	size_t number = 0;
	int rc = 0;
	while ((length = getline(&line, &capacity, file)) > 0) {
		number++;
		json_error_t error;
		json_t *value = json_loadb(line, (size_t)length, 0, &error);
		if (!value) {
			fprintf(stderr, "%s:%zu: %s\n", path, number, error.text);
			rc = -1;
			break;
		}
		rc = add(value, context, number);
		json_decref(value);
		if (rc) {
			fprintf(stderr, "%s:%zu: out of memory\n", path, number);
			break;
		}
	}
	free(line);
	fclose(file);
	return rc;
}

/* Grows an array of items of size bytes so that it holds one more than *n. */
static int grow(void **items, size_t *capacity, size_t n, size_t size)
{
	if (n < *capacity)
		return 0;
	size_t next = *capacity ? *capacity * 2 : 1024;
	void *grown = realloc(*items, next * size);
	if (!grown)
		return -1;
	*items = grown;
	*capacity = next;
	return 0;
}

struct record_loader {
	struct bx_bench_records *records;
	size_t capacity;
};

static int add_record(const json_t *line, void *context, size_t number)
{
	struct record_loader *loader = context;
	struct bx_bench_records *records = loader->records;
	if (grow((void **)&records->items, &loader->capacity, records->n_items, sizeof *records->items))
		return -1;
	struct bx_bench_record *record = &records->items[records->n_items++];
	memset(record, 0, sizeof *record);
	record->id = string_member(line, "id");
	record->type = string_member(line, "type");
	if (!record->id || !record->type)
		return -1;
	if (lstring(json_object_get(line, "title"), &record->title, &records->text_bytes) ||
	    lstring(json_object_get(line, "summary"), &record->summary, &records->text_bytes) ||
	    lstring(json_object_get(line, "text"), &record->text, &records->text_bytes))
		return -1;
	if (string_array(json_object_get(line, "countries"), &record->countries, &record->n_countries) ||
	    string_array(json_object_get(line, "conventions"), &record->instruments, &record->n_instruments))
		return -1;
	return 0;
}

int bx_bench_records_load(const char *path, struct bx_bench_records *out)
{
	memset(out, 0, sizeof *out);
	struct record_loader loader = {out, 0};
	return each_line(path, add_record, &loader);
}

void bx_bench_records_free(struct bx_bench_records *records)
{
	for (size_t i = 0; i < records->n_items; i++) {
		struct bx_bench_record *record = &records->items[i];
		free(record->id);
		free(record->type);
		lstring_free(&record->title);
		lstring_free(&record->summary);
		lstring_free(&record->text);
		strings_free(record->countries, record->n_countries);
		strings_free(record->instruments, record->n_instruments);
	}
	free(records->items);
	memset(records, 0, sizeof *records);
}

struct query_loader {
	struct bx_bench_queries *queries;
	size_t capacity;
};

static int add_query(const json_t *line, void *context, size_t number)
{
	struct query_loader *loader = context;
	struct bx_bench_queries *queries = loader->queries;
	if (grow((void **)&queries->items, &loader->capacity, queries->n_items, sizeof *queries->items))
		return -1;
	struct bx_bench_query *query = &queries->items[queries->n_items++];
	memset(query, 0, sizeof *query);
	const json_t *filters = json_object_get(line, "filters");
	query->q = string_member(line, "q");
	query->language = string_member(line, "lang");
	query->kind = string_member(line, "kind");
	query->type = string_member(filters, "type");
	query->country = string_member(filters, "country");
	query->instrument = string_member(filters, "instrument");
	return query->q ? 0 : -1;
}

int bx_bench_queries_load(const char *path, struct bx_bench_queries *out)
{
	memset(out, 0, sizeof *out);
	struct query_loader loader = {out, 0};
	return each_line(path, add_query, &loader);
}

void bx_bench_queries_free(struct bx_bench_queries *queries)
{
	for (size_t i = 0; i < queries->n_items; i++) {
		struct bx_bench_query *query = &queries->items[i];
		free(query->q);
		free(query->language);
		free(query->kind);
		free(query->type);
		free(query->country);
		free(query->instrument);
	}
	free(queries->items);
	memset(queries, 0, sizeof *queries);
}

/* One searching thread of the timed run. */
struct worker {
	const struct bx_bench_engine *engine;
	const struct bx_bench_queries *queries;
	pthread_barrier_t *start;
	int thread;
	int threads;
	double deadline;        /* set by the main thread before the barrier opens */
	double *latencies_ms;
	size_t n_latencies;
	size_t capacity;
	size_t n_errors;
	int failed;
};

static void *work(void *argument)
{
	struct worker *worker = argument;
	void *state = worker->engine->open(worker->engine->config, worker->thread);
	worker->failed = state == NULL;
	pthread_barrier_wait(worker->start);
	pthread_barrier_wait(worker->start);
	if (!state)
		return NULL;
	size_t n = worker->queries->n_items;
	size_t next = (size_t)worker->thread * n / (size_t)worker->threads;
	for (;;) {
		double begin = bx_bench_now();
		if (begin >= worker->deadline)
			break;
		int hits = worker->engine->search(state, &worker->queries->items[next]);
		double end = bx_bench_now();
		if (hits < 0)
			worker->n_errors++;
		if (grow((void **)&worker->latencies_ms, &worker->capacity, worker->n_latencies, sizeof(double))) {
			worker->failed = 1;
			break;
		}
		worker->latencies_ms[worker->n_latencies++] = (end - begin) * 1000.0;
		next = (next + 1) % n;
	}
	worker->engine->close(state);
	return NULL;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The p-quantile (0 < p <= 1) of sorted[0..n), nearest rank. */
static double quantile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return 0.0;
	size_t rank = (size_t)(p * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	return sorted[(rank > n ? n : rank) - 1];
}

/* Every query once on one thread, for at most limit seconds: counts empty answers and errors. */
static int check_pass(const struct bx_bench_engine *engine, const struct bx_bench_queries *queries, double limit,
                      struct bx_bench_result *out)
{
	void *state = engine->open(engine->config, 0);
	if (!state)
		return -1;
	double deadline = bx_bench_now() + limit;
	for (size_t i = 0; i < queries->n_items && bx_bench_now() < deadline; i++) {
		int hits = engine->search(state, &queries->items[i]);
		if (hits < 0)
			out->n_errors++;
		else if (hits == 0)
			out->n_empty++;
	}
	engine->close(state);
	return 0;
}

int bx_bench_run(const struct bx_bench_engine *engine, const struct bx_bench_queries *queries, int threads,
                 double seconds, struct bx_bench_result *out)
{
	memset(out, 0, sizeof *out);
	out->threads = threads;
	if (queries->n_items == 0 || threads < 1 || check_pass(engine, queries, 3 * seconds, out))
		return -1;
	struct worker *workers = calloc((size_t)threads, sizeof *workers);
	pthread_t *ids = calloc((size_t)threads, sizeof *ids);
	pthread_barrier_t start;
	int rc = -1, started = 0;
	if (!workers || !ids || pthread_barrier_init(&start, NULL, (unsigned)threads + 1))
		goto out;
	for (started = 0; started < threads; started++) {
		workers[started] = (struct worker){.engine = engine, .queries = queries, .start = &start,
		                                   .thread = started, .threads = threads};
		if (pthread_create(&ids[started], NULL, work, &workers[started]))
			break;
	}
	if (started < threads) {
		/* The started threads wait at the barrier, which can then never open: give up. */
		fprintf(stderr, "%s: could not start thread %d\n", engine->name, started);
		exit(1);
	}
	pthread_barrier_wait(&start);   /* every thread has opened its state */
	double begin = bx_bench_now();
	for (int t = 0; t < threads; t++)
		workers[t].deadline = begin + seconds;
	pthread_barrier_wait(&start);
	size_t total = 0;
	for (int t = 0; t < threads; t++) {
		pthread_join(ids[t], NULL);
		total += workers[t].n_latencies;
	}
	out->seconds = bx_bench_now() - begin;
	double *all = malloc((total ? total : 1) * sizeof *all);
	if (!all)
		goto out;
	rc = 0;
	size_t at = 0;
	for (int t = 0; t < threads; t++) {
		memcpy(all + at, workers[t].latencies_ms, workers[t].n_latencies * sizeof *all);
		at += workers[t].n_latencies;
		out->n_errors += workers[t].n_errors;
		if (workers[t].failed)
			rc = -1;
	}
	qsort(all, total, sizeof *all, compare_doubles);
	out->n_queries = total;
	out->qps = out->seconds > 0 ? (double)total / out->seconds : 0.0;
	out->p50_ms = quantile(all, total, 0.50);
	out->p99_ms = quantile(all, total, 0.99);
	free(all);
	pthread_barrier_destroy(&start);
out:
	for (int t = 0; workers && t < started; t++)
		free(workers[t].latencies_ms);
	free(workers);
	free(ids);
	return rc;
}

/* The last index line printed, for bx_bench_index_keep. */
static char last_index_line[256];

void bx_bench_print_index(const char *engine, size_t n_records, size_t text_bytes, double seconds,
                          double size_bytes)
{
	double text_mb = (double)text_bytes / 1e6;
	snprintf(last_index_line, sizeof last_index_line,
	         "index engine=%s records=%zu text_mb=%.1f seconds=%.2f mb_per_s=%.2f size_mb=%.1f\n", engine,
	         n_records, text_mb, seconds, seconds > 0 ? text_mb / seconds : 0.0, size_bytes / 1e6);
	fputs(last_index_line, stdout);
	fflush(stdout);
}

/* PATH.stamp of the options' index, in buffer. */
static const char *stamp_path(const struct bx_bench_options *options, char *buffer, size_t size)
{
	snprintf(buffer, size, "%s.stamp", options->db_path);
	return buffer;
}

int bx_bench_index_kept(const struct bx_bench_options *options)
{
	char path[4096], line[256];
	struct stat stamp, records, index;
	if (!options->keep)
		return 0;
	if (stat(stamp_path(options, path, sizeof path), &stamp) || stat(options->records_path, &records) ||
	    stat(options->db_path, &index) || stamp.st_mtime < records.st_mtime) {
		unlink(path);   /* the index is about to be rebuilt: a stamp must not outlive it */
		return 0;
	}
	FILE *file = fopen(path, "r");
	if (!file)
		return 0;
	int kept = fgets(line, sizeof line, file) != NULL && !strncmp(line, "index ", 6);
	fclose(file);
	if (kept)
		printf("# the index kept by an earlier run at %s, measured when it was built:\n%s", options->db_path,
		       line);
	fflush(stdout);
	return kept;
}

void bx_bench_index_keep(const struct bx_bench_options *options)
{
	char path[4096];
	if (!options->keep || !last_index_line[0])
		return;
	FILE *file = fopen(stamp_path(options, path, sizeof path), "w");
	if (file) {
		fputs(last_index_line, file);
		fclose(file);
	}
}

void bx_bench_print_search(const char *engine, const struct bx_bench_result *result)
{
	printf("search engine=%s threads=%d queries=%zu seconds=%.2f qps=%.1f p50_ms=%.3f p99_ms=%.3f empty=%zu "
	       "errors=%zu\n",
	       engine, result->threads, result->n_queries, result->seconds, result->qps, result->p50_ms,
	       result->p99_ms, result->n_empty, result->n_errors);
	fflush(stdout);
}

double bx_bench_disk_size(const char *path)
{
	struct stat info;
	if (stat(path, &info))
		return 0.0;
	if (!S_ISDIR(info.st_mode))
		return S_ISREG(info.st_mode) ? (double)info.st_size : 0.0;
	DIR *directory = opendir(path);
	if (!directory)
		return 0.0;
	double total = 0.0;
	struct dirent *entry;
	while ((entry = readdir(directory))) {
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		char child[4096];
		int n = snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
		if (n > 0 && (size_t)n < sizeof child)
			total += bx_bench_disk_size(child);
	}
	closedir(directory);
	return total;
}
