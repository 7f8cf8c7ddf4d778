/* Fuzz target for the whole search path (src/search/search.c over the index, the query
 * parser, the thesaurus and the snippets): searches a real node holding the sample
 * records and a few records of our own in six languages, drafts among them, and checks
 * every answer against bx_search_run's contract.
 *
 * Input: byte 0 is flags (bit 0 expand; bit 1 rank by relevance, else by -date; bits 2
 * to 6 each ask for two facets, bit 2 + i for kinds i and i + 5; bit 7 searches as an
 * admin over every status, else anonymously); byte 1 is the page size, 1 + byte % 100;
 * the rest is q up to the first NUL byte. After that NUL, an optional options byte (low
 * nibble: the facet kind of one filter, none when 9 or more; bits 4 to 6: lang, none, en,
 * fr, es, ru, ar, zh or "xx"; bit 7: an anonymous search also asks for every status) and
 * the filter's value, up to the next NUL. BX_FUZZ_VERBOSE set prints each answer. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "records/records.h"
#include "search/index.h"
#include "search/query.h"
#include "search/search.h"

#define NODE "fz"
#define MAX_INPUT (16 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sample_files[] = {
	"data/samples/decisions.ndjson", "data/samples/documents.ndjson",
	"data/samples/partnerships.ndjson", "data/samples/roadmap.ndjson",
};

/* Our own records: every script, every status but withdrawn, markup to escape, words the
 * samples also hold (so that drafts match what anonymous searches look for), thesaurus
 * subjects and crosswalked targets. */
static const char own_records[] =
	"{\"id\":\"fz:ar-drylands\",\"type\":\"document\",\"status\":\"draft\","
	"\"title\":{\"ar\":\"التنوع البيولوجي في الأراضي الجافة وشبه الرطبة\"},"
	"\"summary\":{\"ar\":\"تقرير عن حماية الغابات ومكافحة التصحر في مصر.\"},"
	"\"text\":{\"ar\":\"يتناول هذا التقرير التنوع البيولوجي والتصحر والمياه. <b>ملاحظة</b> & \\\"اقتباس\\\"\"},"
	"\"countries\":[\"EG\"],\"targets\":[\"gbf:3\"],\"subjects\":[\"gemet:827\",\"gemet:2105\"],"
	"\"date\":\"2023-05-10\",\"fields\":{\"symbol\":\"FZ/AR/1\",\"kind\":\"report\"}}\n"
	"{\"id\":\"fz:ar-protected\",\"type\":\"document\",\"status\":\"published\","
	"\"title\":{\"ar\":\"المناطق المحمية في شمال أفريقيا\"},"
	"\"text\":{\"ar\":\"تغطي الغابات والأراضي الرطبة مساحات واسعة، والتنوع البيولوجي فيها مهدد.\"},"
	"\"countries\":[\"MA\",\"DZ\"],\"date\":\"2018-01-01\",\"fields\":{\"kind\":\"publication\"}}\n"
	"{\"id\":\"fz:ru-forests\",\"type\":\"document\",\"status\":\"published\","
	"\"title\":{\"ru\":\"Сохранение биоразнообразия лесов России\"},"
	"\"summary\":{\"ru\":\"Национальный доклад об охране лесов и водно-болотных угодий.\"},"
	"\"text\":{\"ru\":\"Леса России занимают огромную площадь. Биоразнообразие лесов требует защиты от вырубки и пожаров.\"},"
	"\"countries\":[\"RU\"],\"subjects\":[\"gemet:3406\"],\"targets\":[\"aichi:5\"],"
	"\"date\":\"2021-11-02\",\"fields\":{\"kind\":\"report\"}}\n"
	"{\"id\":\"fz:ru-submitted\",\"type\":\"document\",\"status\":\"submitted\","
	"\"title\":{\"ru\":\"Проект доклада: лес, климат и биоразнообразие\"},"
	"\"summary\":{\"ru\":\"Сотрудничество между конвенциями <i>и</i> секретариатами.\"},"
	"\"countries\":[\"RU\",\"KZ\"],\"subjects\":[\"gemet:1462\"],\"fields\":{\"kind\":\"note\"}}\n"
	"{\"id\":\"fz:es-humedales\",\"type\":\"document\",\"status\":\"submitted\","
	"\"title\":{\"es\":\"Conservación de los humedales y la biodiversidad en México\"},"
	"\"summary\":{\"es\":\"Informe presentado: <script>alert('x')</script> & \\\"comillas\\\" — bosques, agua y desiertos.\"},"
	"\"text\":{\"es\":\"Los humedales de México albergan una gran biodiversidad. La deforestación y la desertificación amenazan los bosques.\"},"
	"\"countries\":[\"MX\"],\"targets\":[\"gbf:2\"],\"date\":\"2024-03-15\",\"fields\":{\"kind\":\"case-study\"}}\n"
	"{\"id\":\"fz:es-published\",\"type\":\"document\",\"status\":\"published\","
	"\"title\":{\"es\":\"Cooperación entre convenios relacionados con la diversidad biológica\"},"
	"\"text\":{\"es\":\"La cooperación entre las secretarías fortalece la conservación de los bosques.\"},"
	"\"countries\":[\"ES\",\"AR\"],\"conventions\":[\"cbd\",\"ramsar\"],\"date\":\"2015-09-01\","
	"\"fields\":{\"kind\":\"guidance\"}}\n"
	"{\"id\":\"fz:fr-aires-protegees\",\"type\":\"document\",\"status\":\"published\","
	"\"title\":{\"fr\":\"Aires protégées et diversité biologique en France\",\"en\":\"Protected areas and biodiversity in France\"},"
	"\"summary\":{\"fr\":\"Étude de cas sur la déforestation, les forêts et l'éradication des espèces exotiques envahissantes.\"},"
	"\"countries\":[\"FR\"],\"targets\":[\"aichi:11\",\"aichi:9\"],\"subjects\":[\"gemet:827\"],"
	"\"date\":\"2019-06-30\",\"fields\":{\"kind\":\"case-study\"}}\n"
	"{\"id\":\"fz:fr-draft\",\"type\":\"document\",\"status\":\"draft\","
	"\"title\":{\"fr\":\"Projet : coopération & synergies entre les conventions « biodiversité »\"},"
	"\"text\":{\"fr\":\"Les forêts, les zones humides et la diversité biologique : un brouillon <non publié>.\"},"
	"\"countries\":[\"FR\",\"SN\"],\"targets\":[\"gbf:3\"],\"date\":\"2025-01-20\",\"fields\":{\"kind\":\"other\"}}\n"
	"{\"id\":\"fz:zh-draft\",\"type\":\"document\",\"status\":\"draft\","
	"\"title\":{\"zh\":\"中国生物多样性保护战略与行动计划（草案）\"},"
	"\"summary\":{\"zh\":\"关于森林、湿地和沙漠化防治的国家报告草案。\"},"
	"\"text\":{\"zh\":\"生物多样性是人类赖以生存和发展的基础。中国政府高度重视生物多样性保护。\"},"
	"\"countries\":[\"CN\"],\"targets\":[\"gbf:1\"],\"subjects\":[\"gemet:827\"],"
	"\"date\":\"2022-12-19\",\"fields\":{\"kind\":\"note\"}}\n"
	"{\"id\":\"fz:zh-published\",\"type\":\"document\",\"status\":\"published\","
	"\"title\":{\"zh\":\"湿地保护与生态系统服务\"},"
	"\"text\":{\"zh\":\"湿地是重要的生态系统，为生物多样性提供栖息地。\"},"
	"\"countries\":[\"CN\"],\"conventions\":[\"ramsar\"],\"date\":\"2020-02-02\",\"fields\":{\"kind\":\"tool\"}}\n"
	"{\"id\":\"fz:en-draft\",\"type\":\"decision\",\"status\":\"draft\","
	"\"title\":{\"en\":\"Draft decision on biodiversity and forests\",\"fr\":\"Projet de décision sur la diversité biologique et les forêts\"},"
	"\"summary\":{\"en\":\"Invasive alien species eradication; protected areas; \\\"biological diversity\\\" OR climate.\"},"
	"\"conventions\":[\"cbd\"],\"fields\":{\"symbol\":\"FZ/1\",\"body\":\"cbd-cop\",\"kind\":\"decision\"}}\n"
	"{\"id\":\"fz:six-languages\",\"type\":\"decision\",\"status\":\"published\","
	"\"title\":{\"en\":\"Biodiversity and climate change\",\"fr\":\"Diversité biologique et changements climatiques\","
	"\"es\":\"Diversidad biológica y cambio climático\",\"ru\":\"Биоразнообразие и изменение климата\","
	"\"ar\":\"التنوع البيولوجي وتغير المناخ\",\"zh\":\"生物多样性和气候变化\"},"
	"\"conventions\":[\"cbd\",\"unfccc\"],\"subjects\":[\"gemet:1462\",\"gemet:827\"],\"date\":\"2010-10-29\","
	"\"fields\":{\"symbol\":\"X/33\",\"body\":\"cbd-cop\",\"kind\":\"decision\"}}\n";

static const struct bx_principal admin = {.role = BX_ROLE_ADMIN, .name = "fuzzer"};
static const struct bx_principal anonymous = {.role = BX_ROLE_ANONYMOUS};
static const char *const languages[] = {NULL, "en", "fr", "es", "ru", "ar", "zh", "xx"};

static char db_path[4096];
static struct bx_node *node;
static struct bx_search *search;
static bool verbose;     /* BX_FUZZ_VERBOSE set: print each answer */

/* The whole file at path, NUL-terminated; aborts on failure. */
static char *read_whole(const char *path, size_t *size)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		bx_fuzz_fail("cannot open %s", path);
	size_t capacity = 65536, n = 0, got;
	char *text = malloc(capacity);
	while (text && (got = fread(text + n, 1, capacity - n - 1, file)) > 0) {
		n += got;
		if (capacity - n - 1 == 0) {
			char *bigger = realloc(text, capacity * 2);
			if (!bigger)
				free(text);
			text = bigger;
			capacity *= 2;
		}
	}
	if (!text || ferror(file))
		bx_fuzz_fail("cannot read %s", path);
	fclose(file);
	text[n] = '\0';
	*size = n;
	return text;
}

/* Counts the records of an NDJSON text, and those that will be published. */
static void count_records(const char *text, int64_t *n_records, int64_t *n_published)
{
	for (const char *line = text; *line;) {
		size_t length = strcspn(line, "\n");
		json_t *record = json_loadb(line, length, 0, NULL);
		if (record) {
			const char *status = json_string_value(json_object_get(record, "status"));
			(*n_records)++;
			*n_published += !strcmp(status ? status : bx_policy_default_status(&admin), "published");
			json_decref(record);
		}
		line += length + (line[length] == '\n');
	}
}

static void import_records(int64_t *n_records, int64_t *n_published)
{
	struct bx_actor actor = {.principal = &admin, .address = NULL};
	struct bx_import *import = NULL;
	int rc = bx_import_begin(node, &actor, false, &import);
	if (rc)
		bx_fuzz_fail("bx_import_begin: %s", bx_strerror(rc));
	for (size_t i = 0; i < sizeof sample_files / sizeof sample_files[0]; i++) {
		size_t size;
		char *text = read_whole(sample_files[i], &size);
		count_records(text, n_records, n_published);
		bx_import_add_ndjson(import, text, size);
		free(text);
	}
	count_records(own_records, n_records, n_published);
	bx_import_add_ndjson(import, own_records, strlen(own_records));
	json_t *report = NULL;
	rc = bx_import_finish(import, &report);
	json_t *invalid = json_object_get(report, "invalid");
	if (rc || !json_is_integer(invalid) || json_integer_value(invalid) != 0) {
		char *shown = report ? json_dumps(report, JSON_COMPACT) : NULL;
		bx_fuzz_fail("importing the records: %s %s", bx_strerror(rc), shown ? shown : "(no report)");
	}
	json_decref(report);
}

/* The total of a search without words, as principal over every status it may see. */
static int64_t total_of_all(const struct bx_principal *principal)
{
	struct bx_search_params params = {.list = {.any_status = true, .limit = 1}, .expand = true};
	json_t *out = NULL;
	int rc = bx_search_run(search, principal, &params, NULL, &out);
	if (rc)
		bx_fuzz_fail("a search for everything: %s", bx_strerror(rc));
	int64_t total = json_integer_value(json_object_get(out, "total"));
	json_decref(out);
	return total;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	bx_fuzz_setup();
	verbose = getenv("BX_FUZZ_VERBOSE") != NULL;
	bx_fuzz_path(db_path, sizeof db_path, "search.db");
	bx_store_close(bx_fuzz_make_store(db_path, NODE, true));
	int rc = bx_node_open(db_path, &node);
	if (rc)
		bx_fuzz_fail("cannot open the node: %s", bx_strerror(rc));
	int64_t n_records = 0, n_published = 0;
	import_records(&n_records, &n_published);
	rc = bx_search_open(node, &search);
	if (rc)
		bx_fuzz_fail("bx_search_open: %s", bx_strerror(rc));
	/* The set-up the checks rely on: an admin sees every record, anonymous searches only
	 * the published ones, and there are drafts to hide. */
	int64_t seen_by_admin = total_of_all(&admin), seen_by_anonymous = total_of_all(&anonymous);
	if (seen_by_admin != n_records || seen_by_anonymous != n_published || n_published == n_records)
		bx_fuzz_fail("an admin sees %lld of %lld records, anonymous %lld of %lld published",
		             (long long)seen_by_admin, (long long)n_records, (long long)seen_by_anonymous,
		             (long long)n_published);
	return 0;
}

/* ---- what one input asks for ---- */

struct request {
	char *q;                   /* cut at the first NUL (malloc'ed) */
	const struct bx_principal *principal;
	bool anonymous;
	bool any_status;
	bool expand, relevance;
	bool has_words;            /* q parses to something to match */
	bool ranked;               /* by relevance: asked for, and q has words */
	unsigned facets;
	int size;
	const char *lang;
	int filter_kind;           /* -1: none */
	char *filter_value;        /* malloc'ed, NULL when none */
};

static void read_request(const uint8_t *data, size_t size, struct request *request)
{
	uint8_t flags = data[0];
	*request = (struct request){.filter_kind = -1};
	request->expand = flags & 1;
	request->relevance = flags & 2;
	for (int i = 0; i < 5; i++)
		if (flags & (4u << i)) {
			request->facets |= 1u << i;
			if (i + 5 < BX_FACET_KINDS)
				request->facets |= 1u << (i + 5);
		}
	request->anonymous = !(flags & 0x80);
	request->principal = request->anonymous ? &anonymous : &admin;
	request->any_status = !request->anonymous;
	request->size = 1 + data[1] % 100;
	const uint8_t *rest = data + 2, *end = data + size;
	const uint8_t *nul = memchr(rest, '\0', (size_t)(end - rest));
	request->q = bx_fuzz_strndup(rest, (size_t)((nul ? nul : end) - rest));
	struct bx_query *query = NULL;
	if (!bx_query_parse(request->q, strlen(request->q), BX_SEARCH_MAX_QUERY, &query))
		request->has_words = bx_query_root(query)->n_children > 0;
	request->ranked = request->relevance && request->has_words;
	bx_query_free(query);
	if (!nul || nul + 1 >= end)
		return;
	uint8_t options = nul[1];
	request->lang = languages[(options >> 4) & 7];
	if (options & 0x80)
		request->any_status = true;
	if ((options & 0x0f) < BX_FACET_KINDS) {
		const uint8_t *value = nul + 2;
		const uint8_t *value_end = memchr(value, '\0', (size_t)(end - value));
		request->filter_kind = options & 0x0f;
		request->filter_value = bx_fuzz_strndup(value, (size_t)((value_end ? value_end : end) - value));
	}
}

static void free_request(struct request *request)
{
	free(request->q);
	free(request->filter_value);
}

/* The parameters of a request, as the API would fill them; offset and limit given. */
static void make_params(const struct request *request, int64_t offset, int limit,
                        struct bx_search_params *params)
{
	*params = (struct bx_search_params){
		.q = request->q, .relevance = request->relevance, .facets = request->facets,
		.lang = request->lang, .expand = request->expand,
		.list = {.any_status = request->any_status, .sort = BX_SORT_DATE_DESC,
		         .offset = offset, .limit = limit},
	};
	struct bx_list_query *list = &params->list;
	switch (request->filter_kind) {
	case -1:
		break;
	case BX_FACET_TYPE:
		list->type = request->filter_value;
		break;
	case BX_FACET_YEAR:
		list->year = request->filter_value;
		break;
	case BX_FACET_STATUS:
		list->status = request->filter_value;
		break;
	default: {
		struct bx_filter *filter = &list->filters[list->n_filters++];
		filter->facet = bx_facet_name(request->filter_kind);
		filter->values[filter->n_values++] = request->filter_value;
		/* As the API does: a target also matches the targets the crosswalk maps to it. */
		const json_t *mapped = request->filter_kind == BX_FACET_TARGET && request->expand
		                     ? bx_catalog_crosswalk(node->catalog, request->filter_value) : NULL;
		size_t m;
		json_t *target;
		json_array_foreach((json_t *)mapped, m, target)
			if (filter->n_values < BX_MAX_FILTER_VALUES)
				filter->values[filter->n_values++] = json_string_value(target);
	}
	}
}

/* ---- checking an answer ---- */

static bool has_prefix(const char *at, const char *end, const char *prefix)
{
	size_t length = strlen(prefix);
	return (size_t)(end - at) >= length && !memcmp(at, prefix, length);
}

/* The length of the well-formed UTF-8 sequence at p (shortest form, no surrogates, at
 * most U+10FFFF), or 0. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
	if (*p < 0x80)
		return 1;
	size_t n = *p >= 0xc2 && *p <= 0xdf ? 2 : *p >= 0xe0 && *p <= 0xef ? 3 : *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
	if (!n || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((*p == 0xe0 && p[1] < 0xa0) || (*p == 0xed && p[1] >= 0xa0) || (*p == 0xf0 && p[1] < 0x90) ||
	    (*p == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* A snippet: valid UTF-8 without NUL, HTML-escaped, with balanced, unnested, non-empty
 * <mark>s as its only markup. */
static void check_snippet(const char *id, const json_t *snippet)
{
	static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
	if (json_is_null(snippet))
		return;
	if (!json_is_string(snippet))
		bx_fuzz_fail("%s: the snippet is neither null nor a string", id);
	const char *text = json_string_value(snippet);
	size_t length = json_string_length(snippet);
	if (strlen(text) != length)
		bx_fuzz_fail("%s: a NUL byte in the snippet", id);
	const char *at = text, *end = text + length, *mark_start = NULL;
	bool in_mark = false;
	while (at < end) {
		if (has_prefix(at, end, "<mark>")) {
			if (in_mark)
				bx_fuzz_fail("%s: nested <mark> in %s", id, text);
			in_mark = true;
			at += 6;
			mark_start = at;
		} else if (has_prefix(at, end, "</mark>")) {
			if (!in_mark || at == mark_start)
				bx_fuzz_fail("%s: </mark> without <mark>, or an empty mark, in %s", id, text);
			in_mark = false;
			at += 7;
		} else if (*at == '<' || *at == '>' || *at == '"' || *at == '\'') {
			bx_fuzz_fail("%s: unescaped %c in the snippet %s", id, *at, text);
		} else if (*at == '&') {
			size_t e = 0;
			while (e < sizeof entities / sizeof entities[0] && !has_prefix(at, end, entities[e]))
				e++;
			if (e == sizeof entities / sizeof entities[0])
				bx_fuzz_fail("%s: an & that is not an entity in the snippet %s", id, text);
			at += strlen(entities[e]);
		} else {
			size_t n = utf8_length((const unsigned char *)at, (const unsigned char *)end);
			if (!n)
				bx_fuzz_fail("%s: invalid UTF-8 in the snippet", id);
			at += n;
		}
	}
	if (in_mark)
		bx_fuzz_fail("%s: <mark> not closed in %s", id, text);
}

static const char *string_of(const json_t *object, const char *key, const char *what)
{
	const char *value = json_string_value(json_object_get(object, key));
	if (!value)
		bx_fuzz_fail("%s has no string \"%s\"", what, key);
	return value;
}

/* Does item a rightly come before item b in the request's order? */
static bool in_order(const struct request *request, const json_t *a, const json_t *b)
{
	const char *id_a = json_string_value(json_object_get(a, "id"));
	const char *id_b = json_string_value(json_object_get(b, "id"));
	if (request->ranked) {
		double x = json_number_value(json_object_get(a, "score"));
		double y = json_number_value(json_object_get(b, "score"));
		if (x != y)
			return x > y;
	} else {
		const char *x = json_string_value(json_object_get(a, "date"));
		const char *y = json_string_value(json_object_get(b, "date"));
		if (!x != !y)
			return x != NULL;
		int order = x ? strcmp(x, y) : 0;
		if (order)
			return order > 0;
	}
	return strcmp(id_a, id_b) < 0;
}

static void check_items(const struct request *request, const json_t *items, json_int_t total, int limit)
{
	if (!json_is_array(items))
		bx_fuzz_fail("no array \"items\"");
	if (json_array_size(items) > (size_t)limit || (json_int_t)json_array_size(items) > total)
		bx_fuzz_fail("%zu items for a page of %d and a total of %lld", json_array_size(items), limit,
		             (long long)total);
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) {
		if (!json_is_object(item))
			bx_fuzz_fail("item %zu is not an object", i);
		const char *id = string_of(item, "id", "an item");
		string_of(item, "type", id);
		const char *status = string_of(item, "status", id);
		json_t *score = json_object_get(item, "score");
		if (!json_is_number(score) || !isfinite(json_number_value(score)) || json_number_value(score) < 0)
			bx_fuzz_fail("%s: the score is not a number >= 0", id);
		if (!json_object_get(item, "snippet"))
			bx_fuzz_fail("%s: no \"snippet\"", id);
		check_snippet(id, json_object_get(item, "snippet"));
		if (!request->has_words && !json_is_null(json_object_get(item, "snippet")))
			bx_fuzz_fail("%s: a snippet for a query without words", id);
		if (request->anonymous && strcmp(status, "published"))
			bx_fuzz_fail("an anonymous search found %s, whose status is %s", id, status);
		if (i && !in_order(request, json_array_get(items, i - 1), item))
			bx_fuzz_fail("%s comes after %s, out of order", id,
			             json_string_value(json_object_get(json_array_get(items, i - 1), "id")));
	}
}

static void check_facets(const struct request *request, const json_t *facets, json_int_t total)
{
	if (!json_is_object(facets))
		bx_fuzz_fail("no object \"facets\"");
	size_t n_asked = 0;
	for (int kind = 0; kind < BX_FACET_KINDS; kind++) {
		if (!(request->facets & (1u << kind)))
			continue;
		n_asked++;
		const char *name = bx_facet_name(kind);
		json_t *values = json_object_get(facets, name);
		if (!json_is_array(values))
			bx_fuzz_fail("the asked facet %s is not an array", name);
		if (json_array_size(values) > BX_SEARCH_FACET_VALUES_MAX)
			bx_fuzz_fail("the facet %s has %zu values", name, json_array_size(values));
		size_t i;
		json_t *entry;
		json_int_t previous = total;
		json_array_foreach(values, i, entry) {
			string_of(entry, "value", name);
			string_of(entry, "label", name);
			json_t *count = json_object_get(entry, "count");
			if (!json_is_integer(count) || json_integer_value(count) < 1 || json_integer_value(count) > total)
				bx_fuzz_fail("facet %s value %zu: count not an integer in 1..%lld", name, i, (long long)total);
			if (json_integer_value(count) > previous)
				bx_fuzz_fail("facet %s: the values are not by count, most frequent first", name);
			previous = json_integer_value(count);
		}
	}
	if (json_object_size(facets) != n_asked)
		bx_fuzz_fail("%zu facets for %zu asked", json_object_size(facets), n_asked);
}

static void check_expanded(const struct request *request, const json_t *expanded)
{
	json_t *q = json_object_get(expanded, "q");
	if (json_object_size(expanded) != (q ? 1u : 0u))
		bx_fuzz_fail("expanded holds more than \"q\"");
	if (!q)
		return;
	if (!request->expand)
		bx_fuzz_fail("expanded has \"q\" although expand is false");
	if (!json_is_array(q) || !json_array_size(q))
		bx_fuzz_fail("expanded.q is not a non-empty array");
	size_t i;
	json_t *entry;
	json_array_foreach(q, i, entry) {
		string_of(entry, "text", "expanded.q");
		string_of(entry, "concept", "expanded.q");
		if (!json_is_object(json_object_get(entry, "labels")))
			bx_fuzz_fail("expanded.q[%zu] has no object \"labels\"", i);
	}
}

/* Runs the request's search for one page and checks the answer; returns it (NULL when
 * the query is too long) and sets *expanded_out when it is not NULL. */
static json_t *run(const struct request *request, int64_t offset, int limit, json_t **expanded_out)
{
	struct bx_search_params params;
	make_params(request, offset, limit, &params);
	json_t *expanded = json_object(), *out = NULL;
	int rc = bx_search_run(search, request->principal, &params, expanded, &out);
	bool too_long = strlen(request->q) > BX_SEARCH_MAX_QUERY;
	if (rc != (too_long ? BX_ETOOBIG : 0))
		bx_fuzz_fail("bx_search_run: %s for a query of %zu bytes", bx_strerror(rc), strlen(request->q));
	if (rc) {
		if (out)
			bx_fuzz_fail("bx_search_run failed but set *out");
		json_decref(expanded);
		return NULL;
	}
	json_t *total = json_object_get(out, "total");
	if (!json_is_object(out) || !json_is_integer(total) || json_integer_value(total) < 0)
		bx_fuzz_fail("no integer \"total\" >= 0");
	check_items(request, json_object_get(out, "items"), json_integer_value(total), limit);
	check_facets(request, json_object_get(out, "facets"), json_integer_value(total));
	check_expanded(request, expanded);
	if (expanded_out)
		*expanded_out = expanded;
	else
		json_decref(expanded);
	return out;
}

static const char *item_id(const json_t *out, size_t i)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(out, "items"), i), "id"));
}

/* A facet's count is the total of the same search filtered on its value: checked for
 * one value (picked by the total) of the first asked facet that has any. */
static void check_facet_count(const struct request *request, const json_t *facets, json_int_t total)
{
	for (int kind = 0; kind < BX_FACET_KINDS; kind++) {
		json_t *values = json_object_get(facets, bx_facet_name(kind));
		if (!json_array_size(values))
			continue;
		json_t *entry = json_array_get(values, (size_t)total % json_array_size(values));
		const char *value = json_string_value(json_object_get(entry, "value"));
		struct bx_search_params params;
		make_params(request, 0, 0, &params);
		if (params.list.n_filters == BX_MAX_FILTERS)
			return;
		struct bx_filter *filter = &params.list.filters[params.list.n_filters++];
		filter->facet = bx_facet_name(kind);
		filter->values[filter->n_values++] = value;
		params.facets = 0;
		json_t *counted = NULL;
		int rc = bx_search_run(search, request->principal, &params, NULL, &counted);
		if (rc)
			bx_fuzz_fail("the search filtered on facet %s: %s", filter->facet, bx_strerror(rc));
		json_int_t filtered = json_integer_value(json_object_get(counted, "total"));
		if (filtered != json_integer_value(json_object_get(entry, "count")))
			bx_fuzz_fail("facet %s value %s counts %lld, but filtered on it the total is %lld",
			             filter->facet, value, (long long)json_integer_value(json_object_get(entry, "count")),
			             (long long)filtered);
		json_decref(counted);
		return;
	}
}

/* Anonymous searches see a part of what an admin sees over every status. */
static void check_visibility(const struct request *request, json_int_t total)
{
	struct request other = *request;
	other.anonymous = !request->anonymous;
	other.principal = other.anonymous ? &anonymous : &admin;
	other.any_status = !other.anonymous;
	other.facets = 0;
	struct bx_search_params params;
	make_params(&other, 0, 0, &params);
	json_t *out = NULL;
	int rc = bx_search_run(search, other.principal, &params, NULL, &out);
	if (rc)
		bx_fuzz_fail("the search as %s: %s", other.anonymous ? "anonymous" : "admin", bx_strerror(rc));
	json_int_t other_total = json_integer_value(json_object_get(out, "total"));
	json_int_t by_admin = request->anonymous ? other_total : total;
	json_int_t by_anonymous = request->anonymous ? total : other_total;
	if (by_anonymous > by_admin)
		bx_fuzz_fail("an admin over every status finds %lld, anonymous %lld", (long long)by_admin,
		             (long long)by_anonymous);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > MAX_INPUT)
		return 0;
	struct request request;
	read_request(data, size, &request);
	json_t *expanded = NULL;
	json_t *first = run(&request, 0, request.size, &expanded);
	if (!first) {
		free_request(&request);
		return 0;
	}
	if (verbose) {
		char *shown = json_dumps(first, JSON_COMPACT), *shown_expanded = json_dumps(expanded, JSON_COMPACT);
		fprintf(stderr, "q=\"%s\" %s, %s: %s\nexpanded: %s\n", request.q,
		        request.anonymous ? "anonymous" : "admin", request.any_status ? "any status" : "published",
		        shown ? shown : "?", shown_expanded ? shown_expanded : "?");
		free(shown);
		free(shown_expanded);
	}
	json_int_t total = json_integer_value(json_object_get(first, "total"));
	size_t n_items = json_array_size(json_object_get(first, "items"));

	/* The same search again gives the same answer. */
	json_t *again_expanded = NULL;
	json_t *again = run(&request, 0, request.size, &again_expanded);
	if (!json_equal(first, again) || !json_equal(expanded, again_expanded)) {
		char *a = json_dumps(first, JSON_COMPACT), *b = json_dumps(again, JSON_COMPACT);
		bx_fuzz_fail("the same search twice gave two answers:\n%s\n%s", a ? a : "?", b ? b : "?");
	}
	json_decref(again);
	json_decref(again_expanded);

	/* As many items as the page and the total allow (nothing changes the node, so no hit
	 * is dropped), and a page of two starting on the last item continues this one. */
	if ((json_int_t)n_items != (total < request.size ? total : request.size))
		bx_fuzz_fail("%zu items for a total of %lld and a size of %d", n_items, (long long)total, request.size);
	if (n_items) {
		json_t *next = run(&request, (int64_t)n_items - 1, 2, NULL);
		json_int_t n_left = total - (json_int_t)n_items + 1;
		size_t n_next = json_array_size(json_object_get(next, "items"));
		if (json_integer_value(json_object_get(next, "total")) != total)
			bx_fuzz_fail("the total changed with the offset");
		if ((json_int_t)n_next != (n_left < 2 ? n_left : 2))
			bx_fuzz_fail("%zu items at offset %zu of %lld", n_next, n_items - 1, (long long)total);
		if (strcmp(item_id(first, n_items - 1), item_id(next, 0)))
			bx_fuzz_fail("item %zu is %s, but %s at offset %zu", n_items - 1, item_id(first, n_items - 1),
			             item_id(next, 0), n_items - 1);
		if (n_next == 2 && !in_order(&request, json_array_get(json_object_get(first, "items"), n_items - 1),
		                             json_array_get(json_object_get(next, "items"), 1)))
			bx_fuzz_fail("the next page starts out of order");
		json_decref(next);
	}

	check_facet_count(&request, json_object_get(first, "facets"), total);
	check_visibility(&request, total);
	json_decref(first);
	json_decref(expanded);
	free_request(&request);
	return 0;
}
