/* Which records a listing or a search asks for: filters on facets, the statuses and
 * visibility allowed, the order and the page. Filled by the API and the command line,
 * scoped by auth/policy.c, answered by the search index. */
#ifndef BX_LISTING_H
#define BX_LISTING_H

#include <stdbool.h>
#include <stdint.h>

enum bx_sort { BX_SORT_DATE_DESC, BX_SORT_DATE_ASC, BX_SORT_TITLE, BX_SORT_UPDATED };

#define BX_MAX_FILTERS 8
#define BX_MAX_FILTER_VALUES 64

/* A facet filter: records having any of the values for the facet ("country", "target"...). */
struct bx_filter {
	const char *facet;
	const char *values[BX_MAX_FILTER_VALUES];
	size_t n_values;
};

/* Which records a listing returns: every filter must match (a filter matches any of its
 * values). NULL fields match everything. Records that are not published are included only
 * when status asks for them and visibility allows. */
struct bx_list_query {
	const char *type;
	const char *year;              /* "2021": records dated in that year */
	struct bx_filter filters[BX_MAX_FILTERS];
	size_t n_filters;
	const char *status;            /* NULL: published only (unless any_status) */
	bool any_status;               /* every status the visibility fields allow */
	bool see_all;                  /* may see every unpublished record */
	const char *see_country;       /* else: unpublished records of this country */
	const char *see_author;        /* else: unpublished records by this author */
	enum bx_sort sort;
	int64_t offset;
	int limit;                     /* 0: only the total is wanted */
};

#endif
