/* oai_dc → envelope (see harvest_map.h). Every value that would make the record invalid
 * is left out rather than kept: a language that is not a language tag falls back to the
 * record's language, a dc:subject that is not a subject term goes into the text, a
 * dc:identifier that is not a web address is not a link. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/validate.h"
#include "federation/harvest_map.h"
#include "util/timeutil.h"

#define LANGUAGE_SIZE 36
#define MAX_LINK_URL 2000

static bool is_local_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

void bx_harvest_oai_id(const char *peer, const char *identifier, char out[BX_RECORD_ID_SIZE])
{
	size_t length = strlen(identifier);
	bool fits = length >= 1 && length <= 100;
	for (size_t i = 0; fits && i < length; i++)
		fits = is_local_char(identifier[i]);
	if (fits) {
		snprintf(out, BX_RECORD_ID_SIZE, "%s:%s", peer, identifier);
		return;
	}
	char local[81];
	size_t n = length < 80 ? length : 80;
	for (size_t i = 0; i < n; i++)
		local[i] = is_local_char(identifier[i]) ? identifier[i] : '-';
	local[n] = '\0';
	unsigned char hash[8];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)identifier, length, NULL, 0);
	char hex[2 * sizeof hash + 1];
	sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
	snprintf(out, BX_RECORD_ID_SIZE, "%s:%s.%s", peer, local, hex);
}

/* A language as lstrings key it: the tag itself, lower-cased when that makes it valid,
 * the two-letter code of the six languages' ISO 639-2 codes, else fallback. */
static void language_of(const char *given, const char *fallback, char out[LANGUAGE_SIZE])
{
	static const char *const iso639_2[][2] = {{"ara", "ar"}, {"chi", "zh"}, {"zho", "zh"},
	                                          {"eng", "en"}, {"fre", "fr"}, {"fra", "fr"},
	                                          {"rus", "ru"}, {"spa", "es"}};
	snprintf(out, LANGUAGE_SIZE, "%s", given && strlen(given) < LANGUAGE_SIZE ? given : "");
	for (size_t i = 0; i < sizeof iso639_2 / sizeof iso639_2[0]; i++)
		if (!strcasecmp(out, iso639_2[i][0]))
			snprintf(out, LANGUAGE_SIZE, "%s", iso639_2[i][1]);
	if (!bx_is_language_tag(out))   /* "ZH-cn": the primary subtag lower-cased */
		for (char *c = out; *c && *c != '-'; c++)
			*c = (char)tolower((unsigned char)*c);
	if (!bx_is_language_tag(out))
		snprintf(out, LANGUAGE_SIZE, "%s", fallback);
}

/* The record's language: its first dc:language that is one, else "und" (undetermined). */
static void record_language(const struct bx_oai_record *record, char out[LANGUAGE_SIZE])
{
	snprintf(out, LANGUAGE_SIZE, "und");
	for (size_t i = 0; i < record->language.n; i++) {
		char language[LANGUAGE_SIZE];
		language_of(record->language.items[i].text, "", language);
		if (language[0]) {
			snprintf(out, LANGUAGE_SIZE, "%s", language);
			return;
		}
	}
}

/* Appends text to lstring[language], after a blank line, unless that passes the limit. */
static void append_text(json_t *lstring, const char *language, const char *text)
{
	const char *before = json_string_value(json_object_get(lstring, language));
	size_t n_before = before ? strlen(before) : 0, n_text = strlen(text);
	if (n_before + 2 + n_text > BX_MAX_LSTRING)
		return;
	char *joined = malloc(n_before + 2 + n_text + 1);
	if (!joined)
		return;
	if (before) {
		memcpy(joined, before, n_before);
		memcpy(joined + n_before, "\n\n", 2);
		n_before += 2;
	}
	memcpy(joined + n_before, text, n_text + 1);
	json_object_set_new(lstring, language, json_string(joined));
	free(joined);
}

/* Maps values onto lstrings: the first of each language into first, the others (when
 * rest is not NULL) appended to rest. */
static void map_texts(const struct bx_oai_values *values, const char *fallback, json_t *first,
                      json_t *rest)
{
	for (size_t i = 0; i < values->n; i++) {
		char language[LANGUAGE_SIZE];
		language_of(values->items[i].language, fallback, language);
		if (!json_object_get(first, language))
			json_object_set_new(first, language, json_string(values->items[i].text));
		else if (rest)
			append_text(rest, language, values->items[i].text);
	}
}

/* Can records of type be harvested from Dublin Core, which has no fields for it? */
static bool usable_type(const struct bx_catalog *catalog, const char *type)
{
	const json_t *format = bx_catalog_format(catalog, type);
	return format && json_array_size(json_object_get(format, "required")) == 0;
}

static const char *type_of(const struct bx_catalog *catalog, const struct bx_oai_record *record)
{
	for (size_t i = 0; i < record->sets.n; i++) {
		const char *set = record->sets.items[i].text;
		if (!strncmp(set, "type:", 5) && usable_type(catalog, set + 5))
			return set + 5;
	}
	for (size_t i = 0; i < record->type.n; i++)
		if (usable_type(catalog, record->type.items[i].text))
			return record->type.items[i].text;
	return "document";
}

/* Adds value to the list key of record when it is a term of vocabulary. */
static void add_term(const struct bx_catalog *catalog, json_t *record, const char *key,
                     const char *vocabulary, const char *value)
{
	if (!bx_catalog_has_term(catalog, vocabulary, value))
		return;
	json_t *list = json_object_get(record, key);
	if (!list)
		json_object_set_new(record, key, list = json_array());
	if (json_array_size(list) < BX_MAX_LIST)
		json_array_append_new(list, json_string(value));
}

static void map_sets(const struct bx_catalog *catalog, const struct bx_oai_record *record, json_t *out)
{
	for (size_t i = 0; i < record->sets.n; i++) {
		const char *set = record->sets.items[i].text;
		if (!strncmp(set, "instrument:", 11))
			add_term(catalog, out, "conventions", "instruments", set + 11);
		else if (!strncmp(set, "country:", 8))
			add_term(catalog, out, "countries", "countries", set + 8);
	}
}

static void map_subjects(const struct bx_catalog *catalog, const struct bx_oai_record *record,
                         const char *fallback, json_t *out, json_t *text)
{
	for (size_t i = 0; i < record->subject.n; i++) {
		const struct bx_oai_value *subject = &record->subject.items[i];
		if (bx_catalog_has_term(catalog, "subjects", subject->text)) {
			add_term(catalog, out, "subjects", "subjects", subject->text);
		} else {
			char language[LANGUAGE_SIZE];
			language_of(subject->language, fallback, language);
			append_text(text, language, subject->text);
		}
	}
}

static void map_date(const struct bx_oai_record *record, json_t *out)
{
	for (size_t i = 0; i < record->date.n; i++) {
		char date[11];
		snprintf(date, sizeof date, "%s", record->date.items[i].text);
		if (bx_is_date(date)) {
			json_object_set_new(out, "date", json_string(date));
			return;
		}
	}
}

static void map_links(const struct bx_oai_record *record, json_t *out)
{
	json_t *links = json_array();
	for (size_t i = 0; i < record->identifiers.n && json_array_size(links) < BX_MAX_LIST; i++) {
		const char *url = record->identifiers.items[i].text;
		if (strlen(url) <= MAX_LINK_URL && bx_is_http_url(url))
			json_array_append_new(links, json_pack("{s:s}", "url", url));
	}
	if (json_array_size(links))
		json_object_set_new(out, "links", links);
	else
		json_decref(links);
}

/* Sets lstring key of out when it has a text. */
static void set_lstring(json_t *out, const char *key, json_t *lstring)
{
	if (json_object_size(lstring))
		json_object_set_new(out, key, lstring);
	else
		json_decref(lstring);
}

json_t *bx_harvest_map_oai_dc(const struct bx_catalog *catalog, const char *peer,
                              const struct bx_oai_record *record)
{
	char id[BX_RECORD_ID_SIZE], language[LANGUAGE_SIZE];
	bx_harvest_oai_id(peer, record->identifier ? record->identifier : "", id);
	record_language(record, language);
	json_t *out = json_pack("{s:s, s:s, s:s}", "id", id, "type", type_of(catalog, record),
	                        "status", "published");
	json_t *title = json_object(), *summary = json_object(), *text = json_object();
	if (!out || !title || !summary || !text) {
		json_decref(out);
		json_decref(title);
		json_decref(summary);
		json_decref(text);
		return NULL;
	}
	map_texts(&record->title, language, title, NULL);
	if (!json_object_size(title))
		json_object_set_new(title, language, json_string(record->identifier ? record->identifier : id));
	map_texts(&record->description, language, summary, text);
	map_subjects(catalog, record, language, out, text);
	json_object_set_new(out, "title", title);
	set_lstring(out, "summary", summary);
	set_lstring(out, "text", text);
	map_sets(catalog, record, out);
	map_date(record, out);
	map_links(record, out);
	return out;
}
