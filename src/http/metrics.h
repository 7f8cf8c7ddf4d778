/* Request counters by route and status and a latency histogram, for /metrics. */
#ifndef BX_METRICS_H
#define BX_METRICS_H

#include <stdint.h>
#include "util/buf.h"

struct bx_metrics;

struct bx_metrics *bx_metrics_new(void);
void bx_metrics_free(struct bx_metrics *metrics);
void bx_metrics_observe(struct bx_metrics *metrics, const char *method, const char *route,
                        int status, int64_t microseconds);
/* Appends the Prometheus text of the request metrics. */
int bx_metrics_write(struct bx_metrics *metrics, struct bx_buf *out);

#endif
