/* Search as the API and the command line offer it (DESIGN 6): a person's query in any of
 * the six languages, widened through the thesaurus, run against the index with the
 * listing's filters and visibility, answered with ranked records, snippets and facet
 * counts with labels. docs/search-index.md explains the steps. */
#ifndef BX_SEARCH_H
#define BX_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include "auth/policy.h"
#include "node/node.h"

/* The longest query accepted, in bytes. */
#define BX_SEARCH_MAX_QUERY 4096
/* Values returned per facet, the most frequent first: by default, and at most. */
#define BX_SEARCH_FACET_VALUES 20
#define BX_SEARCH_FACET_VALUES_MAX 500

struct bx_search;

/* Opens search over node: reads the thesaurus and indexes every record. Sets *out
 * (bx_search_close frees it); BX_ENOMEM, BX_EIO. */
BX_MUST_USE int bx_search_open(struct bx_node *node, struct bx_search **out);
void bx_search_close(struct bx_search *search);

struct bx_search_params {
	const char *q;               /* NULL or empty: list without words */
	struct bx_list_query list;   /* filters, status, sort, page; visibility is set here */
	bool relevance;              /* rank by relevance (the default when q is given) */
	unsigned facets;             /* bit (1 << bx_facet_kind) per facet to count */
	int facet_size;              /* values per facet, 1 to BX_SEARCH_FACET_VALUES_MAX */
	const char *lang;            /* interface language: labels, and a small boost */
	bool expand;                 /* widen q through the thesaurus */
};

/* Gives the value of a parameter by name, or NULL when it is absent. */
typedef const char *(*bx_param_fn)(void *source, const char *name);

/* Reads the parameters of DESIGN 7 (q, type, instrument or convention, country, region,
 * target, subject, language, year, status, sort, facets, lang, expand) and facet_size
 * from source into
 * *params; page and size are the caller's. A target filter also matches the targets
 * the crosswalk maps to it unless expand is false, and says so in expanded ({"target":
 * {"gbf:3": [...]}}). Returns NULL, or the problem ("sort: expected ...") to answer
 * with. Values are borrowed from source. */
const char *bx_search_params_read(const struct bx_catalog *catalog, bx_param_fn param, void *source,
                                  struct bx_search_params *params, json_t *expanded);

/* Runs a search as principal. Sets *out to {"total", "items", "facets"}: items are record
 * summaries (bx_records_load_summary) with "score" and "snippet"; facets map each asked facet
 * to [{"value", "label", "count"}]. What the thesaurus added goes into expanded (when
 * not NULL) under "q" ([{"text", "concept", "labels"}]). Returns 0; BX_ETOOBIG for a query over
 * BX_SEARCH_MAX_QUERY bytes; BX_ENOMEM, BX_EIO. */
BX_MUST_USE int bx_search_run(struct bx_search *search, const struct bx_principal *principal,
                              struct bx_search_params *params, json_t *expanded, json_t **out);

/* The label of term id of vocabulary in lang (else English, else its first), from the
 * cache the facets' labels use; valid until bx_search_close. NULL for an unknown term. */
const char *bx_search_label(struct bx_search *search, const char *vocabulary, const char *id,
                            const char *lang);

/* The index's figures, for /metrics. */
struct bx_index_stats;
void bx_search_stats(struct bx_search *search, struct bx_index_stats *stats);

#endif
