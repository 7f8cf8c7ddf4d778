/* The OAI-PMH provider's answers (see oai.h): the envelope every response shares, the
 * verbs that answer in one piece (Identify, ListMetadataFormats, ListSets, GetRecord),
 * and the protocol errors. The list verbs are in oai_list.c, the formats in
 * oai_formats.c, the arguments in oai_args.c, the tokens in oai_token.c. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/validate.h"
#include "federation/oai_internal.h"
#include "records/records.h"
#include "util/timeutil.h"

#define HOST_MAX 255
#define SET_VOCABULARY_MAX 1000   /* terms listed as sets per vocabulary */

const struct bx_principal bx_oai_public = {.role = BX_ROLE_ANONYMOUS};

static const char *const error_codes[] = {
	[BX_OAI_BAD_VERB] = "badVerb", [BX_OAI_BAD_ARGUMENT] = "badArgument",
	[BX_OAI_BAD_RESUMPTION_TOKEN] = "badResumptionToken",
	[BX_OAI_CANNOT_DISSEMINATE_FORMAT] = "cannotDisseminateFormat",
	[BX_OAI_ID_DOES_NOT_EXIST] = "idDoesNotExist", [BX_OAI_NO_RECORDS_MATCH] = "noRecordsMatch",
	[BX_OAI_NO_METADATA_FORMATS] = "noMetadataFormats",
	[BX_OAI_NO_SET_HIERARCHY] = "noSetHierarchy",
};

/* "http://HOST" from the Host header when it holds only host[:port] characters. */
static void base_url(const char *host, char *out, size_t size)
{
	size_t length = host ? strlen(host) : 0;
	bool good = length > 0 && length <= HOST_MAX &&
	            strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == length;
	snprintf(out, size, "http://%s", good ? host : "127.0.0.1");
}

/* Characters an identifier may have to be repeated in the request element as an
 * xs:anyURI: printable ASCII that URIs allow. */
static bool is_uri_text(const char *text)
{
	for (const char *p = text; *p; p++)
		if (*p <= ' ' || *p > '~' || strchr("<>\"{}|\\^`", *p))
			return false;
	return *text != '\0';
}

/* <request> repeats the arguments, except after badVerb and badArgument, when the
 * protocol wants the base URL alone. */
static int write_request(struct bx_buf *out, const struct bx_oai_args *args, enum bx_oai_error error,
                         const char *base)
{
	int rc = bx_buf_puts(out, "<request");
	bool repeat = error != BX_OAI_BAD_VERB && error != BX_OAI_BAD_ARGUMENT;
	for (int i = 0; i < BX_OAI_N_ARGS && repeat && !rc; i++) {
		const char *value = args->values[i];
		if (!value || (i == BX_OAI_ARG_IDENTIFIER && !is_uri_text(value)))
			continue;
		rc = bx_buf_printf(out, " %s=\"", bx_oai_argument_name((enum bx_oai_argument)i));
		if (!rc)
			rc = bx_oai_xml_attr(out, value, strlen(value));
		if (!rc)
			rc = bx_buf_puts(out, "\"");
	}
	if (!rc)
		rc = bx_buf_puts(out, ">");
	if (!rc)
		rc = bx_oai_xml_puts(out, base);
	return rc ? rc : bx_buf_puts(out, "/oai</request>");
}

static int write_head(struct bx_buf *out, int64_t now, const struct bx_oai_args *args,
                      enum bx_oai_error error, const char *base)
{
	char date[BX_TIME_ISO_SIZE];
	bx_time_iso((time_t)now, date);
	int rc = bx_buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                       "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\""
	                       " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
	                       " xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/"
	                       " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">"
	                       "<responseDate>%s</responseDate>", date);
	return rc ? rc : write_request(out, args, error, base);
}

/* The earliest datestamp: that of the oldest current change (the store stamps changes
 * in sequence order), or now when there is none. */
static int take_first(void *context, const struct bx_stored *stored)
{
	*(int64_t *)context = stored->changed;
	return 0;
}

static int identify(struct bx_oai_call *call)
{
	char *email = NULL, earliest[BX_TIME_ISO_SIZE];
	int64_t first = call->now;
	int rc = bx_store_each_change(call->node->store, 0, 1, take_first, &first);
	bx_time_iso((time_t)first, earliest);
	if (!rc && bx_store_meta_get(call->node->store, "admin_email", &email) == 0 &&
	    (!strchr(email, '@') || strpbrk(email, " \t\r\n"))) {
		free(email);
		email = NULL;
	}
	if (!rc)
		rc = bx_buf_puts(call->out, "<Identify><repositoryName>");
	if (!rc)
		rc = bx_oai_xml_puts(call->out, call->node->name ? call->node->name : call->node->slug);
	if (!rc)
		rc = bx_buf_puts(call->out, "</repositoryName><baseURL>");
	if (!rc)
		rc = bx_oai_xml_puts(call->out, call->base);
	if (!rc)
		rc = bx_buf_puts(call->out, "/oai</baseURL><protocolVersion>2.0</protocolVersion><adminEmail>");
	/* Without a configured address, a reserved (.invalid) one that the schema accepts. */
	if (!rc && email)
		rc = bx_oai_xml_puts(call->out, email);
	else if (!rc)
		rc = bx_buf_printf(call->out, "admin@%s.invalid", call->node->slug);
	if (!rc)
		rc = bx_buf_printf(call->out, "</adminEmail><earliestDatestamp>%s</earliestDatestamp>"
		                   "<deletedRecord>persistent</deletedRecord>"
		                   "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>", earliest);
	free(email);
	return rc;
}

/* The record an identifier names, as the public may see it: sets *json (malloc'ed) to
 * the published record, or for a withdrawal to its tombstone (whose sets only are
 * shown). Sets call->error to idDoesNotExist when there is none. */
static int find_record(struct bx_oai_call *call, struct bx_stored *stored, char **json)
{
	const char *identifier = call->request->identifier;
	size_t prefix = strlen(BX_OAI_ID_PREFIX);
	int64_t revision;
	*json = NULL;
	int rc = strncmp(identifier, BX_OAI_ID_PREFIX, prefix) || !bx_is_record_id(identifier + prefix, NULL)
	         ? BX_ENOTFOUND : bx_store_get_record(call->node->store, identifier + prefix, stored);
	if (!rc && stored->deleted) {
		*json = stored->json;
		stored->json = NULL;
	} else if (!rc) {
		rc = bx_records_read(call->node, &bx_oai_public, stored->id, 0, json, &revision);
	}
	/* Withdrawn between the two reads: gone for this answer; the next shows the tombstone. */
	if (rc == BX_ENOTFOUND || rc == BX_EGONE) {
		call->error = BX_OAI_ID_DOES_NOT_EXIST;
		snprintf(call->message, sizeof call->message, "%s", "no record has this identifier here");
		return 0;
	}
	return rc;
}

static int write_format(struct bx_buf *out, const char *prefix, const char *schema_base,
                        const char *schema, const char *namespace)
{
	int rc = bx_buf_printf(out, "<metadataFormat><metadataPrefix>%s</metadataPrefix><schema>", prefix);
	if (!rc)
		rc = bx_oai_xml_puts(out, schema_base);
	return rc ? rc : bx_buf_printf(out, "%s</schema><metadataNamespace>%s</metadataNamespace>"
	                               "</metadataFormat>", schema, namespace);
}

static int list_metadata_formats(struct bx_oai_call *call)
{
	if (call->request->identifier) {
		struct bx_stored stored = {0};
		char *json;
		int rc = find_record(call, &stored, &json);
		bool withdrawn = !rc && !call->error && stored.deleted;
		free(json);
		bx_stored_free(&stored);
		if (rc || call->error)
			return rc;
		if (withdrawn) {
			call->error = BX_OAI_NO_METADATA_FORMATS;
			snprintf(call->message, sizeof call->message, "%s",
			         "the record was withdrawn: only its header is disseminated");
			return 0;
		}
	}
	int rc = bx_buf_puts(call->out, "<ListMetadataFormats>");
	if (!rc)
		rc = write_format(call->out, "oai_dc", "", BX_OAI_DC_SCHEMA, BX_OAI_DC_NAMESPACE);
	if (!rc)
		rc = write_format(call->out, "bioex", call->base, BX_OAI_RECORD_SCHEMA_PATH,
		                  BX_OAI_RECORD_NAMESPACE);
	return rc ? rc : bx_buf_puts(call->out, "</ListMetadataFormats>");
}

static int write_set(struct bx_buf *out, const char *dimension, const char *value, const char *name)
{
	char spec[BX_OAI_SET_MAX + 1];
	int n = snprintf(spec, sizeof spec, "%s%s%s", dimension, value ? ":" : "", value ? value : "");
	if (n < 0 || (size_t)n >= sizeof spec || !bx_oai_is_unreserved(spec, true))
		return 0;
	int rc = bx_buf_printf(out, "<set><setSpec>%s</setSpec><setName>", spec);
	if (!rc)
		rc = bx_oai_xml_puts(out, name && *name ? name : spec);
	return rc ? rc : bx_buf_puts(out, "</setName></set>");
}

/* The sets of one vocabulary's terms, named by their English label (or their first). */
struct term_sets {
	struct bx_buf *out;
	const char *dimension;
};

static int write_term_set(void *context, const char *term_json)
{
	struct term_sets *sets = context;
	json_t *term = json_loads(term_json, 0, NULL), *labels = json_object_get(term, "labels");
	const char *label = json_string_value(json_object_get(labels, "en"));
	if (!label && json_object_size(labels))
		label = json_string_value(json_object_iter_value(json_object_iter(labels)));
	const char *id = json_string_value(json_object_get(term, "id"));
	int rc = id ? write_set(sets->out, sets->dimension, id, label) : 0;
	json_decref(term);
	return rc;
}

static int list_sets(struct bx_oai_call *call)
{
	static const struct {
		const char *dimension, *name, *vocabulary;
	} dimensions[] = {
		{"type", "Record types", NULL},
		{"instrument", "Instruments", "instruments"},
		{"country", "Countries", "countries"},
	};
	int rc = bx_buf_puts(call->out, "<ListSets>");
	for (size_t i = 0; i < sizeof dimensions / sizeof dimensions[0] && !rc; i++) {
		rc = write_set(call->out, dimensions[i].dimension, NULL, dimensions[i].name);
		if (!rc && dimensions[i].vocabulary) {
			int64_t total;
			struct term_sets sets = {call->out, dimensions[i].dimension};
			rc = bx_store_vocab_terms(call->node->store, dimensions[i].vocabulary, NULL, 0,
			                          SET_VOCABULARY_MAX, &total, write_term_set, &sets);
			if (rc == BX_ENOTFOUND)   /* a node without that vocabulary has no such sets */
				rc = 0;
			continue;
		}
		const char *type;
		const json_t *schema;
		json_object_foreach((json_t *)bx_catalog_formats(call->node->catalog), type, schema) {
			if (rc || (rc = write_set(call->out, "type", type,
			                          json_string_value(json_object_get(schema, "title")))))
				break;
		}
	}
	return rc ? rc : bx_buf_puts(call->out, "</ListSets>");
}

static int get_record(struct bx_oai_call *call)
{
	struct bx_stored stored = {0};
	char *json;
	int rc = find_record(call, &stored, &json);
	if (!rc && !call->error) {
		struct bx_oai_item item = {stored.id, stored.type, stored.deleted, stored.changed,
		                           bx_oai_json_text(json)};
		rc = bx_buf_puts(call->out, "<GetRecord><record>");
		if (!rc)
			rc = bx_oai_write_header(call->out, &item);
		if (!rc && !stored.deleted)
			rc = bx_oai_write_metadata(call->out, item.record, call->request->list.format, call->base);
		if (!rc)
			rc = bx_buf_puts(call->out, "</record></GetRecord>");
	}
	free(json);
	bx_stored_free(&stored);
	return rc;
}

static int (*const answers[])(struct bx_oai_call *) = {
	[BX_OAI_IDENTIFY] = identify, [BX_OAI_LIST_METADATA_FORMATS] = list_metadata_formats,
	[BX_OAI_LIST_SETS] = list_sets, [BX_OAI_LIST_IDENTIFIERS] = bx_oai_list,
	[BX_OAI_LIST_RECORDS] = bx_oai_list, [BX_OAI_GET_RECORD] = get_record,
};

int bx_oai_respond(struct bx_node *node, const struct bx_oai_args *args, const char *host,
                   struct bx_buf *out)
{
	char base[HOST_MAX + 16];
	unsigned char key[BX_OAI_KEY_SIZE];
	struct bx_oai_request request;
	struct bx_oai_call call = {.node = node, .request = &request, .key = key, .base = base,
	                           .now = bx_time_now(), .out = out};
	base_url(host, base, sizeof base);
	int rc = bx_oai_token_key(node->store, key);
	if (rc)
		return rc;
	call.error = bx_oai_request_parse(args, key, call.now, &request, call.message, sizeof call.message);
	rc = write_head(out, call.now, args, call.error, base);
	size_t body_start = out->len;
	if (!rc && !call.error)
		rc = answers[request.verb](&call);
	if (!rc && call.error) {
		/* A verb that found an error has its partial answer replaced by the error. */
		out->len = body_start;
		out->data[body_start] = '\0';
		rc = bx_buf_printf(out, "<error code=\"%s\">", error_codes[call.error]);
		if (!rc)
			rc = bx_oai_xml_puts(out, call.message);
		if (!rc)
			rc = bx_buf_puts(out, "</error>");
	}
	sodium_memzero(key, sizeof key);
	return rc ? rc : bx_buf_puts(out, "</OAI-PMH>\n");
}
