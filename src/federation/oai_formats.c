/* The two metadata formats of the OAI-PMH provider: oai_dc, the Dublin Core view that
 * docs/oai-pmh.md maps field by field, and bioex, the whole record as XML in the
 * namespace of docs/bioex-record.xsd (JSON values as map, array, string, number,
 * boolean and null elements, object keys in a key attribute), which loses nothing but
 * the characters XML 1.0 cannot carry. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/oai_internal.h"
#include "util/json.h"

#define DESCRIPTION_TEXT_MAX 2000   /* bytes of a record's text used when it has no summary */
#define MAX_LANGUAGES 32

/* xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*; other keys get no xml:lang. */
static bool is_xml_language(const char *tag)
{
	size_t part = 0;
	bool first = true;
	for (const char *p = tag;; p++) {
		if (!*p || *p == '-') {
			if (part == 0 || part > 8)
				return false;
			if (!*p)
				return true;
			part = 0;
			first = false;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		           (!first && *p >= '0' && *p <= '9')) {
			part++;
		} else {
			return false;
		}
	}
}

/* The content of a short JSON string without escapes (a language code, a name) into
 * out; false when it does not fit or has escapes. */
static bool short_string(struct bx_oai_json string, char *out, size_t size)
{
	size_t length = bx_oai_json_is_string(string) ? (size_t)(string.end - string.start) - 2 : SIZE_MAX;
	if (length >= size || memchr(string.start + 1, '\\', length))
		return false;
	memcpy(out, string.start + 1, length);
	out[length] = '\0';
	return true;
}

/* <dc:element[ xml:lang="language"]>text</dc:element>; text a JSON string, cut at max
 * bytes. Anything that is not a string is left out. */
static int dc_element(struct bx_buf *out, const char *element, struct bx_oai_json language,
                      struct bx_oai_json text, size_t max)
{
	char tag[36];
	if (!bx_oai_json_is_string(text))
		return 0;
	int rc = bx_buf_puts(out, "<dc:");
	if (!rc)
		rc = bx_buf_puts(out, element);
	if (!rc && short_string(language, tag, sizeof tag) && is_xml_language(tag)) {
		rc = bx_buf_puts(out, " xml:lang=\"");
		if (!rc)
			rc = bx_buf_puts(out, tag);
		if (!rc)
			rc = bx_buf_puts(out, "\"");
	}
	if (!rc)
		rc = bx_buf_puts(out, ">");
	if (!rc)
		rc = bx_oai_xml_json_string(out, text, false, max);
	if (!rc)
		rc = bx_buf_puts(out, "</dc:");
	if (!rc)
		rc = bx_buf_puts(out, element);
	return rc ? rc : bx_buf_puts(out, ">");
}

/* An lstring ({"zh": "...", ...}) as one element per language; a plain string as one
 * element without a language; a list as one element per string. */
static int dc_text(struct bx_buf *out, const char *element, struct bx_oai_json value, size_t max)
{
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, text;
	if (bx_oai_json_is_string(value))
		return dc_element(out, element, (struct bx_oai_json){0}, value, max);
	bx_oai_json_walk(value, &walk);
	int rc;
	while ((rc = bx_oai_json_next(&walk, &key, &text)) == 1)
		if ((rc = dc_element(out, element, key, text, max)))
			break;
	return rc;
}

/* The languages of the record's texts (title, summary, text), each once. */
static int dc_languages(struct bx_buf *out, const struct bx_oai_json *lstrings, size_t n_lstrings)
{
	struct bx_oai_json seen[MAX_LANGUAGES];
	size_t n_seen = 0;
	int rc = 0;
	for (size_t i = 0; i < n_lstrings && !rc; i++) {
		struct bx_oai_json_walk walk;
		struct bx_oai_json language, text;
		bx_oai_json_walk(lstrings[i], &walk);
		while (!rc && (rc = bx_oai_json_next(&walk, &language, &text)) == 1) {
			rc = 0;
			if (!language.start)   /* an item of a list, not a language */
				continue;
			bool known = false;
			size_t length = (size_t)(language.end - language.start);
			for (size_t j = 0; j < n_seen && !known; j++)
				known = (size_t)(seen[j].end - seen[j].start) == length &&
				        !memcmp(seen[j].start, language.start, length);
			if (known || n_seen == MAX_LANGUAGES)
				continue;
			seen[n_seen++] = language;
			rc = dc_element(out, "language", (struct bx_oai_json){0}, language, SIZE_MAX);
		}
	}
	return rc;
}

/* The record's members that the Dublin Core view reads, found in one walk. */
enum dc_member { ID, TYPE, TITLE, SUMMARY, TEXT, CONVENTIONS, COUNTRIES, TARGETS, SUBJECTS,
                 DATE, LINKS, FIELDS, N_MEMBERS };

static int dc_members(struct bx_oai_json record, struct bx_oai_json *members)
{
	static const char *const names[N_MEMBERS] = {
		"id", "type", "title", "summary", "text", "conventions", "countries", "targets",
		"subjects", "date", "links", "fields",
	};
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, value;
	int rc;
	memset(members, 0, N_MEMBERS * sizeof *members);
	bx_oai_json_walk(record, &walk);
	while ((rc = bx_oai_json_next(&walk, &key, &value)) == 1)
		for (int i = 0; i < N_MEMBERS; i++)
			if (bx_oai_json_equals(key, names[i]))
				members[i] = value;
	return rc;
}

static int write_dc(struct bx_buf *out, struct bx_oai_json record, const char *base)
{
	struct bx_oai_json members[N_MEMBERS];
	/* Who made the record's content: an expert or a focal point by name, the requester
	 * or provider of a capacity need or offer. */
	static const char *const creators[][2] = {
		{"name", NULL}, {"person", "name"}, {"requester", "name"}, {"provider", "name"},
	};
	int rc = dc_members(record, members);
	if (!rc)
		rc = bx_buf_puts(out, "<oai_dc:dc xmlns:oai_dc=\"" BX_OAI_DC_NAMESPACE "\""
		                 " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xsi:schemaLocation=\""
		                 BX_OAI_DC_NAMESPACE " " BX_OAI_DC_SCHEMA "\">");
	if (!rc)
		rc = dc_text(out, "title", members[TITLE], SIZE_MAX);
	for (size_t i = 0; i < sizeof creators / sizeof creators[0] && !rc; i++) {
		struct bx_oai_json creator = bx_oai_json_get(members[FIELDS], creators[i][0]);
		if (creators[i][1])
			creator = bx_oai_json_get(creator, creators[i][1]);
		rc = dc_text(out, "creator", creator, SIZE_MAX);
	}
	for (int i = TARGETS; i <= SUBJECTS && !rc; i++)
		rc = dc_text(out, "subject", members[i], SIZE_MAX);
	if (!rc)
		rc = dc_text(out, "subject", members[CONVENTIONS], SIZE_MAX);
	if (!rc)
		rc = members[SUMMARY].start ? dc_text(out, "description", members[SUMMARY], SIZE_MAX)
		                            : dc_text(out, "description", members[TEXT], DESCRIPTION_TEXT_MAX);
	if (!rc)
		rc = dc_element(out, "publisher", (struct bx_oai_json){0},
		                bx_oai_json_get(members[FIELDS], "body"), SIZE_MAX);
	if (!rc)
		rc = dc_element(out, "date", (struct bx_oai_json){0}, members[DATE], SIZE_MAX);
	if (!rc)
		rc = dc_element(out, "type", (struct bx_oai_json){0}, members[TYPE], SIZE_MAX);
	if (!rc && bx_oai_json_is_string(members[ID])) {
		rc = bx_buf_puts(out, "<dc:identifier>");
		if (!rc)
			rc = bx_oai_xml_puts(out, base);
		if (!rc)
			rc = bx_buf_puts(out, "/api/v1/records/");
		if (!rc)
			rc = bx_oai_xml_json_string(out, members[ID], false, SIZE_MAX);
		if (!rc)
			rc = bx_buf_puts(out, "</dc:identifier>");
	}
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, link;
	bx_oai_json_walk(members[LINKS], &walk);
	while (!rc && (rc = bx_oai_json_next(&walk, &key, &link)) == 1)
		rc = dc_element(out, "identifier", (struct bx_oai_json){0}, bx_oai_json_get(link, "url"), SIZE_MAX);
	if (!rc)
		rc = dc_languages(out, members + TITLE, 3);
	if (!rc)
		rc = dc_text(out, "coverage", members[COUNTRIES], SIZE_MAX);
	return rc ? rc : bx_buf_puts(out, "</oai_dc:dc>");
}

/* One JSON value as an element of the bioex format; key (a JSON string) for the members
 * of a map. Numbers are copied as written, so nothing is lost. */
static int write_value(struct bx_buf *out, struct bx_oai_json key, struct bx_oai_json value, int depth)
{
	static const struct {
		const char *open, *close;
	} map = {"<map", "</map>"}, array = {"<array", "</array>"}, string = {"<string", "</string>"},
	  boolean = {"<boolean", "</boolean>"}, null = {"<null", NULL}, number = {"<number", "</number>"};
	const char *open, *close;
	switch (*value.start) {
	case '{': open = map.open, close = map.close; break;
	case '[': open = array.open, close = array.close; break;
	case '"': open = string.open, close = string.close; break;
	case 't': case 'f': open = boolean.open, close = boolean.close; break;
	case 'n': open = null.open, close = null.close; break;
	default: open = number.open, close = number.close; break;
	}
	if (depth > BX_JSON_MAX_DEPTH)
		return BX_EINVAL;
	int rc = bx_buf_puts(out, open);
	if (!rc && key.start) {
		rc = bx_buf_puts(out, " key=\"");
		if (!rc)
			rc = bx_oai_xml_json_string(out, key, true, SIZE_MAX);
		if (!rc)
			rc = bx_buf_puts(out, "\"");
	}
	if (!rc)
		rc = bx_buf_puts(out, close ? ">" : "/>");
	if (rc || !close)
		return rc;
	if (*value.start == '{' || *value.start == '[') {
		struct bx_oai_json_walk walk;
		struct bx_oai_json member_key, member;
		bx_oai_json_walk(value, &walk);
		while ((rc = bx_oai_json_next(&walk, &member_key, &member)) == 1)
			if ((rc = write_value(out, member_key, member, depth + 1)))
				break;
	} else if (*value.start == '"') {
		rc = bx_oai_xml_json_string(out, value, false, SIZE_MAX);
	} else {
		rc = bx_oai_xml_text(out, value.start, (size_t)(value.end - value.start));
	}
	return rc ? rc : bx_buf_puts(out, close);
}

static int write_bioex(struct bx_buf *out, struct bx_oai_json record, const char *base)
{
	if (!record.start || *record.start != '{')
		return BX_EINVAL;
	int rc = bx_buf_puts(out, "<record xmlns=\"" BX_OAI_RECORD_NAMESPACE "\" xsi:schemaLocation=\""
	                     BX_OAI_RECORD_NAMESPACE " ");
	if (!rc)
		rc = bx_oai_xml_attr(out, base, strlen(base));
	if (!rc)
		rc = bx_buf_puts(out, BX_OAI_RECORD_SCHEMA_PATH "\">");
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, value;
	bx_oai_json_walk(record, &walk);
	while (!rc && (rc = bx_oai_json_next(&walk, &key, &value)) == 1)
		rc = write_value(out, key, value, 1);
	return rc ? rc : bx_buf_puts(out, "</record>");
}

int bx_oai_write_metadata(struct bx_buf *out, struct bx_oai_json record, enum bx_oai_format format,
                          const char *base)
{
	int rc = bx_buf_puts(out, "<metadata>");
	if (!rc)
		rc = format == BX_OAI_DC ? write_dc(out, record, base) : write_bioex(out, record, base);
	return rc ? rc : bx_buf_puts(out, "</metadata>");
}
