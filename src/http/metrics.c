/* Request metrics (see metrics.h), kept under one mutex: a request costs one lock. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/metrics.h"

static const double bucket_seconds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                        0.25, 0.5, 1, 2.5, 5};
#define N_BUCKETS (sizeof bucket_seconds / sizeof bucket_seconds[0])

struct bx_metrics {
	pthread_mutex_t lock;
	json_t *requests;            /* "method route status" -> count */
	uint64_t buckets[N_BUCKETS]; /* cumulative as Prometheus wants them */
	uint64_t count;
	double sum;
};

struct bx_metrics *bx_metrics_new(void)
{
	struct bx_metrics *metrics = calloc(1, sizeof *metrics);
	if (!metrics || !(metrics->requests = json_object())) {
		free(metrics);
		return NULL;
	}
	pthread_mutex_init(&metrics->lock, NULL);
	return metrics;
}

void bx_metrics_free(struct bx_metrics *metrics)
{
	if (!metrics)
		return;
	json_decref(metrics->requests);
	pthread_mutex_destroy(&metrics->lock);
	free(metrics);
}

void bx_metrics_observe(struct bx_metrics *metrics, const char *method, const char *route,
                        int status, int64_t microseconds)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
	const char *label = "other";
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (!strcmp(method, methods[i]))
			label = methods[i];
	/* Only values from fixed sets become labels, so clients cannot grow this table. */
	char key[160];
	snprintf(key, sizeof key, "%s %s %d", label, route[0] ? route : "unmatched", status);
	double seconds = (double)microseconds / 1e6;
	pthread_mutex_lock(&metrics->lock);
	json_t *count = json_object_get(metrics->requests, key);
	if (count)
		json_integer_set(count, json_integer_value(count) + 1);
	else
		json_object_set_new(metrics->requests, key, json_integer(1));
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= bucket_seconds[i])
			metrics->buckets[i]++;
	metrics->count++;
	metrics->sum += seconds;
	pthread_mutex_unlock(&metrics->lock);
}

int bx_metrics_write(struct bx_metrics *metrics, struct bx_buf *out)
{
	int rc = bx_buf_puts(out, "# HELP bioex_http_requests_total HTTP requests by method, route and status.\n"
	                     "# TYPE bioex_http_requests_total counter\n");
	pthread_mutex_lock(&metrics->lock);
	const char *key;
	json_t *count;
	json_object_foreach(metrics->requests, key, count) {
		const char *route = strchr(key, ' '), *status = strrchr(key, ' ');
		if (rc)
			break;
		rc = bx_buf_printf(out, "bioex_http_requests_total{method=\"%.*s\",route=\"%.*s\",status=\"%s\"} %lld\n",
		                   (int)(route - key), key, (int)(status - route - 1), route + 1, status + 1,
		                   (long long)json_integer_value(count));
	}
	if (!rc)
		rc = bx_buf_puts(out, "# HELP bioex_http_request_duration_seconds Time to answer a request.\n"
		                 "# TYPE bioex_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < N_BUCKETS && !rc; i++)
		rc = bx_buf_printf(out, "bioex_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
		                   bucket_seconds[i], (unsigned long long)metrics->buckets[i]);
	if (!rc)
		rc = bx_buf_printf(out, "bioex_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		                   "bioex_http_request_duration_seconds_sum %.6f\n"
		                   "bioex_http_request_duration_seconds_count %llu\n",
		                   (unsigned long long)metrics->count, metrics->sum,
		                   (unsigned long long)metrics->count);
	pthread_mutex_unlock(&metrics->lock);
	return rc;
}
