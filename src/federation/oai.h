/* The OAI-PMH 2.0 provider (DESIGN 8, docs/oai-pmh.md): the six verbs over this node's
 * published records and withdrawals, in oai_dc and in the lossless bioex format. This
 * header is what the HTTP handler and the fuzz target use: collecting a request's
 * arguments, checking them into a request, resumption tokens, and the answer as XML. */
#ifndef BX_OAI_H
#define BX_OAI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "node/node.h"
#include "util/buf.h"

#define BX_OAI_KEY_SIZE 32       /* the token-signing key (libsodium crypto_auth) */
#define BX_OAI_VALUE_MAX 1024    /* the longest argument value accepted */
#define BX_OAI_SET_MAX 128       /* the longest setSpec accepted */
#define BX_OAI_MAX_ARGS 32       /* the most name=value pairs read from one request */
#define BX_OAI_ID_PREFIX "oai:bioex.org:"   /* OAI identifier = prefix + record id */

enum bx_oai_verb { BX_OAI_NO_VERB, BX_OAI_IDENTIFY, BX_OAI_LIST_METADATA_FORMATS,
                   BX_OAI_LIST_SETS, BX_OAI_LIST_IDENTIFIERS, BX_OAI_LIST_RECORDS,
                   BX_OAI_GET_RECORD };

enum bx_oai_argument { BX_OAI_ARG_VERB, BX_OAI_ARG_IDENTIFIER, BX_OAI_ARG_METADATA_PREFIX,
                       BX_OAI_ARG_FROM, BX_OAI_ARG_UNTIL, BX_OAI_ARG_SET,
                       BX_OAI_ARG_RESUMPTION_TOKEN, BX_OAI_N_ARGS };

enum bx_oai_format { BX_OAI_DC, BX_OAI_BIOEX, BX_OAI_N_FORMATS };

/* The protocol's error conditions (OAI-PMH 2.0 section 3.6); BX_OAI_OK for none. */
enum bx_oai_error { BX_OAI_OK, BX_OAI_BAD_VERB, BX_OAI_BAD_ARGUMENT,
                    BX_OAI_BAD_RESUMPTION_TOKEN, BX_OAI_CANNOT_DISSEMINATE_FORMAT,
                    BX_OAI_ID_DOES_NOT_EXIST, BX_OAI_NO_RECORDS_MATCH,
                    BX_OAI_NO_METADATA_FORMATS, BX_OAI_NO_SET_HIERARCHY };

/* A request's arguments as sent. Problems are kept, not refused, so that the answer
 * can name them: the protocol decides which error each one is. */
struct bx_oai_args {
	char *values[BX_OAI_N_ARGS];   /* malloc'ed; NULL when absent */
	bool verb_repeated;
	int n_pairs;
	char problem[200];             /* the first problem with another argument, "" if none */
};

/* A list request's selection and position: what a resumption token carries. */
struct bx_oai_list {
	enum bx_oai_verb verb;           /* BX_OAI_LIST_IDENTIFIERS or BX_OAI_LIST_RECORDS */
	enum bx_oai_format format;
	char set[BX_OAI_SET_MAX + 1];    /* "" for every record */
	int64_t from, until;             /* datestamps, Unix seconds, inclusive */
	int64_t after;                   /* the page starts after this change sequence */
	int64_t high;                    /* the pass's high-water sequence; 0 until the first page */
	int64_t delivered;               /* records on the pages before this one */
	int64_t expires;                 /* when the token stops being valid, Unix seconds */
};

/* A request whose arguments are right for its verb. */
struct bx_oai_request {
	enum bx_oai_verb verb;
	const char *identifier;          /* borrowed from the args; NULL when absent */
	bool resumed;                    /* a list continued by a resumption token */
	struct bx_oai_list list;         /* GetRecord uses list.format */
};

void bx_oai_args_init(struct bx_oai_args *args);
void bx_oai_args_clear(struct bx_oai_args *args);
/* Adds one argument (value NULL reads as ""). Returns 0, or BX_ENOMEM. */
BX_MUST_USE int bx_oai_args_add(struct bx_oai_args *args, const char *name, const char *value);
/* Adds the arguments of an application/x-www-form-urlencoded text (a POST body).
 * Returns 0, or BX_ENOMEM; bad escapes are kept as the args' problem. */
BX_MUST_USE int bx_oai_args_add_form(struct bx_oai_args *args, const char *text, size_t length);

/* Checks args into *request. Returns BX_OAI_OK, or the error condition with a message.
 * A resumption token is verified with key and expires at now. */
enum bx_oai_error bx_oai_request_parse(const struct bx_oai_args *args,
                                       const unsigned char key[BX_OAI_KEY_SIZE], int64_t now,
                                       struct bx_oai_request *request, char *message,
                                       size_t message_size);

/* Appends list as a resumption token: base64url of its fields, ".", and their HMAC
 * under key. Returns 0, or BX_ETOOBIG/BX_ENOMEM from the buffer. */
BX_MUST_USE int bx_oai_token_encode(const unsigned char key[BX_OAI_KEY_SIZE],
                                    const struct bx_oai_list *list, struct bx_buf *out);
/* Reads a token back into *list. BX_EINVAL when it is malformed or was not made with
 * key; BX_EGONE when it expired before now. */
BX_MUST_USE int bx_oai_token_decode(const unsigned char key[BX_OAI_KEY_SIZE], const char *token,
                                    int64_t now, struct bx_oai_list *list);
/* The node's token key: read from the store's meta "oai_token_key", made and stored on
 * first use. Returns 0, or the store's error. */
BX_MUST_USE int bx_oai_token_key(struct bx_store *store, unsigned char key[BX_OAI_KEY_SIZE]);

/* Answers the request in args as an OAI-PMH document appended to out. host is the
 * request's Host header (untrusted; NULL when absent). Protocol errors are answered in
 * the document and return 0; a negative BX_E* code means the node failed (storage,
 * memory) and out holds nothing usable. */
BX_MUST_USE int bx_oai_respond(struct bx_node *node, const struct bx_oai_args *args,
                               const char *host, struct bx_buf *out);

#endif
