/* Reading the calendar's events from the published records (see calendar.h): the search
 * finds the latest meetings and capacity needs, and each is read whole for its dates. */
#include <stdlib.h>
#include <string.h>
#include "http/server.h"
#include "records/records.h"
#include "search/search.h"
#include "util/timeutil.h"
#include "web/calendar.h"

/* Sets *found to the latest published records of type (and instrument, when not NULL). */
static int search_latest(struct bx_request *request, const char *type, const char *instrument, int limit,
                         json_t **found)
{
	static const struct bx_principal anonymous = {0};
	struct bx_search_params params = {
		.list = {.type = type, .sort = BX_SORT_DATE_DESC, .limit = limit},
		.facet_size = 1,
	};
	if (instrument)
		params.list.filters[params.list.n_filters++] =
			(struct bx_filter){.facet = "instrument", .values = {instrument}, .n_values = 1};
	*found = NULL;
	return bx_search_run(request->server->search, &anonymous, &params, NULL, found);
}

static int add_event(struct bx_calendar *calendar, enum bx_event_kind kind, const char *start, const char *end,
                     const json_t *record)
{
	if (!start || !bx_is_date(start))
		return 0;
	if (!end || !bx_is_date(end) || strcmp(end, start) < 0)
		end = start;
	struct bx_event *events = realloc(calendar->events, (calendar->n_events + 1) * sizeof *events);
	if (!events)
		return BX_ENOMEM;
	calendar->events = events;
	struct bx_event *event = &events[calendar->n_events++];
	event->kind = kind;
	memcpy(event->start, start, BX_DATE_SIZE);
	memcpy(event->end, end, BX_DATE_SIZE);
	event->record = record;
	return 0;
}

/* Adds the events of one record: a meeting's days and deadlines, a need's deadline. */
static int add_events(struct bx_calendar *calendar, const struct bx_calendar_filter *filter, const json_t *record)
{
	const json_t *fields = json_object_get(record, "fields");
	const char *type = json_string_value(json_object_get(record, "type"));
	const char *body = json_string_value(json_object_get(fields, "body"));
	if (type && !strcmp(type, "capacity-need")) {
		const char *status = json_string_value(json_object_get(fields, "status"));
		if (status && strcmp(status, "open"))
			return 0;
		return add_event(calendar, BX_EVENT_NEED_DEADLINE, json_string_value(json_object_get(fields, "deadline")),
		                 NULL, record);
	}
	if (filter->body && (!body || strcmp(body, filter->body)))
		return 0;
	int rc = add_event(calendar, BX_EVENT_MEETING, json_string_value(json_object_get(fields, "start")),
	                   json_string_value(json_object_get(fields, "end")), record);
	if (!rc && filter->deadlines)
		rc = add_event(calendar, BX_EVENT_DOCUMENTS_DUE,
		               json_string_value(json_object_get(fields, "documents_due")), NULL, record);
	if (!rc && filter->deadlines)
		rc = add_event(calendar, BX_EVENT_REPORT_DUE, json_string_value(json_object_get(fields, "report_due")),
		               NULL, record);
	return rc;
}

/* Reads each record found, as anyone may see it, and adds its events. */
static int read_found(struct bx_request *request, struct bx_calendar *calendar,
                      const struct bx_calendar_filter *filter, const json_t *found)
{
	static const struct bx_principal anonymous = {0};
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(found, "items"), i, item) {
		const char *id = json_string_value(json_object_get(item, "id"));
		char *json = NULL;
		int64_t revision;
		int rc = id ? bx_records_read(request->node, &anonymous, id, 0, &json, &revision) : BX_ENOTFOUND;
		if (rc == BX_ENOTFOUND || rc == BX_EGONE)
			continue;   /* withdrawn since the search */
		json_t *record = rc ? NULL : json_loads(json, 0, NULL);
		free(json);
		if (!rc && !record)
			rc = BX_EIO;
		if (!rc && json_array_append_new(calendar->records, record))
			rc = BX_ENOMEM;
		if (!rc)
			rc = add_events(calendar, filter, record);
		if (rc)
			return rc;
	}
	return 0;
}

static int by_day(const void *a, const void *b)
{
	const struct bx_event *x = a, *y = b;
	int order = strcmp(x->start, y->start);
	if (!order)
		order = (int)x->kind - (int)y->kind;
	if (!order)
		order = strcmp(json_string_value(json_object_get(x->record, "id")),
		               json_string_value(json_object_get(y->record, "id")));
	return order;
}

int bx_calendar_filter_read(const struct bx_request *request, bool deadlines,
                            struct bx_calendar_filter *filter)
{
	const struct bx_catalog *catalog = request->node->catalog;
	const char *instrument = bx_request_query(request, "instrument");
	const char *body = bx_request_query(request, "body");
	*filter = (struct bx_calendar_filter){.instrument = instrument && *instrument ? instrument : NULL,
	                                      .body = body && *body ? body : NULL, .deadlines = deadlines};
	if ((filter->instrument && !bx_catalog_has_term(catalog, "instruments", filter->instrument)) ||
	    (filter->body && !bx_catalog_has_term(catalog, "bodies", filter->body)))
		return BX_EINVAL;
	return 0;
}

int bx_calendar_read(struct bx_request *request, const struct bx_calendar_filter *filter,
                     struct bx_calendar *calendar)
{
	*calendar = (struct bx_calendar){.records = json_array()};
	json_t *found = NULL;
	int rc = calendar->records ? 0 : BX_ENOMEM;
	if (!rc)
		rc = search_latest(request, "meeting", filter->instrument, BX_CALENDAR_MEETINGS_MAX, &found);
	if (!rc)
		rc = read_found(request, calendar, filter, found);
	json_decref(found);
	found = NULL;
	if (!rc && filter->deadlines && !filter->body)
		rc = search_latest(request, "capacity-need", filter->instrument, BX_CALENDAR_NEEDS_MAX, &found);
	if (!rc && found)
		rc = read_found(request, calendar, filter, found);
	json_decref(found);
	if (!rc && calendar->n_events)
		qsort(calendar->events, calendar->n_events, sizeof calendar->events[0], by_day);
	return rc;
}

void bx_calendar_free(struct bx_calendar *calendar)
{
	json_decref(calendar->records);
	free(calendar->events);
	*calendar = (struct bx_calendar){0};
}
