/* Request metrics (see metrics.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/metrics.h"
#include "http/router.h"

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "other"};
static const int statuses[] = {200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 409, 410, 412, 413,
                               415, 422, 428, 429, 500, 503, 0};
static const double bucket_seconds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                        0.25, 0.5, 1, 2.5, 5};
#define N_METHODS (sizeof methods / sizeof methods[0])
#define N_STATUSES (sizeof statuses / sizeof statuses[0])
#define N_BUCKETS (sizeof bucket_seconds / sizeof bucket_seconds[0])
#define N_ROUTES (BX_MAX_ROUTES + 1)   /* the last one counts unmatched requests */

struct bx_metrics {
	uint64_t requests[N_ROUTES][N_METHODS][N_STATUSES];
	uint64_t buckets[N_BUCKETS];   /* cumulative, as Prometheus wants them */
	uint64_t count;
	uint64_t sum_micros;
};

struct bx_metrics *bx_metrics_new(void)
{
	return calloc(1, sizeof(struct bx_metrics));
}

void bx_metrics_free(struct bx_metrics *metrics)
{
	free(metrics);
}

static void add(uint64_t *counter, uint64_t amount)
{
	__atomic_fetch_add(counter, amount, __ATOMIC_RELAXED);
}

void bx_metrics_observe(struct bx_metrics *metrics, const char *method, int route, int status,
                        int64_t microseconds)
{
	size_t m = N_METHODS - 1, s = N_STATUSES - 1;
	for (size_t i = 0; i + 1 < N_METHODS; i++)
		if (!strcmp(method, methods[i]))
			m = i;
	for (size_t i = 0; i + 1 < N_STATUSES; i++)
		if (statuses[i] == status)
			s = i;
	size_t r = route >= 0 && route < BX_MAX_ROUTES ? (size_t)route : N_ROUTES - 1;
	add(&metrics->requests[r][m][s], 1);
	double seconds = (double)microseconds / 1e6;
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= bucket_seconds[i])
			add(&metrics->buckets[i], 1);
	add(&metrics->count, 1);
	add(&metrics->sum_micros, microseconds > 0 ? (uint64_t)microseconds : 0);
}

static uint64_t read_counter(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

int bx_metrics_write(struct bx_metrics *metrics, struct bx_buf *out)
{
	int rc = bx_buf_puts(out, "# HELP bioex_http_requests_total HTTP requests by method, route and status.\n"
	                     "# TYPE bioex_http_requests_total counter\n");
	for (size_t r = 0; r < N_ROUTES && !rc; r++) {
		const char *route = r + 1 < N_ROUTES ? bx_route_pattern((int)r) : "unmatched";
		for (size_t m = 0; m < N_METHODS && route && !rc; m++) {
			for (size_t s = 0; s < N_STATUSES && !rc; s++) {
				uint64_t n = read_counter(&metrics->requests[r][m][s]);
				if (!n)
					continue;
				char status[8];
				snprintf(status, sizeof status, "%d", statuses[s]);
				rc = bx_buf_printf(out, "bioex_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
				                   methods[m], route, statuses[s] ? status : "other", (unsigned long long)n);
			}
		}
	}
	if (!rc)
		rc = bx_buf_puts(out, "# HELP bioex_http_request_duration_seconds Time to answer a request.\n"
		                 "# TYPE bioex_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < N_BUCKETS && !rc; i++)
		rc = bx_buf_printf(out, "bioex_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
		                   bucket_seconds[i], (unsigned long long)read_counter(&metrics->buckets[i]));
	uint64_t count = read_counter(&metrics->count);
	if (!rc)
		rc = bx_buf_printf(out, "bioex_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		                   "bioex_http_request_duration_seconds_sum %.6f\n"
		                   "bioex_http_request_duration_seconds_count %llu\n",
		                   (unsigned long long)count, (double)read_counter(&metrics->sum_micros) / 1e6,
		                   (unsigned long long)count);
	return rc;
}
