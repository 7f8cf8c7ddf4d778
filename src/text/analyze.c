/* Analysis of one word (see analyze.h). A word goes through NFKC case folding, a mapping
 * of single characters (apostrophes, digits, Arabic letter forms and marks), the removal
 * of a French elision, Snowball stemming where its script or language has a stemmer,
 * and last the folding of diacritics and of the Arabic taa marbuta. */
#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include "text/analyze.h"

/* A growable UTF-16 string. */
struct ubuf {
	UChar *data;
	int32_t length;
	int32_t capacity;
};

/* Words repeat (Zipf's law), and analyzing one is mostly normalizing and stemming: the
 * analyses of short words are kept in a direct-mapped table keyed by the word as given,
 * which is all an analysis depends on for a given analyzer. 16384 slots (1.5 MB) read
 * the bench's records 30% faster than 4096; twice as many are slower again (measured on
 * 9,482 texts of six languages, docs/performance.md). */
#define CACHE_SLOTS 16384         /* a power of two */
#define CACHE_WORD_MAX 20         /* UTF-16 units of a word that is kept */
#define CACHE_TEXT_MAX 46         /* bytes of its forms, each NUL-terminated */

struct cached {
	UChar word[CACHE_WORD_MAX];
	uint8_t word_length;      /* 0: an empty slot */
	uint8_t n_forms;
	uint8_t length[2];
	uint8_t skipped;
	char text[CACHE_TEXT_MAX];   /* the forms one after the other */
};

/* The stemmers an analyzer may use: one chosen by the language for Latin script, and
 * one per script that has a single supported language. */
enum stemmer_slot { STEM_LATIN, STEM_CYRILLIC, STEM_ARABIC, N_STEMMERS };

struct bx_analyzer {
	const UNormalizer2 *casefold;
	const UNormalizer2 *decompose;
	const UNormalizer2 *compose;
	const char *algorithms[N_STEMMERS];          /* Snowball names; NULL: no stemming */
	struct sb_stemmer *stemmers[N_STEMMERS];     /* made on first use */
	char locale[4];
	struct ubuf word;       /* the word being analyzed */
	struct ubuf work;       /* a stem of it */
	struct ubuf scratch;    /* decomposed text while diacritics are removed */
	char stem_input[BX_TOKEN_MAX + 1];
	char forms[2][BX_TOKEN_MAX + 1];
	struct cached *cache;   /* CACHE_SLOTS of them, made on first use; NULL: none to be had */
};

/* Languages whose Latin-script words are stemmed. Cyrillic words are stemmed as Russian
 * and Arabic-script words as Arabic whatever the language, so that a query without a
 * language (bx_tokenize with NULL) reads them as the index did. */
static const struct {
	const char *tag;
	const char *algorithm;
} latin_stemmers[] = {
	{"en", "english"},
	{"fr", "french"},
	{"es", "spanish"},
};

/* Words French elides before a vowel: l'eau, qu'il, jusqu'à. */
static const char *const elided_words[] = {
	"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
};

static int reserve(struct ubuf *buf, int32_t need)
{
	if (need <= buf->capacity)
		return 0;
	int32_t capacity = buf->capacity > 32 ? buf->capacity : 32;
	while (capacity < need) {
		if (capacity > INT32_MAX / 4)
			return BX_ENOMEM;
		capacity *= 2;
	}
	UChar *data = realloc(buf->data, sizeof(UChar) * (size_t)capacity);
	if (!data)
		return BX_ENOMEM;
	buf->data = data;
	buf->capacity = capacity;
	return 0;
}

/* Sets *out to source[0..length) normalized by normalizer (out must not be source). */
static int normalize(const UNormalizer2 *normalizer, const UChar *source, int32_t length,
                     struct ubuf *out)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t n = unorm2_normalize(normalizer, source, length, out->data, out->capacity, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		if (reserve(out, n))
			return BX_ENOMEM;
		status = U_ZERO_ERROR;
		n = unorm2_normalize(normalizer, source, length, out->data, out->capacity, &status);
	}
	if (U_FAILURE(status))
		return BX_EINVAL;
	out->length = n;
	return 0;
}

static int copy(const struct ubuf *from, struct ubuf *to)
{
	if (reserve(to, from->length))
		return BX_ENOMEM;
	if (from->length)
		memcpy(to->data, from->data, sizeof(UChar) * (size_t)from->length);
	to->length = from->length;
	return 0;
}

/* Sets a->word to the NFKC case folding of word; for ASCII that is lowercasing. */
static int fold_case(struct bx_analyzer *a, const UChar *word, int32_t length)
{
	for (int32_t i = 0; i < length; i++)
		if (word[i] >= 0x80)
			return normalize(a->casefold, word, length, &a->word);
	if (reserve(&a->word, length))
		return BX_ENOMEM;
	for (int32_t i = 0; i < length; i++)
		a->word.data[i] = word[i] >= 'A' && word[i] <= 'Z' ? word[i] + ('a' - 'A') : word[i];
	a->word.length = length;
	return 0;
}

/* What a character of case-folded text becomes: itself, another character, or nothing
 * (-1). Never a character that takes more UTF-16 units than c. */
static UChar32 map_character(UChar32 c)
{
	if (c < 0x80)
		return c <= 0x20 || c == 0x7F ? -1 : c;
	switch (c) {
	case 0x2019:                      /* ’ typographic apostrophe */
		return '\'';
	case 0x0640:                      /* tatweel */
		return -1;
	case 0x0622: case 0x0623: case 0x0625: case 0x0671: case 0x0672: case 0x0673:
		return 0x0627;                /* آ أ إ ٱ and wavy hamza forms → bare alef */
	case 0x0649:
		return 0x064A;                /* alef maqsura → yeh */
	}
	UCharCategory type = (UCharCategory)u_charType(c);
	if (c >= 0x0610 && c <= 0x06FF && type == U_NON_SPACING_MARK)
		return -1;                    /* harakat, shadda, sukun, superscript alef, Quranic marks */
	if (type == U_DECIMAL_DIGIT_NUMBER)
		return '0' + u_charDigitValue(c);
	if (u_isUWhiteSpace(c))
		return -1;                    /* NFKC makes spaces of some compatibility forms */
	return c;
}

static void map_characters(struct ubuf *w)
{
	int32_t in = 0, out = 0;
	while (in < w->length) {
		UChar32 c;
		U16_NEXT(w->data, in, w->length, c);
		c = map_character(c);
		if (c >= 0)
			U16_APPEND_UNSAFE(w->data, out, c);
	}
	w->length = out;
}

/* The script of the first character of w that has one (not Common or Inherited). */
static UScriptCode script_of(const struct ubuf *w)
{
	int32_t i = 0;
	while (i < w->length) {
		UChar32 c;
		UErrorCode status = U_ZERO_ERROR;
		U16_NEXT(w->data, i, w->length, c);
		UScriptCode script = uscript_getScript(c, &status);
		if (U_SUCCESS(status) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED)
			return script;
	}
	return USCRIPT_COMMON;
}

static bool ascii_equal(const UChar *text, const char *ascii, size_t length)
{
	for (size_t i = 0; i < length; i++)
		if (text[i] != (UChar)ascii[i])
			return false;
	return true;
}

static bool is_apostrophe(UChar c)
{
	return c == 0x0027 || c == 0x2019 || c == 0xFF07;
}

/* Removes a leading elision ("l'", "qu'") from the folded word when something follows
 * it, and sets *skipped to the UTF-16 units of source up to its first apostrophe. */
static void strip_elision(struct ubuf *w, const UChar *source, int32_t length, int *skipped)
{
	for (size_t k = 0; k < sizeof elided_words / sizeof elided_words[0]; k++) {
		int32_t n = (int32_t)strlen(elided_words[k]);
		if (w->length <= n + 1 || w->data[n] != '\'' || !ascii_equal(w->data, elided_words[k], (size_t)n))
			continue;
		int32_t apostrophe = 0;
		while (apostrophe < length && !is_apostrophe(source[apostrophe]))
			apostrophe++;
		if (apostrophe + 1 >= length)
			return;
		memmove(w->data, w->data + n + 1, sizeof(UChar) * (size_t)(w->length - n - 1));
		w->length -= n + 1;
		*skipped = apostrophe + 1;
		return;
	}
}

bool bx_analyze_is_elided_word(const UChar *word, int32_t length)
{
	for (size_t k = 0; k < sizeof elided_words / sizeof elided_words[0]; k++) {
		if ((int32_t)strlen(elided_words[k]) != length)
			continue;
		int32_t i = 0;
		while (i < length && (word[i] | 0x20) == (UChar)elided_words[k][i])
			i++;
		if (i == length)
			return true;
	}
	return false;
}

static bool is_diacritic(UChar32 c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	       (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	       (c >= 0xFE20 && c <= 0xFE2F);
}

/* Whether the combining mark c goes from a letter of script base (the letter base_char).
 * Latin and Greek lose all their diacritics; Cyrillic loses the stress accents and the
 * diaeresis of ё (ё → е), and keeps the breve of й and the diaeresis of ї. */
static bool drops_mark(UScriptCode base, UChar32 base_char, UChar32 c)
{
	switch (base) {
	case USCRIPT_LATIN:
	case USCRIPT_GREEK:
	case USCRIPT_COMMON:
	case USCRIPT_INHERITED:
		return true;
	case USCRIPT_CYRILLIC:
		return c == 0x0300 || c == 0x0301 || (c == 0x0308 && base_char == 0x0435);
	default:
		return false;
	}
}

/* Removes diacritics from w (see drops_mark), through NFD and back to NFC. */
static int fold_marks(struct bx_analyzer *a, struct ubuf *w)
{
	int32_t i = 0;
	while (i < w->length && w->data[i] < 0xC0)
		i++;
	if (i == w->length)
		return 0;   /* nothing below U+00C0 decomposes once NFKC-folded */
	UErrorCode status = U_ZERO_ERROR;
	if (unorm2_isNormalized(a->decompose, w->data, w->length, &status) && U_SUCCESS(status)) {
		while (i < w->length && !is_diacritic(w->data[i]))
			i++;
		if (i == w->length)
			return 0;   /* Han, Arabic, most scripts: no diacritic, nothing decomposes */
	}
	int rc = normalize(a->decompose, w->data, w->length, &a->scratch);
	if (rc)
		return rc;
	struct ubuf *d = &a->scratch;
	UScriptCode base = USCRIPT_COMMON;
	UChar32 base_char = 0;
	int32_t in = 0, out = 0;
	while (in < d->length) {
		UChar32 c;
		U16_NEXT(d->data, in, d->length, c);
		if (is_diacritic(c)) {
			if (drops_mark(base, base_char, c))
				continue;
		} else {
			status = U_ZERO_ERROR;
			base = uscript_getScript(c, &status);
			base_char = c;
		}
		U16_APPEND_UNSAFE(d->data, out, c);
	}
	d->length = out;
	return normalize(a->compose, d->data, d->length, w);
}

/* The last step for every form: diacritics folded, taa marbuta ة read as heh ه. */
static int finish(struct bx_analyzer *a, struct ubuf *w)
{
	int rc = fold_marks(a, w);
	for (int32_t i = 0; !rc && i < w->length; i++)
		if (w->data[i] == 0x0629)
			w->data[i] = 0x0647;
	return rc;
}

/* Snowball's Arabic stemmer keeps the conjunction of "وال" and "فال" ("and the", "so
 * the"), which it cannot tell from a root starting وا: with three letters or more after
 * it, the conjunction goes, so that والغابات is stemmed as الغابات. */
static void strip_conjunction(struct ubuf *w)
{
	if (w->length >= 6 && (w->data[0] == 0x0648 || w->data[0] == 0x0641) && w->data[1] == 0x0627 &&
	    w->data[2] == 0x0644) {
		memmove(w->data, w->data + 1, sizeof(UChar) * (size_t)(w->length - 1));
		w->length--;
	}
}

static bool has_foldable(const struct ubuf *w)
{
	for (int32_t i = 0; i < w->length; i++)
		if (w->data[i] >= 0xC0)
			return true;
	return false;
}

/* Sets *out to the stem of in by the stemmer in slot. A word over BX_TOKEN_MAX bytes is
 * not a word: it is copied unchanged. */
static int stem(struct bx_analyzer *a, enum stemmer_slot slot, const struct ubuf *in, struct ubuf *out)
{
	if (!a->stemmers[slot] && !(a->stemmers[slot] = sb_stemmer_new(a->algorithms[slot], "UTF_8")))
		return BX_ENOMEM;
	UErrorCode status = U_ZERO_ERROR;
	int32_t n_bytes = 0;
	u_strToUTF8(a->stem_input, (int32_t)sizeof a->stem_input, &n_bytes, in->data, in->length, &status);
	if (U_FAILURE(status) || n_bytes > BX_TOKEN_MAX)
		return copy(in, out);
	const sb_symbol *stemmed = sb_stemmer_stem(a->stemmers[slot], (const sb_symbol *)a->stem_input, n_bytes);
	if (!stemmed)
		return BX_ENOMEM;
	int n_stemmed = sb_stemmer_length(a->stemmers[slot]);
	if (reserve(out, n_stemmed + 1))
		return BX_ENOMEM;
	status = U_ZERO_ERROR;
	u_strFromUTF8(out->data, out->capacity, &out->length, (const char *)stemmed, n_stemmed, &status);
	if (U_FAILURE(status))
		return copy(in, out);
	return 0;
}

/* Adds w as the next form, cut to BX_TOKEN_MAX bytes at a character boundary; an empty
 * form or one equal to the previous is not added. */
static void add_form(struct bx_analyzer *a, const struct ubuf *w, struct bx_word_forms *forms)
{
	char *text = a->forms[forms->n_forms];
	int32_t n = 0, i = 0;
	while (i < w->length) {
		UChar32 c;
		U16_NEXT(w->data, i, w->length, c);
		if (U_IS_SURROGATE(c))
			continue;
		if (n + U8_LENGTH(c) > BX_TOKEN_MAX)
			break;
		U8_APPEND_UNSAFE(text, n, c);
	}
	text[n] = '\0';
	if (n == 0)
		return;
	if (forms->n_forms == 1 && forms->length[0] == n && !memcmp(forms->text[0], text, (size_t)n))
		return;
	forms->text[forms->n_forms] = text;
	forms->length[forms->n_forms] = n;
	forms->n_forms++;
}

static int stemmer_slot(const struct bx_analyzer *a, UScriptCode script)
{
	switch (script) {
	case USCRIPT_LATIN:
		return a->algorithms[STEM_LATIN] ? STEM_LATIN : -1;
	case USCRIPT_CYRILLIC:
		return STEM_CYRILLIC;
	case USCRIPT_ARABIC:
		return STEM_ARABIC;
	default:
		return -1;
	}
}

static struct cached *cache_slot(struct bx_analyzer *a, const UChar *word, int32_t length)
{
	if (length > CACHE_WORD_MAX)
		return NULL;
	if (!a->cache && !(a->cache = calloc(CACHE_SLOTS, sizeof *a->cache)))
		return NULL;
	uint32_t hash = 2166136261u;   /* FNV-1a */
	for (int32_t i = 0; i < length; i++)
		hash = (hash ^ word[i]) * 16777619u;
	return &a->cache[hash & (CACHE_SLOTS - 1)];
}

static bool cache_holds(const struct cached *slot, const UChar *word, int32_t length)
{
	return slot->word_length == length && !memcmp(slot->word, word, sizeof(UChar) * (size_t)length);
}

/* Keeps forms in slot when they fit. */
static void cache_keep(struct cached *slot, const UChar *word, int32_t length,
                       const struct bx_word_forms *forms)
{
	size_t used = 0;
	for (int f = 0; f < forms->n_forms; f++)
		used += (size_t)forms->length[f] + 1;
	if (used > CACHE_TEXT_MAX || forms->skipped > UINT8_MAX) {
		slot->word_length = 0;
		return;
	}
	memcpy(slot->word, word, sizeof(UChar) * (size_t)length);
	slot->word_length = (uint8_t)length;
	slot->n_forms = (uint8_t)forms->n_forms;
	slot->skipped = (uint8_t)forms->skipped;
	char *at = slot->text;
	for (int f = 0; f < forms->n_forms; f++) {
		memcpy(at, forms->text[f], (size_t)forms->length[f] + 1);
		slot->length[f] = (uint8_t)forms->length[f];
		at += forms->length[f] + 1;
	}
}

/* The forms kept in slot, which stay valid until the next call on the analyzer. */
static void cache_give(const struct cached *slot, struct bx_word_forms *forms)
{
	forms->n_forms = slot->n_forms;
	forms->skipped = slot->skipped;
	const char *at = slot->text;
	for (int f = 0; f < slot->n_forms; f++) {
		forms->text[f] = at;
		forms->length[f] = slot->length[f];
		at += slot->length[f] + 1;
	}
}

static int analyze(struct bx_analyzer *a, const UChar *word, int32_t length, struct bx_word_forms *forms);

int bx_analyze_word(struct bx_analyzer *a, const UChar *word, int32_t length, struct bx_word_forms *forms)
{
	struct cached *slot = cache_slot(a, word, length);
	if (slot && length > 0 && cache_holds(slot, word, length)) {
		cache_give(slot, forms);
		return 0;
	}
	int rc = analyze(a, word, length, forms);
	if (!rc && slot && length > 0)
		cache_keep(slot, word, length, forms);
	return rc;
}

static int analyze(struct bx_analyzer *a, const UChar *word, int32_t length, struct bx_word_forms *forms)
{
	forms->n_forms = 0;
	forms->skipped = 0;
	if (length > BX_WORD_SCAN_MAX) {
		length = BX_WORD_SCAN_MAX;
		if (U16_IS_LEAD(word[length - 1]))
			length--;
	}
	int rc = fold_case(a, word, length);
	if (rc)
		return rc;
	map_characters(&a->word);
	UScriptCode script = script_of(&a->word);
	if (script == USCRIPT_LATIN)
		strip_elision(&a->word, word, length, &forms->skipped);
	if (a->word.length == 0)
		return 0;
	int slot = stemmer_slot(a, script);
	if (slot < 0) {
		if ((rc = finish(a, &a->word)))
			return rc;
		add_form(a, &a->word, forms);
		return 0;
	}
	/* Russian: ё and stress accents go before stemming, which does not need them. */
	if (slot == STEM_CYRILLIC && (rc = finish(a, &a->word)))
		return rc;
	if (slot == STEM_ARABIC)
		strip_conjunction(&a->word);
	/* The stem of the word as written: Snowball's French and Spanish rules read the
	 * accents (conservación → conserv), its Arabic rules the taa marbuta (الغابة → غاب). */
	if ((rc = stem(a, (enum stemmer_slot)slot, &a->word, &a->work)) || (rc = finish(a, &a->work)))
		return rc;
	add_form(a, &a->work, forms);
	if (slot == STEM_CYRILLIC || !has_foldable(&a->word))
		return 0;
	/* The stem of the word as typed without them (conservacion, الغابه), when different. */
	if ((rc = finish(a, &a->word)) || (rc = stem(a, (enum stemmer_slot)slot, &a->word, &a->work)) ||
	    (rc = finish(a, &a->work)))
		return rc;
	add_form(a, &a->work, forms);
	return 0;
}

/* Copies the primary subtag of a BCP 47 tag ("zh" of "zh-Hans") into locale, lowercased,
 * when it is two or three ASCII letters; otherwise locale is "". */
static void primary_subtag(const char *language, char locale[4])
{
	locale[0] = '\0';
	if (!language)
		return;
	size_t n = 0;
	while (language[n] && language[n] != '-' && language[n] != '_')
		n++;
	if (n < 2 || n > 3)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = language[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + ('a' - 'A'));
		if (c < 'a' || c > 'z') {
			locale[0] = '\0';
			return;
		}
		locale[i] = c;
	}
	locale[n] = '\0';
}

int bx_analyzer_new(const char *language, struct bx_analyzer **out)
{
	*out = NULL;
	struct bx_analyzer *a = calloc(1, sizeof *a);
	if (!a)
		return BX_ENOMEM;
	UErrorCode status = U_ZERO_ERROR;
	a->casefold = unorm2_getNFKCCasefoldInstance(&status);
	a->decompose = unorm2_getNFDInstance(&status);
	a->compose = unorm2_getNFCInstance(&status);
	if (U_FAILURE(status)) {
		free(a);
		return BX_EIO;
	}
	primary_subtag(language, a->locale);
	for (size_t i = 0; i < sizeof latin_stemmers / sizeof latin_stemmers[0]; i++)
		if (!strcmp(a->locale, latin_stemmers[i].tag))
			a->algorithms[STEM_LATIN] = latin_stemmers[i].algorithm;
	a->algorithms[STEM_CYRILLIC] = "russian";
	a->algorithms[STEM_ARABIC] = "arabic";
	*out = a;
	return 0;
}

void bx_analyzer_free(struct bx_analyzer *a)
{
	if (!a)
		return;
	for (int i = 0; i < N_STEMMERS; i++)
		if (a->stemmers[i])
			sb_stemmer_delete(a->stemmers[i]);
	free(a->word.data);
	free(a->work.data);
	free(a->scratch.data);
	free(a->cache);
	free(a);
}

const char *bx_analyzer_locale(const struct bx_analyzer *a)
{
	return a->locale;
}
