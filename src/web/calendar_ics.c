/* The iCalendar feed (RFC 5545) of the published meetings at /calendar.ics: one VEVENT
 * per meeting, all-day dates, titles and places in the language asked for (?lang=, else
 * English, else the first language a record has). Content lines end in CRLF and are
 * folded at 75 octets between characters; text values escape \ ; , and newlines.
 * docs/web.md gives the decisions (UID, DTSTAMP, URL). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "http/handlers.h"
#include "http/server.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "web/calendar.h"
#include "web/i18n.h"

#define FEED_MAX (16 * 1024 * 1024)
#define LINE_OCTETS 75
#define DESCRIPTION_MAX 2000
#define HOST_MAX 255

/* A feed being written: the folded output and the content line being built. The error
 * is sticky, as the HTML writer's is. */
struct feed {
	struct bx_buf out;
	struct bx_buf line;
	int error;
};

static void line_add(struct feed *feed, const char *bytes, size_t length)
{
	if (!feed->error)
		feed->error = bx_buf_append(&feed->line, bytes, length);
}

static void line_puts(struct feed *feed, const char *text)
{
	line_add(feed, text, strlen(text));
}

/* Adds text as a TEXT value: backslash, semicolon, comma and newline escaped, carriage
 * returns and other control characters dropped. At most max bytes of text, cut between
 * characters. */
static void line_text(struct feed *feed, const char *text, size_t max)
{
	size_t length = strlen(text);
	if (length > max) {
		length = max;
		while (length && ((unsigned char)text[length] & 0xC0) == 0x80)
			length--;
	}
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\\' || c == ';' || c == ',') {
			char escaped[2] = {'\\', (char)c};
			line_add(feed, escaped, 2);
		} else if (c == '\n') {
			line_add(feed, "\\n", 2);
		} else if (c >= 0x20 && c != 0x7F) {
			line_add(feed, text + i, 1);
		}
	}
}

/* Ends the content line: writes it folded (CRLF and a space before the octet that would
 * pass 75, never inside a UTF-8 sequence) and CRLF. */
static void line_end(struct feed *feed)
{
	const char *line = feed->line.data ? feed->line.data : "";
	size_t length = feed->line.len, used = 0;
	for (size_t i = 0; i < length && !feed->error;) {
		size_t n = 1;
		while (i + n < length && ((unsigned char)line[i + n] & 0xC0) == 0x80)
			n++;
		if (used + n > LINE_OCTETS) {
			feed->error = bx_buf_append(&feed->out, "\r\n ", 3);
			used = 1;
		}
		if (!feed->error)
			feed->error = bx_buf_append(&feed->out, line + i, n);
		used += n;
		i += n;
	}
	if (!feed->error)
		feed->error = bx_buf_append(&feed->out, "\r\n", 2);
	bx_buf_reset(&feed->line);
}

/* A whole line "NAME:VALUE" whose value needs no escaping. */
static void line_plain(struct feed *feed, const char *name, const char *value)
{
	line_puts(feed, name);
	line_puts(feed, ":");
	line_puts(feed, value);
	line_end(feed);
}

/* The text of lstring in lang, else English, else its first language; NULL when none. */
static const char *text_in(const json_t *lstring, const char *lang)
{
	const char *order[] = {lang, "en"};
	for (size_t i = 0; i < 2; i++) {
		const char *text = json_string_value(json_object_get(lstring, order[i]));
		if (text && *text)
			return text;
	}
	const char *language;
	json_t *value;
	json_object_foreach((json_t *)lstring, language, value)
		if (json_string_value(value) && *json_string_value(value))
			return json_string_value(value);
	return NULL;
}

/* "20261121" from "2026-11-21", moved on by days. */
static void ics_date(const char *date, int days, char out[9])
{
	struct tm day = {0};
	snprintf(out, 9, "19700101");
	if (sscanf(date, "%4d-%2d-%2d", &day.tm_year, &day.tm_mon, &day.tm_mday) != 3)
		return;
	day.tm_year -= 1900;
	day.tm_mon -= 1;
	time_t when = timegm(&day) + (time_t)days * 86400;
	struct tm moved;
	gmtime_r(&when, &moved);
	strftime(out, 9, "%Y%m%d", &moved);
}

/* "20261121T093000Z" from the ISO time "2026-11-21T09:30:00Z", else from now. */
static void ics_stamp(const char *iso, char out[17])
{
	int64_t when = bx_time_parse_iso(iso);
	time_t seconds = when < 0 ? bx_time_now() : (time_t)when;
	struct tm utc;
	gmtime_r(&seconds, &utc);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &utc);
}

/* "http://HOST" from the Host header when it holds only host[:port] characters, else "". */
static void base_url(const struct bx_request *request, char *out, size_t size)
{
	const char *host = bx_request_header(request, "Host");
	size_t length = host ? strlen(host) : 0;
	bool good = length > 0 && length <= HOST_MAX &&
	            strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == length;
	snprintf(out, size, "%s%s", good ? "http://" : "", good ? host : "");
}

static void write_event(struct feed *feed, const struct bx_event *event, const char *lang, const char *base)
{
	const json_t *record = event->record, *fields = json_object_get(record, "fields");
	const char *id = json_string_value(json_object_get(record, "id"));
	const json_t *meta = json_object_get(record, "meta");
	char start[9], end[9], stamp[17];
	ics_date(event->start, 0, start);
	ics_date(event->end, 1, end);   /* DTEND of an all-day event is the day after the last */
	ics_stamp(json_string_value(json_object_get(meta, "updated")), stamp);
	line_plain(feed, "BEGIN", "VEVENT");
	line_puts(feed, "UID:");
	line_text(feed, id, SIZE_MAX);
	line_puts(feed, "@bioex");
	line_end(feed);
	line_plain(feed, "DTSTAMP", stamp);
	line_plain(feed, "LAST-MODIFIED", stamp);
	line_plain(feed, "DTSTART;VALUE=DATE", start);
	line_plain(feed, "DTEND;VALUE=DATE", end);
	const char *title = text_in(json_object_get(record, "title"), lang);
	line_puts(feed, "SUMMARY:");
	line_text(feed, title ? title : id, SIZE_MAX);
	line_end(feed);
	const char *place = text_in(json_object_get(fields, "place"), lang);
	const char *city = text_in(json_object_get(fields, "city"), lang);
	if (place || city) {
		line_puts(feed, "LOCATION:");
		line_text(feed, place ? place : city, SIZE_MAX);
		if (place && city) {
			line_puts(feed, "\\, ");
			line_text(feed, city, SIZE_MAX);
		}
		line_end(feed);
	}
	const char *summary = text_in(json_object_get(record, "summary"), lang);
	if (summary) {
		line_puts(feed, "DESCRIPTION:");
		line_text(feed, summary, DESCRIPTION_MAX);
		line_end(feed);
	}
	if (*base) {
		/* record ids hold only A-Z a-z 0-9 . _ - and ':', all allowed in a URI path */
		line_puts(feed, "URL:");
		line_puts(feed, base);
		line_puts(feed, "/");
		line_puts(feed, lang);
		line_puts(feed, "/records/");
		line_puts(feed, id);
		line_end(feed);
	}
	line_plain(feed, "TRANSP", "TRANSPARENT");
	line_plain(feed, "END", "VEVENT");
}

static void write_feed(struct feed *feed, const struct bx_request *request, const struct bx_calendar *calendar,
                       const char *lang)
{
	char base[HOST_MAX + 8];
	base_url(request, base, sizeof base);
	line_plain(feed, "BEGIN", "VCALENDAR");
	line_plain(feed, "VERSION", "2.0");
	line_plain(feed, "PRODID", "-//bioex//bioex clearing-house//EN");
	line_plain(feed, "CALSCALE", "GREGORIAN");
	line_plain(feed, "METHOD", "PUBLISH");
	line_puts(feed, "X-WR-CALNAME:");
	line_text(feed, request->node->name ? request->node->name : request->node->slug, SIZE_MAX);
	line_end(feed);
	for (size_t i = 0; i < calendar->n_events; i++)
		write_event(feed, &calendar->events[i], lang, base);
	line_plain(feed, "END", "VCALENDAR");
}

void bx_web_calendar_ics(struct bx_request *request, struct bx_response *response)
{
	const char *lang = bx_request_query(request, "lang");
	struct bx_calendar_filter filter;
	if (lang && bx_language_index(lang) < 0) {
		bx_reply_error(response, BX_EINVAL, "lang: expected ar, en, es, fr, ru or zh", NULL);
		return;
	}
	if (bx_calendar_filter_read(request, false, &filter)) {
		bx_reply_error(response, BX_EINVAL, "instrument, body: expected a term of the instruments or bodies "
		               "vocabulary", NULL);
		return;
	}
	struct bx_calendar calendar;
	int rc = bx_calendar_read(request, &filter, &calendar);
	struct feed feed = {.error = rc};
	bx_buf_init(&feed.out, FEED_MAX);
	bx_buf_init(&feed.line, FEED_MAX);
	if (!rc)
		write_feed(&feed, request, &calendar, lang ? lang : "en");
	bx_calendar_free(&calendar);
	bx_buf_free(&feed.line);
	if (feed.error) {
		bx_buf_free(&feed.out);
		bx_reply_error(response, feed.error, NULL, NULL);
		return;
	}
	size_t length = feed.out.len;
	bx_reply_owned(response, 200, "text/calendar; charset=utf-8", bx_buf_steal(&feed.out), length);
	if (bx_response_header(response, "Cache-Control", "public, max-age=300"))
		bx_reply_error(response, BX_ENOMEM, NULL, NULL);
}
