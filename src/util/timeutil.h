/* Time as the record format writes it: UTC, ISO 8601, second precision. */
#ifndef BX_TIMEUTIL_H
#define BX_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define BX_TIME_ISO_SIZE 21   /* "2026-11-21T09:30:00Z" + NUL */

time_t bx_time_now(void);
/* Microseconds from a monotonic clock, for measuring durations. */
int64_t bx_time_micros(void);
void bx_time_iso(time_t when, char out[BX_TIME_ISO_SIZE]);
/* Parses a time as bx_time_iso writes it ("2026-11-21T09:30:00Z") into Unix seconds;
 * -1 for anything else. */
int64_t bx_time_parse_iso(const char *text);
/* True for a real calendar date "YYYY-MM-DD". */
bool bx_is_date(const char *text);
/* True for an RFC 3339 date-time: date "T" hh:mm:ss[.frac] ("Z" | ±hh:mm). */
bool bx_is_datetime(const char *text);

#endif
