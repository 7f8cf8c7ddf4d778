/* The pass over a bioex peer: its changes feed from the saved sequence, page by page.
 * Records come with their meta and are applied as replicas (only when newer); withdrawals
 * withdraw the copy here at the same revision. The cursor is the last sequence applied.
 *
 * Pages are fetched one ahead: while page k is applied here, a fetcher thread asks for
 * and reads page k+1 (it starts from page k's next, known before page k is applied), so
 * the peer's answer time and the reading overlap with the writing. At most two pages are
 * in memory. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "federation/fetch.h"
#include "federation/harvest_internal.h"
#include "federation/harvest_read.h"
#include "util/num.h"

/* One page being fetched and read, on the fetcher thread or the caller's. */
struct fetch_job {
	const struct bx_harvest_run_state *run;
	int64_t since;
	struct bx_changes_page page;
	int rc;
	char error[512];
	pthread_t thread;
	bool threaded;
};

static void job_fail(struct fetch_job *job, int rc, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

static void job_fail(struct fetch_job *job, int rc, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(job->error, sizeof job->error, format, args);
	va_end(args);
	job->rc = rc;
}

static void *fetch_page(void *argument)
{
	struct fetch_job *job = argument;
	const struct bx_harvest_run_state *run = job->run;
	int page_size = run->options->page_size > 0 ? run->options->page_size : BX_HARVEST_PAGE_SIZE;
	char url[2200], problem[300];
	snprintf(url, sizeof url, "%s/api/v1/changes?since=%lld&limit=%d", run->url, (long long)job->since,
	         page_size);
	struct bx_fetch request = {.url = url, .token = run->options->token, .cancel = run->options->cancel};
	struct bx_buf body;
	long status;
	job->rc = bx_fetch(&request, &status, &body, job->error, sizeof job->error);
	if (!job->rc && status != 200)
		job_fail(job, BX_EIO, "%s answered HTTP %ld", url, status);
	if (!job->rc && bx_changes_page_read(body.data ? body.data : "", body.len, job->since, &job->page,
	                                     problem, sizeof problem))
		job_fail(job, BX_EINVAL, "%s is not a page of a bioex changes feed: %s", url, problem);
	bx_buf_free(&body);
	return NULL;
}

/* Starts fetching the page after since, on a thread when one can be had. */
static void start_fetch(struct fetch_job *job, const struct bx_harvest_run_state *run, int64_t since)
{
	memset(job, 0, sizeof *job);
	job->run = run;
	job->since = since;
	job->threaded = pthread_create(&job->thread, NULL, fetch_page, job) == 0;
	if (!job->threaded)
		fetch_page(job);
}

/* Waits for the page; its error goes to the run's result. */
static int finish_fetch(struct fetch_job *job, struct bx_harvest_run_state *run)
{
	if (job->threaded)
		pthread_join(job->thread, NULL);
	job->threaded = false;
	return job->rc ? bx_harvest_fail(run, job->rc, "%s", job->error) : 0;
}

/* Waits for a page that is no longer wanted and drops it. */
static void discard_fetch(struct fetch_job *job)
{
	if (job->threaded)
		pthread_join(job->thread, NULL);
	job->threaded = false;
	bx_changes_page_free(&job->page);
}

/* The lines that apply a page's items; NULL when out of memory. */
static json_t *page_lines(const struct bx_changes_page *page)
{
	json_t *lines = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(page->items, i, item) {
		if (!lines || json_array_append_new(lines, bx_changes_item_line(item))) {
			json_decref(lines);
			return NULL;
		}
	}
	return lines;
}

static int apply_page(struct bx_harvest_run_state *run, const struct bx_changes_page *page)
{
	json_t *lines = page_lines(page);
	if (!lines)
		return bx_harvest_fail(run, BX_ENOMEM, "out of memory for a page of %s", run->url);
	char cursor[24];
	snprintf(cursor, sizeof cursor, "%lld", (long long)page->next);
	int rc = bx_harvest_apply(run, lines, cursor);
	json_decref(lines);
	return rc;
}

static bool cancelled(const struct bx_harvest_run_state *run)
{
	return run->options->cancel && atomic_load(run->options->cancel);
}

int bx_harvest_bioex(struct bx_harvest_run_state *run)
{
	int64_t since = 0;
	if (run->cursor && bx_parse_int64(run->cursor, 0, INT64_MAX, &since))
		since = 0;   /* not a sequence (the peer changed kind): start over; replicas make that safe */
	struct fetch_job jobs[2];
	int current = 0;
	start_fetch(&jobs[current], run, since);
	int rc = finish_fetch(&jobs[current], run);
	while (!rc) {
		struct bx_changes_page *page = &jobs[current].page;
		bool more = page->more;
		if (more)
			start_fetch(&jobs[1 - current], run, page->next);
		rc = cancelled(run) ? bx_harvest_fail(run, BX_EIO, "stopped") : apply_page(run, page);
		bx_changes_page_free(page);
		if (!more)
			break;
		current = 1 - current;
		if (rc) {
			discard_fetch(&jobs[current]);
			break;
		}
		rc = finish_fetch(&jobs[current], run);
	}
	return rc;
}
