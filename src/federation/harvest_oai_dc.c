/* The pass over a generic OAI-PMH endpoint: ListRecords in oai_dc, from the datestamp of
 * the last complete pass, following resumption tokens. The cursor is a small JSON object:
 * {"from"} between passes; {"from", "token", "pass"} while a pass is under way, so that an
 * interrupted pass resumes at its token ("pass" is the responseDate of its first page,
 * the next pass's from). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/fetch.h"
#include "federation/harvest_internal.h"
#include "federation/harvest_map.h"
#include "federation/harvest_read.h"
#include "records/write.h"
#include "util/log.h"
#include "util/timeutil.h"

#define MAX_DATESTAMP 32
#define MAX_TOKEN 1024

struct oai_pass {
	char from[MAX_DATESTAMP];      /* "" for everything */
	char pass[MAX_DATESTAMP];      /* the first page's responseDate */
	char token[MAX_TOKEN];         /* "" at the start of a pass */
	bool day_granularity;
};

static void copy_member(const json_t *cursor, const char *key, char *out, size_t size)
{
	const char *value = json_string_value(json_object_get(cursor, key));
	snprintf(out, size, "%s", value && strlen(value) < size ? value : "");
}

static void load_cursor(struct bx_harvest_run_state *run, struct oai_pass *pass)
{
	json_t *cursor = run->cursor ? json_loads(run->cursor, 0, NULL) : NULL;
	copy_member(cursor, "from", pass->from, sizeof pass->from);
	copy_member(cursor, "pass", pass->pass, sizeof pass->pass);
	copy_member(cursor, "token", pass->token, sizeof pass->token);
	json_decref(cursor);
	if (run->options->from)
		snprintf(pass->from, sizeof pass->from, "%s", run->options->from);
}

/* The cursor after a page: the pass goes on at token, or is complete. */
static char *cursor_text(const struct oai_pass *pass, const char *token)
{
	json_t *cursor = token ? json_pack("{s:s, s:s, s:s}", "from", pass->from, "token", token,
	                                   "pass", pass->pass)
	                       : json_pack("{s:s}", "from", pass->pass);
	char *text = cursor ? json_dumps(cursor, JSON_COMPACT) : NULL;
	json_decref(cursor);
	return text;
}

/* After a token the endpoint no longer knows: the next run starts the pass again. */
static void restart_pass(struct bx_harvest_run_state *run, struct oai_pass *pass)
{
	json_t *cursor = json_pack("{s:s}", "from", pass->from);
	char *text = cursor ? json_dumps(cursor, JSON_COMPACT) : NULL;
	if (text && bx_harvest_save_cursor(run, text) == 0)
		pass->token[0] = '\0';
	free(text);
	json_decref(cursor);
}

static char separator(const char *url)
{
	return strchr(url, '?') ? '&' : '?';
}

/* GETs and reads an OAI-PMH answer; *response is to be freed when 0 is returned. */
static int get_response(struct bx_harvest_run_state *run, const char *url,
                        struct bx_oai_response *response)
{
	struct bx_buf body;
	char problem[300];
	int rc = bx_harvest_get(run, url, &body);
	if (!rc && bx_oai_response_read(body.data ? body.data : "", body.len, response, problem,
	                                sizeof problem))
		rc = bx_harvest_fail(run, BX_EINVAL, "%s is not an OAI-PMH answer: %s", url, problem);
	bx_buf_free(&body);
	return rc;
}

/* Asks Identify, for the granularity of from. */
static int identify(struct bx_harvest_run_state *run, struct oai_pass *pass)
{
	char url[2200];
	snprintf(url, sizeof url, "%s%cverb=Identify", run->url, separator(run->url));
	struct bx_oai_response response;
	int rc = get_response(run, url, &response);
	if (rc)
		return rc;
	if (strcmp(response.verb, "Identify"))
		rc = bx_harvest_fail(run, BX_EINVAL, "%s did not answer Identify%s%s", url,
		                     response.error_code ? ": " : "", response.error_code ? response.error_code : "");
	pass->day_granularity = !response.granularity || strlen(response.granularity) == 10;
	bx_oai_response_free(&response);
	return rc;
}

static int list_url(struct bx_harvest_run_state *run, const struct oai_pass *pass, struct bx_buf *url)
{
	int rc = bx_buf_printf(url, "%s%cverb=ListRecords&", run->url, separator(run->url));
	if (pass->token[0])
		return rc ? rc : bx_buf_puts(url, "resumptionToken=") || bx_fetch_escape(url, pass->token);
	if (!rc)
		rc = bx_buf_puts(url, "metadataPrefix=oai_dc");
	if (!rc && pass->from[0])   /* a day-granularity endpoint takes the date part only */
		rc = bx_buf_printf(url, "&from=%.*s", pass->day_granularity ? 10 : MAX_DATESTAMP, pass->from);
	if (!rc && run->options->set)
		rc = bx_buf_puts(url, "&set=") || bx_fetch_escape(url, run->options->set);
	return rc;
}

/* The line that applies one OAI record, or NULL to skip it (counted). */
static json_t *record_line(struct bx_harvest_run_state *run, const struct bx_oai_record *record)
{
	char id[BX_RECORD_ID_SIZE];
	if (!record->identifier || !record->identifier[0]) {
		run->result->skipped++;
		return NULL;
	}
	if (record->deleted) {
		bx_harvest_oai_id(run->peer, record->identifier, id);
		return json_pack("{s:s, s:{s:b}}", "id", id, "meta", "deleted", 1);
	}
	json_t *line = bx_harvest_map_oai_dc(run->node->catalog, run->peer, record);
	struct bx_write_result check;
	bx_write_result_init(&check);
	if (line && bx_records_validate(run->node, &run->actor, line, BX_KIND_IMPORT, NULL, &check)) {
		json_t *detail = json_array_get(check.details, 0);
		bx_log(BX_LOG_WARN, "harvest %s: skipping %s: %s %s", run->peer, record->identifier,
		       json_string_value(json_object_get(detail, "path")) ?: "",
		       json_string_value(json_object_get(detail, "message")) ?: check.reason);
		json_decref(line);
		line = NULL;
	}
	bx_write_result_clear(&check);
	if (!line)
		run->result->skipped++;
	return line;
}

/* Applies the records of one ListRecords answer and the cursor after them. */
static int apply_response(struct bx_harvest_run_state *run, struct oai_pass *pass,
                          const struct bx_oai_response *response, const char *next_token)
{
	json_t *lines = json_array();
	for (size_t i = 0; i < response->n_records && lines; i++) {
		json_t *line = record_line(run, &response->records[i]);
		if (line && json_array_append_new(lines, line)) {
			json_decref(lines);
			lines = NULL;
		}
	}
	char *cursor = cursor_text(pass, next_token);
	int rc = lines && cursor ? bx_harvest_apply(run, lines, cursor)
	                         : bx_harvest_fail(run, BX_ENOMEM, "out of memory for a page of %s", run->url);
	free(cursor);
	json_decref(lines);
	return rc;
}

/* One ListRecords request and its records; sets *done at the end of the pass. */
static int harvest_page(struct bx_harvest_run_state *run, struct oai_pass *pass, bool *done)
{
	struct bx_buf url;
	bx_buf_init(&url, 4096);
	struct bx_oai_response response;
	int rc = list_url(run, pass, &url) ? bx_harvest_fail(run, BX_EINVAL, "the request is too long")
	                                   : get_response(run, url.data, &response);
	if (rc) {
		bx_buf_free(&url);
		return rc;
	}
	const char *error = response.error_code;
	bool no_records = error && !strcmp(error, "noRecordsMatch");
	if (error && !no_records) {
		rc = bx_harvest_fail(run, BX_EINVAL, "%s answered the OAI-PMH error %s: %s", url.data, error,
		                     response.error_message ? response.error_message : "");
		if (!strcmp(error, "badResumptionToken"))
			restart_pass(run, pass);
	} else if (!no_records && strcmp(response.verb, "ListRecords")) {
		rc = bx_harvest_fail(run, BX_EINVAL, "%s did not answer ListRecords", url.data);
	}
	if (!rc && !pass->token[0]) {   /* the first page: the pass starts now, as the endpoint tells time */
		const char *date = response.response_date;
		char now[BX_TIME_ISO_SIZE];
		bx_time_iso(bx_time_now(), now);
		snprintf(pass->pass, sizeof pass->pass, "%s", date && bx_is_datetime(date) ? date : now);
	}
	const char *token = response.resumption_token;
	bool last = no_records || !token || !token[0];
	if (!rc && !last && strlen(token) >= MAX_TOKEN)
		rc = bx_harvest_fail(run, BX_EINVAL, "%s: the resumption token is longer than %d bytes",
		                     url.data, MAX_TOKEN - 1);
	if (!rc)
		rc = apply_response(run, pass, &response, last ? NULL : token);
	if (!rc && !last)
		snprintf(pass->token, sizeof pass->token, "%s", token);
	*done = last;
	bx_oai_response_free(&response);
	bx_buf_free(&url);
	return rc;
}

int bx_harvest_oai_dc(struct bx_harvest_run_state *run)
{
	struct oai_pass pass = {0};
	load_cursor(run, &pass);
	int rc = identify(run, &pass);
	bool done = false;
	while (!rc && !done) {
		if (run->options->cancel && atomic_load(run->options->cancel))
			return bx_harvest_fail(run, BX_EIO, "stopped");
		rc = harvest_page(run, &pass, &done);
	}
	return rc;
}
