/* Unit tests of src/search/thesaurus.c against the real GEMET labels of
 * data/vocab/subjects.json: each of the six languages finds its concept whatever the
 * case, diacritics, harakat or inflection; shared labels find every concept; max, empty,
 * unknown and huge input; and how long building takes and roughly how much memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <malloc.h>
#include <time.h>
#include "fixture.h"
#include "search/thesaurus.h"
#include "text/tokenize.h"

static struct bx_thesaurus *thesaurus;
static double build_seconds;
static long build_bytes;

static int ignore_token(void *context, int flags, const char *token, int length, int start, int end)
{
	return 0;
}

static int setup(void **state)
{
	if (fixture_open(&full, true)) {
		fprintf(stderr, "fixture set-up failed\n");
		return -1;
	}
	/* Load ICU's data and the stemmers first, so that the memory measured is the map's. */
	static const char *const warm_up[][2] = {
		{"ar", "غابة"}, {"en", "forests"}, {"es", "bosques"}, {"fr", "forêt"}, {"ru", "лес"}, {"zh", "森林"},
	};
	for (size_t i = 0; i < sizeof warm_up / sizeof *warm_up; i++)
		if (bx_tokenize(warm_up[i][1], (int)strlen(warm_up[i][1]), warm_up[i][0], ignore_token, NULL))
			return -1;
	struct timespec before, after;
	struct mallinfo2 memory_before = mallinfo2();
	clock_gettime(CLOCK_MONOTONIC, &before);
	int rc = bx_thesaurus_build(full.store, &thesaurus);
	clock_gettime(CLOCK_MONOTONIC, &after);
	struct mallinfo2 memory_after = mallinfo2();
	build_seconds = (double)(after.tv_sec - before.tv_sec) + (after.tv_nsec - before.tv_nsec) / 1e9;
	build_bytes = (long)memory_after.uordblks - (long)memory_before.uordblks;
	if (rc) {
		fprintf(stderr, "bx_thesaurus_build: %s\n", bx_strerror(rc));
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	bx_thesaurus_free(thesaurus);
	fixture_close(&full);
	return 0;
}

#define MAX_FOUND 32

struct found {
	int n;
	char *ids[MAX_FOUND];
	json_t *labels[MAX_FOUND];
};

static int remember(void *context, const char *concept, const json_t *labels)
{
	struct found *found = context;
	if (found->n == MAX_FOUND)
		return BX_ETOOBIG;
	found->ids[found->n] = strdup(concept);
	found->labels[found->n] = json_deep_copy(labels);
	found->n++;
	return 0;
}

static void forget(struct found *found)
{
	for (int i = 0; i < found->n; i++) {
		free(found->ids[i]);
		json_decref(found->labels[i]);
	}
	memset(found, 0, sizeof *found);
}

/* Looks text up in language; checks the return equals the number of callbacks. */
static int look(const char *text, const char *language, struct found *found)
{
	memset(found, 0, sizeof *found);
	int rc = bx_thesaurus_lookup(thesaurus, NULL, text, strlen(text), language, MAX_FOUND, remember, found);
	assert_int_equal(rc, found->n);
	return rc;
}

static int index_of(const struct found *found, const char *concept)
{
	for (int i = 0; i < found->n; i++)
		if (!strcmp(found->ids[i], concept))
			return i;
	return -1;
}

/* text in language finds concept (among possibly others). */
static void assert_finds(const char *text, const char *language, const char *concept)
{
	struct found found;
	look(text, language, &found);
	if (index_of(&found, concept) < 0)
		fail_msg("\"%s\" (%s) does not find %s (%d found)", text, language ? language : "no language",
		         concept, found.n);
	forget(&found);
}

static void assert_finds_nothing(const char *text, const char *language)
{
	struct found found;
	look(text, language, &found);
	if (found.n)
		fail_msg("\"%s\" (%s) finds %s", text, language ? language : "no language", found.ids[0]);
	forget(&found);
}

static void test_sizes(void **state)
{
	assert_int_equal(bx_thesaurus_concepts(thesaurus), 5207);
	assert_true(bx_thesaurus_keys(thesaurus) > 20000);
}

static void test_english(void **state)
{
	struct found found;
	look("forest", "en", &found);
	int i = index_of(&found, "gemet:3406");
	assert_true(i >= 0);
	const json_t *labels = found.labels[i];
	assert_int_equal(json_object_size(labels), 6);
	assert_string_equal(json_string_value(json_object_get(labels, "zh")), "森林");
	assert_string_equal(json_string_value(json_object_get(labels, "fr")), "forêt");
	assert_string_equal(json_string_value(json_object_get(labels, "ar")), "غابة");
	forget(&found);
	/* Inflection and case, with and without a declared language. */
	assert_finds("Forests", "en", "gemet:3406");
	assert_finds("Forests", NULL, "gemet:3406");
	assert_finds("FOREST", NULL, "gemet:3406");
	assert_finds("Water Pollution", NULL, "gemet:9202");
	assert_finds("biodiversity", "en-GB", "gemet:827");
	/* A phrase is matched whole: one of its words, or more words, is not the label. */
	look("water", NULL, &found);
	assert_int_equal(index_of(&found, "gemet:9202"), -1);
	forget(&found);
	look("water pollution control", NULL, &found);
	assert_int_equal(index_of(&found, "gemet:9202"), -1);
	forget(&found);
}

static void test_french(void **state)
{
	assert_finds("forêt", "fr", "gemet:3406");
	assert_finds("foret", "fr", "gemet:3406");
	assert_finds("Forêts", NULL, "gemet:3406");
	assert_finds("foret", NULL, "gemet:3406");
	assert_finds("pollution de l'eau", NULL, "gemet:9202");
	assert_finds("Pollution de l’eau", "fr", "gemet:9202");
	assert_finds("diversite biologique", NULL, "gemet:827");
	assert_finds("énergie", NULL, "gemet:2712");
	assert_finds("energie", "fr", "gemet:2712");
}

static void test_spanish(void **state)
{
	assert_finds("bosques", "es", "gemet:3406");
	assert_finds("Bosque", NULL, "gemet:3406");
	assert_finds("contaminación del agua", "es", "gemet:9202");
	assert_finds("contaminacion del agua", NULL, "gemet:9202");
	assert_finds("energia", NULL, "gemet:2712");
}

static void test_russian(void **state)
{
	assert_finds("лес", "ru", "gemet:3406");
	/* Genitive and prepositional forms reduce to the same stem. */
	assert_finds("леса", NULL, "gemet:3406");
	assert_finds("лесе", "ru", "gemet:3406");
	assert_finds("Загрязнение воды", NULL, "gemet:9202");
	assert_finds("загрязнения воды", "ru", "gemet:9202");
}

static void test_arabic(void **state)
{
	assert_finds("غابة", "ar", "gemet:3406");
	/* With harakat (fatha, kasra, shadda) and tatweel. */
	assert_finds("غَابَة", NULL, "gemet:3406");
	assert_finds("غـــابة", "ar", "gemet:3406");
	assert_finds("تَلَوُّث المِيـاه", NULL, "gemet:9202");
	/* Taa marbuta typed as haa. */
	assert_finds("طاقه", NULL, "gemet:2712");
}

static void test_chinese(void **state)
{
	assert_finds("森林", NULL, "gemet:3406");
	assert_finds("森林", "zh-Hans", "gemet:3406");
	assert_finds("水质污染", NULL, "gemet:9202");
	assert_finds("生物多样性", "zh", "gemet:827");
	/* A character of the label, or the label inside a longer text, is not the label. */
	struct found found;
	look("森", NULL, &found);
	assert_int_equal(index_of(&found, "gemet:3406"), -1);
	forget(&found);
	look("森林火灾", NULL, &found);
	assert_int_equal(index_of(&found, "gemet:3406"), -1);
	forget(&found);
}

static void test_not_a_label(void **state)
{
	assert_finds_nothing("xyzzy plugh", NULL);
	assert_finds_nothing("xyzzy", "en");
	assert_finds_nothing("forest forest forest", NULL);
	assert_finds_nothing("", NULL);
	assert_finds_nothing("  ,.;!? ", NULL);
	assert_finds_nothing("ـــ", "ar");
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, NULL, 0, NULL, 10, remember, NULL), 0);
}

/* Labels GEMET gives to two concepts: both are found, in vocabulary order. */
static void test_shared_label(void **state)
{
	static const struct {
		const char *text, *language, *first, *second;
	} shared[] = {
		{"隔音", NULL, "gemet:55", "gemet:7941"},
		{"звукоизоляция", "ru", "gemet:55", "gemet:7941"},
		{"fotografía aérea", "es", "gemet:135", "gemet:14165"},
		{"photographie aerienne", NULL, "gemet:135", "gemet:14165"},
	};
	for (size_t i = 0; i < sizeof shared / sizeof *shared; i++) {
		struct found found;
		look(shared[i].text, shared[i].language, &found);
		int first = index_of(&found, shared[i].first), second = index_of(&found, shared[i].second);
		if (first < 0 || second < 0)
			fail_msg("\"%s\": %s at %d, %s at %d", shared[i].text, shared[i].first, first,
			         shared[i].second, second);
		assert_true(first < second);
		forget(&found);
	}
}

static void test_max(void **state)
{
	struct found found = {0};
	const char *text = "fotografía aérea";
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, strlen(text), NULL, 1, remember, &found), 1);
	assert_int_equal(found.n, 1);
	assert_string_equal(found.ids[0], "gemet:135");
	forget(&found);
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, strlen(text), NULL, 0, remember, &found), 0);
	assert_int_equal(found.n, 0);
	assert_true(look(text, NULL, &found) >= 2);
	forget(&found);
}

static int refuse(void *context, const char *concept, const json_t *labels)
{
	(*(int *)context)++;
	return BX_EPERM;
}

static void test_callback_stops(void **state)
{
	int calls = 0;
	const char *text = "隔音";
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, strlen(text), NULL, 10, refuse, &calls), BX_EPERM);
	assert_int_equal(calls, 1);
}

static void test_huge_input(void **state)
{
	size_t size = 1 << 20;
	char *text = malloc(size);
	assert_non_null(text);
	for (size_t i = 0; i < size; i++)
		text[i] = "forest "[i % 7];
	struct found found = {0};
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, size, NULL, 10, remember, &found), 0);
	/* Bytes that are not UTF-8, and a label followed by a megabyte of spaces. */
	for (size_t i = 0; i < size; i++)
		text[i] = (char)(0x80 + i % 64);
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, size, "ar", 10, remember, &found), 0);
	memset(text, ' ', size);
	memcpy(text, "forest", 6);
	assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, text, size, NULL, 10, remember, &found), 1);
	assert_string_equal(found.ids[0], "gemet:3406");
	forget(&found);
	free(text);
}

static void test_build_cost(void **state)
{
	printf("# thesaurus: %zu concepts, %zu keys, built in %.3f s, about %.1f MiB\n",
	       bx_thesaurus_concepts(thesaurus), bx_thesaurus_keys(thesaurus), build_seconds,
	       (double)build_bytes / (1 << 20));
	assert_true(build_seconds < 5.0);
	struct timespec before, after;
	struct found found = {0};
	clock_gettime(CLOCK_MONOTONIC, &before);
	for (int i = 0; i < 200; i++) {
		assert_int_equal(bx_thesaurus_lookup(thesaurus, NULL, "Forests", 7, NULL, 1, remember, &found), 1);
		forget(&found);
	}
	clock_gettime(CLOCK_MONOTONIC, &after);
	printf("# lookup with no language: %.0f us\n",
	       ((double)(after.tv_sec - before.tv_sec) * 1e9 + (double)(after.tv_nsec - before.tv_nsec)) / 200 / 1e3);
	bx_thesaurus_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_french),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_russian),
		cmocka_unit_test(test_arabic),
		cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_not_a_label),
		cmocka_unit_test(test_shared_label),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_build_cost),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
