/* Fuzz target for the OAI-PMH provider's parsers (src/federation/oai_args.c, oai_token.c,
 * oai_json.c, oai_xml.c). The input is read three ways:
 *   - as a form body: the arguments are collected and checked into a request; a list
 *     request's position must survive a resumption token (encode, decode, equal), and a
 *     token with one byte changed must be refused;
 *   - as a resumption token: decoding must fail cleanly (no key but ours signs one);
 *   - as text and as a record's JSON: the escaped text and the oai_dc and bioex metadata
 *     written from it must be well-formed XML (libxml2), whatever the bytes. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "federation/oai_internal.h"

#define NOW 1800000000   /* 2027-01-15 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[BX_OAI_KEY_SIZE] = "bioex fuzz key, not a secret...";

static void expect_well_formed(const struct bx_buf *xml, const char *what)
{
	xmlDocPtr document = xmlReadMemory(xml->data, (int)xml->len, NULL, "UTF-8",
	                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!document)
		bx_fuzz_fail("%s is not well-formed XML: %.300s", what, xml->data);
	xmlFreeDoc(document);
}

static void check_token_round_trip(const struct bx_oai_list *list)
{
	struct bx_buf token;
	bx_buf_init(&token, 4096);
	if (bx_oai_token_encode(key, list, &token))
		bx_fuzz_fail("a list's token could not be written");
	struct bx_oai_list back;
	int rc = bx_oai_token_decode(key, token.data, NOW, &back);
	if (rc || back.verb != list->verb || back.format != list->format || back.from != list->from ||
	    back.until != list->until || back.after != list->after || back.high != list->high ||
	    back.delivered != list->delivered || back.expires != list->expires || strcmp(back.set, list->set))
		bx_fuzz_fail("a token did not read back as written (%d): %s", rc, token.data);
	if (bx_oai_token_decode(key, token.data, list->expires + 1, &back) != BX_EGONE)
		bx_fuzz_fail("an expired token was not refused as expired");
	for (size_t i = 0; i < token.len; i += 7) {
		char saved = token.data[i];
		token.data[i] = saved == 'A' ? 'B' : 'A';
		if (bx_oai_token_decode(key, token.data, NOW, &back) == 0)
			bx_fuzz_fail("a token with byte %zu changed was accepted", i);
		token.data[i] = saved;
	}
	bx_buf_free(&token);
}

static void check_request(const uint8_t *data, size_t size)
{
	struct bx_oai_args args;
	bx_oai_args_init(&args);
	if (bx_oai_args_add_form(&args, (const char *)data, size))
		bx_fuzz_fail("out of memory collecting arguments");
	for (int i = 0; i < BX_OAI_N_ARGS; i++)
		if (args.values[i] && strlen(args.values[i]) > BX_OAI_VALUE_MAX)
			bx_fuzz_fail("argument %d is longer than the limit", i);
	struct bx_oai_request request;
	char message[256];
	enum bx_oai_error error = bx_oai_request_parse(&args, key, NOW, &request, message, sizeof message);
	if (error && !message[0])
		bx_fuzz_fail("error %d without a message", (int)error);
	bool list = request.verb == BX_OAI_LIST_IDENTIFIERS || request.verb == BX_OAI_LIST_RECORDS;
	if (!error && list) {
		if (request.list.from > request.list.until)
			bx_fuzz_fail("from after until was accepted");
		request.list.after = size;
		request.list.high = size * 3;
		request.list.delivered = size / 2;
		request.list.expires = NOW + 60;
		check_token_round_trip(&request.list);
	}
	bx_oai_args_clear(&args);
}

static void check_xml(const uint8_t *data, size_t size)
{
	struct bx_buf xml;
	bx_buf_init(&xml, 64u << 20);
	int rc = bx_buf_puts(&xml, "<a b=\"");
	if (!rc)
		rc = bx_oai_xml_attr(&xml, (const char *)data, size);
	if (!rc)
		rc = bx_buf_puts(&xml, "\">");
	if (!rc)
		rc = bx_oai_xml_text(&xml, (const char *)data, size);
	if (!rc)
		rc = bx_buf_puts(&xml, "</a>");
	if (rc)
		bx_fuzz_fail("escaping failed: %d", rc);
	expect_well_formed(&xml, "escaped text");

	char *text = bx_fuzz_strndup(data, size);
	for (int format = 0; format < BX_OAI_N_FORMATS; format++) {
		bx_buf_reset(&xml);
		rc = bx_buf_puts(&xml, "<w xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
		if (!rc && bx_oai_write_metadata(&xml, bx_oai_json_text(text), (enum bx_oai_format)format,
		                                 "http://127.0.0.1") == 0) {
			if (bx_buf_puts(&xml, "</w>"))
				bx_fuzz_fail("out of memory");
			expect_well_formed(&xml, format == BX_OAI_DC ? "oai_dc metadata" : "bioex metadata");
		}
	}
	free(text);
	bx_buf_free(&xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		bx_fuzz_setup();
		xmlInitParser();
		ready = true;
	}
	check_request(data, size);
	char *token = bx_fuzz_strndup(data, size);
	struct bx_oai_list list;
	if (bx_oai_token_decode(key, token, NOW, &list) == 0)
		bx_fuzz_fail("a token not signed with the key was accepted: %s", token);
	free(token);
	check_xml(data, size);
	return 0;
}
