/* OAI-PMH resumption tokens (see oai.h). A token is the list's selection and position
 * as text, base64url-encoded, then "." and the base64url HMAC of that text (libsodium
 * crypto_auth) under a key that only this node knows, so a harvester can neither forge
 * a position nor widen a selection, and an expired token is recognized as such. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "federation/oai_internal.h"
#include "util/num.h"

#define TOKEN_VERSION "1"
#define TOKEN_FIELDS 10
#define PAYLOAD_MAX (64 + 6 * 21 + BX_OAI_SET_MAX)
#define TOKEN_MAX 1024
#define KEY_META "oai_token_key"

_Static_assert(BX_OAI_KEY_SIZE == crypto_auth_KEYBYTES, "the key is a crypto_auth key");

/* The list as "1|verb|format|after|high|delivered|expires|from|until|set", with from
 * and until empty when the list is open on that side. */
static int payload_text(const struct bx_oai_list *list, char *out, size_t size)
{
	char from[24] = "", until[24] = "";
	if (list->from != INT64_MIN)
		snprintf(from, sizeof from, "%" PRId64, list->from);
	if (list->until != INT64_MAX)
		snprintf(until, sizeof until, "%" PRId64, list->until);
	int n = snprintf(out, size, TOKEN_VERSION "|%d|%d|%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64
	                 "|%s|%s|%s", (int)list->verb, (int)list->format, list->after, list->high,
	                 list->delivered, list->expires, from, until, list->set);
	return n < 0 || (size_t)n >= size ? BX_ETOOBIG : n;
}

int bx_oai_token_encode(const unsigned char key[BX_OAI_KEY_SIZE], const struct bx_oai_list *list,
                        struct bx_buf *out)
{
	char payload[PAYLOAD_MAX];
	int length = payload_text(list, payload, sizeof payload);
	if (length < 0)
		return length;
	unsigned char mac[crypto_auth_BYTES];
	crypto_auth(mac, (const unsigned char *)payload, (unsigned long long)length, key);
	char encoded[sodium_base64_ENCODED_LEN(PAYLOAD_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char encoded_mac[sodium_base64_ENCODED_LEN(crypto_auth_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(encoded, sizeof encoded, (const unsigned char *)payload, (size_t)length,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(encoded_mac, sizeof encoded_mac, mac, sizeof mac,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return bx_buf_printf(out, "%s.%s", encoded, encoded_mac);
}

/* Reads field (NUL-terminated) as a whole number from min to max. */
static bool read_number(const char *field, int64_t min, int64_t max, int64_t *out)
{
	return bx_parse_int64(field, min, max, out) == 0;
}

/* Fills list from the payload's fields; false when any is out of its range. */
static bool read_fields(char **fields, struct bx_oai_list *list)
{
	int64_t verb, format;
	memset(list, 0, sizeof *list);
	list->from = INT64_MIN;
	list->until = INT64_MAX;
	if (strcmp(fields[0], TOKEN_VERSION) ||
	    !read_number(fields[1], BX_OAI_LIST_IDENTIFIERS, BX_OAI_LIST_RECORDS, &verb) ||
	    !read_number(fields[2], 0, BX_OAI_N_FORMATS - 1, &format) ||
	    !read_number(fields[3], 0, INT64_MAX, &list->after) ||
	    !read_number(fields[4], 0, INT64_MAX, &list->high) ||
	    !read_number(fields[5], 0, INT64_MAX, &list->delivered) ||
	    !read_number(fields[6], 0, INT64_MAX, &list->expires) ||
	    (fields[7][0] && !read_number(fields[7], INT64_MIN + 1, INT64_MAX, &list->from)) ||
	    (fields[8][0] && !read_number(fields[8], INT64_MIN, INT64_MAX - 1, &list->until)) ||
	    strlen(fields[9]) > BX_OAI_SET_MAX || (fields[9][0] && !bx_oai_is_unreserved(fields[9], true)))
		return false;
	list->verb = (enum bx_oai_verb)verb;
	list->format = (enum bx_oai_format)format;
	snprintf(list->set, sizeof list->set, "%s", fields[9]);
	return true;
}

int bx_oai_token_decode(const unsigned char key[BX_OAI_KEY_SIZE], const char *token, int64_t now,
                        struct bx_oai_list *list)
{
	size_t length = strnlen(token, TOKEN_MAX + 1);
	const char *dot = memchr(token, '.', length);
	if (length > TOKEN_MAX || !dot)
		return BX_EINVAL;
	char payload[PAYLOAD_MAX + 1];
	unsigned char mac[crypto_auth_BYTES];
	size_t payload_length, mac_length;
	const char *end;
	if (sodium_base642bin((unsigned char *)payload, PAYLOAD_MAX, token, (size_t)(dot - token), NULL,
	                      &payload_length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    end != dot ||
	    sodium_base642bin(mac, sizeof mac, dot + 1, length - (size_t)(dot + 1 - token), NULL,
	                      &mac_length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    end != token + length || mac_length != sizeof mac ||
	    crypto_auth_verify(mac, (const unsigned char *)payload, payload_length, key))
		return BX_EINVAL;
	payload[payload_length] = '\0';
	if (strlen(payload) != payload_length)
		return BX_EINVAL;
	char *fields[TOKEN_FIELDS];
	int n = 0;
	for (char *field = payload; n < TOKEN_FIELDS; n++) {
		fields[n] = field;
		char *bar = strchr(field, '|');
		if (!bar)
			break;
		*bar = '\0';
		field = bar + 1;
	}
	if (n != TOKEN_FIELDS - 1 || !read_fields(fields, list))
		return BX_EINVAL;
	return list->expires < now ? BX_EGONE : 0;
}

/* Reads the key from meta; BX_ENOTFOUND when there is none yet. */
static int read_key(struct bx_store *store, unsigned char key[BX_OAI_KEY_SIZE])
{
	char *hex = NULL;
	int rc = bx_store_meta_get(store, KEY_META, &hex);
	size_t length = 0;
	if (!rc && (sodium_hex2bin(key, BX_OAI_KEY_SIZE, hex, strlen(hex), NULL, &length, NULL) ||
	            length != BX_OAI_KEY_SIZE))
		rc = BX_EIO;
	if (hex) {
		sodium_memzero(hex, strlen(hex));
		free(hex);
	}
	return rc;
}

int bx_oai_token_key(struct bx_store *store, unsigned char key[BX_OAI_KEY_SIZE])
{
	int rc = read_key(store, key);
	if (rc != BX_ENOTFOUND)
		return rc;
	/* First use: made inside a write transaction, so that of two requests racing here
	 * (threads or processes) the second finds the first one's key. */
	if ((rc = bx_store_begin(store)))
		return rc;
	rc = read_key(store, key);
	if (rc == BX_ENOTFOUND) {
		char hex[BX_OAI_KEY_SIZE * 2 + 1];
		crypto_auth_keygen(key);
		sodium_bin2hex(hex, sizeof hex, key, BX_OAI_KEY_SIZE);
		rc = bx_store_meta_set(store, KEY_META, hex);
		sodium_memzero(hex, sizeof hex);
	}
	return bx_store_end(store, rc);
}
