/* The search command: the search of GET /api/v1/records, run on the database and printed,
 * as a list for people or (--json) as the API's answer. It sees what an anonymous
 * visitor sees: published records. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "search/search.h"
#include "util/num.h"

/* The options that are search parameters, by the API's name. */
static const char *const parameter_names[] = {
	"type", "instrument", "country", "region", "target", "subject", "language", "year",
	"sort", "facets", "lang", "expand", "facet_size",
};
#define N_PARAMETERS (sizeof parameter_names / sizeof parameter_names[0])

struct parameters {
	const char *q;
	const char *values[N_PARAMETERS];
};

static const char *parameter(void *source, const char *name)
{
	struct parameters *parameters = source;
	if (!strcmp(name, "q"))
		return parameters->q;
	for (size_t i = 0; i < N_PARAMETERS; i++)
		if (!strcmp(name, parameter_names[i]))
			return parameters->values[i];
	return NULL;
}

/* Prints a snippet with its marks as «...» and the HTML entities it uses undone. */
static void print_snippet(const char *snippet)
{
	static const char *const from[] = {"<mark>", "</mark>", "&lt;", "&gt;", "&quot;", "&#39;", "&amp;"};
	static const char *const to[] = {"«", "»", "<", ">", "\"", "'", "&"};
	fputs("    ", stdout);
	for (const char *at = snippet; *at;) {
		size_t i = 0;
		while (i < sizeof from / sizeof from[0] && strncmp(at, from[i], strlen(from[i])))
			i++;
		if (i < sizeof from / sizeof from[0]) {
			fputs(to[i], stdout);
			at += strlen(from[i]);
		} else {
			putchar(*at++);
		}
	}
	putchar('\n');
}

static void print_results(const json_t *found)
{
	printf("%lld records\n", (long long)json_integer_value(json_object_get(found, "total")));
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(found, "items"), i, item) {
		json_t *title = json_object_get(item, "title");
		void *first = json_object_iter(title);
		printf("%3zu. %s  [%s, %.2f]  %s\n", i + 1, json_string_value(json_object_get(item, "id")),
		       json_string_value(json_object_get(item, "type")),
		       json_real_value(json_object_get(item, "score")),
		       first ? json_string_value(json_object_iter_value(first)) : "");
		const char *snippet = json_string_value(json_object_get(item, "snippet"));
		if (snippet)
			print_snippet(snippet);
	}
	const char *facet;
	json_t *values;
	json_object_foreach(json_object_get(found, "facets"), facet, values) {
		printf("%s:", facet);
		json_array_foreach(values, i, item)
			printf(" %s (%lld)", json_string_value(json_object_get(item, "value")),
			       (long long)json_integer_value(json_object_get(item, "count")));
		putchar('\n');
	}
}

int bx_cmd_search(const struct bx_command *self, int argc, char **argv)
{
	struct parameters parameters = {0};
	const char *page = NULL, *size = NULL;
	bool as_json = false;
	struct bx_option options[N_PARAMETERS + 4] = {
		{"--type", "TYPE", "records of this type", &parameters.values[0]},
		{"--instrument", "ID", "records of this instrument (cbd, cites, ...)", &parameters.values[1]},
		{"--country", "ISO", "records of this country (CN, FR, ...)", &parameters.values[2]},
		{"--region", "ID", "records of this region", &parameters.values[3]},
		{"--target", "ID", "records for this target (and its crosswalk)", &parameters.values[4]},
		{"--subject", "ID", "records on this GEMET concept", &parameters.values[5]},
		{"--language", "TAG", "records with text in this language", &parameters.values[6]},
		{"--year", "YYYY", "records dated in this year", &parameters.values[7]},
		{"--sort", "ORDER", "relevance, -date, date, title or -updated", &parameters.values[8]},
		{"--facets", "LIST", "facets to count: type,instrument,country,...", &parameters.values[9]},
		{"--lang", "TAG", "language of labels, and a small boost", &parameters.values[10]},
		{"--expand", "BOOL", "widen through thesaurus and crosswalk (default true)", &parameters.values[11]},
		{"--facet-size", "N", "values per facet, 1 to 500 (default 20)", &parameters.values[12]},
		{"--page", "N", "page (default 1)", &page},
		{"--size", "N", "records per page, 1 to 100 (default 10)", &size},
		{"--json", NULL, "print the API's JSON answer", &as_json},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n > 1)
		return bx_cli_fail("search: one query expected (quote it: bioex search \"marine pollution\")");
	parameters.q = n ? argv[0] : NULL;
	int64_t page_number = 1, page_size = 10;
	if ((page && bx_parse_int64(page, 1, 1000000, &page_number)) ||
	    (size && bx_parse_int64(size, 1, 100, &page_size)))
		return bx_cli_fail("search: --page is 1 or more, --size 1 to 100");
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	struct bx_search_params params;
	json_t *expanded = json_object(), *found = NULL;
	const char *problem = bx_search_params_read(node->catalog, parameter, &parameters, &params, expanded);
	struct bx_search *search = NULL;
	if (problem) {
		rc = bx_cli_fail("search: %s", problem);
	} else if ((rc = bx_search_open(node, &search)) == 0) {
		params.list.offset = (page_number - 1) * page_size;
		params.list.limit = (int)page_size;
		struct bx_principal anonymous = {.role = BX_ROLE_ANONYMOUS};
		rc = bx_search_run(search, &anonymous, &params, expanded, &found);
	}
	if (!problem && rc) {
		rc = bx_cli_fail("search: %s", bx_strerror(rc));
	} else if (found && as_json) {
		json_object_set(found, "expanded", expanded);
		json_dumpf(found, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (found) {
		print_results(found);
	}
	json_decref(found);
	json_decref(expanded);
	bx_search_close(search);
	bx_node_close(node);
	return rc;
}
