/* Reading a search's parameters (see search.h), the same for the API and the command line. */
#include <string.h>
#include "core/validate.h"
#include "search/index.h"
#include "search/search.h"
#include "util/num.h"
#include "util/strings.h"

static const struct {
	const char *name;
	enum bx_sort sort;
} sorts[] = {{"-date", BX_SORT_DATE_DESC}, {"date", BX_SORT_DATE_ASC}, {"title", BX_SORT_TITLE},
             {"-updated", BX_SORT_UPDATED}};
static const char *const statuses[] = {"draft", "submitted", "published", "withdrawn"};

/* The facet filters of a listing, by query parameter ("convention" is an alias). */
static const struct {
	const char *parameter;
	const char *facet;
} facet_parameters[] = {
	{"instrument", "instrument"}, {"convention", "instrument"}, {"country", "country"},
	{"region", "region"}, {"target", "target"}, {"subject", "subject"}, {"language", "language"},
};

/* Adds the facet filters of the parameters to query. A target filter also matches the
 * targets the crosswalk maps to it, unless expand is false; what was added goes into
 * expanded ({"target": {"gbf:3": ["aichi:11", ...]}}). */
static void add_filters(const struct bx_catalog *catalog, bx_param_fn param, void *source,
                        struct bx_list_query *query, bool expand, json_t *expanded)
{
	for (size_t i = 0; i < sizeof facet_parameters / sizeof facet_parameters[0]; i++) {
		const char *value = param(source, facet_parameters[i].parameter);
		const char *facet = facet_parameters[i].facet;
		bool taken = false;
		for (size_t f = 0; f < query->n_filters; f++)
			taken = taken || !strcmp(query->filters[f].facet, facet);
		if (!value || taken || query->n_filters == BX_MAX_FILTERS)
			continue;
		struct bx_filter *filter = &query->filters[query->n_filters++];
		filter->facet = facet;
		filter->values[filter->n_values++] = value;
		const json_t *mapped = !strcmp(facet, "target") && expand
		                     ? bx_catalog_crosswalk(catalog, value) : NULL;
		size_t m;
		json_t *target;
		json_array_foreach((json_t *)mapped, m, target)
			if (filter->n_values < BX_MAX_FILTER_VALUES)
				filter->values[filter->n_values++] = json_string_value(target);
		if (json_array_size(mapped))
			json_object_set_new(expanded, "target", json_pack("{s:O}", value, mapped));
	}
}

/* Reads the facets parameter ("country,type") into bits; a problem for an unknown name. */
static const char *parse_facets(const char *text, unsigned *facets)
{
	*facets = 0;
	if (!text)
		return NULL;
	char name[32];
	for (const char *at = text; *at;) {
		size_t length = strcspn(at, ",");
		int kind = -1;
		if (length && length < sizeof name) {
			memcpy(name, at, length);
			name[length] = '\0';
			kind = bx_facet_kind(name);
		}
		if (kind < 0)
			return "facets: expected a comma-separated list of type, instrument, country, region,"
			       " target, subject, language, year and status";
		*facets |= 1u << kind;
		at += length + (at[length] == ',');
	}
	return NULL;
}

const char *bx_search_params_read(const struct bx_catalog *catalog, bx_param_fn param, void *source,
                                  struct bx_search_params *params, json_t *expanded)
{
	const char *q = param(source, "q");
	*params = (struct bx_search_params){
		.q = q,
		.list = {
			.type = param(source, "type"),
			.year = param(source, "year"),
			.status = param(source, "status"),
		},
		.relevance = q && *q,
		.lang = param(source, "lang"),
	};
	const char *facet_size = param(source, "facet_size");
	int64_t values = BX_SEARCH_FACET_VALUES;
	if (facet_size && bx_parse_int64(facet_size, 1, BX_SEARCH_FACET_VALUES_MAX, &values))
		return "facet_size: expected 1 to 500";
	params->facet_size = (int)values;
	const char *sort = param(source, "sort"), *expand = param(source, "expand");
	bool sort_known = !sort || !strcmp(sort, "relevance");
	for (size_t i = 0; sort && i < sizeof sorts / sizeof sorts[0]; i++)
		if (!strcmp(sort, sorts[i].name)) {
			params->list.sort = sorts[i].sort;
			params->relevance = false;
			sort_known = true;
		}
	const char *status = params->list.status, *year = params->list.year;
	const char *problem = !sort_known ? "sort: expected relevance, -date, date, title or -updated"
	    : q && strlen(q) > BX_SEARCH_MAX_QUERY ? "q: at most 4096 bytes"
	    : status && !bx_str_one_of(status, statuses, 4) ? "status: expected draft, submitted, published or withdrawn"
	    : year && (strlen(year) != 4 || strspn(year, "0123456789") != 4) ? "year: expected four digits such as 2021"
	    : expand && strcmp(expand, "true") && strcmp(expand, "false") ? "expand: expected true or false"
	    : params->lang && !bx_is_language_tag(params->lang) ? "lang: expected a language tag such as fr or zh"
	    : parse_facets(param(source, "facets"), &params->facets);
	if (problem)
		return problem;
	params->expand = !expand || !strcmp(expand, "true");
	add_filters(catalog, param, source, &params->list, params->expand, expanded);
	return NULL;
}
