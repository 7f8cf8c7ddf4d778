/* The calendar page: the published meetings and deadlines (calendar.h), upcoming ones
 * first and soonest first, then past ones latest first, grouped by month (named in the
 * page's language by ICU), filtered by instrument and body, with the iCalendar feed's
 * address. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ustring.h>
#include "http/server.h"
#include "util/timeutil.h"
#include "web/calendar.h"
#include "web/page.h"

#define PAST_SHOWN 100
#define MONTH_SIZE 96

static const char *const kind_keys[] = {
	[BX_EVENT_MEETING] = "calendar.meeting",
	[BX_EVENT_DOCUMENTS_DUE] = "calendar.documents_due",
	[BX_EVENT_REPORT_DUE] = "calendar.report_due",
	[BX_EVENT_NEED_DEADLINE] = "calendar.need_deadline",
};

/* Month names ("November 2026", "2026年11月") in the page's language, by ICU. */
struct months {
	UDateFormat *format;   /* NULL when ICU could not make one: then "2026-11" */
};

static void months_open(struct months *months, const char *lang)
{
	UErrorCode status = U_ZERO_ERROR;
	UChar pattern[64], skeleton[8];
	months->format = NULL;
	u_uastrcpy(skeleton, "yMMMM");
	UDateTimePatternGenerator *generator = udatpg_open(lang, &status);
	int32_t length = U_SUCCESS(status) ? udatpg_getBestPattern(generator, skeleton, -1, pattern, 64, &status) : 0;
	udatpg_close(generator);
	if (U_FAILURE(status) || length <= 0 || length >= 64)
		return;
	UChar utc[4];
	u_uastrcpy(utc, "UTC");
	months->format = udat_open(UDAT_PATTERN, UDAT_PATTERN, lang, utc, -1, pattern, length, &status);
	if (U_FAILURE(status)) {
		udat_close(months->format);
		months->format = NULL;
	}
}

static void months_close(struct months *months)
{
	if (months->format)
		udat_close(months->format);
}

/* The name of the month of date ("2026-11-21") in out. */
static void month_name(const struct months *months, const char *date, char out[MONTH_SIZE])
{
	snprintf(out, MONTH_SIZE, "%.7s", date);
	struct tm day = {.tm_mday = 15};
	if (!months->format || sscanf(date, "%4d-%2d", &day.tm_year, &day.tm_mon) != 2)
		return;
	day.tm_year -= 1900;
	day.tm_mon -= 1;
	UChar text[MONTH_SIZE / 2];
	UErrorCode status = U_ZERO_ERROR;
	int32_t length = udat_format(months->format, (UDate)timegm(&day) * 1000.0, text, MONTH_SIZE / 2, NULL,
	                             &status);
	char name[MONTH_SIZE];
	if (U_SUCCESS(status) && length < MONTH_SIZE / 2) {
		u_strToUTF8(name, MONTH_SIZE, NULL, text, length, &status);
		if (U_SUCCESS(status) && status != U_STRING_NOT_TERMINATED_WARNING)
			snprintf(out, MONTH_SIZE, "%s", name);
	}
}

struct options {
	struct bx_page *page;
	const char *vocabulary;
	const char *selected;
};

static int write_option(void *context, const char *term_json)
{
	struct options *options = context;
	struct bx_html *html = &options->page->html;
	json_t *term = json_loads(term_json, 0, NULL);
	const char *id = json_string_value(json_object_get(term, "id"));
	if (id) {
		bx_html_raw(html, "<option");
		bx_html_attr(html, "value", id);
		bx_html_raw(html, options->selected && !strcmp(options->selected, id) ? " selected>" : ">");
		bx_html_text(html, bx_page_label(options->page, options->vocabulary, id));
		bx_html_raw(html, " (");
		bx_html_text(html, id);
		bx_html_raw(html, ")</option>");
	}
	json_decref(term);
	return 0;
}

static void write_select(struct bx_page *page, const char *name, const char *vocabulary, const char *label_key,
                         const char *selected)
{
	struct bx_html *html = &page->html;
	bx_html_rawf(html, "<label for=\"calendar-%s\">", name);
	bx_html_text(html, bx_page_text(page, label_key));
	bx_html_rawf(html, "</label> <select id=\"calendar-%s\" name=\"%s\"><option value=\"\">", name, name);
	bx_html_text(html, bx_page_text(page, "calendar.all"));
	bx_html_raw(html, "</option>");
	struct options options = {page, vocabulary, selected};
	int64_t total;
	if (bx_store_vocab_terms(page->request->node->store, vocabulary, NULL, 0, -1, &total, write_option, &options))
		html->error = html->error ? html->error : BX_EIO;
	bx_html_raw(html, "</select> ");
}

static void write_filter_form(struct bx_page *page, const struct bx_calendar_filter *filter)
{
	struct bx_html *html = &page->html;
	bx_html_rawf(html, "<form class=\"filter\" method=\"get\" action=\"/%s/calendar\">", page->lang);
	write_select(page, "instrument", "instruments", "calendar.instrument", filter->instrument);
	write_select(page, "body", "bodies", "calendar.body", filter->body);
	bx_html_raw(html, "<button type=\"submit\">");
	bx_html_text(html, bx_page_text(page, "calendar.show"));
	bx_html_raw(html, "</button></form><p class=\"feed\"><a href=\"/calendar.ics?lang=");
	bx_html_raw(html, page->lang);
	if (filter->instrument) {
		bx_html_raw(html, "&amp;instrument=");
		bx_html_url_part(html, filter->instrument, false);
	}
	if (filter->body) {
		bx_html_raw(html, "&amp;body=");
		bx_html_url_part(html, filter->body, false);
	}
	bx_html_raw(html, "\" type=\"text/calendar\">");
	bx_html_text(html, bx_page_text(page, "calendar.feed"));
	bx_html_raw(html, "</a></p>");
}

/* Writes the place of a meeting: its venue and city, in the page's language if they have it. */
static void write_place(struct bx_page *page, const json_t *fields)
{
	static const char *const parts[] = {"place", "city"};
	bool written = false;
	for (size_t i = 0; i < 2; i++) {
		const char *language = NULL;
		const char *text = bx_page_lstring(page, json_object_get(fields, parts[i]), &language);
		if (!text)
			continue;
		bx_html_raw(&page->html, written ? ", " : " · ");
		bx_page_lstring_text(page, text, language);
		written = true;
	}
}

static void write_event(struct bx_page *page, const struct bx_event *event)
{
	struct bx_html *html = &page->html;
	const json_t *record = event->record, *fields = json_object_get(record, "fields");
	const char *id = json_string_value(json_object_get(record, "id"));
	const char *language = NULL;
	const char *title = bx_page_lstring(page, json_object_get(record, "title"), &language);
	const char *meeting_kind = json_string_value(json_object_get(fields, "kind"));
	const char *body = json_string_value(json_object_get(fields, "body"));
	bx_html_raw(html, "<li class=\"event\"><p class=\"when\"><span dir=\"ltr\"><time");
	bx_html_attr(html, "datetime", event->start);
	bx_html_raw(html, ">");
	bx_html_text(html, event->start);
	bx_html_raw(html, "</time>");
	if (strcmp(event->start, event->end)) {
		bx_html_raw(html, " – <time");
		bx_html_attr(html, "datetime", event->end);
		bx_html_raw(html, ">");
		bx_html_text(html, event->end);
		bx_html_raw(html, "</time>");
	}
	bx_html_raw(html, "</span></p><p class=\"what\"><span class=\"badge\">");
	bx_html_text(html, event->kind == BX_EVENT_MEETING && meeting_kind
	                   ? bx_page_label(page, "meeting-kinds", meeting_kind) : bx_page_text(page, kind_keys[event->kind]));
	bx_html_raw(html, "</span> ");
	bx_html_rawf(html, "<a href=\"/%s/records/", page->lang);
	bx_html_url_part(html, id ? id : "", true);
	bx_html_raw(html, "\">");
	bx_page_lstring_text(page, title ? title : id, language);
	bx_html_raw(html, "</a></p><p class=\"meta\">");
	bx_html_text(html, body ? bx_page_label(page, "bodies", body) : "");
	if (event->kind == BX_EVENT_MEETING)
		write_place(page, fields);
	bx_html_raw(html, "</p></li>");
}

/* Writes at most max events of one period, grouped by month: the upcoming ones (not
 * over by today) soonest first, or the past ones latest first. */
static void write_period(struct bx_page *page, const struct months *months, const struct bx_calendar *calendar,
                         const char *today, bool upcoming, size_t max)
{
	struct bx_html *html = &page->html;
	bx_page_section(page, bx_page_text(page, upcoming ? "calendar.upcoming" : "calendar.past"));
	char month[8] = "";
	size_t shown = 0;
	for (size_t n = 0; n < calendar->n_events && shown < max; n++) {
		const struct bx_event *event = &calendar->events[upcoming ? n : calendar->n_events - 1 - n];
		if ((strcmp(event->end, today) >= 0) != upcoming)
			continue;
		if (strncmp(month, event->start, 7)) {
			char name[MONTH_SIZE];
			month_name(months, event->start, name);
			bx_html_raw(html, shown ? "</ul><h3>" : "<h3>");
			bx_html_text(html, name);
			bx_html_raw(html, "</h3><ul class=\"events\">");
			snprintf(month, sizeof month, "%.7s", event->start);
		}
		write_event(page, event);
		shown++;
	}
	if (shown)
		bx_html_raw(html, "</ul>");
	else
		bx_page_paragraph(page, upcoming ? "calendar.none_upcoming" : "calendar.none_past");
	bx_html_raw(html, "</section>");
}

void bx_page_calendar(struct bx_page *page)
{
	struct bx_calendar_filter filter;
	if (bx_calendar_filter_read(page->request, true, &filter)) {
		bx_page_error(page, 400, "error.bad_request_title", "error.bad_calendar_filter", NULL);
		return;
	}
	struct bx_calendar calendar;
	if (bx_calendar_read(page->request, &filter, &calendar)) {
		bx_calendar_free(&calendar);
		bx_page_error(page, 500, "error.internal_title", "error.internal_text", NULL);
		return;
	}
	char now[BX_TIME_ISO_SIZE], today[BX_DATE_SIZE];
	bx_time_iso(bx_time_now(), now);
	snprintf(today, sizeof today, "%.10s", now);
	struct months months;
	months_open(&months, page->lang);
	struct bx_html *html = &page->html;
	bx_page_begin(page, bx_page_text(page, "calendar.title"));
	bx_html_raw(html, "<h1>");
	bx_html_text(html, bx_page_text(page, "calendar.title"));
	bx_html_raw(html, "</h1>");
	bx_page_paragraph(page, "calendar.intro");
	write_filter_form(page, &filter);
	write_period(page, &months, &calendar, today, true, calendar.n_events);
	write_period(page, &months, &calendar, today, false, PAST_SHOWN);
	bx_page_end(page);
	months_close(&months);
	bx_calendar_free(&calendar);
	bx_page_send(page, 200);
}
