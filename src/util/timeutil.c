/* UTC time helpers and ISO 8601 checks (see timeutil.h). */
#include <ctype.h>
#include <string.h>
#include "util/timeutil.h"

time_t bx_time_now(void)
{
	return time(NULL);
}

int64_t bx_time_micros(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

void bx_time_iso(time_t when, char out[BX_TIME_ISO_SIZE])
{
	struct tm parts;
	gmtime_r(&when, &parts);
	strftime(out, BX_TIME_ISO_SIZE, "%Y-%m-%dT%H:%M:%SZ", &parts);
}

static int digits(const char *text, int n)
{
	int value = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)text[i]))
			return -1;
		value = value * 10 + (text[i] - '0');
	}
	return value;
}

static bool date_prefix(const char *text)
{
	static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(text) < 10 || text[4] != '-' || text[7] != '-')
		return false;
	int year = digits(text, 4), month = digits(text + 5, 2), day = digits(text + 8, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > month_days[month - 1])
		return false;
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return !(month == 2 && day == 29 && !leap);
}

bool bx_is_date(const char *text)
{
	return date_prefix(text) && text[10] == '\0';
}

bool bx_is_datetime(const char *text)
{
	if (!date_prefix(text) || (text[10] != 'T' && text[10] != 't'))
		return false;
	const char *clock = text + 11;
	if (strlen(clock) < 8 || clock[2] != ':' || clock[5] != ':')
		return false;
	int hour = digits(clock, 2), minute = digits(clock + 3, 2), second = digits(clock + 6, 2);
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
		return false;
	const char *rest = clock + 8;
	if (*rest == '.') {
		rest++;
		if (!isdigit((unsigned char)*rest))
			return false;
		while (isdigit((unsigned char)*rest))
			rest++;
	}
	if ((*rest == 'Z' || *rest == 'z') && rest[1] == '\0')
		return true;
	if ((*rest == '+' || *rest == '-') && strlen(rest) == 6 && rest[3] == ':') {
		int off_hour = digits(rest + 1, 2), off_minute = digits(rest + 4, 2);
		return off_hour >= 0 && off_hour <= 23 && off_minute >= 0 && off_minute <= 59;
	}
	return false;
}

int64_t bx_time_parse_iso(const char *text)
{
	if (!text || strlen(text) != BX_TIME_ISO_SIZE - 1 || text[19] != 'Z' || !bx_is_datetime(text))
		return -1;
	struct tm parts = {
		.tm_year = digits(text, 4) - 1900, .tm_mon = digits(text + 5, 2) - 1,
		.tm_mday = digits(text + 8, 2), .tm_hour = digits(text + 11, 2),
		.tm_min = digits(text + 14, 2), .tm_sec = digits(text + 17, 2),
	};
	return (int64_t)timegm(&parts);
}
