/* Logging to stderr, one line per event, with a UTC timestamp and a level. */
#ifndef BX_LOG_H
#define BX_LOG_H

enum bx_log_level { BX_LOG_DEBUG, BX_LOG_INFO, BX_LOG_WARN, BX_LOG_ERROR, BX_LOG_OFF };

void bx_log_set_level(enum bx_log_level level);
/* Returns 0 and sets *level for "debug", "info", "warn", "error" or "off"; else BX_EINVAL. */
int bx_log_parse_level(const char *name, enum bx_log_level *level);
void bx_log(enum bx_log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
