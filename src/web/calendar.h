/* The calendar's events, read from the published records: each meeting's days, its
 * documents and report deadlines, and the deadlines of open capacity needs. Shared by the
 * calendar page and the iCalendar feed; both show only what anyone may see. */
#ifndef BX_CALENDAR_H
#define BX_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include "http/request.h"
#include "util/error.h"

#define BX_CALENDAR_MEETINGS_MAX 500   /* the latest meetings (by date) read */
#define BX_CALENDAR_NEEDS_MAX 200      /* the latest capacity needs read */
#define BX_DATE_SIZE 11                /* "2026-11-21" and NUL */

enum bx_event_kind { BX_EVENT_MEETING, BX_EVENT_DOCUMENTS_DUE, BX_EVENT_REPORT_DUE, BX_EVENT_NEED_DEADLINE };

struct bx_event {
	enum bx_event_kind kind;
	char start[BX_DATE_SIZE];   /* first day */
	char end[BX_DATE_SIZE];     /* last day (inclusive); start for a deadline */
	const json_t *record;       /* the whole record, borrowed from the calendar */
};

/* Which events: of one instrument, of one body (only meetings have one), with the
 * deadlines or only the meetings. NULLs: all. */
struct bx_calendar_filter {
	const char *instrument;
	const char *body;
	bool deadlines;
};

struct bx_calendar {
	json_t *records;            /* the records read (owned) */
	struct bx_event *events;    /* by first day, then kind */
	size_t n_events;
};

/* Reads the filter of the request's query: instrument and body, each a term of its
 * vocabulary when given (empty values are no filter). BX_EINVAL for an unknown term. */
BX_MUST_USE int bx_calendar_filter_read(const struct bx_request *request, bool deadlines,
                                        struct bx_calendar_filter *filter);
/* Reads the events filter asks for into *calendar (bx_calendar_free frees it, also after
 * an error). Returns 0, BX_ENOMEM, or the search's or the store's error. */
BX_MUST_USE int bx_calendar_read(struct bx_request *request, const struct bx_calendar_filter *filter,
                                 struct bx_calendar *calendar);
void bx_calendar_free(struct bx_calendar *calendar);

#endif
