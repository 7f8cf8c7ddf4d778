/* stderr logger (see log.h). One fprintf per line keeps lines whole across threads. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util/error.h"
#include "util/log.h"
#include "util/timeutil.h"

static enum bx_log_level current_level = BX_LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void bx_log_set_level(enum bx_log_level level)
{
	current_level = level;
}

int bx_log_parse_level(const char *name, enum bx_log_level *level)
{
	for (int i = 0; i <= BX_LOG_OFF; i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum bx_log_level)i;
			return 0;
		}
	}
	return BX_EINVAL;
}

void bx_log(enum bx_log_level level, const char *format, ...)
{
	if (level < current_level)
		return;
	char line[4096], stamp[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), stamp);
	va_list args;
	va_start(args, format);
	vsnprintf(line, sizeof line, format, args);
	va_end(args);
	fprintf(stderr, "%s %s %s\n", stamp, level_names[level], line);
}
