/* Unit tests of the search index (src/search/index*.c) over records written straight to a
 * store: listings with filters, visibility, sorting and paging; versions and withdrawals
 * followed through the change sequence; words, phrases, prefixes and exclusions; exact
 * facet counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include "search/index.h"
#include "text/tokenize.h"
#include "fixture.h"

static void listing_filters_and_visibility(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	struct bx_store *s = f->store;
	/* Published only by default, whoever asks. */
	expect_list(s, (struct bx_list_query){0}, "t:a,t:c,t:e", 3);
	expect_list(s, (struct bx_list_query){.see_all = true}, "t:a,t:c,t:e", 3);
	expect_list(s, (struct bx_list_query){.status = "published"}, "t:a,t:c,t:e", 3);
	/* Filters. */
	expect_list(s, (struct bx_list_query){.type = "document"}, "t:a", 1);
	expect_list(s, (struct bx_list_query){.type = "expert"}, "t:c", 1);
	expect_list(s, (struct bx_list_query){.filters = {COUNTRY("CN")}, .n_filters = 1}, "t:a,t:e", 2);
	expect_list(s, (struct bx_list_query){.filters = {INSTRUMENT("cbd")}, .n_filters = 1}, "t:a,t:c,t:e", 3);
	expect_list(s, (struct bx_list_query){.filters = {INSTRUMENT("cbd"), COUNTRY("FR")}, .n_filters = 2},
	            "t:c", 1);
	/* Values of one filter are alternatives. */
	expect_list(s, (struct bx_list_query){.filters = {{.facet = "instrument", .values = {"cites", "cms"},
	            .n_values = 2}}, .n_filters = 1, .status = "draft", .see_all = true}, "t:b", 1);
	expect_list(s, (struct bx_list_query){.year = "2021"}, "t:a", 1);
	expect_list(s, (struct bx_list_query){.filters = {INSTRUMENT("cms")}, .n_filters = 1}, "", 0);
	expect_list(s, (struct bx_list_query){.type = "meeting"}, "", 0);
	/* Unpublished records: only when asked for and allowed. */
	expect_list(s, (struct bx_list_query){.status = "draft"}, "", 0);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_all = true}, "t:b,t:g", 2);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_country = "CN"}, "t:b", 1);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_country = "JP"}, "", 0);
	expect_list(s, (struct bx_list_query){.status = "submitted", .see_author = "alice"}, "t:d", 1);
	expect_list(s, (struct bx_list_query){.status = "submitted", .see_author = "bob"}, "", 0);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_author = "carol"}, "t:g", 1);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_all = true, .filters = {COUNTRY("FR")},
	            .n_filters = 1}, "t:g", 1);
	/* Withdrawn records are never listed. */
	expect_list(s, (struct bx_list_query){.status = "withdrawn", .see_all = true}, "", 0);
}

static void listing_sort_and_pages(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	struct bx_store *s = f->store;
	/* Dated records first, newest first; undated last. */
	expect_list(s, (struct bx_list_query){.sort = BX_SORT_DATE_DESC}, "t:a,t:c,t:e", 3);
	expect_list(s, (struct bx_list_query){.sort = BX_SORT_DATE_ASC}, "t:c,t:a,t:e", 3);
	expect_list(s, (struct bx_list_query){.sort = BX_SORT_TITLE}, "t:a,t:c,t:e", 3);
	expect_list(s, (struct bx_list_query){.sort = BX_SORT_UPDATED}, "t:c,t:e,t:a", 3);
	expect_list(s, (struct bx_list_query){.status = "draft", .see_all = true, .sort = BX_SORT_DATE_DESC},
	            "t:b,t:g", 2);
	/* Pages: the total is the number matching, whatever the page. */
	expect_list(s, (struct bx_list_query){.limit = 2}, "t:a,t:c", 3);
	expect_list(s, (struct bx_list_query){.limit = 2, .offset = 2}, "t:e", 3);
	expect_list(s, (struct bx_list_query){.limit = 2, .offset = 3}, "", 3);
	expect_list(s, (struct bx_list_query){.limit = 1, .offset = 1, .sort = BX_SORT_DATE_ASC}, "t:a", 3);
}

static void facets_follow_updates(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(put(f->store, &(struct spec){.id = "t:m", .country = "CN", .instrument = "cbd"}).rc, 0);
	assert_int_equal(put(f->store, &(struct spec){.id = "t:n", .country = "CN", .instrument = "cbd"}).rc, 0);
	expect_list(f->store, (struct bx_list_query){.filters = {COUNTRY("CN")}, .n_filters = 1}, "t:m,t:n", 2);
	assert_int_equal(put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "t:m", .revision = 2,
	                                              .base_revision = 1, .country = "FR", .instrument = "cms"}).rc, 0);
	expect_list(f->store, (struct bx_list_query){.filters = {COUNTRY("CN")}, .n_filters = 1}, "t:n", 1);
	expect_list(f->store, (struct bx_list_query){.filters = {INSTRUMENT("cbd")}, .n_filters = 1}, "t:n", 1);
	expect_list(f->store, (struct bx_list_query){.filters = {COUNTRY("FR")}, .n_filters = 1}, "t:m", 1);
	expect_list(f->store, (struct bx_list_query){.filters = {INSTRUMENT("cms")}, .n_filters = 1}, "t:m", 1);
	/* Withdrawing removes the record from every listing. */
	assert_int_equal(put(f->store, &(struct spec){.mode = BX_WRITE_UPDATE, .id = "t:n", .revision = 2,
	                                              .base_revision = 1, .status = "withdrawn", .deleted = true,
	                                              .country = "CN", .instrument = "cbd"}).rc, 0);
	expect_list(f->store, (struct bx_list_query){.filters = {COUNTRY("CN")}, .n_filters = 1}, "", 0);
	expect_list(f->store, (struct bx_list_query){.status = "withdrawn", .see_all = true}, "", 0);
}

/* The forms of each word of a text, as a phrase (offsets 0, 1, ...). */
struct phrase {
	struct bx_match_word words[8];
	size_t n;
	char forms[8][64];
};

static int add_word(void *context, int flags, const char *token, int length, int start, int end)
{
	struct phrase *phrase = context;
	if (phrase->n == 8 || (flags & BX_TOKEN_COLOCATED))
		return 0;
	snprintf(phrase->forms[phrase->n], sizeof phrase->forms[0], "%.*s", length, token);
	phrase->words[phrase->n] = (struct bx_match_word){.forms = {phrase->forms[phrase->n]}, .n_forms = 1,
	                                                  .offset = (int)phrase->n};
	phrase->n++;
	return 0;
}

/* The words of text as language analyzes it, one per position (the first form there). */
static void analyzed(const char *text, const char *language, struct phrase *phrase)
{
	memset(phrase, 0, sizeof *phrase);
	assert_int_equal(bx_tokenize(text, (int)strlen(text), language, add_word, phrase), 0);
}

static void words_phrases_prefixes_and_exclusions(void **state)
{
	struct fixture *f = *state;
	static const struct spec specs[] = {
		{.id = "t:1", .title = "Marine pollution report"},
		{.id = "t:2", .title = "Pollution of marine waters"},
		{.id = "t:3", .title = "Marine life"},
	};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(put(f->store, &specs[i]).rc, 0);
	struct bx_list_query by_title = {.sort = BX_SORT_TITLE};
	struct phrase pollution, marine, marine_pollution, polluted, absent;
	analyzed("pollution", "en", &pollution);
	analyzed("marine", "en", &marine);
	analyzed("marine pollution", "en", &marine_pollution);
	analyzed("polluted", "en", &polluted);
	analyzed("coral", "en", &absent);
	struct bx_match_alternative word = {.words = pollution.words, .n_words = 1};
	struct bx_match_part one = {.alternatives = &word, .n_alternatives = 1};
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "t:1,t:2", 2);
	/* "polluted" has the same English stem. */
	struct bx_match_alternative inflected = {.words = polluted.words, .n_words = 1};
	one.alternatives = &inflected;
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "t:1,t:2", 2);
	/* A phrase keeps its order. */
	struct bx_match_alternative phrase = {.words = marine_pollution.words, .n_words = marine_pollution.n};
	one.alternatives = &phrase;
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "t:1", 1);
	/* marine -pollution */
	struct bx_match_alternative marine_word = {.words = marine.words, .n_words = 1};
	struct bx_match_part both[2] = {{.alternatives = &marine_word, .n_alternatives = 1},
	                                {.alternatives = &word, .n_alternatives = 1, .exclude = true}};
	expect_search(f->store, (struct bx_index_query){.parts = both, .n_parts = 2, .has_match = true,
	              .list = &by_title}, "t:3", 1);
	/* Only an exclusion: nothing, with a filter too. */
	expect_search(f->store, (struct bx_index_query){.parts = both + 1, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "", 0);
	struct bx_list_query documents = {.sort = BX_SORT_TITLE, .type = "document"};
	expect_search(f->store, (struct bx_index_query){.parts = both + 1, .n_parts = 1, .has_match = true,
	              .list = &documents}, "", 0);
	expect_search(f->store, (struct bx_index_query){.parts = both, .n_parts = 2, .has_match = true,
	              .list = &documents}, "t:3", 1);
	/* A prefix. */
	struct bx_match_word pol = {.forms = {"pol"}, .n_forms = 1};
	struct bx_match_alternative prefix = {.words = &pol, .n_words = 1, .prefix = true};
	one.alternatives = &prefix;
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "t:1,t:2", 2);
	/* A word in no record, and a field with no such word. */
	struct bx_match_alternative none = {.words = absent.words, .n_words = 1};
	one.alternatives = &none;
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "", 0);
	struct bx_match_alternative in_text = {.words = pollution.words, .n_words = 1, .fields = BX_FIELD_TEXT};
	one.alternatives = &in_text;
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &by_title}, "", 0);
	/* Ranked: the shorter title, where the word weighs more, first. */
	one.alternatives = &word;
	struct bx_list_query page = {0};
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .by_relevance = true, .list = &page}, "t:1,t:2", 2);
}

static int64_t count_of(const struct bx_index_result *result, const char *facet, const char *value)
{
	for (size_t i = 0; i < result->n_facets; i++)
		if (!strcmp(bx_facet_name(result->facets[i].kind), facet) && !strcmp(result->facets[i].value, value))
			return result->facets[i].count;
	return 0;
}

/* The first of the result's counts for facet, or NULL. */
static const struct bx_facet_count *first_of(const struct bx_index_result *result, const char *facet)
{
	for (size_t i = 0; i < result->n_facets; i++)
		if (!strcmp(bx_facet_name(result->facets[i].kind), facet))
			return &result->facets[i];
	return NULL;
}

static void facet_counts_are_exact(void **state)
{
	struct fixture *f = *state;
	add_listing_records(f->store);
	struct bx_index *index = NULL;
	assert_int_equal(bx_index_new(&index), 0);
	assert_int_equal(bx_index_sync(index, f->store), 0);
	struct bx_list_query everything = {.any_status = true, .see_all = true, .limit = 10};
	struct bx_index_query query = {
		.list = &everything, .facet_values = 100,
		.facets = 1u << BX_FACET_COUNTRY | 1u << BX_FACET_INSTRUMENT | 1u << BX_FACET_TYPE |
		          1u << BX_FACET_STATUS | 1u << BX_FACET_YEAR,
	};
	struct bx_index_result result;
	assert_int_equal(bx_index_search(index, &query, &result), 0);
	assert_int_equal(result.total, 6);   /* every record but the withdrawn one */
	assert_int_equal(count_of(&result, "country", "CN"), 3);
	assert_int_equal(count_of(&result, "country", "FR"), 3);
	assert_int_equal(count_of(&result, "instrument", "cbd"), 3);
	assert_int_equal(count_of(&result, "status", "draft"), 2);
	assert_int_equal(count_of(&result, "type", "expert"), 1);
	assert_int_equal(count_of(&result, "year", "2021"), 1);
	assert_int_equal(count_of(&result, "status", "withdrawn"), 0);
	/* Most frequent first. */
	assert_string_equal(first_of(&result, "type")->value, "document");
	bx_index_result_clear(&result);
	struct bx_index_stats stats;
	bx_index_stats(index, &stats);
	assert_int_equal(stats.records, 6);
	bx_index_free(index);
}

/* Over more matches than are counted record by record, facets are counted value by value
 * over a bitmap of the matches, and only until no value left can enter the page: the
 * counts shown must still equal the filtered totals. */
static void facet_counts_over_many_matches(void **state)
{
	struct fixture *f = *state;
	enum { N = 40000 };
	static const char *const countries[] = {"CN", "FR", "BR", "DE", "IN", "JP", "KE", "MX", "NO", "PE"};
	assert_int_equal(bx_store_begin(f->store), 0);
	for (int i = 0; i < N; i++) {
		char id[32], date[16];
		snprintf(id, sizeof id, "t:m%d", i);
		snprintf(date, sizeof date, "%d-01-01", 2000 + i % 23);
		/* CN on every other record; the rest spread unevenly, so that some values are
		 * dense (bitmaps) and some sparse (slot lists) */
		const char *country = i % 2 ? countries[1 + (i / 2) % (i % 3 ? 9 : 3)] : "CN";
		struct spec spec = {.id = id, .country = country, .instrument = i % 7 ? "cbd" : "cms",
		                    .date = date};
		assert_int_equal(put_in(f->store, &spec).rc, 0);
	}
	assert_int_equal(bx_store_commit(f->store), 0);
	struct bx_index *index = NULL;
	assert_int_equal(bx_index_new(&index), 0);
	assert_int_equal(bx_index_sync(index, f->store), 0);
	/* the 6 in 7 records of cbd: more than are counted record by record, not all */
	struct bx_list_query cbd = {.limit = 1, .n_filters = 1,
	                            .filters = {{.facet = "instrument", .values = {"cbd"}, .n_values = 1}}};
	struct bx_index_query query = {
		.list = &cbd, .facet_values = 4, .facets = 1u << BX_FACET_COUNTRY | 1u << BX_FACET_YEAR,
	};
	struct bx_index_result result;
	assert_int_equal(bx_index_search(index, &query, &result), 0);
	assert_int_equal(result.total, N - (N + 6) / 7);
	/* each way of counting many matches gives the same counts */
	static const enum bx_facet_counting ways[] = {BX_FACETS_BY_RECORD, BX_FACETS_BY_VALUE};
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		struct bx_index_result forced;
		bx_index_set_facet_counting(index, ways[w]);
		assert_int_equal(bx_index_search(index, &query, &forced), 0);
		assert_int_equal(forced.n_facets, result.n_facets);
		for (size_t i = 0; i < result.n_facets; i++) {
			assert_int_equal(forced.facets[i].kind, result.facets[i].kind);
			assert_string_equal(forced.facets[i].value, result.facets[i].value);
			assert_int_equal(forced.facets[i].count, result.facets[i].count);
		}
		bx_index_result_clear(&forced);
	}
	bx_index_set_facet_counting(index, BX_FACETS_CHEAPER);
	static const char *const facets[] = {"country", "year"};
	for (size_t k = 0; k < 2; k++) {
		const struct bx_facet_count *values = first_of(&result, facets[k]);
		size_t n_values = 0;
		while (values && values + n_values < result.facets + result.n_facets &&
		       !strcmp(bx_facet_name(values[n_values].kind), facets[k]))
			n_values++;
		assert_true(n_values >= 2 && n_values <= 4);
		int64_t previous = N + 1;
		for (size_t i = 0; i < n_values; i++) {
			const char *value = values[i].value;
			int64_t count = values[i].count;
			assert_true(count <= previous);
			previous = count;
			struct bx_list_query filtered = cbd;
			if (k == 0)
				filtered.filters[filtered.n_filters++] = (struct bx_filter){
					.facet = "country", .values = {value}, .n_values = 1};
			else
				filtered.year = value;
			struct bx_index_query one = {.list = &filtered};
			struct bx_index_result counted;
			assert_int_equal(bx_index_search(index, &one, &counted), 0);
			if (counted.total != count)
				fail_msg("%s=%s: facet says %lld, filter finds %lld", facets[k], value, (long long)count,
				         (long long)counted.total);
			bx_index_result_clear(&counted);
		}
	}
	assert_true(count_of(&result, "country", "CN") < N / 2);   /* not every CN record is cbd */
	bx_index_result_clear(&result);
	bx_index_free(index);
}

/* Facet values past the 65,535th are kept in three 16-bit codes (WIDE_VALUE): counted
 * either way, filtered on, and found for a national user's drafts like the first ones. */
static void values_past_sixteen_bits(void **state)
{
	struct fixture *f = *state;
	enum { RECORDS = 700, SUBJECTS = 100 };
	static char names[RECORDS][SUBJECTS][16];
	const char *subjects[SUBJECTS];
	assert_int_equal(bx_store_begin(f->store), 0);
	for (int i = 0; i < RECORDS; i++) {
		char id[32];
		snprintf(id, sizeof id, "t:w%d", i);
		for (int j = 0; j < SUBJECTS; j++) {
			snprintf(names[i][j], sizeof names[i][j], j ? "s%d-%d" : "common", i, j);
			subjects[j] = names[i][j];
		}
		assert_int_equal(put_in(f->store, &(struct spec){.id = id, .subjects = subjects,
		                                                   .n_subjects = SUBJECTS}).rc, 0);
	}
	/* values made after 69,301 subjects: countries and a subject of their own */
	const char *late[] = {"late"};
	const struct spec drafts[] = {
		{.id = "t:z1", .country = "ZZ", .status = "draft", .subjects = late, .n_subjects = 1},
		{.id = "t:z2", .country = "ZZ", .status = "draft", .subjects = late, .n_subjects = 1},
		{.id = "t:z3", .country = "ZZ", .subjects = late, .n_subjects = 1},
		{.id = "t:z4", .country = "YY", .status = "draft", .subjects = late, .n_subjects = 1},
	};
	for (size_t i = 0; i < sizeof drafts / sizeof drafts[0]; i++)
		assert_int_equal(put_in(f->store, &drafts[i]).rc, 0);
	assert_int_equal(bx_store_commit(f->store), 0);
	struct bx_index *index = NULL;
	assert_int_equal(bx_index_new(&index), 0);
	assert_int_equal(bx_index_sync(index, f->store), 0);
	struct bx_list_query zz = {.any_status = true, .see_country = "ZZ", .limit = 1000};
	struct bx_index_query query = {
		.list = &zz, .facet_values = 3, .facets = 1u << BX_FACET_COUNTRY | 1u << BX_FACET_SUBJECT,
	};
	static const enum bx_facet_counting ways[] = {BX_FACETS_BY_RECORD, BX_FACETS_BY_VALUE};
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		bx_index_set_facet_counting(index, ways[w]);
		struct bx_index_result result;
		assert_int_equal(bx_index_search(index, &query, &result), 0);
		assert_int_equal(result.total, RECORDS + 3);   /* not YY's draft */
		assert_int_equal(count_of(&result, "country", "ZZ"), 3);
		assert_int_equal(count_of(&result, "country", "YY"), 0);
		assert_int_equal(count_of(&result, "subject", "late"), 3);
		assert_int_equal(count_of(&result, "subject", "common"), RECORDS);
		bx_index_result_clear(&result);
	}
	bx_index_free(index);
	expect_list(f->store, (struct bx_list_query){.filters = {{.facet = "subject", .values = {"late"}, .n_values = 1}},
	            .n_filters = 1, .status = "draft", .see_country = "ZZ"}, "t:z1,t:z2", 2);
	expect_list(f->store, (struct bx_list_query){.filters = {{.facet = "subject", .values = {"s699-99"},
	            .n_values = 1}}, .n_filters = 1}, "t:w699", 1);
}

/* A word in every record and a word in a few: the walk seeks far ahead in the long list
 * (through its skip points) and must land on every record that has both. */
static void seeks_skip_far_ahead(void **state)
{
	struct fixture *f = *state;
	enum { N = 5000 };
	assert_int_equal(bx_store_begin(f->store), 0);
	int n_rare = 0;
	for (int i = 0; i < N; i++) {
		char id[32];
		snprintf(id, sizeof id, "t:s%04d", i);
		bool rare = i % 97 == 0 || i % 1000 == 999;
		n_rare += rare;
		struct spec spec = {.id = id, .title = rare ? "marine otters" : "marine life"};
		assert_int_equal(put_in(f->store, &spec).rc, 0);
	}
	assert_int_equal(bx_store_commit(f->store), 0);
	struct phrase marine, otters, marine_otters;
	analyzed("marine", "en", &marine);
	analyzed("otters", "en", &otters);
	analyzed("marine otters", "en", &marine_otters);
	struct bx_match_alternative a = {.words = marine.words, .n_words = 1};
	struct bx_match_alternative b = {.words = otters.words, .n_words = 1};
	struct bx_match_part both[2] = {{.alternatives = &a, .n_alternatives = 1},
	                                {.alternatives = &b, .n_alternatives = 1}};
	struct bx_list_query first = {.sort = BX_SORT_TITLE, .limit = 3};
	expect_search(f->store, (struct bx_index_query){.parts = both, .n_parts = 2, .has_match = true,
	              .list = &first}, "t:s0000,t:s0097,t:s0194", n_rare);
	struct bx_match_alternative phrase = {.words = marine_otters.words, .n_words = 2};
	struct bx_match_part one = {.alternatives = &phrase, .n_alternatives = 1};
	expect_search(f->store, (struct bx_index_query){.parts = &one, .n_parts = 1, .has_match = true,
	              .list = &first}, "t:s0000,t:s0097,t:s0194", n_rare);
	/* marine -otters: the rest */
	both[1].exclude = true;
	expect_search(f->store, (struct bx_index_query){.parts = both, .n_parts = 2, .has_match = true,
	              .list = &first}, "t:s0001,t:s0002,t:s0003", N - n_rare);
}

/* Compares two results of the same search: the same total, page (ids and scores) and
 * facets. */
static void expect_same(const struct bx_index_result *a, const struct bx_index_result *b, const char *what)
{
	if (a->total != b->total)
		fail_msg("%s: totals %lld and %lld", what, (long long)a->total, (long long)b->total);
	if (a->n_hits != b->n_hits)
		fail_msg("%s: %zu and %zu hits", what, a->n_hits, b->n_hits);
	for (size_t i = 0; i < a->n_hits; i++)
		if (strcmp(a->hits[i].id, b->hits[i].id) || a->hits[i].score != b->hits[i].score ||
		    a->hits[i].fields != b->hits[i].fields)
			fail_msg("%s: hit %zu is %s (%.17g) and %s (%.17g)", what, i, a->hits[i].id, a->hits[i].score,
			         b->hits[i].id, b->hits[i].score);
	assert_int_equal(a->n_facets, b->n_facets);
	for (size_t i = 0; i < a->n_facets; i++) {
		assert_int_equal(a->facets[i].kind, b->facets[i].kind);
		assert_string_equal(a->facets[i].value, b->facets[i].value);
		assert_int_equal(a->facets[i].count, b->facets[i].count);
	}
}

/* Searches with many matches find them as bitmaps and score them a bitmap word at a
 * time, with bounds: the same
 * results as the walk, for words, phrases, alternatives, exclusions, filters, the
 * language boost and pages past the first, over records of many years, drafts, new
 * versions and withdrawals. */
static void bitmaps_and_walk_agree(void **state)
{
	struct fixture *f = *state;
	enum { N = 6000 };
	static const char *const words[] = {"marine", "forest", "pollution", "wetland", "species", "coral"};
	static const char *const countries[] = {"CN", "FR", "BR", "SA"};
	assert_int_equal(bx_store_begin(f->store), 0);
	uint32_t random = 12345;
	for (int i = 0; i < N + 600; i++) {
		char id[32], date[16], title[256] = "";
		snprintf(id, sizeof id, "t:b%d", i % N);   /* the last 600: new versions */
		random = random * 1103515245 + 12345;
		int year = 1995 + (int)(random >> 8) % 36;   /* some in the future */
		snprintf(date, sizeof date, "%d-06-01", year);
		size_t length = 0;
		int n_words = 1 + (int)(random >> 12) % 9;
		for (int w = 0; w < n_words; w++) {
			random = random * 1103515245 + 12345;
			/* marine in about 3 records of 4, forest in half, the others rarer */
			uint32_t pick = (random >> 10) % 100;
			const char *word = pick < 45 ? "marine" : pick < 70 ? "forest" : words[2 + pick % 4];
			length += (size_t)snprintf(title + length, sizeof title - length, "%s%s", w ? " " : "", word);
		}
		if (i % 97 == 0)   /* a rare word, so that the common ones are sought where it is */
			snprintf(title + length, sizeof title - length, " otters");
		bool again = i >= N, withdrawn = again && i % 5 == 0;
		struct spec spec = {.id = id, .title = title, .date = i % 11 ? date : NULL,
		                    .country = countries[i % 4],
		                    .status = withdrawn ? "withdrawn" : i % 13 ? "published" : "draft",
		                    .mode = again ? BX_WRITE_UPDATE : 0, .revision = again ? 2 : 1,
		                    .base_revision = again ? 1 : 0, .deleted = withdrawn};
		assert_int_equal(put_in(f->store, &spec).rc, 0);
	}
	assert_int_equal(bx_store_commit(f->store), 0);
	struct bx_index *index = NULL;
	assert_int_equal(bx_index_new(&index), 0);
	assert_int_equal(bx_index_sync(index, f->store), 0);

	struct phrase marine, forest, pollution, otters, marine_forest;
	analyzed("otters", "en", &otters);
	analyzed("marine", "en", &marine);
	analyzed("forest", "en", &forest);
	analyzed("pollution", "en", &pollution);
	analyzed("marine forest", "en", &marine_forest);
	struct bx_match_alternative a_marine = {.words = marine.words, .n_words = 1};
	struct bx_match_alternative a_forest = {.words = forest.words, .n_words = 1};
	struct bx_match_alternative a_pollution = {.words = pollution.words, .n_words = 1};
	struct bx_match_alternative a_otters = {.words = otters.words, .n_words = 1};
	struct bx_match_alternative a_phrase = {.words = marine_forest.words, .n_words = 2};
	struct bx_match_alternative marine_or_phrase[2] = {a_marine, a_phrase};
	struct bx_match_alternative pollution_or_phrase[2] = {a_pollution, a_phrase};
	struct bx_match_alternative forest_or_pollution[2] = {a_forest, a_pollution};
	struct {
		const char *what;
		struct bx_match_part parts[2];
		size_t n_parts;
		const char *country, *language;
		int64_t offset;
	} cases[] = {
		{"marine", {{&a_marine, 1, false}}, 1, NULL, NULL, 0},
		{"marine, page 3", {{&a_marine, 1, false}}, 1, NULL, NULL, 40},
		{"marine forest", {{&a_marine, 1, false}, {&a_forest, 1, false}}, 2, NULL, NULL, 0},
		{"\"marine forest\"", {{&a_phrase, 1, false}}, 1, NULL, NULL, 0},
		{"marine OR \"marine forest\"", {{marine_or_phrase, 2, false}}, 1, NULL, NULL, 0},
		{"pollution OR \"marine forest\"", {{pollution_or_phrase, 2, false}}, 1, NULL, NULL, 0},
		{"marine -forest", {{&a_marine, 1, false}, {&a_forest, 1, true}}, 2, NULL, NULL, 0},
		{"marine (forest OR pollution)", {{&a_marine, 1, false}, {forest_or_pollution, 2, false}}, 2,
		 NULL, NULL, 0},
		{"marine, country CN", {{&a_marine, 1, false}}, 1, "CN", NULL, 0},
		{"otters forest", {{&a_otters, 1, false}, {&a_forest, 1, false}}, 2, NULL, NULL, 0},
		{"otters \"marine forest\"", {{&a_otters, 1, false}, {&a_phrase, 1, false}}, 2, NULL, NULL, 0},
		{"otters -forest", {{&a_otters, 1, false}, {&a_forest, 1, true}}, 2, NULL, NULL, 0},
		{"forest, in English", {{&a_forest, 1, false}}, 1, NULL, "en", 0},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct bx_list_query list = {.limit = 20, .offset = cases[c].offset};
		if (cases[c].country)
			list.filters[list.n_filters++] = (struct bx_filter){
				.facet = "country", .values = {cases[c].country}, .n_values = 1};
		struct bx_index_query query = {
			.parts = cases[c].parts, .n_parts = cases[c].n_parts, .has_match = true, .by_relevance = true,
			.list = &list, .language = cases[c].language, .facet_values = 5,
			.facets = 1u << BX_FACET_COUNTRY | 1u << BX_FACET_YEAR,
		};
		struct bx_index_result walked, by_bitmaps;
		bx_index_set_bitmaps_from(index, INFINITY);
		assert_int_equal(bx_index_search(index, &query, &walked), 0);
		bx_index_set_bitmaps_from(index, 0);
		assert_int_equal(bx_index_search(index, &query, &by_bitmaps), 0);
		assert_true(walked.total > 10);
		expect_same(&walked, &by_bitmaps, cases[c].what);
		bx_index_result_clear(&walked);
		bx_index_result_clear(&by_bitmaps);
	}
	bx_index_free(index);
}


/* Han text as a search asks for it: its bigrams, one per position. */
static void bigrams(const char *const *pairs, size_t n, struct phrase *phrase)
{
	memset(phrase, 0, sizeof *phrase);
	for (size_t i = 0; i < n; i++) {
		snprintf(phrase->forms[i], sizeof phrase->forms[0], "%s", pairs[i]);
		phrase->words[i] = (struct bx_match_word){.forms = {phrase->forms[i]}, .n_forms = 1, .offset = (int)i};
	}
	phrase->n = n;
}

/* Writes n records whose titles join one to four pieces of text of one language (and, in
 * one of 97, a rare word beside a common one), versions 1 or, with again, 2. */
static void write_pieces(struct bx_store *store, int n, bool again)
{
	static const struct { const char *language, *pieces[4]; } texts[] = {
		{"en", {"marine protected areas", "areas protected from marine pollution",
		        "the protected marine areas of the coast", "marine and coastal areas"}},
		{"es", {"para todos los países", "los países de todos", "todos los niños y niñas", "los todos países"}},
		{"ar", {"حفظ التنوع البيولوجي", "البيولوجي التنوع", "التنوع في البيولوجي",
		        "الموارد الجينية والتنوع البيولوجي"}},
		{"zh", {"保护生物多样性", "多样性生物", "生物的多样性", "遗传资源和生物多样性"}},
	};
	uint32_t random = again ? 777 : 4242;
	assert_int_equal(bx_store_begin(store), 0);
	for (int i = 0; i < n; i++) {
		int t = i % 4;
		char id[32], title[512] = "";
		snprintf(id, sizeof id, "t:p%d", again ? i * 7 % 3000 : i);
		size_t length = 0;
		random = random * 1103515245 + 12345;
		for (int p = 0, n_pieces = 1 + (int)(random >> 16) % 4; p < n_pieces; p++) {
			random = random * 1103515245 + 12345;
			length += (size_t)snprintf(title + length, sizeof title - length, "%s%s", p ? " " : "",
			                           texts[t].pieces[(random >> 16) % 4]);
		}
		if (i % 97 == 0)
			snprintf(title + length, sizeof title - length, " marine otters");
		struct spec spec = {.id = id, .title = title, .language = texts[t].language,
		                    .mode = again ? BX_WRITE_UPDATE : 0, .revision = again ? 2 : 1,
		                    .base_revision = again ? 1 : 0};
		assert_int_equal(put_in(store, &spec).rc, 0);
	}
	assert_int_equal(bx_store_commit(store), 0);
}

/* An index that keeps pairs finds phrases of common words by them: the same results as
 * by their words' positions, walked and by bitmaps, in English, Spanish, Arabic and
 * Chinese, where the words stand together, apart and in the other order, of two to six
 * words, after records changed too. */
static void pairs_find_what_positions_find(void **state)
{
	struct fixture *f = *state;
	write_pieces(f->store, 3000, false);
	struct bx_index *paired = NULL, *unpaired = NULL;
	assert_int_equal(bx_index_new(&paired), 0);
	assert_int_equal(bx_index_new(&unpaired), 0);
	bx_index_set_pairs_from(paired, 0);
	bx_index_set_pairs_from(unpaired, INT64_MAX);
	assert_int_equal(bx_index_sync(paired, f->store), 0);
	assert_int_equal(bx_index_sync(unpaired, f->store), 0);
	write_pieces(f->store, 400, true);
	assert_int_equal(bx_index_sync(paired, f->store), 0);
	assert_int_equal(bx_index_sync(unpaired, f->store), 0);
	struct bx_index_stats with, without;
	bx_index_stats(paired, &with);
	bx_index_stats(unpaired, &without);
	assert_true(with.pairable >= 20);
	assert_int_equal(without.pairable, 0);
	assert_true(with.terms > without.terms + 20);

	static const char *const zh_three[] = {"生物", "物多", "多样"}, *const zh_two[] = {"多样", "样性"};
	static const char *const zh_four[] = {"生物", "物多", "多样", "样性"};
	struct phrase phrases[13];
	analyzed("marine protected", "en", &phrases[0]);
	analyzed("protected marine areas", "en", &phrases[1]);
	analyzed("areas of the", "en", &phrases[2]);
	analyzed("todos los", "es", &phrases[3]);
	analyzed("todos los países", "es", &phrases[4]);
	analyzed("التنوع البيولوجي", "ar", &phrases[5]);
	bigrams(zh_three, 3, &phrases[6]);
	bigrams(zh_two, 2, &phrases[7]);
	analyzed("marine otters", "en", &phrases[8]);
	analyzed("mari", "en", &phrases[9]);
	analyzed("coastal", "en", &phrases[10]);
	bigrams(zh_four, 4, &phrases[11]);
	analyzed("the protected marine areas of the", "en", &phrases[12]);
	struct bx_match_alternative alternatives[13];
	for (size_t i = 0; i < 13; i++)
		alternatives[i] = (struct bx_match_alternative){.words = phrases[i].words, .n_words = phrases[i].n,
		                                                .prefix = i == 9};
	struct bx_match_alternative marine_or_arabic[2] = {alternatives[0], alternatives[5]};
	struct {
		const char *what;
		struct bx_match_part parts[2];
		size_t n_parts;
	} cases[] = {
		{"\"marine protected\"", {{&alternatives[0], 1, false}}, 1},
		{"\"protected marine areas\"", {{&alternatives[1], 1, false}}, 1},
		{"\"areas of the\"", {{&alternatives[2], 1, false}}, 1},
		{"\"todos los\"", {{&alternatives[3], 1, false}}, 1},
		{"\"todos los países\"", {{&alternatives[4], 1, false}}, 1},
		{"\"التنوع البيولوجي\"", {{&alternatives[5], 1, false}}, 1},
		{"\"生物多样\"", {{&alternatives[6], 1, false}}, 1},
		{"\"多样性\"", {{&alternatives[7], 1, false}}, 1},
		{"\"marine otters\"", {{&alternatives[8], 1, false}}, 1},
		{"\"生物多样性\"", {{&alternatives[11], 1, false}}, 1},
		{"\"the protected marine areas of the\"", {{&alternatives[12], 1, false}}, 1},
		{"mari* \"marine protected\"", {{&alternatives[9], 1, false}, {&alternatives[0], 1, false}}, 2},
		{"coastal -\"protected marine areas\"", {{&alternatives[10], 1, false}, {&alternatives[1], 1, true}}, 2},
		{"\"marine protected\" OR \"التنوع البيولوجي\"", {{marine_or_arabic, 2, false}}, 1},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
		for (int bitmaps = 0; bitmaps < 2; bitmaps++) {
			struct bx_list_query list = {.limit = 20};
			struct bx_index_query query = {
				.parts = cases[c].parts, .n_parts = cases[c].n_parts, .has_match = true, .by_relevance = true,
				.list = &list, .facet_values = 5, .facets = 1u << BX_FACET_LANGUAGE,
			};
			struct bx_index_result by_pairs, by_positions;
			bx_index_set_bitmaps_from(paired, bitmaps ? 0 : INFINITY);
			bx_index_set_bitmaps_from(unpaired, bitmaps ? 0 : INFINITY);
			assert_int_equal(bx_index_search(paired, &query, &by_pairs), 0);
			assert_int_equal(bx_index_search(unpaired, &query, &by_positions), 0);
			if (by_pairs.total < 1)
				fail_msg("%s: nothing found", cases[c].what);
			expect_same(&by_pairs, &by_positions, cases[c].what);
			bx_index_result_clear(&by_pairs);
			bx_index_result_clear(&by_positions);
		}
	bx_index_free(paired);
	bx_index_free(unpaired);
}

int main(void)
{
#define INDEX_TEST(name) cmocka_unit_test_setup_teardown(name, fixture_setup_empty, fixture_teardown_empty)
	const struct CMUnitTest tests[] = {
		INDEX_TEST(listing_filters_and_visibility),
		INDEX_TEST(listing_sort_and_pages),
		INDEX_TEST(facets_follow_updates),
		INDEX_TEST(words_phrases_prefixes_and_exclusions),
		INDEX_TEST(facet_counts_are_exact),
		INDEX_TEST(facet_counts_over_many_matches),
		INDEX_TEST(values_past_sixteen_bits),
		INDEX_TEST(seeks_skip_far_ahead),
		INDEX_TEST(bitmaps_and_walk_agree),
		INDEX_TEST(pairs_find_what_positions_find),
	};
	return cmocka_run_group_tests_name("test_index", tests, NULL, NULL);
}
