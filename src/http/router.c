/* The route table (see router.h). A pattern segment "{name}" matches one non-empty path
 * segment, which becomes the next request parameter; "{name:a|b}" matches only a or b;
 * a last segment "{name...}" matches the rest of the path, zero or more segments, given
 * as one parameter ("records/cn:x", or "" when there is none). */
#include <stdio.h>
#include <string.h>
#include "http/router.h"
#include "util/error.h"

static const struct {
	const char *method;
	const char *pattern;
	bx_handler handler;
} routes[] = {
	{"GET", "/healthz", bx_api_healthz},
	{"GET", "/metrics", bx_api_metrics},
	{"GET", "/api/v1/openapi.json", bx_api_openapi},
	{"POST", "/api/v1/auth/login", bx_api_login},
	{"POST", "/api/v1/auth/logout", bx_api_logout},
	{"GET", "/api/v1/records", bx_api_records_list},
	{"POST", "/api/v1/records", bx_api_records_create},
	{"POST", "/api/v1/records:import", bx_api_records_import},
	{"GET", "/api/v1/records/{id}", bx_api_record_get},
	{"PUT", "/api/v1/records/{id}", bx_api_record_replace},
	{"DELETE", "/api/v1/records/{id}", bx_api_record_withdraw},
	{"GET", "/api/v1/records/{id}/revisions", bx_api_record_revisions},
	{"GET", "/api/v1/records/{id}/revisions/{n}", bx_api_record_revision},
	{"GET", "/api/v1/changes", bx_api_changes},
	{"GET", "/api/v1/nodes", bx_api_nodes_list},
	{"POST", "/api/v1/nodes", bx_api_nodes_create},
	{"GET", "/api/v1/nodes/{slug}", bx_api_node_get},
	{"POST", "/api/v1/nodes/{slug}/harvest", bx_api_node_harvest},
	{"GET", "/oai", bx_api_oai},
	{"POST", "/oai", bx_api_oai},
	{"GET", "/oai/bioex-record.xsd", bx_api_oai_schema},
	{"GET", "/api/v1/vocabularies", bx_api_vocabularies},
	{"GET", "/api/v1/vocabularies/{name}", bx_api_vocabulary},
	{"GET", "/api/v1/vocabularies/{name}/{id}", bx_api_vocabulary_term},
	{"GET", "/api/v1/countries/{iso}", bx_api_country},
	{"GET", "/api/v1/users", bx_api_users_list},
	{"POST", "/api/v1/users", bx_api_users_create},
	{"GET", "/api/v1/users/{name}", bx_api_user_get},
	{"PUT", "/api/v1/users/{name}", bx_api_user_update},
	{"GET", "/", bx_web_root},
	{"GET", "/calendar.ics", bx_web_calendar_ics},
	{"GET", "/{site:ar|en|es|fr|ru|zh|static}/{page...}", bx_web_get},
	{"POST", "/{site:ar|en|es|fr|ru|zh}/{page...}", bx_web_post},
};

#define MAX_SEGMENTS 8

/* Splits text (starting with '/') in place into its segments; -1 if there are too many. */
static int split(char *text, char **segments)
{
	int n = 0;
	if (*text != '/')
		return -1;
	for (char *segment = text + 1;; n++) {
		if (n == MAX_SEGMENTS)
			return -1;
		segments[n] = segment;
		char *slash = strchr(segment, '/');
		if (!slash)
			return n + 1;
		*slash = '\0';
		segment = slash + 1;
	}
}

/* Does the pattern segment "{name:a|b|c}" allow value? One without ':' allows any. */
static bool allowed(const char *segment, const char *value)
{
	const char *choices = strchr(segment, ':');
	size_t length = strlen(value);
	if (!choices)
		return true;
	for (const char *at = choices + 1;; at++) {
		size_t n = strcspn(at, "|}");
		if (n == length && !strncmp(at, value, n))
			return true;
		at += n;
		if (*at != '|')
			return false;
	}
}

/* Matches the path's segments against pattern, collecting "{...}" segments in params.
 * Sets *rest_from to the index of the first segment a "{name...}" took, else -1. */
static bool match(const char *pattern, char **path, int n_path, const char **params, int *rest_from)
{
	char copy[128], *segments[MAX_SEGMENTS];
	snprintf(copy, sizeof copy, "%s", pattern);
	int n = split(copy, segments), n_params = 0;
	bool rest = n > 0 && strstr(segments[n - 1], "...}");
	*rest_from = -1;
	if (rest ? n_path < n - 1 : n != n_path)
		return false;
	for (int i = 0; i < n; i++) {
		if (segments[i][0] == '{' && n_params == BX_MAX_PARAMS)
			return false;
		if (rest && i == n - 1) {
			params[n_params++] = i < n_path ? path[i] : "";
			*rest_from = i;
		} else if (segments[i][0] == '{') {
			if (!path[i][0] || !allowed(segments[i], path[i]))
				return false;
			params[n_params++] = path[i];
		} else if (strcmp(segments[i], path[i])) {
			return false;
		}
	}
	return true;
}

/* Puts back the slashes between segments[from..n), which split replaced with NULs. */
static void join_rest(char **segments, int from, int n)
{
	for (int i = from; i >= 0 && i < n - 1; i++)
		segments[i][strlen(segments[i])] = '/';
}

_Static_assert(sizeof routes / sizeof routes[0] <= BX_MAX_ROUTES, "raise BX_MAX_ROUTES");

const char *bx_route_pattern(int i)
{
	return i >= 0 && (size_t)i < sizeof routes / sizeof routes[0] ? routes[i].pattern : NULL;
}

bx_handler bx_route(struct bx_request *request, int *error, char *allow, size_t allow_size)
{
	char *segments[MAX_SEGMENTS];
	size_t length = strlen(request->path);
	*error = BX_ENOTFOUND;
	allow[0] = '\0';
	if (length >= sizeof request->path_segments)
		return NULL;
	memcpy(request->path_segments, request->path, length + 1);
	int n = split(request->path_segments, segments);
	if (n < 0)
		return NULL;
	bx_handler found = NULL;
	int found_rest_from = -1;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const char *params[BX_MAX_PARAMS] = {0};
		int rest_from;
		if (!match(routes[i].pattern, segments, n, params, &rest_from))
			continue;
		size_t used = strlen(allow);
		snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", routes[i].method);
		bool head_of_get = !strcmp(request->method, "HEAD") && !strcmp(routes[i].method, "GET");
		if (!found && (!strcmp(routes[i].method, request->method) || head_of_get)) {
			found = routes[i].handler;
			memcpy(request->params, params, sizeof params);
			request->route = (int)i;
			found_rest_from = rest_from;
		}
	}
	join_rest(segments, found_rest_from, n);
	if (!found && allow[0])
		*error = BX_EMETHOD;
	return found;
}
