/* Unit tests of src/text/tokenize.c and analyze.c: the tokens of real sentences (SDG
 * targets of data/vocab/targets.json, GEMET labels of subjects.json) in each language,
 * byte offsets, odd and large input, and end to end through SQLite FTS5 tables using the
 * "bioex" tokenizer: MATCH finds the rows it should and no others. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include "text/analyze.h"
#include "text/tokenize.h"

/* SDG targets 15.1, 15.5, 14.1 and 6.1 and GEMET concept 827 (biodiversity), in the
 * six languages, as data/vocab holds them. */
struct sdg_texts {
	const char *language;
	const char *target_15_1, *target_15_5, *target_14_1, *target_6_1, *biodiversity;
};

static const struct sdg_texts en = {
	"en",
	"By 2020, ensure the conservation, restoration and sustainable use of terrestrial and inland freshwater "
	"ecosystems and their services, in particular forests, wetlands, mountains and drylands, in line with "
	"obligations under international agreements",
	"Take urgent and significant action to reduce the degradation of natural habitats, halt the loss of "
	"biodiversity and, by 2020, protect and prevent the extinction of threatened species",
	"By 2025, prevent and significantly reduce marine pollution of all kinds, in particular from land-based "
	"activities, including marine debris and nutrient pollution",
	"By 2030, achieve universal and equitable access to safe and affordable drinking water for all",
	"biodiversity",
};

static const struct sdg_texts fr = {
	"fr",
	"D’ici à 2020, garantir la préservation, la restauration et l’exploitation durable des écosystèmes "
	"terrestres et des écosystèmes d’eau douce et des services connexes, en particulier des forêts, des zones "
	"humides, des montagnes et des zones arides, conformément aux obligations découlant des accords "
	"internationaux",
	"Prendre d’urgence des mesures énergiques pour réduire la dégradation du milieu naturel, mettre un terme "
	"à l’appauvrissement de la biodiversité et, d’ici à 2020, protéger les espèces menacées et prévenir leur "
	"extinction",
	"D’ici à 2025, prévenir et réduire nettement la pollution marine de tous types, en particulier celle "
	"résultant des activités terrestres, y compris les déchets en mer et la pollution par les nutriments",
	"D’ici à 2030, assurer l’accès universel et équitable à l’eau potable, à un coût abordable",
	"diversité biologique",
};

static const struct sdg_texts es = {
	"es",
	"De aquí a 2020, asegurar la conservación, el restablecimiento y el uso sostenible de los ecosistemas "
	"terrestres y los ecosistemas interiores de agua dulce y sus servicios, en particular los bosques, los "
	"humedales, las montañas y las zonas áridas, en consonancia con las obligaciones contraídas en virtud de "
	"acuerdos internacionales",
	"Adoptar medidas urgentes y significativas para reducir la degradación de los hábitats naturales, detener "
	"la pérdida de biodiversidad y, de aquí a 2020, proteger las especies amenazadas y evitar su extinción",
	"De aquí a 2025, prevenir y reducir significativamente la contaminación marina de todo tipo, en "
	"particular la producida por actividades realizadas en tierra, incluidos los detritos marinos y la "
	"polución por nutrientes",
	"De aquí a 2030, lograr el acceso universal y equitativo al agua potable a un precio asequible para todos",
	"biodiversidad",
};

static const struct sdg_texts ru = {
	"ru",
	"К 2020 году обеспечить сохранение, восстановление и рациональное использование наземных и внутренних "
	"пресноводных экосистем и их услуг, в том числе лесов, водно-болотных угодий, гор и засушливых земель, в "
	"соответствии с обязательствами, вытекающими из международных соглашений",
	"Незамедлительно принять значимые меры по сдерживанию деградации природных сред обитания, остановить "
	"утрату биологического разнообразия и к 2020 году обеспечить сохранение и предотвращение исчезновения "
	"видов, находящихся под угрозой вымирания",
	"К 2025 году обеспечить предотвращение и существенное сокращение любого загрязнения морской среды, в "
	"особенности вследствие деятельности на суше, включая загрязнение морским мусором и питательными "
	"веществами",
	"К 2030 году обеспечить всеобщий и равноправный доступ к безопасной и недорогой питьевой воде для всех",
	"биоразнообразие",
};

static const struct sdg_texts ar = {
	"ar",
	"كفـالة حفظ وترميم النظم الإيكولوجيـة البرية والنظم الإيكولوجية للمياه العذبة الداخلية وخدماتها، ولا "
	"ســيما الغابات والأراضـي الرطبة والجبال والأراضي الجافة، وكفالة اسـتخدامها على نحو مستدام، وذلك وفقاً "
	"للالتزامات المنصوص عليها في الاتفاقات الدولية، بحلول عام 2020",
	"اتخـاذ إجراءات عـاجلـة وهـامـة للحـد من تـدهور الموائـل الطبيعية، ووقف فقـدان التنوع البيولوجي، والقيام، "
	"بحلول عام 2020، بحماية الأنواع المهدَّدة ومنع انقراضها",
	"منع التلوث البحري بجميع أنواعه والحد منه بقدر كبير، ولا سـيما التلوث الناجم عن الأنشـطة البرية، بما في "
	"ذلك الحطام البحري، وتلوث المغذيات، بحلول عام 2025",
	"تحقيق هدف حصـول الجميع على نحو منصف على مياه الشرب المأمونة والميسورة التكلفة بحلول عام 2030",
	"التنوع الحيوي - التنوع البيولوجي",
};

static const struct sdg_texts zh = {
	"zh",
	"到2020年,根据国际协议规定的义务,保护、恢复和可持续利用陆地和内陆的淡水生态系统及其服务,特别是森林、湿地、山麓和旱地",
	"采取紧急重大行动来减少自然栖息地的退化,遏制生物多样性的丧失,到2020年,保护受威胁物种,防止其灭绝",
	"到2025年,预防和大幅减少各类海洋污染,特别是陆上活动造成的污染,包括海洋废弃物污染和营养盐污染",
	"到2030年,人人普遍和公平获得安全和负担得起的饮用水",
	"生物多样性",
};

/* ---- collecting tokens, and checking what every token must satisfy ---- */

struct token {
	char text[BX_TOKEN_MAX + 1];
	int length, flags, start, end;
};

struct tokens {
	struct token *items;
	int n, capacity;
	int n_positions;      /* tokens that are not colocated */
	int input_length;
	int stop_at;          /* when > 0, the callback returns 7 at this token */
	int last_start;       /* start of the last non-colocated token */
};

static bool valid_utf8(const char *text, int length)
{
	int32_t i = 0;
	while (i < length) {
		UChar32 c;
		U8_NEXT((const uint8_t *)text, i, length, c);
		if (c < 0)
			return false;
	}
	return true;
}

static int collect(void *context, int flags, const char *token, int length, int start, int end)
{
	struct tokens *tokens = context;
	assert_true(length >= 1 && length <= BX_TOKEN_MAX);
	assert_true(valid_utf8(token, length));
	assert_true(start >= 0 && start < end && end <= tokens->input_length);
	assert_true(flags == 0 || flags == BX_TOKEN_COLOCATED);
	if (tokens->n == 0)
		assert_int_equal(flags, 0);
	if (!flags) {
		assert_true(start >= tokens->last_start);   /* positions follow the text */
		tokens->last_start = start;
		tokens->n_positions++;
	}
	if (tokens->n == tokens->capacity) {
		tokens->capacity = tokens->capacity ? 2 * tokens->capacity : 64;
		tokens->items = realloc(tokens->items, sizeof(struct token) * (size_t)tokens->capacity);
		assert_non_null(tokens->items);
	}
	struct token *t = &tokens->items[tokens->n++];
	memcpy(t->text, token, (size_t)length);
	t->text[length] = '\0';
	t->length = length;
	t->flags = flags;
	t->start = start;
	t->end = end;
	return tokens->stop_at && tokens->n == tokens->stop_at ? 7 : 0;
}

/* Tokenizes text into *tokens (to be freed with free(tokens->items)); returns the
 * return of bx_tokenize. */
static int tokenize_n(const char *text, int length, const char *language, struct tokens *tokens)
{
	int stop_at = tokens->stop_at;
	memset(tokens, 0, sizeof *tokens);
	tokens->stop_at = stop_at;
	tokens->input_length = length;
	return bx_tokenize(text, length, language, collect, tokens);
}

/* The tokens of text joined by spaces, colocated ones marked with a leading '+'. */
static const char *joined(const char *text, const char *language)
{
	static char out[1 << 16];
	struct tokens tokens = {0};
	assert_int_equal(tokenize_n(text, (int)strlen(text), language, &tokens), 0);
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < tokens.n; i++) {
		int written = snprintf(out + n, sizeof out - n, "%s%s%s", i ? " " : "",
		                       tokens.items[i].flags ? "+" : "", tokens.items[i].text);
		assert_true(written > 0 && (size_t)written < sizeof out - n);
		n += (size_t)written;
	}
	free(tokens.items);
	return out;
}

/* Whether the tokens of a and b are the same (compared as joined strings). */
static bool same_tokens(const char *a, const char *b, const char *language)
{
	char *first = strdup(joined(a, language));
	assert_non_null(first);
	bool same = !strcmp(first, joined(b, language));
	free(first);
	return same;
}

/* ---- FTS5 ---- */

/* An in-memory database with the tokenizer and table t(id, body), tokenize = option,
 * holding the four SDG targets and the GEMET label of texts. */
static sqlite3 *fts_open(const char *option, const struct sdg_texts *texts)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(bx_tokenize_register_fts5(db), 0);
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize = '%s')", option);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	const char *rows[][2] = {
		{"15.1", texts->target_15_1}, {"15.5", texts->target_15_5}, {"14.1", texts->target_14_1},
		{"6.1", texts->target_6_1}, {"gemet", texts->biodiversity},
	};
	sqlite3_stmt *insert;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (id, body) VALUES (?1, ?2)", -1, &insert, NULL),
	                 SQLITE_OK);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		sqlite3_bind_text(insert, 1, rows[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 2, rows[i][1], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(insert), SQLITE_DONE);
		sqlite3_reset(insert);
	}
	sqlite3_finalize(insert);
	return db;
}

/* The ids of the rows matching the FTS5 query, in id order, joined by spaces. */
static const char *fts_ids(sqlite3 *db, const char *query)
{
	static char out[256];
	sqlite3_stmt *select;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM t WHERE t MATCH ?1 ORDER BY id", -1, &select, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(select, 1, query, -1, SQLITE_STATIC);
	out[0] = '\0';
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
		int written = snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "",
		                       (const char *)sqlite3_column_text(select, 0));
		assert_true(written > 0 && (size_t)written < sizeof out - n);
		n += (size_t)written;
	}
	if (rc != SQLITE_DONE)
		fail_msg("MATCH %s: %s", query, sqlite3_errmsg(db));
	sqlite3_finalize(select);
	return out;
}

/* ---- English ---- */

static void english_inflections_stem_together(void **state)
{
	assert_string_equal(joined("protected, protecting; protection.", "en"), "protect protect protect");
	assert_true(same_tokens("forests", "forest", "en"));
	assert_true(same_tokens("Ecosystems", "ecosystem's", "en"));
	assert_false(same_tokens("forests", "forestry", "en"));
	assert_string_equal(joined(en.target_6_1, "en"),
	                    "by 2030 achiev univers and equit access to safe and afford drink water for all");
	/* Region subtags and case do not matter. */
	assert_string_equal(joined("Polluted forests", "EN-GB"), "pollut forest");
}

static void no_language_means_no_latin_stemming(void **state)
{
	assert_string_equal(joined("Protected forests", NULL), "protected forests");
	assert_string_equal(joined("Protected forests", "de"), "protected forests");
	assert_string_equal(joined("Protected forests", "x-klingon"), "protected forests");
	assert_string_equal(joined("Protected forests", ""), "protected forests");
	/* Diacritics and elisions are folded all the same. */
	assert_string_equal(joined("L’Économie", NULL), "economie");
}

/* ---- French ---- */

static void french_elisions(void **state)
{
	assert_string_equal(joined("l'eau l’eau L’EAU d'eau D’EAU", "fr"), "eau eau eau eau eau");
	assert_string_equal(joined("qu'il jusqu'à lorsqu’il puisqu'elle quoiqu’on", "fr"), "il a il elle on");
	assert_string_equal(joined("s'engager n'est c'est j'ai m'a t'en", "fr"), "engag est est ai a en");
	/* The word break keeps "l'environnement" whole but parts "l' environnement". */
	assert_string_equal(joined("l'environnement", "fr"), "environ");
	assert_string_equal(joined("l' environnement", "fr"), "environ");
	assert_string_equal(joined("l’ environnement", "fr"), "environ");
	/* Not an elision: an apostrophe inside a word, or no word after it. */
	assert_string_equal(joined("aujourd’hui", "fr"), "aujourd'hui");
	assert_string_equal(joined("aujourd'hui", "fr"), "aujourd'hui");
	assert_string_equal(joined("l", "fr"), "l");
	/* Elisions go without a language too (the text of a query). */
	assert_string_equal(joined("l’exploitation d'eau", NULL), "exploitation eau");
}

static void french_accents_fold_after_stemming(void **state)
{
	assert_string_equal(joined("l’écosystème", "fr"), "ecosystem");
	assert_string_equal(joined("ecosysteme", "fr"), "ecosystem");
	assert_string_equal(joined("écosystèmes", "fr"), "ecosystem");
	assert_true(same_tokens("forêts", "foret", "fr"));
	/* The stem of diversité depends on its accent: both stems are indexed together. */
	assert_string_equal(joined("diversité", "fr"), "divers +diversit");
	assert_string_equal(joined("diversite", "fr"), "diversit");
	assert_string_equal(joined("diversités", "fr"), "divers +diversit");
	/* The span of an elided word starts after the apostrophe. */
	struct tokens tokens = {0};
	const char *text = "D’ici à l’écosystème";
	assert_int_equal(tokenize_n(text, (int)strlen(text), "fr", &tokens), 0);
	assert_int_equal(tokens.n, 3);
	assert_string_equal(tokens.items[0].text, "ici");
	assert_int_equal(tokens.items[0].start, 4);   /* D’ is 1 + 3 bytes */
	assert_int_equal(tokens.items[0].end, 7);
	assert_string_equal(tokens.items[1].text, "a");
	assert_int_equal(tokens.items[1].start, 8);
	assert_int_equal(tokens.items[1].end, 10);
	assert_string_equal(tokens.items[2].text, "ecosystem");
	assert_int_equal(tokens.items[2].start, 15);
	assert_int_equal(tokens.items[2].end, (int)strlen(text));
	free(tokens.items);
}

/* ---- Spanish ---- */

static void spanish_stems(void **state)
{
	assert_true(same_tokens("bosques", "bosque", "es"));
	assert_true(same_tokens("montañas", "montaña", "es"));
	assert_true(same_tokens("montañas", "montanas", "es"));
	assert_true(same_tokens("ecosistemas", "ecosistema", "es"));
	assert_string_equal(joined("conservaciones", "es"), "conserv");
	assert_string_equal(joined("conservación", "es"), "conserv +conservacion");
	assert_string_equal(joined("conservacion", "es"), "conservacion");
	assert_string_equal(joined("las zonas áridas", "es"), "las zon arid");
	assert_false(same_tokens("bosques", "bosquejo", "es"));
}

/* ---- Russian ---- */

static void russian_stems(void **state)
{
	assert_string_equal(joined("лесов, леса, лес, лесами", "ru"), "лес лес лес лес");
	/* Cyrillic is stemmed as Russian whatever the language, so queries agree. */
	assert_string_equal(joined("лесов", NULL), "лес");
	assert_string_equal(joined("лесов", "en"), "лес");
	assert_true(same_tokens("экосистем", "ЭКОСИСТЕМ", "ru"));
	assert_true(same_tokens("загрязнения", "загрязнение", "ru"));
	/* ё is е; stress accents go; й stays a letter of its own. */
	assert_true(same_tokens("Ёлка", "елка", "ru"));
	assert_true(same_tokens("моло́ко", "молоко", "ru"));
	assert_string_equal(joined("йод", "ru"), "йод");
	assert_false(same_tokens("йод", "иод", "ru"));
}

/* ---- Arabic ---- */

static void arabic_normalization(void **state)
{
	/* Alef with hamza above, below, madda and wasla are bare alef. */
	assert_true(same_tokens("الأراضي", "الاراضي", "ar"));
	assert_true(same_tokens("إجراءات", "اجراءات", "ar"));
	assert_true(same_tokens("آثار", "اثار", "ar"));
	assert_true(same_tokens("ٱلأنواع", "الانواع", "ar"));
	/* Tatweel, harakat, shadda and superscript alef go (texts of sdg:15.1 and 15.5). */
	assert_true(same_tokens("كفـالة", "كفالة", "ar"));
	assert_true(same_tokens("الإيكولوجيـة", "الإيكولوجية", "ar"));
	assert_true(same_tokens("مُسْتَدَام", "مستدام", "ar"));
	assert_true(same_tokens("المهدَّدة", "المهددة", "ar"));
	assert_true(same_tokens("هٰذا", "هذا", "ar"));
	/* Taa marbuta and heh; alef maqsura and yeh. */
	assert_true(same_tokens("حماية", "حمايه", "ar"));
	assert_true(same_tokens("مستوى", "مستوي", "ar"));
	/* Arabic-Indic digits are digits. */
	assert_string_equal(joined("عام ٢٠٢٠", "ar"), joined("عام 2020", "ar"));
	/* A word is indexed under the stem of its taa marbuta and of a heh typed for it. */
	const char *forest = joined("الغابة", "ar");
	assert_non_null(strstr(forest, " +"));
	assert_non_null(strstr(joined("الغابه", "ar"), forest + (strstr(forest, " +") - forest) + 2));
}

static void arabic_stems(void **state)
{
	assert_string_equal(joined("الغابات", "ar"), "غاب");
	assert_true(!strncmp(joined("الغابة", "ar"), "غاب ", strlen("غاب ")));
	assert_string_equal(joined("والغابات", "ar"), "غاب");   /* the conjunction و goes */
	assert_string_equal(joined("بالغابات", "ar"), "غاب");
	assert_true(same_tokens("الأنواع", "أنواع", "ar"));
	assert_true(same_tokens("والأراضي", "الأراضي", "ar"));
	/* Without a language, Arabic script is normalized and stemmed alike. */
	assert_string_equal(joined(ar.target_15_5, NULL), joined(ar.target_15_5, "ar"));
	assert_false(same_tokens("التلوث", "الغابات", "ar"));
}

/* ---- Chinese ---- */

static void chinese_characters_bigrams_and_words(void **state)
{
	/* One position per character: the character, then the bigram it starts. */
	assert_string_equal(joined("生物多样性", "zh"), "生 +生物 物 +物多 多 +多样 样 +样性 性");
	/* A dictionary word of three characters or more sits at its first character. */
	assert_string_equal(joined("中华人民共和国", "zh"),
	                    "中 +中华 华 +华人 人 +人民 民 +民共 共 +共和 +共和国 和 +和国 国");
	/* Runs end at punctuation and at other scripts: no bigram across them. */
	assert_string_equal(joined("森林、湿地", "zh"), "森 +森林 林 湿 +湿地 地");
	assert_string_equal(joined("到2020年", "zh"), "到 2020 年");
	/* The same without a language. */
	assert_string_equal(joined("生物多样性", NULL), joined("生物多样性", "zh"));
	assert_string_equal(joined("生物多样性", "zh-Hans"), joined("生物多样性", "zh"));
	/* Every character of a long text has its position. */
	struct tokens tokens = {0};
	assert_int_equal(tokenize_n(zh.target_15_5, (int)strlen(zh.target_15_5), "zh", &tokens), 0);
	assert_int_equal(tokens.n_positions, 43 + 1);   /* 43 Han characters and 2020 */
	free(tokens.items);
}

static void chinese_fts5_finds_words_split_differently(void **state)
{
	const char *options[] = {"bioex zh", "bioex"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3 *db = fts_open(options[i], &zh);
		assert_string_equal(fts_ids(db, "多样性"), "15.5 gemet");
		assert_string_equal(fts_ids(db, "生物多样性"), "15.5 gemet");
		assert_string_equal(fts_ids(db, "\"生物多样性的丧失\""), "15.5");
		assert_string_equal(fts_ids(db, "样性"), "15.5 gemet");
		assert_string_equal(fts_ids(db, "水"), "15.1 6.1");      /* 淡水, 饮用水 */
		assert_string_equal(fts_ids(db, "饮用水"), "6.1");
		assert_string_equal(fts_ids(db, "森林"), "15.1");
		assert_string_equal(fts_ids(db, "污染"), "14.1");
		assert_string_equal(fts_ids(db, "海洋污染"), "14.1");
		assert_string_equal(fts_ids(db, "多样水"), "");
		assert_string_equal(fts_ids(db, "生物 灭绝"), "15.5");
		assert_string_equal(fts_ids(db, "2020"), "15.1 15.5");
		/* The offsets of colocated tokens make highlight() mark the right characters. */
		sqlite3_stmt *select;
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT highlight(t, 1, '[', ']') FROM t WHERE t MATCH "
		                                        "'多样性' AND id = 'gemet'", -1, &select, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(select), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(select, 0), "生物[多样性]");
		sqlite3_finalize(select);
		sqlite3_close(db);
	}
}

/* ---- FTS5 in the other languages ---- */

static void english_fts5(void **state)
{
	sqlite3 *db = fts_open("bioex en", &en);
	assert_string_equal(fts_ids(db, "forest"), "15.1");
	assert_string_equal(fts_ids(db, "protection"), "15.5");
	assert_string_equal(fts_ids(db, "polluted"), "14.1");
	assert_string_equal(fts_ids(db, "water"), "6.1");           /* freshwater is one word */
	assert_string_equal(fts_ids(db, "biodiversity"), "15.5 gemet");
	assert_string_equal(fts_ids(db, "\"drinking waters\""), "6.1");
	assert_string_equal(fts_ids(db, "forest*"), "15.1");
	assert_string_equal(fts_ids(db, "forests*"), "15.1");
	assert_string_equal(fts_ids(db, "2020"), "15.1 15.5");
	assert_string_equal(fts_ids(db, "desert"), "");
	sqlite3_close(db);
}

static void french_fts5(void **state)
{
	sqlite3 *db = fts_open("bioex fr", &fr);
	assert_string_equal(fts_ids(db, "forêt"), "15.1");
	assert_string_equal(fts_ids(db, "foret"), "15.1");
	assert_string_equal(fts_ids(db, "eau"), "15.1 6.1");         /* d’eau, l’eau */
	assert_string_equal(fts_ids(db, "\"l'eau potable\""), "6.1");
	assert_string_equal(fts_ids(db, "espèce"), "15.5");
	assert_string_equal(fts_ids(db, "ecosysteme"), "15.1");
	assert_string_equal(fts_ids(db, "diversite"), "gemet");        /* diversité, not biodiversité */
	assert_string_equal(fts_ids(db, "biodiversite"), "15.5");
	assert_string_equal(fts_ids(db, "pollutions"), "14.1");
	assert_string_equal(fts_ids(db, "ici"), "14.1 15.1 15.5 6.1");
	assert_string_equal(fts_ids(db, "forestier"), "");
	sqlite3_close(db);
}

static void spanish_fts5(void **state)
{
	sqlite3 *db = fts_open("bioex es", &es);
	assert_string_equal(fts_ids(db, "bosque"), "15.1");
	assert_string_equal(fts_ids(db, "montaña"), "15.1");
	assert_string_equal(fts_ids(db, "conservacion"), "15.1");
	assert_string_equal(fts_ids(db, "agua"), "15.1 6.1");
	assert_string_equal(fts_ids(db, "especie"), "15.5");
	assert_string_equal(fts_ids(db, "contaminaciones"), "14.1");
	assert_string_equal(fts_ids(db, "biodiversidad"), "15.5 gemet");
	assert_string_equal(fts_ids(db, "desierto"), "");
	sqlite3_close(db);
}

static void russian_fts5(void **state)
{
	const char *options[] = {"bioex ru", "bioex"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3 *db = fts_open(options[i], &ru);
		assert_string_equal(fts_ids(db, "лес"), "15.1");
		assert_string_equal(fts_ids(db, "леса"), "15.1");
		assert_string_equal(fts_ids(db, "загрязнение"), "14.1");
		assert_string_equal(fts_ids(db, "вода"), "6.1");
		assert_string_equal(fts_ids(db, "биоразнообразия"), "gemet");
		assert_string_equal(fts_ids(db, "соглашение"), "15.1");
		assert_string_equal(fts_ids(db, "пустыня"), "");
		sqlite3_close(db);
	}
}

static void arabic_fts5(void **state)
{
	const char *options[] = {"bioex ar", "bioex"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3 *db = fts_open(options[i], &ar);
		assert_string_equal(fts_ids(db, "الغابة"), "15.1");
		assert_string_equal(fts_ids(db, "الغابات"), "15.1");
		assert_string_equal(fts_ids(db, "غابة"), "15.1");
		assert_string_equal(fts_ids(db, "التلوث"), "14.1");
		assert_string_equal(fts_ids(db, "تلوث"), "14.1");
		assert_string_equal(fts_ids(db, "الأنواع"), "14.1 15.5");   /* الأنواع, أنواعه */
		assert_string_equal(fts_ids(db, "الانواع"), "14.1 15.5");
		assert_string_equal(fts_ids(db, "\"التنوع البيولوجي\""), "15.5 gemet");
		assert_string_equal(fts_ids(db, "مستدامة"), "15.1");
		assert_string_equal(fts_ids(db, "الصحراء"), "");
		sqlite3_close(db);
	}
}

static void fts5_arguments(void **state)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(bx_tokenize_register_fts5(db), 0);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE a USING fts5(x, tokenize = 'bioex en fr')",
	                              NULL, NULL, NULL), SQLITE_ERROR);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE b USING fts5(x, tokenize = 'bioex ''e n''')",
	                              NULL, NULL, NULL), SQLITE_ERROR);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE b USING fts5(x, tokenize = 'bioex ''''')",
	                              NULL, NULL, NULL), SQLITE_ERROR);
	/* FTS5 reads '-' as the end of a bare word: a full tag is quoted. */
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE c USING fts5(x, tokenize = \"bioex 'zh-Hant'\")",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO c VALUES ('ab\xff\xfe cd')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* ---- offsets and odd input ---- */

static void offsets_of_multibyte_text(void **state)
{
	/* É 2 bytes, 生 3, л 2, غ 2, 𠀀 4; the emoji (4) is no word. */
	const char *text = "Économie 生物 леса 😀 الغابات 𠀀𠀁";
	struct tokens tokens = {0};
	assert_int_equal(tokenize_n(text, (int)strlen(text), NULL, &tokens), 0);
	const struct {
		const char *text;
		int flags, start, end;
	} expected[] = {
		{"economie", 0, 0, 9},   {"生", 0, 10, 13},   {"生物", 1, 10, 16}, {"物", 0, 13, 16},
		{"лес", 0, 17, 25},      {"غاب", 0, 31, 45},  {"𠀀", 0, 46, 50}, {"𠀀𠀁", 1, 46, 54},
		{"𠀁", 0, 50, 54},
	};
	assert_int_equal(tokens.n, sizeof expected / sizeof expected[0]);
	for (int i = 0; i < tokens.n; i++) {
		assert_string_equal(tokens.items[i].text, expected[i].text);
		assert_int_equal(tokens.items[i].flags, expected[i].flags);
		assert_int_equal(tokens.items[i].start, expected[i].start);
		assert_int_equal(tokens.items[i].end, expected[i].end);
	}
	free(tokens.items);
}

static void empty_and_punctuation_give_no_tokens(void **state)
{
	struct tokens tokens = {0};
	assert_int_equal(tokenize_n("", 0, "en", &tokens), 0);
	assert_int_equal(tokens.n, 0);
	assert_int_equal(tokenize_n(NULL, 0, NULL, &tokens), 0);
	assert_int_equal(tokens.n, 0);
	const char *punctuation = " ¡¿?!… — «» , . ; : 、。，“” ‘’ ' - () [] ٪ ، ؛ ؟ ";
	assert_int_equal(tokenize_n(punctuation, (int)strlen(punctuation), "fr", &tokens), 0);
	assert_int_equal(tokens.n, 0);
	/* A word of nothing but tatweel is no word either. */
	assert_int_equal(tokenize_n("ـــ", (int)strlen("ـــ"), "ar", &tokens), 0);
	assert_int_equal(tokens.n, 0);
	assert_int_equal(bx_tokenize("abc", -1, "en", collect, &tokens), BX_EINVAL);
	assert_int_equal(bx_tokenize(NULL, 3, "en", collect, &tokens), BX_EINVAL);
}

static void invalid_utf8_is_skipped(void **state)
{
	/* A stray byte, a truncated sequence, an overlong '/', a surrogate, a cut-off end. */
	const char text[] = "ab\xff" "cd \xe2\x82 ef \xc0\xaf gh \xed\xa0\x80 ij \xf0\x9f";
	struct tokens tokens = {0};
	assert_int_equal(tokenize_n(text, (int)sizeof text - 1, "en", &tokens), 0);
	const char *expected[] = {"ab", "cd", "ef", "gh", "ij"};
	assert_int_equal(tokens.n, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(tokens.items[i].text, expected[i]);
	assert_int_equal(tokens.items[1].start, 3);
	assert_int_equal(tokens.items[1].end, 5);
	free(tokens.items);
	/* NUL bytes inside the text are separators too. */
	assert_int_equal(tokenize_n("ab\0cd", 5, NULL, &tokens), 0);
	assert_int_equal(tokens.n, 2);
	free(tokens.items);
	unsigned char noise[4096];
	uint32_t seed = 12345;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof noise; i++) {
			seed = seed * 1103515245u + 12345u;
			noise[i] = (unsigned char)(seed >> 16);
		}
		assert_int_equal(tokenize_n((const char *)noise, (int)sizeof noise, round % 2 ? "ar" : "zh", &tokens), 0);
		free(tokens.items);
	}
	/* Across chunks: 300 KiB of noise, and of continuation bytes with nowhere to cut. */
	size_t n_big = 300 * 1024;
	unsigned char *big = malloc(n_big);
	assert_non_null(big);
	for (size_t i = 0; i < n_big; i++) {
		seed = seed * 1103515245u + 12345u;
		big[i] = (unsigned char)(seed >> 16);
	}
	assert_int_equal(tokenize_n((const char *)big, (int)n_big, NULL, &tokens), 0);
	assert_true(tokens.n > 1000);
	free(tokens.items);
	memset(big, 0x80, n_big);
	memcpy(big + 70000, "word", 4);
	assert_int_equal(tokenize_n((const char *)big, (int)n_big, "en", &tokens), 0);
	assert_int_equal(tokens.n, 1);
	assert_string_equal(tokens.items[0].text, "word");
	assert_int_equal(tokens.items[0].start, 70000);
	free(tokens.items);
	free(big);
}

static void long_words_are_cut(void **state)
{
	char text[2048];
	struct tokens tokens = {0};
	/* 300 × é: folded to 300 e, cut to BX_TOKEN_MAX. */
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		memcpy(text + n, "é", 2);
		n += 2;
	}
	assert_int_equal(tokenize_n(text, (int)n, "fr", &tokens), 0);
	assert_int_equal(tokens.n, 1);
	assert_int_equal(tokens.items[0].length, BX_TOKEN_MAX);
	assert_int_equal(strspn(tokens.items[0].text, "e"), BX_TOKEN_MAX);
	assert_int_equal(tokens.items[0].end, (int)n);
	free(tokens.items);
	/* 100 × क (3 bytes): cut at a character boundary, 85 × 3 = 255 bytes. */
	n = 0;
	for (int i = 0; i < 100; i++) {
		memcpy(text + n, "क", 3);
		n += 3;
	}
	assert_int_equal(tokenize_n(text, (int)n, NULL, &tokens), 0);
	assert_int_equal(tokens.n, 1);
	assert_int_equal(tokens.items[0].length, 255);
	free(tokens.items);
}

static void callback_return_stops(void **state)
{
	struct tokens tokens = {.stop_at = 3};
	assert_int_equal(tokenize_n(en.target_15_1, (int)strlen(en.target_15_1), "en", &tokens), 7);
	assert_int_equal(tokens.n, 3);
	free(tokens.items);
	tokens = (struct tokens){.stop_at = 2};
	assert_int_equal(tokenize_n("生物多样性", (int)strlen("生物多样性"), "zh", &tokens), 7);
	assert_int_equal(tokens.n, 2);
	free(tokens.items);
}

/* Builds a text of at least 1 MiB from copies of piece. */
static char *repeat(const char *piece, int *length, int *copies)
{
	size_t n_piece = strlen(piece), n = 0;
	*copies = (int)((1 << 20) / n_piece + 1);
	char *text = malloc(n_piece * (size_t)*copies);
	assert_non_null(text);
	for (int i = 0; i < *copies; i++, n += n_piece)
		memcpy(text + n, piece, n_piece);
	*length = (int)n;
	return text;
}

static void one_mebibyte(void **state)
{
	/* Mixed scripts with spaces: every copy gives the tokens the piece gives alone. */
	const char *piece = "D’ici à 2020, l’écosystème 生物多样性的丧失 الغابات лесов forests. ";
	struct tokens one = {0}, all = {0};
	assert_int_equal(tokenize_n(piece, (int)strlen(piece), NULL, &one), 0);
	int length, copies;
	char *text = repeat(piece, &length, &copies);
	assert_true(length >= 1 << 20);
	assert_int_equal(tokenize_n(text, length, NULL, &all), 0);
	assert_int_equal(all.n, one.n * copies);
	assert_int_equal(all.n_positions, one.n_positions * copies);
	assert_string_equal(all.items[all.n - 1].text, one.items[one.n - 1].text);
	assert_int_equal(all.items[all.n - 1].end, length - 2);
	free(text);
	free(one.items);
	free(all.items);
	/* Chinese without a space or punctuation: still one position per character. */
	text = repeat("生物多样性", &length, &copies);
	assert_int_equal(tokenize_n(text, length, "zh", &all), 0);
	assert_int_equal(all.n_positions, 5 * copies);
	free(text);
	free(all.items);
	/* One 1 MiB "word": read in chunks, each giving one cut token. */
	text = repeat("a", &length, &copies);
	assert_int_equal(tokenize_n(text, length, "en", &all), 0);
	assert_true(all.n >= 16 && all.n <= 17);
	assert_int_equal(all.items[0].length, BX_TOKEN_MAX);
	free(text);
	free(all.items);
}

/* Analyzes the UTF-8 word with analyzer into "form|form" (or "-" for none) plus skipped. */
static void forms_of(struct bx_analyzer *analyzer, const char *word, size_t n, char *out, size_t size)
{
	UChar units[256];
	int32_t length = 0;
	UErrorCode status = U_ZERO_ERROR;
	u_strFromUTF8(units, 256, &length, word, (int32_t)n, &status);
	assert_false(U_FAILURE(status));
	struct bx_word_forms forms;
	assert_int_equal(bx_analyze_word(analyzer, units, length, &forms), 0);
	int used = snprintf(out, size, "%d:", forms.skipped);
	for (int f = 0; f < forms.n_forms; f++)
		used += snprintf(out + used, size - (size_t)used, "%s%s", f ? "|" : "", forms.text[f]);
}

static void kept_analyses_equal_fresh_ones(void **state)
{
	/* Every word of the texts, three times over in one analyzer (whose table of kept
	 * analyses fills, collides and is reused), against a new analyzer for each word. */
	const struct sdg_texts *all[] = {&en, &fr, &es, &ru, &ar, &zh};
	const char *languages[] = {NULL, "en", "fr", "es", "ru", "ar", "zh"};
	for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
		struct bx_analyzer *kept;
		assert_int_equal(bx_analyzer_new(languages[l], &kept), 0);
		for (int round = 0; round < 3; round++)
			for (size_t t = 0; t < sizeof all / sizeof all[0]; t++) {
				const char *texts[] = {all[t]->target_15_1, all[t]->target_15_5, all[t]->target_14_1,
				                       all[t]->target_6_1, all[t]->biodiversity,
				                       "conservationnistes l'internationalisation ДОСТОПРИМЕЧАТЕЛЬНОСТЯМИ"};
				for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
					for (const char *word = texts[i]; *word;) {
						size_t n = strcspn(word, " ,.");
						if (n > 0 && n < 200) {
							struct bx_analyzer *fresh;
							assert_int_equal(bx_analyzer_new(languages[l], &fresh), 0);
							char expected[600], got[600];
							forms_of(fresh, word, n, expected, sizeof expected);
							forms_of(kept, word, n, got, sizeof got);
							if (strcmp(expected, got))
								fail_msg("%s: %.*s: kept %s, fresh %s", languages[l] ? languages[l] : "none",
								         (int)n, word, got, expected);
							bx_analyzer_free(fresh);
						}
						word += n + (word[n] != 0);
					}
			}
		bx_analyzer_free(kept);
	}
}

/* The Han characters of a token, or 0 when it holds anything else. */
static int han_characters(const char *token)
{
	int n = 0;
	for (int32_t i = 0, length = (int32_t)strlen(token); i < length; n++) {
		UChar32 c;
		UErrorCode status = U_ZERO_ERROR;
		U8_NEXT(token, i, length, c);
		if (c < 0 || uscript_getScript(c, &status) != USCRIPT_HAN)
			return 0;
	}
	return n;
}

static void han_without_words_is_han_with_words_less_the_words(void **state)
{
	/* Without the dictionary's words, the same tokens at the same places, less the Han
	 * words of three characters or more; the tokenizer keeps its setting between runs. */
	const char *texts[] = {zh.target_15_1, zh.target_15_5, zh.target_14_1, zh.target_6_1,
	                       "Ĉu 生物多样性 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 2030年 forests 遗传资源、الغابات 名古屋议定书 лесов 㐀𠀀"};
	const char *languages[] = {"zh", NULL, "en"};
	for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
		struct bx_tokenizer *tokenizer;
		assert_int_equal(bx_tokenizer_new(languages[l], &tokenizer), 0);
		int words = 0;
		for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
			int length = (int)strlen(texts[t]);
			struct tokens with = {.input_length = length}, without = {.input_length = length};
			assert_int_equal(bx_tokenizer_set_han_words(tokenizer, true), t == 0);   /* words by default */
			assert_int_equal(bx_tokenizer_run(tokenizer, texts[t], length, collect, &with), 0);
			assert_true(bx_tokenizer_set_han_words(tokenizer, false));
			assert_int_equal(bx_tokenizer_run(tokenizer, texts[t], length, collect, &without), 0);
			assert_false(bx_tokenizer_set_han_words(tokenizer, false));
			int kept = 0;
			for (int i = 0; i < with.n; i++) {
				if (han_characters(with.items[i].text) >= 3) {
					words++;
					continue;
				}
				assert_true(kept < without.n);
				assert_string_equal(without.items[kept].text, with.items[i].text);
				assert_int_equal(without.items[kept].flags, with.items[i].flags);
				assert_int_equal(without.items[kept].start, with.items[i].start);
				assert_int_equal(without.items[kept].end, with.items[i].end);
				kept++;
			}
			assert_int_equal(kept, without.n);
			free(with.items);
			free(without.items);
		}
		assert_true(words > 0);
		bx_tokenizer_free(tokenizer);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_inflections_stem_together),
		cmocka_unit_test(no_language_means_no_latin_stemming),
		cmocka_unit_test(french_elisions),
		cmocka_unit_test(french_accents_fold_after_stemming),
		cmocka_unit_test(spanish_stems),
		cmocka_unit_test(russian_stems),
		cmocka_unit_test(arabic_normalization),
		cmocka_unit_test(arabic_stems),
		cmocka_unit_test(chinese_characters_bigrams_and_words),
		cmocka_unit_test(chinese_fts5_finds_words_split_differently),
		cmocka_unit_test(english_fts5),
		cmocka_unit_test(french_fts5),
		cmocka_unit_test(spanish_fts5),
		cmocka_unit_test(russian_fts5),
		cmocka_unit_test(arabic_fts5),
		cmocka_unit_test(fts5_arguments),
		cmocka_unit_test(offsets_of_multibyte_text),
		cmocka_unit_test(empty_and_punctuation_give_no_tokens),
		cmocka_unit_test(invalid_utf8_is_skipped),
		cmocka_unit_test(long_words_are_cut),
		cmocka_unit_test(callback_return_stops),
		cmocka_unit_test(one_mebibyte),
		cmocka_unit_test(kept_analyses_equal_fresh_ones),
		cmocka_unit_test(han_without_words_is_han_with_words_less_the_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
