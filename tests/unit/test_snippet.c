/* Unit tests of src/search/snippet.c: snippets of real sentences (SDG targets as
 * data/vocab holds them) in the six languages for queries tokenized as the search engine
 * tokenizes them, the choice and cut of the window in long text, HTML escaping, white
 * space, invalid UTF-8, errors and the size cap. Every snippet made here is also checked
 * against what any snippet must be (check_shape). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>
#include "search/snippet.h"
#include "text/tokenize.h"

#define ELLIPSIS "\xE2\x80\xA6"
#define REPLACEMENT "\xEF\xBF\xBD"
#define MAX_FORMS 64

/* ---- the forms of a query, as the search engine gets them ---- */

struct forms {
	char *items[MAX_FORMS];
	size_t n;
};

static int add_form(void *context, int flags, const char *token, int length, int start, int end)
{
	struct forms *forms = context;
	assert_true(forms->n < MAX_FORMS);
	forms->items[forms->n] = strndup(token, (size_t)length);
	assert_non_null(forms->items[forms->n]);
	forms->n++;
	return 0;
}

static void query_forms(const char *query, const char *language, struct forms *forms)
{
	forms->n = 0;
	assert_int_equal(bx_tokenize(query, (int)strlen(query), language, add_form, forms), 0);
	assert_true(forms->n > 0);
}

static void free_forms(struct forms *forms)
{
	for (size_t i = 0; i < forms->n; i++)
		free(forms->items[i]);
	forms->n = 0;
}

/* ---- what every snippet must be ---- */

/* Checks out (a whole snippet made with max_chars) and returns its characters of text:
 * valid UTF-8; no markup but <mark> and </mark>, alternating, never empty; only the five
 * entities; no control characters, no two spaces in a row, no space at either end of the
 * text; at most max_chars characters besides the ellipses at either end. */
static int check_shape(const char *out, int max_chars)
{
	size_t n = strlen(out);
	const char *text = out, *end = out + n;
	if (n >= 3 && !memcmp(text, ELLIPSIS, 3))
		text += 3;
	if (end - text >= 3 && !memcmp(end - 3, ELLIPSIS, 3))
		end -= 3;
	int chars = 0;
	bool in_mark = false, last_space = true;
	const char *mark_start = NULL;
	for (const char *p = text; p < end;) {
		if (!strncmp(p, "<mark>", 6)) {
			assert_false(in_mark);
			in_mark = true;
			p += 6;
			mark_start = p;
			continue;
		}
		if (!strncmp(p, "</mark>", 7)) {
			assert_true(in_mark);
			assert_true(p > mark_start);
			in_mark = false;
			p += 7;
			continue;
		}
		assert_true(*p != '<' && *p != '>' && *p != '"' && *p != '\'');
		if (*p == '&') {
			size_t length = strcspn(p, ";") + 1;
			assert_true(!strncmp(p, "&amp;", length) || !strncmp(p, "&lt;", length) ||
			            !strncmp(p, "&gt;", length) || !strncmp(p, "&quot;", length) ||
			            !strncmp(p, "&#39;", length));
			p += length;
			chars++;
			last_space = false;
			continue;
		}
		int32_t i = 0;
		UChar32 c;
		U8_NEXT((const uint8_t *)p, i, (int32_t)(end - p), c);
		assert_true(c >= 0x20 && c != 0x7f);
		if (c == ' ')
			assert_false(last_space);
		last_space = c == ' ';
		p += i;
		chars++;
	}
	assert_false(in_mark);
	if (chars)
		assert_false(last_space);
	assert_true(chars <= max_chars);
	return chars;
}

/* The snippet of text for query (both in language) in a static buffer; sets *matches. */
static const char *snippet_of(const char *query, const char *text, const char *language,
                              int max_chars, int *matches)
{
	static char result[1 << 16];
	struct forms forms;
	query_forms(query, language, &forms);
	struct bx_buf out;
	bx_buf_init(&out, sizeof result - 1);
	assert_int_equal(bx_snippet(text, (int)strlen(text), language, (const char *const *)forms.items, NULL,
	                            forms.n, max_chars, &out, matches), 0);
	assert_true(*matches >= 0 && (size_t)*matches <= forms.n);
	memcpy(result, out.data ? out.data : "", out.len + 1);
	bx_buf_free(&out);
	free_forms(&forms);
	check_shape(result, max_chars);
	return result;
}

static bool ends_with(const char *text, const char *end)
{
	size_t n_text = strlen(text), n_end = strlen(end);
	return n_text >= n_end && !strcmp(text + n_text - n_end, end);
}

/* out without markup, entities and the ellipses at its ends, in a static buffer. */
static const char *plain(const char *out)
{
	static char text[1 << 16];
	static const char *const entities[][2] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
		{"<mark>", ""}, {"</mark>", ""},
	};
	size_t n = 0, length = strlen(out);
	if (length >= 3 && !memcmp(out, ELLIPSIS, 3))
		out += 3, length -= 3;
	if (length >= 3 && !memcmp(out + length - 3, ELLIPSIS, 3))
		length -= 3;
	for (size_t i = 0; i < length;) {
		bool replaced = false;
		for (size_t e = 0; e < sizeof entities / sizeof entities[0] && !replaced; e++) {
			size_t n_entity = strlen(entities[e][0]);
			if (!strncmp(out + i, entities[e][0], n_entity)) {
				size_t n_plain = strlen(entities[e][1]);
				memcpy(text + n, entities[e][1], n_plain);
				n += n_plain;
				i += n_entity;
				replaced = true;
			}
		}
		if (!replaced)
			text[n++] = out[i++];
		assert_true(n < sizeof text);
	}
	text[n] = '\0';
	return text;
}

/* ---- SDG targets 15.1 and 15.5 ---- */

static const char en_15_5[] =
	"Take urgent and significant action to reduce the degradation of natural habitats, halt the loss of "
	"biodiversity and, by 2020, protect and prevent the extinction of threatened species";
static const char fr_15_1[] =
	"D’ici à 2020, garantir la préservation, la restauration et l’exploitation durable des écosystèmes "
	"terrestres et des écosystèmes d’eau douce et des services connexes, en particulier des forêts, des zones "
	"humides, des montagnes et des zones arides";
static const char es_15_1[] =
	"De aquí a 2020, asegurar la conservación, el restablecimiento y el uso sostenible de los ecosistemas "
	"terrestres y los ecosistemas interiores de agua dulce y sus servicios, en particular los bosques, los "
	"humedales, las montañas y las zonas áridas";
static const char ru_15_1[] =
	"К 2020 году обеспечить сохранение, восстановление и рациональное использование наземных и внутренних "
	"пресноводных экосистем и их услуг, в том числе лесов, водно-болотных угодий, гор и засушливых земель";
static const char ar_15_1[] =
	"كفـالة حفظ وترميم النظم الإيكولوجيـة البرية والنظم الإيكولوجية للمياه العذبة الداخلية وخدماتها، ولا "
	"ســيما الغابات والأراضـي الرطبة والجبال والأراضي الجافة";
static const char zh_15_5[] =
	"采取紧急重大行动来减少自然栖息地的退化,遏制生物多样性的丧失,到2020年,保护受威胁物种,防止其灭绝";

static void english_stems_match(void **state)
{
	int matches;
	const char *out = snippet_of("forests", "Forests cover a third of the land; a forest is more than trees.",
	                             "en", 200, &matches);
	assert_string_equal(out, "<mark>Forests</mark> cover a third of the land; a <mark>forest</mark> is more "
	                         "than trees.");
	assert_int_equal(matches, 1);
	/* "forestry" is another stem; two query words are two forms. */
	out = snippet_of("forest species", "Forestry and the species of forests", "en", 200, &matches);
	assert_string_equal(out, "Forestry and the <mark>species</mark> of <mark>forests</mark>");
	assert_int_equal(matches, 2);
	out = snippet_of("protection biodiversity", en_15_5, "en", 200, &matches);
	assert_string_equal(out, "Take urgent and significant action to reduce the degradation of natural "
	                         "habitats, halt the loss of <mark>biodiversity</mark> and, by 2020, "
	                         "<mark>protect</mark> and prevent the extinction of threatened species");
	assert_int_equal(matches, 2);
}

static void french_elisions_are_not_marked(void **state)
{
	int matches;
	const char *out = snippet_of("environnement", "la protection de l'environnement et de l’environnement marin",
	                             "fr", 200, &matches);
	assert_string_equal(out, "la protection de l&#39;<mark>environnement</mark> et de "
	                         "l’<mark>environnement</mark> marin");
	assert_int_equal(matches, 1);
	/* Accents either way, and the elided "l’exploitation" and "d’eau". */
	out = snippet_of("forets exploitation eau", fr_15_1, "fr", 300, &matches);
	assert_string_equal(out, "D’ici à 2020, garantir la préservation, la restauration et "
	                         "l’<mark>exploitation</mark> durable des écosystèmes terrestres et des "
	                         "écosystèmes d’<mark>eau</mark> douce et des services connexes, en particulier "
	                         "des <mark>forêts</mark>, des zones humides, des montagnes et des zones arides");
	assert_int_equal(matches, 3);
}

static void spanish_stems_and_accents(void **state)
{
	int matches;
	/* "conservacion" typed without its accent is the second form of "conservación". */
	const char *out = snippet_of("conservacion bosque", es_15_1, "es", 300, &matches);
	assert_non_null(strstr(out, "asegurar la <mark>conservación</mark>, el restablecimiento"));
	assert_non_null(strstr(out, "los <mark>bosques</mark>, los humedales"));
	assert_int_equal(matches, 2);
	out = snippet_of("montaña", es_15_1, "es", 300, &matches);
	assert_non_null(strstr(out, "las <mark>montañas</mark> y"));
	assert_int_equal(matches, 1);
}

static void russian_inflections(void **state)
{
	int matches;
	/* лес, леса, лесов; услуг, услугами; восстановление, восстановления: one stem each. */
	const char *out = snippet_of("леса услугами восстановления", ru_15_1, "ru", 300, &matches);
	assert_string_equal(out, "К 2020 году обеспечить сохранение, <mark>восстановление</mark> и рациональное "
	                         "использование наземных и внутренних пресноводных экосистем и их "
	                         "<mark>услуг</mark>, в том числе <mark>лесов</mark>, водно-болотных угодий, гор и "
	                         "засушливых земель");
	assert_int_equal(matches, 3);
	/* Case folded; but земля and земель are two stems for Snowball. */
	out = snippet_of("ЛЕСОВ", ru_15_1, "ru", 300, &matches);
	assert_non_null(strstr(out, "числе <mark>лесов</mark>,"));
	out = snippet_of("земля", ru_15_1, "ru", 300, &matches);
	assert_null(strstr(out, "<mark>"));
	assert_int_equal(matches, 0);
}

static void arabic_normalization(void **state)
{
	int matches;
	/* Query without hamza or harakat; the text with harakat, hamza and tatweel. */
	const char *out = snippet_of("الغابات والاراضي", "ولا ســيما الغَابَاتِ والأراضـي الرطبة والجبال",
	                             "ar", 200, &matches);
	assert_string_equal(out, "ولا ســيما <mark>الغَابَاتِ</mark> <mark>والأراضـي</mark> الرطبة والجبال");
	assert_int_equal(matches, 2);
	/* Taa marbuta typed as heh finds it; the mark covers the whole word with its tatweel. */
	out = snippet_of("الايكولوجيه", ar_15_1, "ar", 300, &matches);
	assert_non_null(strstr(out, "النظم <mark>الإيكولوجيـة</mark> البرية والنظم <mark>الإيكولوجية</mark> "
	                            "للمياه"));
	assert_int_equal(matches, 1);
}

static void chinese_runs_are_one_mark(void **state)
{
	int matches;
	const char *out = snippet_of("多样性", zh_15_5, "zh", 200, &matches);
	assert_string_equal(out, "采取紧急重大行动来减少自然栖息地的退化,遏制生物<mark>多样性</mark>的丧失,到2020年,"
	                         "保护受威胁物种,防止其灭绝");
	assert_int_equal(matches, 5);   /* 多 多样 样 样性 性 */
	out = snippet_of("生物 丧失", zh_15_5, "zh", 200, &matches);
	assert_non_null(strstr(out, "遏制<mark>生物</mark>多样性的<mark>丧失</mark>,"));
	/* A short window is cut at characters, around the match. */
	out = snippet_of("多样性", zh_15_5, "zh", 9, &matches);
	assert_string_equal(out, ELLIPSIS "制生物<mark>多样性</mark>的丧失" ELLIPSIS);
	assert_int_equal(check_shape(out, 9), 9);
}

static void html_is_escaped(void **state)
{
	int matches;
	const char *out = snippet_of("script alert", "<script>alert(1)</script> & \"quoted\" 'text' <b>", "en",
	                             200, &matches);
	assert_string_equal(out, "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt; "
	                         "&amp; &quot;quoted&quot; &#39;text&#39; &lt;b&gt;");
	assert_int_equal(matches, 2);
	out = snippet_of("mark", "</mark><mark>mark", "en", 200, &matches);
	assert_string_equal(out, "&lt;/<mark>mark</mark>&gt;&lt;<mark>mark</mark>&gt;<mark>mark</mark>");
}

/* Filler of at least n bytes: sentences without the query's words. */
static char *filler(size_t n)
{
	static const char sentence[] = "Achieve universal and equitable access to safe and affordable drinking "
	                               "water for all. ";
	size_t n_sentence = strlen(sentence), length = 0;
	char *text = malloc(n + n_sentence + 1);
	assert_non_null(text);
	while (length < n) {
		memcpy(text + length, sentence, n_sentence);
		length += n_sentence;
	}
	text[length] = '\0';
	return text;
}

static char *concat(const char *a, const char *b, const char *c)
{
	size_t n_a = strlen(a), n_b = strlen(b), n_c = strlen(c);
	char *text = malloc(n_a + n_b + n_c + 1);
	assert_non_null(text);
	memcpy(text, a, n_a);
	memcpy(text + n_a, b, n_b);
	memcpy(text + n_a + n_b, c, n_c + 1);
	return text;
}

static void best_window_in_the_middle(void **state)
{
	char *before = filler(5000), *after = filler(5000);
	char *head = concat("Lone forests here. ", before, "");
	char *text = concat(head, "Protect forests, wetlands and the biodiversity of mountains. ", after);
	int matches;
	const char *out = snippet_of("forests biodiversity", text, "en", 200, &matches);
	assert_int_equal(matches, 2);
	assert_true(!strncmp(out, ELLIPSIS, 3));
	assert_true(ends_with(out, ELLIPSIS));
	assert_non_null(strstr(out, "Protect <mark>forests</mark>, wetlands and the <mark>biodiversity</mark> of "
	                            "mountains."));
	/* Context on both sides, the window nearly full, cut between words. */
	int chars = check_shape(out, 200);
	assert_true(chars >= 180);
	const char *shown = plain(out);
	assert_non_null(strstr(text, shown));
	assert_true(strstr(text, shown)[-1] == ' ');
	char last = strstr(text, shown)[strlen(shown)];
	assert_true(last == ' ' || last == '.');
	assert_true(strstr(out, "<mark>forests</mark>") - out > 60);
	free(before);
	free(after);
	free(head);
	free(text);
}

static void ties_go_to_the_earliest_window(void **state)
{
	char *middle = filler(1000);
	char *text = concat("The alpha wetlands. ", middle, "The omega wetlands.");
	int matches;
	const char *out = snippet_of("wetlands", text, "en", 100, &matches);
	assert_int_equal(matches, 1);
	assert_true(!strncmp(out, "The alpha <mark>wetlands</mark>. Achieve", 38));
	assert_true(ends_with(out, ELLIPSIS));
	/* Matches near the end: the window ends at the end, its context all before. */
	out = snippet_of("omega", text, "en", 100, &matches);
	assert_true(!strncmp(out, ELLIPSIS, 3));
	assert_true(ends_with(out, " The <mark>omega</mark> wetlands."));
	assert_true(check_shape(out, 100) >= 90);
	free(middle);
	free(text);
}

static void no_match_gives_the_beginning(void **state)
{
	int matches;
	const char *out = snippet_of("coral", en_15_5, "en", 40, &matches);
	assert_string_equal(out, "Take urgent and significant action to" ELLIPSIS);
	assert_int_equal(matches, 0);
	out = snippet_of("coral", en_15_5, "en", 1000, &matches);
	assert_string_equal(out, en_15_5);
	/* No forms at all. */
	struct bx_buf buf;
	bx_buf_init(&buf, 1024);
	assert_int_equal(bx_snippet(en_15_5, (int)strlen(en_15_5), "en", NULL, NULL, 0, 12, &buf, &matches), 0);
	assert_string_equal(buf.data, "Take urgent" ELLIPSIS);
	assert_int_equal(matches, 0);
	bx_buf_free(&buf);
}

static void white_space_collapses(void **state)
{
	int matches;
	const char *out = snippet_of("forests", "\n\n  Forests\tand\r\n\r\n wetlands\x01\x02  of the\u00a0world \n ",
	                             "en", 200, &matches);
	assert_string_equal(out, "<mark>Forests</mark> and wetlands of the world");
	out = snippet_of("wetlands", "forests     \n\n\n    wetlands", "en", 9, &matches);
	assert_string_equal(out, ELLIPSIS "<mark>wetlands</mark>");
	/* Every kind of white space and control character, in each range the check has. */
	out = snippet_of("森林", "\xc2\x85" "森林\xc2\x80\xc2\x9f" "\u1680和\u2000\u200a\u2028\u2029湿地\u202f\u205f\u3000的\u3001",
	                 "zh", 200, &matches);
	assert_string_equal(out, "<mark>森林</mark> 和 湿地 的\u3001");
	/* Only white space: nothing. */
	out = snippet_of("forests", " \n\t ", "en", 200, &matches);
	assert_string_equal(out, "");
}

static void invalid_utf8_is_replaced(void **state)
{
	int matches;
	const char *out = snippet_of("forests", "bad \xff\xfe bytes\xc3 near forests\xe6\x97 and \xed\xa0\x80 end",
	                             "en", 200, &matches);
	assert_string_equal(out, "bad " REPLACEMENT REPLACEMENT " bytes" REPLACEMENT " near <mark>forests</mark>"
	                         REPLACEMENT " and " REPLACEMENT REPLACEMENT REPLACEMENT " end");
	assert_int_equal(matches, 1);
	/* Windows of every size over text of 1 to 4 byte characters never split one. */
	const char *mixed = "Ĉu 生物多样性 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 forests الغابات \xf0\x9f lesov лесов";
	for (int max = 1; max < 40; max++) {
		out = snippet_of("лес forest 多样", mixed, NULL, max, &matches);
		assert_true(matches >= 1 || max < 3);
	}
}

static void kept_tokenizer_and_errors(void **state)
{
	struct forms forms;
	query_forms("biodiversity", "en", &forms);
	const char *const *items = (const char *const *)forms.items;
	struct bx_tokenizer *tokenizer;
	assert_int_equal(bx_tokenizer_new("en", &tokenizer), 0);
	struct bx_buf fresh, kept;
	bx_buf_init(&fresh, 4096);
	bx_buf_init(&kept, 4096);
	int matches = -1, kept_matches = -1;
	assert_int_equal(bx_snippet(en_15_5, (int)strlen(en_15_5), "en", items, NULL, forms.n, 50, &fresh, &matches), 0);
	for (int round = 0; round < 3; round++) {
		bx_buf_reset(&kept);
		assert_int_equal(bx_snippet_run(tokenizer, en_15_5, (int)strlen(en_15_5), items, NULL, forms.n, 50, &kept,
		                                &kept_matches), 0);
		assert_string_equal(kept.data, fresh.data);
		assert_int_equal(kept_matches, matches);
	}
	assert_string_equal(fresh.data, ELLIPSIS "halt the loss of <mark>biodiversity</mark> and, by 2020" ELLIPSIS);

	/* Appends to what out holds; at the cap it fails and leaves out as it was. */
	struct bx_buf small;
	bx_buf_init(&small, fresh.len + 2);
	assert_int_equal(bx_buf_puts(&small, "abc"), 0);
	assert_int_equal(bx_snippet_run(tokenizer, en_15_5, (int)strlen(en_15_5), items, NULL, forms.n, 50, &small,
	                                &matches), BX_ETOOBIG);
	assert_string_equal(small.data, "abc");
	assert_int_equal(small.len, 3);
	assert_int_equal(matches, 0);
	small.len = 2;   /* exactly the room it needs */
	assert_int_equal(bx_snippet_run(tokenizer, en_15_5, (int)strlen(en_15_5), items, NULL, forms.n, 50, &small,
	                                &matches), 0);
	assert_true(!strncmp(small.data, "ab" ELLIPSIS, 5));
	assert_string_equal(small.data + 2, fresh.data);
	assert_int_equal(matches, 1);

	/* Bad arguments. */
	assert_int_equal(bx_snippet(en_15_5, -1, "en", items, NULL, forms.n, 50, &kept, &matches), BX_EINVAL);
	assert_int_equal(bx_snippet(NULL, 3, "en", items, NULL, forms.n, 50, &kept, &matches), BX_EINVAL);
	assert_int_equal(bx_snippet(en_15_5, 3, "en", NULL, NULL, 1, 50, &kept, &matches), BX_EINVAL);
	assert_int_equal(bx_snippet(en_15_5, 3, "en", items, NULL, forms.n, 0, &kept, &matches), BX_EINVAL);
	/* Empty text; repeated and empty forms. */
	bx_buf_reset(&kept);
	assert_int_equal(bx_snippet(NULL, 0, "en", items, NULL, forms.n, 50, &kept, &matches), 0);
	assert_int_equal(kept.len, 0);
	const char *repeated[] = {"", "forest", "biodivers", "forest", "biodivers", "zzz"};
	assert_int_equal(bx_snippet("forests and biodiversity", 24, "en", repeated, NULL, 6, 50, &kept, &matches), 0);
	assert_string_equal(kept.data, "<mark>forests</mark> and <mark>biodiversity</mark>");
	assert_int_equal(matches, 2);

	bx_buf_free(&fresh);
	bx_buf_free(&kept);
	bx_buf_free(&small);
	bx_tokenizer_free(tokenizer);
	free_forms(&forms);
}

/* The snippet of text for forms, each of the word words[i] (NULL: each its own), in a
 * static buffer. */
static const char *snippet_of_words(const char *text, const char *const *forms, const int *words, size_t n,
                                    int max_chars, int *matches)
{
	static char result[4096];
	struct bx_buf out;
	bx_buf_init(&out, sizeof result - 1);
	assert_int_equal(bx_snippet(text, (int)strlen(text), "en", forms, words, n, max_chars, &out, matches), 0);
	memcpy(result, out.data ? out.data : "", out.len + 1);
	bx_buf_free(&out);
	check_shape(result, max_chars);
	return result;
}

/* Forms of one query word (its stems, its translations) count once: the window with
 * both words beats an earlier one with two forms of the first. The first reading of the
 * text stops at the first window with every word; what follows still gets its "…". */
static void forms_of_one_word_count_once(void **state)
{
	char *middle = filler(300);
	char *text = concat("Forest or forêt. ", middle, "Biodiversity of the forests here.");
	const char *forms[] = {"forest", "foret", "biodivers"};
	const int words[] = {7, 7, 3};
	int matches;
	const char *got = snippet_of_words(text, forms, words, 3, 40, &matches);
	assert_non_null(strstr(got, "<mark>Biodiversity</mark> of the <mark>forests</mark> here."));
	assert_int_equal(matches, 2);
	got = snippet_of_words(text, forms, NULL, 3, 40, &matches);   /* three words: forêt is another */
	static const char both[] = "<mark>Forest</mark> or <mark>forêt</mark>.";
	assert_true(!strncmp(got, both, strlen(both)));
	assert_int_equal(matches, 2);

	/* Found at once: the end of the text still decides the "…". */
	char *long_text = concat("forests and biodiversity ", middle, "");
	got = snippet_of_words(long_text, forms, words, 3, 30, &matches);
	assert_true(ends_with(got, ELLIPSIS));
	static const char found[] = "<mark>forests</mark> and <mark>biodiversity</mark>";
	assert_true(!strncmp(got, found, strlen(found)));
	assert_string_equal(snippet_of_words("forests and biodiversity \n \t ", forms, words, 3, 24, &matches),
	                    "<mark>forests</mark> and <mark>biodiversity</mark>");
	assert_string_equal(snippet_of_words("forests and biodiversity x", forms, words, 3, 26, &matches),
	                    "<mark>forests</mark> and <mark>biodiversity</mark> x");
	assert_string_equal(snippet_of_words("forests and biodiversity xy", forms, words, 3, 26, &matches),
	                    "<mark>forests</mark> and <mark>biodiversity</mark>" ELLIPSIS);
	free(middle);
	free(text);
	free(long_text);
}

static void one_mebibyte(void **state)
{
	char *before = filler(512 * 1024), *after = filler(512 * 1024);
	char *text = concat(before, "Halt the loss of biodiversity in forests. ", after);
	struct forms forms;
	query_forms("forests biodiversity", "en", &forms);
	struct bx_buf out;
	bx_buf_init(&out, 4096);
	int matches;
	assert_int_equal(bx_snippet(text, (int)strlen(text), "en", (const char *const *)forms.items, NULL, forms.n,
	                            100, &out, &matches), 0);
	assert_int_equal(matches, 2);
	assert_non_null(strstr(out.data, "loss of <mark>biodiversity</mark> in <mark>forests</mark>. "));
	check_shape(out.data, 100);
	/* No match: the beginning. */
	bx_buf_reset(&out);
	const char *coral = "coral";
	assert_int_equal(bx_snippet(text, (int)strlen(text), "en", &coral, NULL, 1, 30, &out, &matches), 0);
	assert_string_equal(out.data, "Achieve universal and" ELLIPSIS);
	/* A window as large as the text: all of it, within the cap or refused. */
	bx_buf_reset(&out);
	assert_int_equal(bx_snippet(text, (int)strlen(text), "en", (const char *const *)forms.items, NULL, forms.n,
	                            1 << 30, &out, &matches), BX_ETOOBIG);
	assert_int_equal(out.len, 0);
	bx_buf_free(&out);
	free_forms(&forms);
	free(before);
	free(after);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_stems_match),
		cmocka_unit_test(french_elisions_are_not_marked),
		cmocka_unit_test(spanish_stems_and_accents),
		cmocka_unit_test(russian_inflections),
		cmocka_unit_test(arabic_normalization),
		cmocka_unit_test(chinese_runs_are_one_mark),
		cmocka_unit_test(html_is_escaped),
		cmocka_unit_test(best_window_in_the_middle),
		cmocka_unit_test(ties_go_to_the_earliest_window),
		cmocka_unit_test(no_match_gives_the_beginning),
		cmocka_unit_test(white_space_collapses),
		cmocka_unit_test(invalid_utf8_is_replaced),
		cmocka_unit_test(kept_tokenizer_and_errors),
		cmocka_unit_test(forms_of_one_word_count_once),
		cmocka_unit_test(one_mebibyte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
