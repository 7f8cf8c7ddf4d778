/* Request counters by method, route and status, and a latency histogram, for /metrics.
 * Every label comes from a fixed set, so clients cannot grow the table; counting is a
 * few atomic additions, with no lock. */
#ifndef BX_METRICS_H
#define BX_METRICS_H

#include <stdint.h>
#include "util/buf.h"

struct bx_metrics;

struct bx_metrics *bx_metrics_new(void);
void bx_metrics_free(struct bx_metrics *metrics);
/* route: the index of the matched route (router.h), or -1. */
void bx_metrics_observe(struct bx_metrics *metrics, const char *method, int route, int status,
                        int64_t microseconds);
/* Appends the Prometheus text of the request metrics. */
int bx_metrics_write(struct bx_metrics *metrics, struct bx_buf *out);

#endif
