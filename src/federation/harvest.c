/* A harvest run (see harvest.h): finds the peer and its cursor, detects what kind of peer
 * it is when not known, runs the pass of that kind, and records the run. The passes
 * (harvest_bioex.c, harvest_oai_dc.c) fetch pages and hand them to bx_harvest_apply, the
 * one place where harvested records are written: through the import path, as the peer's
 * node principal, with the cursor in the same transaction. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/fetch.h"
#include "federation/harvest_internal.h"
#include "federation/harvest_read.h"
#include "util/log.h"
#include "util/timeutil.h"

int bx_harvest_fail(struct bx_harvest_run_state *run, int rc, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	vsnprintf(run->result->error, sizeof run->result->error, format, args);
	va_end(args);
	return rc;
}

int bx_harvest_get(struct bx_harvest_run_state *run, const char *url, struct bx_buf *body)
{
	struct bx_fetch request = {.url = url, .token = run->options->token,
	                           .cancel = run->options->cancel};
	long status;
	int rc = bx_fetch(&request, &status, body, run->result->error, sizeof run->result->error);
	if (!rc && status != 200)
		rc = bx_harvest_fail(run, BX_EIO, "%s answered HTTP %ld", url, status);
	return rc;
}

struct cursor_save {
	struct bx_harvest_run_state *run;
	const char *cursor;
};

static int save_cursor_in_transaction(void *context)
{
	struct cursor_save *save = context;
	return bx_store_peer_set_cursor(save->run->node->store, save->run->peer, save->cursor);
}

int bx_harvest_save_cursor(struct bx_harvest_run_state *run, const char *cursor)
{
	if (!run->peer)
		return 0;
	struct cursor_save save = {run, cursor};
	int rc = bx_store_begin(run->node->store);
	if (!rc)
		rc = bx_store_end(run->node->store, save_cursor_in_transaction(&save));
	return rc;
}

/* The first problem an import report names, for the run's error. */
static void describe_problem(struct bx_harvest_run_state *run, const json_t *report, int rc)
{
	json_t *line = json_array_get(json_object_get(report, "lines"), 0);
	json_t *error = json_array_get(json_object_get(line, "errors"), 0);
	if (!error) {
		bx_harvest_fail(run, rc, "%s: the page could not be stored: %s", run->url, bx_strerror(rc));
		return;
	}
	bx_harvest_fail(run, rc, "%s: %lld record(s) of a page are not valid here, so the page was not"
	                " applied; the first, %s: %s: %s", run->url,
	                (long long)json_integer_value(json_object_get(report, "invalid")),
	                json_string_value(json_object_get(line, "id")) ?: "(no id)",
	                json_string_value(json_object_get(error, "path")) ?: "",
	                json_string_value(json_object_get(error, "message")) ?: "");
}

int bx_harvest_apply(struct bx_harvest_run_state *run, const json_t *lines, const char *cursor)
{
	struct bx_import *import;
	int rc = bx_import_begin(run->node, &run->actor, false, &import);
	if (rc)
		return bx_harvest_fail(run, rc, "cannot store the page: %s", bx_strerror(rc));
	size_t i;
	json_t *line;
	json_array_foreach(lines, i, line)
		bx_import_add_json(import, line);
	struct cursor_save save = {run, cursor};
	if (run->peer)
		bx_import_before_commit(import, save_cursor_in_transaction, &save);
	json_t *report = NULL;
	rc = bx_import_finish(import, &report);
	struct bx_harvest_result *result = run->result;
	if (!rc) {
		result->added += json_integer_value(json_object_get(report, "created"));
		result->updated += json_integer_value(json_object_get(report, "updated"));
		result->deleted += json_integer_value(json_object_get(report, "withdrawn"));
		result->unchanged += json_integer_value(json_object_get(report, "unchanged"));
		result->refused += json_integer_value(json_object_get(report, "refused"));
		result->pages++;
	} else {
		describe_problem(run, report, rc);
	}
	json_decref(report);
	return rc;
}

int bx_harvest_detect(const char *url, const char *token, int tries, const atomic_bool *cancel,
                      char kind[BX_HARVEST_KIND_SIZE], char *message, size_t message_size)
{
	char probe[2200], why_bioex[300] = "", why_oai[300] = "";
	struct bx_buf body;
	long status;
	snprintf(probe, sizeof probe, "%s/api/v1/changes?since=0&limit=1", url);
	struct bx_fetch request = {.url = probe, .token = token, .tries = tries, .cancel = cancel,
	                           .timeout = 30};
	int rc = bx_fetch(&request, &status, &body, why_bioex, sizeof why_bioex);
	if (!rc && status != 200)
		snprintf(why_bioex, sizeof why_bioex, "HTTP %ld", status);
	struct bx_changes_page page;
	if (!rc && status == 200 &&
	    !bx_changes_page_read(body.data ? body.data : "", body.len, 0, &page, why_bioex, sizeof why_bioex)) {
		bx_changes_page_free(&page);
		bx_buf_free(&body);
		snprintf(kind, BX_HARVEST_KIND_SIZE, "bioex");
		return 0;
	}
	bx_buf_free(&body);
	snprintf(probe, sizeof probe, "%s%sverb=Identify", url, strchr(url, '?') ? "&" : "?");
	rc = bx_fetch(&request, &status, &body, why_oai, sizeof why_oai);
	if (!rc && status != 200)
		snprintf(why_oai, sizeof why_oai, "HTTP %ld", status);
	struct bx_oai_response response;
	if (!rc && status == 200 &&
	    !bx_oai_response_read(body.data ? body.data : "", body.len, &response, why_oai, sizeof why_oai)) {
		bool identify = !strcmp(response.verb, "Identify");
		if (!identify)
			snprintf(why_oai, sizeof why_oai, "no Identify in the answer");
		bx_oai_response_free(&response);
		if (identify) {
			bx_buf_free(&body);
			snprintf(kind, BX_HARVEST_KIND_SIZE, "oai-pmh");
			return 0;
		}
	}
	bx_buf_free(&body);
	snprintf(message, message_size, "%s is neither a bioex node (/api/v1/changes: %s) nor an"
	         " OAI-PMH endpoint (?verb=Identify: %s)", url, why_bioex, why_oai);
	return rc == BX_EIO ? BX_EIO : BX_EINVAL;
}

/* Fills in the run's url, kind and cursor from the peer and the options. */
static int prepare_run(struct bx_harvest_run_state *run, struct bx_peer *peer, char *url_copy,
                       size_t url_size)
{
	const struct bx_harvest_options *options = run->options;
	struct bx_harvest_result *result = run->result;
	if (options->peer) {
		int rc = bx_store_peer_get(run->node->store, options->peer, peer);
		if (rc == BX_ENOTFOUND)
			return bx_harvest_fail(run, rc, "no peer %s is registered", options->peer);
		if (rc)
			return bx_harvest_fail(run, rc, "cannot read peer %s: %s", options->peer, bx_strerror(rc));
		run->peer = peer->slug;
		run->cursor = peer->cursor;
	}
	const char *url = options->url ? options->url : peer->url;
	if (!url || strlen(url) >= url_size)
		return bx_harvest_fail(run, BX_EINVAL, "give the URL of the node to harvest");
	snprintf(url_copy, url_size, "%s", url);
	size_t length = strlen(url_copy);
	while (length && url_copy[length - 1] == '/')
		url_copy[--length] = '\0';
	run->url = url_copy;
	const char *kind = options->kind ? options->kind : peer->kind;
	if (kind) {
		snprintf(result->kind, sizeof result->kind, "%s", kind);
		return 0;
	}
	int rc = bx_harvest_detect(run->url, options->token, 0, options->cancel, result->kind,
	                           result->error, sizeof result->error);
	return rc;
}

static int run_pass(struct bx_harvest_run_state *run)
{
	const char *kind = run->result->kind;
	if (!strcmp(kind, "bioex"))
		return bx_harvest_bioex(run);
	if (strcmp(kind, "oai-pmh"))
		return bx_harvest_fail(run, BX_EINVAL, "unknown kind of peer '%s' (bioex or oai-pmh)", kind);
	if (!run->peer)   /* the ids of OAI-PMH records are made from the peer's slug */
		return bx_harvest_fail(run, BX_EINVAL, "register the OAI-PMH endpoint as a peer (its slug"
		                       " makes the record ids) and harvest it by --peer");
	return bx_harvest_oai_dc(run);
}

int bx_harvest(struct bx_node *node, const struct bx_harvest_options *options,
               struct bx_harvest_result *result)
{
	memset(result, 0, sizeof *result);
	char started[BX_TIME_ISO_SIZE], finished[BX_TIME_ISO_SIZE], url[2048];
	bx_time_iso(bx_time_now(), started);
	struct bx_harvest_run_state run = {.node = node, .options = options, .result = result};
	run.principal.role = BX_ROLE_NODE;
	snprintf(run.principal.name, sizeof run.principal.name, "harvest:%s",
	         options->peer ? options->peer : "url");
	run.actor = (struct bx_actor){.principal = &run.principal};
	struct bx_peer peer = {0};
	int rc = prepare_run(&run, &peer, url, sizeof url);
	if (!rc)
		rc = run_pass(&run);
	if (rc && !result->error[0])
		bx_harvest_fail(&run, rc, "%s", bx_strerror(rc));
	bx_time_iso(bx_time_now(), finished);
	if (run.url) {
		struct bx_harvest_run record = {
			.peer = run.peer, .url = run.url, .started = started, .finished = finished,
			.added = result->added, .updated = result->updated, .deleted = result->deleted,
			.error = rc ? result->error : NULL,
		};
		int stored = bx_store_harvest_put(node->store, &record);
		if (stored)
			bx_log(BX_LOG_ERROR, "cannot record the harvest of %s: %s", run.url, bx_strerror(stored));
	}
	bx_log(rc ? BX_LOG_WARN : BX_LOG_INFO, "harvest %s (%s): %lld added, %lld updated, %lld deleted,"
	       " %lld refused%s%s", run.url ? run.url : "?", result->kind, (long long)result->added,
	       (long long)result->updated, (long long)result->deleted, (long long)result->refused,
	       rc ? ": " : "", rc ? result->error : "");
	bx_peer_clear(&peer);
	return rc;
}
