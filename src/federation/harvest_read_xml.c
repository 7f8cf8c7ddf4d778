/* The OAI-PMH response reader (see harvest_read.h). libxml2's xmlReader streams through
 * the response once; the parser never loads a DTD, never expands entities (no
 * XML_PARSE_NOENT) and never goes to the network. The reader knows the elements it keeps
 * by their depth and parent: OAI-PMH / verb / record / header or metadata / oai_dc:dc /
 * dc:element. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include "federation/harvest_read.h"

#define OAI_NS "http://www.openarchives.org/OAI/2.0/"
#define OAI_DC_NS "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define MAX_DEPTH 8

struct reading {
	xmlTextReaderPtr reader;
	struct bx_oai_response *response;
	char path[MAX_DEPTH][32];     /* the local names of the open elements, by depth */
	char problem[256];            /* the first thing wrong with the response */
	bool out_of_memory;
};

static void on_parse_error(void *context, xmlErrorPtr error)
{
	struct reading *reading = context;
	if (reading->problem[0] || !error)
		return;
	snprintf(reading->problem, sizeof reading->problem, "not well-formed XML (line %d): %s",
	         error->line, error->message ? error->message : "?");
	reading->problem[strcspn(reading->problem, "\n")] = '\0';
}

/* The element's text, trimmed (malloc'ed); NULL when over BX_OAI_MAX_TEXT. */
static char *element_text(struct reading *reading)
{
	xmlChar *raw = xmlTextReaderReadString(reading->reader);
	const char *text = raw ? (const char *)raw : "";
	while (isspace((unsigned char)*text))
		text++;
	size_t length = strlen(text);
	while (length && isspace((unsigned char)text[length - 1]))
		length--;
	char *copy = length <= BX_OAI_MAX_TEXT ? strndup(text, length) : NULL;
	if (length <= BX_OAI_MAX_TEXT && !copy)
		reading->out_of_memory = true;
	xmlFree(raw);
	return copy;
}

static const char *attribute(struct reading *reading, const char *name, char *out, size_t size)
{
	xmlChar *value = xmlTextReaderGetAttribute(reading->reader, (const xmlChar *)name);
	snprintf(out, size, "%s", value ? (const char *)value : "");
	xmlFree(value);
	return out;
}

/* Keeps the first value of a single-valued element. */
static void keep_first(struct reading *reading, char **slot)
{
	if (!*slot)
		*slot = element_text(reading);
}

/* Makes room for one more value: 4, then doubling up to BX_OAI_MAX_VALUES. */
static bool grow_values(struct bx_oai_values *values)
{
	size_t n = values->n;
	if (n && (n < 4 || (n & (n - 1))))
		return true;
	size_t capacity = n ? 2 * n : 4;
	if (capacity > BX_OAI_MAX_VALUES)
		capacity = BX_OAI_MAX_VALUES;
	struct bx_oai_value *grown = realloc(values->items, capacity * sizeof *grown);
	if (!grown)
		return false;
	values->items = grown;
	return true;
}

static void add_value(struct reading *reading, struct bx_oai_values *values)
{
	if (values->n == BX_OAI_MAX_VALUES)
		return;
	char *text = element_text(reading);
	if (!text || !*text) {
		free(text);
		return;
	}
	if (!grow_values(values)) {
		free(text);
		reading->out_of_memory = true;
		return;
	}
	const xmlChar *language = xmlTextReaderConstXmlLang(reading->reader);
	struct bx_oai_value *value = &values->items[values->n++];
	value->text = text;
	value->language = language && *language ? strdup((const char *)language) : NULL;
}

static struct bx_oai_record *current_record(struct reading *reading)
{
	struct bx_oai_response *response = reading->response;
	return response->n_records ? &response->records[response->n_records - 1] : NULL;
}

static void start_record(struct reading *reading)
{
	struct bx_oai_response *response = reading->response;
	if (response->n_records == BX_OAI_MAX_RECORDS) {
		snprintf(reading->problem, sizeof reading->problem, "more than %d records in one response",
		         BX_OAI_MAX_RECORDS);
		return;
	}
	if (!response->records && !(response->records = calloc(64, sizeof *response->records))) {
		reading->out_of_memory = true;
		return;
	}
	size_t n = response->n_records;
	if (n >= 64 && (n & (n - 1)) == 0) {   /* full at a power of two: double */
		struct bx_oai_record *grown = realloc(response->records, 2 * n * sizeof *grown);
		if (!grown) {
			reading->out_of_memory = true;
			return;
		}
		response->records = grown;
	}
	memset(&response->records[n], 0, sizeof response->records[n]);
	response->n_records++;
}

static void read_dc_element(struct reading *reading, struct bx_oai_record *record, const char *name)
{
	static const char *const names[] = {"title", "description", "date", "language", "subject",
	                                    "identifier", "type"};
	struct bx_oai_values *lists[] = {&record->title, &record->description, &record->date,
	                                 &record->language, &record->subject, &record->identifiers,
	                                 &record->type};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			add_value(reading, lists[i]);
}

static void read_header_element(struct reading *reading, struct bx_oai_record *record, const char *name)
{
	if (!strcmp(name, "identifier"))
		keep_first(reading, &record->identifier);
	else if (!strcmp(name, "datestamp"))
		keep_first(reading, &record->datestamp);
	else if (!strcmp(name, "setSpec"))
		add_value(reading, &record->sets);
}

/* An element of the OAI-PMH namespace directly under the root. */
static void read_top_element(struct reading *reading, const char *name)
{
	struct bx_oai_response *response = reading->response;
	char code[64];
	if (!strcmp(name, "responseDate")) {
		keep_first(reading, &response->response_date);
	} else if (!strcmp(name, "error")) {
		if (!response->error_code) {
			response->error_code = strdup(attribute(reading, "code", code, sizeof code));
			response->error_message = element_text(reading);
		}
	} else if (strcmp(name, "request") && !response->verb[0]) {
		snprintf(response->verb, sizeof response->verb, "%s", name);
	}
}

static void read_element(struct reading *reading, int depth, const char *name, const char *ns)
{
	struct bx_oai_response *response = reading->response;
	char (*path)[32] = reading->path;
	bool oai = !strcmp(ns, OAI_NS);
	if (depth == 0) {
		if (!oai || strcmp(name, "OAI-PMH"))
			snprintf(reading->problem, sizeof reading->problem,
			         "not an OAI-PMH response (the root element is <%.40s>)", name);
	} else if (depth == 1 && oai) {
		read_top_element(reading, name);
	} else if (depth == 2 && oai && !strcmp(name, "record")) {
		start_record(reading);
	} else if (depth == 2 && oai && !strcmp(name, "resumptionToken")) {
		keep_first(reading, &response->resumption_token);
	} else if (depth == 2 && oai && !strcmp(name, "granularity") && !strcmp(path[1], "Identify")) {
		keep_first(reading, &response->granularity);
	} else if (depth == 3 && oai && !strcmp(name, "header") && current_record(reading)) {
		char status[32];
		current_record(reading)->deleted = !strcmp(attribute(reading, "status", status, sizeof status),
		                                           "deleted");
	} else if (depth == 4 && oai && !strcmp(path[3], "header") && current_record(reading)) {
		read_header_element(reading, current_record(reading), name);
	} else if (depth == 5 && !strcmp(ns, DC_NS) && !strcmp(path[3], "metadata") &&
	           !strcmp(path[4], "dc") && current_record(reading)) {
		read_dc_element(reading, current_record(reading), name);
	}
}

/* Sets path[depth] for an element; the dc container is remembered only in its namespace. */
static void enter(struct reading *reading, int depth, const char *name, const char *ns)
{
	if (depth >= MAX_DEPTH)
		return;
	bool is_dc = !strcmp(name, "dc") && !strcmp(ns, OAI_DC_NS);
	snprintf(reading->path[depth], sizeof reading->path[depth], "%s",
	         !strcmp(name, "dc") && !is_dc ? "" : name);
}

static void init_libxml(void)
{
	xmlInitParser();
}

int bx_oai_response_read(const char *xml, size_t length, struct bx_oai_response *response,
                         char *message, size_t message_size)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_libxml);
	memset(response, 0, sizeof *response);
	if (length > (size_t)INT32_MAX) {
		snprintf(message, message_size, "the response is too large");
		return BX_EINVAL;
	}
	struct reading reading = {.response = response};
	reading.reader = xmlReaderForMemory(xml, (int)length, NULL, NULL,
	                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!reading.reader) {
		snprintf(message, message_size, "cannot read the response as XML");
		return BX_EINVAL;
	}
	xmlTextReaderSetStructuredErrorHandler(reading.reader, on_parse_error, &reading);
	int step;
	bool seen_root = false;
	while (!reading.problem[0] && !reading.out_of_memory &&
	       (step = xmlTextReaderRead(reading.reader)) == 1) {
		if (xmlTextReaderNodeType(reading.reader) != XML_READER_TYPE_ELEMENT)
			continue;
		int depth = xmlTextReaderDepth(reading.reader);
		const char *name = (const char *)xmlTextReaderConstLocalName(reading.reader);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(reading.reader);
		seen_root = true;
		enter(&reading, depth, name ? name : "", ns ? ns : "");
		read_element(&reading, depth, name ? name : "", ns ? ns : "");
	}
	if (!reading.problem[0] && !seen_root)
		snprintf(reading.problem, sizeof reading.problem, "not an OAI-PMH response (no XML element)");
	if (!reading.problem[0] && !response->verb[0] && !response->error_code)
		snprintf(reading.problem, sizeof reading.problem, "an OAI-PMH response without a verb or error");
	xmlFreeTextReader(reading.reader);
	if (reading.out_of_memory || reading.problem[0]) {
		snprintf(message, message_size, "%s", reading.out_of_memory ? "out of memory" : reading.problem);
		bx_oai_response_free(response);
		return reading.out_of_memory ? BX_ENOMEM : BX_EINVAL;
	}
	return 0;
}

static void free_values(struct bx_oai_values *values)
{
	for (size_t i = 0; i < values->n; i++) {
		free(values->items[i].text);
		free(values->items[i].language);
	}
	free(values->items);
}

void bx_oai_response_free(struct bx_oai_response *response)
{
	for (size_t i = 0; i < response->n_records; i++) {
		struct bx_oai_record *record = &response->records[i];
		free(record->identifier);
		free(record->datestamp);
		struct bx_oai_values *lists[] = {&record->sets, &record->title, &record->description,
		                                 &record->date, &record->language, &record->subject,
		                                 &record->identifiers, &record->type};
		for (size_t j = 0; j < sizeof lists / sizeof lists[0]; j++)
			free_values(lists[j]);
	}
	free(response->records);
	free(response->response_date);
	free(response->error_code);
	free(response->error_message);
	free(response->granularity);
	free(response->resumption_token);
	memset(response, 0, sizeof *response);
}
