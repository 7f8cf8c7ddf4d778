/* XML text for the OAI-PMH answers (see oai_internal.h): escaping that never lets a
 * character XML 1.0 forbids through, record headers, and set membership. Written by
 * hand into one buffer rather than through a DOM, because ListRecords pages are large
 * and this is their hot loop. */
#include <stdio.h>
#include <string.h>
#include "federation/oai_internal.h"
#include "util/timeutil.h"

/* The length of the UTF-8 sequence at p that XML 1.0 allows (1 to 4), or 0 when the
 * bytes are not UTF-8 (overlong, surrogate, past U+10FFFF, cut short) or encode
 * U+FFFE or U+FFFF, which XML forbids. p[0] is at least 0x80. */
static size_t xml_sequence_length(const unsigned char *p, const unsigned char *end)
{
	unsigned char lead = p[0];
	size_t n;
	unsigned char low = 0x80, high = 0xBF;   /* the range of the second byte */
	if (lead >= 0xC2 && lead <= 0xDF)
		n = 2;
	else if (lead >= 0xE0 && lead <= 0xEF)
		n = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
	else if (lead >= 0xF0 && lead <= 0xF4)
		n = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if ((size_t)(end - p) < n || p[1] < low || p[1] > high)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (lead == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
		return 0;
	return n;
}

/* What an ASCII byte becomes: NULL when it stays as it is, "" when dropped. */
static const char *ascii_replacement(unsigned char c, bool attribute)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return attribute ? "&quot;" : NULL;
	/* Attribute-value normalization would turn these into spaces, and a parser reads a
	 * bare CR as LF: character references keep them. */
	case '\t': return attribute ? "&#9;" : NULL;
	case '\n': return attribute ? "&#10;" : NULL;
	case '\r': return "&#13;";
	default: return c < 0x20 ? "" : NULL;
	}
}

/* Bytes the escaping loop must look at: controls, markup, quotes, and non-ASCII. */
static const bool special[256] = {
	[0 ... 0x1F] = true, ['&'] = true, ['<'] = true, ['>'] = true, ['"'] = true,
	[0x80 ... 0xFF] = true,
};

static int escape(struct bx_buf *out, const char *text, size_t length, bool attribute)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + length, *run = p;
	int rc = 0;
	while (p < end) {
		while (p < end && !special[*p])
			p++;
		if (p == end)
			break;
		const char *replacement;
		if (*p >= 0x80) {
			size_t n = xml_sequence_length(p, end);
			if (n) {
				p += n;
				continue;
			}
			replacement = "\xEF\xBF\xBD";
		} else if (!(replacement = ascii_replacement(*p, attribute))) {
			p++;
			continue;
		}
		rc = bx_buf_append(out, run, (size_t)(p - run));
		if (!rc)
			rc = bx_buf_puts(out, replacement);
		if (rc)
			return rc;
		run = ++p;
	}
	return bx_buf_append(out, run, (size_t)(p - run));
}

int bx_oai_xml_text(struct bx_buf *out, const char *text, size_t length)
{
	return escape(out, text, length, false);
}

int bx_oai_xml_attr(struct bx_buf *out, const char *text, size_t length)
{
	return escape(out, text, length, true);
}

int bx_oai_xml_puts(struct bx_buf *out, const char *text)
{
	return escape(out, text, strlen(text), false);
}

/* The set dimensions: a setSpec "type:document" names the record type, the others a
 * value of the record's list under key. The bare name is the parent of its values. */
static const struct {
	const char *name;
	const char *key;   /* NULL: the record's type */
} dimensions[] = {
	{"type", NULL},
	{"instrument", "conventions"},
	{"country", "countries"},
};

/* Does the list hold the string value? */
static bool list_has(struct bx_oai_json list, const char *value)
{
	struct bx_oai_json_walk walk;
	struct bx_oai_json key, item;
	bx_oai_json_walk(list, &walk);
	while (bx_oai_json_next(&walk, &key, &item) == 1)
		if (bx_oai_json_equals(item, value))
			return true;
	return false;
}

bool bx_oai_in_set(const char *set, const struct bx_oai_item *item)
{
	if (!*set)
		return true;
	for (size_t i = 0; i < sizeof dimensions / sizeof dimensions[0]; i++) {
		size_t n = strlen(dimensions[i].name);
		if (strncmp(set, dimensions[i].name, n) || (set[n] && set[n] != ':'))
			continue;
		if (!dimensions[i].key)
			return !set[n] || !strcmp(item->type, set + n + 1);
		struct bx_oai_json values = bx_oai_json_get(item->record, dimensions[i].key), first, key;
		struct bx_oai_json_walk walk;
		bx_oai_json_walk(values, &walk);
		return set[n] ? list_has(values, set + n + 1) : bx_oai_json_next(&walk, &key, &first) == 1;
	}
	return false;
}

static int write_set_spec(struct bx_buf *out, const char *dimension, const char *value, size_t length)
{
	char spec[BX_OAI_SET_MAX + 1];
	int n = snprintf(spec, sizeof spec, "%s:%.*s", dimension, (int)length, value);
	/* Values come from validated records; one that could not be a setSpec is left out. */
	if (n < 0 || (size_t)n >= sizeof spec || !bx_oai_is_unreserved(spec, true))
		return 0;
	int rc = bx_buf_puts(out, "<setSpec>");
	if (!rc)
		rc = bx_buf_append(out, spec, (size_t)n);
	return rc ? rc : bx_buf_puts(out, "</setSpec>");
}

int bx_oai_write_header(struct bx_buf *out, const struct bx_oai_item *item)
{
	char datestamp[BX_TIME_ISO_SIZE];
	bx_time_iso((time_t)item->changed, datestamp);
	int rc = bx_buf_puts(out, item->deleted ? "<header status=\"deleted\"><identifier>"
	                                        : "<header><identifier>");
	if (!rc)
		rc = bx_buf_puts(out, BX_OAI_ID_PREFIX);
	if (!rc)
		rc = bx_oai_xml_puts(out, item->id);
	if (!rc)
		rc = bx_buf_puts(out, "</identifier><datestamp>");
	if (!rc)
		rc = bx_buf_puts(out, datestamp);
	if (!rc)
		rc = bx_buf_puts(out, "</datestamp>");
	if (!rc)
		rc = write_set_spec(out, "type", item->type, strlen(item->type));
	for (size_t i = 1; i < sizeof dimensions / sizeof dimensions[0] && !rc; i++) {
		struct bx_oai_json_walk walk;
		struct bx_oai_json key, value;
		bx_oai_json_walk(bx_oai_json_get(item->record, dimensions[i].key), &walk);
		while (!rc && (rc = bx_oai_json_next(&walk, &key, &value)) == 1)
			rc = bx_oai_json_is_string(value)
			     ? write_set_spec(out, dimensions[i].name, value.start + 1,
			                      (size_t)(value.end - value.start) - 2)
			     : 0;
	}
	return rc ? rc : bx_buf_puts(out, "</header>");
}
