/* OAI-PMH request arguments (see oai.h): collecting them from a query or a form body,
 * and checking them against the protocol's rules for each verb, in the order the
 * protocol gives its errors: badVerb first, then badArgument, then the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/oai_internal.h"
#include "util/timeutil.h"

static const char *const argument_names[BX_OAI_N_ARGS] = {
	"verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken",
};

static const char *const verb_names[] = {
	[BX_OAI_IDENTIFY] = "Identify", [BX_OAI_LIST_METADATA_FORMATS] = "ListMetadataFormats",
	[BX_OAI_LIST_SETS] = "ListSets", [BX_OAI_LIST_IDENTIFIERS] = "ListIdentifiers",
	[BX_OAI_LIST_RECORDS] = "ListRecords", [BX_OAI_GET_RECORD] = "GetRecord",
};

#define ARG(a) (1u << (a))
#define LIST_ARGS (ARG(BX_OAI_ARG_METADATA_PREFIX) | ARG(BX_OAI_ARG_FROM) | ARG(BX_OAI_ARG_UNTIL) | \
                   ARG(BX_OAI_ARG_SET) | ARG(BX_OAI_ARG_RESUMPTION_TOKEN))

/* The arguments each verb takes besides verb, and those it requires (without a token). */
static const struct {
	unsigned allowed;
	unsigned required;
} verb_arguments[] = {
	[BX_OAI_IDENTIFY] = {0, 0},
	[BX_OAI_LIST_METADATA_FORMATS] = {ARG(BX_OAI_ARG_IDENTIFIER), 0},
	[BX_OAI_LIST_SETS] = {ARG(BX_OAI_ARG_RESUMPTION_TOKEN), 0},
	[BX_OAI_LIST_IDENTIFIERS] = {LIST_ARGS, ARG(BX_OAI_ARG_METADATA_PREFIX)},
	[BX_OAI_LIST_RECORDS] = {LIST_ARGS, ARG(BX_OAI_ARG_METADATA_PREFIX)},
	[BX_OAI_GET_RECORD] = {ARG(BX_OAI_ARG_IDENTIFIER) | ARG(BX_OAI_ARG_METADATA_PREFIX),
	                       ARG(BX_OAI_ARG_IDENTIFIER) | ARG(BX_OAI_ARG_METADATA_PREFIX)},
};

static const char *const format_prefixes[BX_OAI_N_FORMATS] = {"oai_dc", "bioex"};

void bx_oai_args_init(struct bx_oai_args *args)
{
	memset(args, 0, sizeof *args);
}

void bx_oai_args_clear(struct bx_oai_args *args)
{
	for (int i = 0; i < BX_OAI_N_ARGS; i++)
		free(args->values[i]);
	bx_oai_args_init(args);
}

static void note_problem(struct bx_oai_args *args, const char *format, const char *name)
{
	if (!args->problem[0])
		snprintf(args->problem, sizeof args->problem, format, name);
}

int bx_oai_args_add(struct bx_oai_args *args, const char *name, const char *value)
{
	if (!value)
		value = "";
	if (++args->n_pairs > BX_OAI_MAX_ARGS) {
		note_problem(args, "%s: too many arguments", "request");
		return 0;
	}
	int which = -1;
	for (int i = 0; i < BX_OAI_N_ARGS; i++)
		if (!strcmp(name, argument_names[i]))
			which = i;
	if (which < 0) {
		note_problem(args, "'%.40s' is not an OAI-PMH argument", name);
		return 0;
	}
	if (args->values[which]) {
		if (which == BX_OAI_ARG_VERB)
			args->verb_repeated = true;
		else
			note_problem(args, "%s is repeated", name);
		return 0;
	}
	if (strlen(value) > BX_OAI_VALUE_MAX) {
		note_problem(args, "%s is too long", name);
		return 0;
	}
	return (args->values[which] = strdup(value)) ? 0 : BX_ENOMEM;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes a form component ('+' is a space, %XX a byte) into out (capacity size).
 * Returns false for a bad escape, a NUL (encoded or not), or a result that does not fit. */
static bool form_decode(const char *text, size_t length, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < length; i++) {
		int byte = (unsigned char)text[i];
		if (byte == '+') {
			byte = ' ';
		} else if (byte == '%') {
			int high = i + 1 < length ? hex_value(text[i + 1]) : -1;
			int low = i + 2 < length ? hex_value(text[i + 2]) : -1;
			if (high < 0 || low < 0 || high * 16 + low == 0)
				return false;
			byte = high * 16 + low;
			i += 2;
		}
		if (!byte || n + 1 >= size)
			return false;
		out[n++] = (char)byte;
	}
	out[n] = '\0';
	return true;
}

int bx_oai_args_add_form(struct bx_oai_args *args, const char *text, size_t length)
{
	char name[64], value[BX_OAI_VALUE_MAX + 2];
	size_t at = 0;
	while (at < length) {
		const char *pair = text + at;
		const char *amp = memchr(pair, '&', length - at);
		size_t pair_length = amp ? (size_t)(amp - pair) : length - at;
		at += pair_length + 1;
		if (!pair_length)
			continue;
		const char *equals = memchr(pair, '=', pair_length);
		size_t name_length = equals ? (size_t)(equals - pair) : pair_length;
		const char *value_text = equals ? equals + 1 : pair + pair_length;
		size_t value_length = pair_length - name_length - (equals ? 1 : 0);
		if (!form_decode(pair, name_length, name, sizeof name) ||
		    !form_decode(value_text, value_length, value, sizeof value)) {
			note_problem(args, "%s: a malformed or overlong argument", "the body");
			continue;
		}
		int rc = bx_oai_args_add(args, name, value);
		if (rc)
			return rc;
	}
	return 0;
}

static enum bx_oai_error fail(enum bx_oai_error error, char *message, size_t size,
                              const char *format, const char *detail)
{
	snprintf(message, size, format, detail);
	return error;
}

/* setSpec and metadataPrefix characters (OAI-PMH.xsd): see oai_internal.h. */
bool bx_oai_is_unreserved(const char *text, bool colons)
{
	static const char marks[] = "-_.!~*'()";
	bool part_empty = true;
	for (const char *p = text;; p++) {
		if ((*p == ':' && colons) || !*p) {
			if (part_empty)
				return false;
			if (!*p)
				return true;
			part_empty = true;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		           (*p >= '0' && *p <= '9') || strchr(marks, *p)) {
			part_empty = false;
		} else {
			return false;
		}
	}
}

/* Reads a UTC datestamp at day ("YYYY-MM-DD") or second ("YYYY-MM-DDThh:mm:ssZ")
 * granularity; a day reads as its first second, or its last when end_of_day. Sets
 * *seconds_granularity. Returns false for anything else. */
static bool parse_datestamp(const char *text, bool end_of_day, int64_t *out, bool *seconds_granularity)
{
	size_t length = strlen(text);
	if (length != 10 && length != 20)
		return false;
	char date[11];
	memcpy(date, text, 10);
	date[10] = '\0';
	if (!bx_is_date(date))
		return false;
	struct tm parts = {0};
	parts.tm_year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
	                (date[3] - '0') - 1900;
	parts.tm_mon = (date[5] - '0') * 10 + (date[6] - '0') - 1;
	parts.tm_mday = (date[8] - '0') * 10 + (date[9] - '0');
	*seconds_granularity = length == 20;
	if (length == 20) {
		const char *clock = text + 10;
		if (clock[0] != 'T' || clock[3] != ':' || clock[6] != ':' || clock[9] != 'Z' ||
		    !bx_is_datetime(text))
			return false;
		parts.tm_hour = (clock[1] - '0') * 10 + (clock[2] - '0');
		parts.tm_min = (clock[4] - '0') * 10 + (clock[5] - '0');
		parts.tm_sec = (clock[7] - '0') * 10 + (clock[8] - '0');
		if (parts.tm_sec > 59)
			return false;
	} else if (end_of_day) {
		parts.tm_hour = 23;
		parts.tm_min = 59;
		parts.tm_sec = 59;
	}
	*out = (int64_t)timegm(&parts);
	return true;
}

/* from, until and set of a list request that starts a pass. */
static enum bx_oai_error parse_selection(const struct bx_oai_args *args, struct bx_oai_list *list,
                                         char *message, size_t size)
{
	const char *from = args->values[BX_OAI_ARG_FROM], *until = args->values[BX_OAI_ARG_UNTIL];
	const char *set = args->values[BX_OAI_ARG_SET];
	bool from_seconds = false, until_seconds = false;
	list->from = INT64_MIN;
	list->until = INT64_MAX;
	if (from && !parse_datestamp(from, false, &list->from, &from_seconds))
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "from: '%.40s' is not YYYY-MM-DD or "
		            "YYYY-MM-DDThh:mm:ssZ", from);
	if (until && !parse_datestamp(until, true, &list->until, &until_seconds))
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "until: '%.40s' is not YYYY-MM-DD or "
		            "YYYY-MM-DDThh:mm:ssZ", until);
	if (from && until && from_seconds != until_seconds)
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s", "from and until have different granularities");
	if (list->from > list->until)
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s", "from is later than until");
	if (set && (strlen(set) > BX_OAI_SET_MAX || !bx_oai_is_unreserved(set, true)))
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "set: '%.40s' is not a setSpec", set);
	snprintf(list->set, sizeof list->set, "%s", set ? set : "");
	return BX_OAI_OK;
}

static enum bx_oai_error parse_format(const char *prefix, enum bx_oai_format *format,
                                      char *message, size_t size)
{
	if (!bx_oai_is_unreserved(prefix, false))
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "metadataPrefix: '%.40s' is malformed",
		            prefix);
	for (int i = 0; i < BX_OAI_N_FORMATS; i++)
		if (!strcmp(prefix, format_prefixes[i])) {
			*format = (enum bx_oai_format)i;
			return BX_OAI_OK;
		}
	return fail(BX_OAI_CANNOT_DISSEMINATE_FORMAT, message, size,
	            "'%.40s' is not a metadata format of this repository (oai_dc, bioex)", prefix);
}

enum bx_oai_error bx_oai_request_parse(const struct bx_oai_args *args,
                                       const unsigned char key[BX_OAI_KEY_SIZE], int64_t now,
                                       struct bx_oai_request *request, char *message,
                                       size_t size)
{
	memset(request, 0, sizeof *request);
	message[0] = '\0';
	const char *verb = args->values[BX_OAI_ARG_VERB];
	if (!verb)
		return fail(BX_OAI_BAD_VERB, message, size, "%s", "the verb argument is missing");
	if (args->verb_repeated)
		return fail(BX_OAI_BAD_VERB, message, size, "%s", "the verb argument is repeated");
	for (size_t i = 1; i < sizeof verb_names / sizeof verb_names[0]; i++)
		if (!strcmp(verb, verb_names[i]))
			request->verb = (enum bx_oai_verb)i;
	if (request->verb == BX_OAI_NO_VERB)
		return fail(BX_OAI_BAD_VERB, message, size, "'%.40s' is not an OAI-PMH verb", verb);
	if (args->problem[0])
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s", args->problem);

	unsigned allowed = verb_arguments[request->verb].allowed, present = 0;
	for (int i = 1; i < BX_OAI_N_ARGS; i++) {
		if (!args->values[i])
			continue;
		present |= ARG(i);
		if (!(allowed & ARG(i)))
			return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s is not an argument of this verb",
			            argument_names[i]);
	}
	const char *token = args->values[BX_OAI_ARG_RESUMPTION_TOKEN];
	if (token && present != ARG(BX_OAI_ARG_RESUMPTION_TOKEN))
		return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s",
		            "resumptionToken is an exclusive argument");
	unsigned required = verb_arguments[request->verb].required;
	if (!token && (present & required) != required)
		for (int i = 1; i < BX_OAI_N_ARGS; i++)
			if ((required & ARG(i)) && !(present & ARG(i)))
				return fail(BX_OAI_BAD_ARGUMENT, message, size, "%s is required",
				            argument_names[i]);
	request->identifier = args->values[BX_OAI_ARG_IDENTIFIER];

	if (token) {
		/* ListSets is answered whole, so no token of ours ever continues it. */
		int rc = request->verb == BX_OAI_LIST_SETS ? BX_EINVAL
		         : bx_oai_token_decode(key, token, now, &request->list);
		if (rc == BX_EGONE)
			return fail(BX_OAI_BAD_RESUMPTION_TOKEN, message, size, "%s",
			            "the resumption token has expired: start the list again");
		if (rc || request->list.verb != request->verb)
			return fail(BX_OAI_BAD_RESUMPTION_TOKEN, message, size, "%s",
			            "the resumption token is not valid here");
		request->resumed = true;
		return BX_OAI_OK;
	}
	/* Every badArgument comes before cannotDisseminateFormat, so that the arguments an
	 * answer repeats in its request element are well-formed. */
	const char *prefix = args->values[BX_OAI_ARG_METADATA_PREFIX];
	request->list.verb = request->verb;
	if (request->verb == BX_OAI_LIST_IDENTIFIERS || request->verb == BX_OAI_LIST_RECORDS) {
		enum bx_oai_error error = parse_selection(args, &request->list, message, size);
		if (error)
			return error;
	}
	return prefix ? parse_format(prefix, &request->list.format, message, size) : BX_OAI_OK;
}

const char *bx_oai_verb_name(enum bx_oai_verb verb)
{
	return verb > BX_OAI_NO_VERB && verb <= BX_OAI_GET_RECORD ? verb_names[verb] : "";
}

const char *bx_oai_format_prefix(enum bx_oai_format format)
{
	return format_prefixes[format];
}

const char *bx_oai_argument_name(enum bx_oai_argument argument)
{
	return argument_names[argument];
}
