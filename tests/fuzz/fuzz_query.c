/* Fuzz target for the small parsers of request input: numbers, dates, record ids,
 * language tags, node slugs and the case folding of query text. The input is cut at
 * NUL bytes and every piece goes through every parser; what each accepts is checked
 * against its contract. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "core/validate.h"
#include "text/fold.h"
#include "util/buf.h"
#include "util/num.h"
#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_int64(const char *text)
{
	static const int64_t ranges[][2] = {
		{INT64_MIN, INT64_MAX}, {0, 1000}, {1, INT64_MAX}, {-5, 5},
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		int64_t value = 12345;
		if (bx_parse_int64(text, ranges[i][0], ranges[i][1], &value) == 0) {
			if (value < ranges[i][0] || value > ranges[i][1])
				bx_fuzz_fail("bx_parse_int64 gave %lld outside [%lld, %lld]", (long long)value,
				             (long long)ranges[i][0], (long long)ranges[i][1]);
			if (!*text || (text[0] != '-' && !isdigit((unsigned char)text[0])))
				bx_fuzz_fail("bx_parse_int64 accepted text not starting with a digit or -");
			for (const char *p = text + 1; *p; p++)
				if (!isdigit((unsigned char)*p))
					bx_fuzz_fail("bx_parse_int64 accepted a non-digit");
		}
	}
}

static bool digits_at(const char *text, size_t from, size_t n)
{
	for (size_t i = from; i < from + n; i++)
		if (!isdigit((unsigned char)text[i]))
			return false;
	return true;
}

static void check_dates(const char *text)
{
	size_t length = strlen(text);
	bool is_date = bx_is_date(text);
	if (is_date && (length != 10 || !digits_at(text, 0, 4) || text[4] != '-' ||
	                !digits_at(text, 5, 2) || text[7] != '-' || !digits_at(text, 8, 2)))
		bx_fuzz_fail("bx_is_date accepted something not shaped YYYY-MM-DD");
	if (bx_is_datetime(text)) {
		if (length < 20 || (text[10] != 'T' && text[10] != 't'))
			bx_fuzz_fail("bx_is_datetime accepted something not shaped date T time zone");
		char date[11];
		memcpy(date, text, 10);
		date[10] = '\0';
		if (!bx_is_date(date))
			bx_fuzz_fail("bx_is_datetime accepted a date bx_is_date refuses");
	}
}

static void check_names(const char *text)
{
	size_t length = strlen(text);
	if (bx_is_node_slug(text) && (length < 2 || length > 32))
		bx_fuzz_fail("bx_is_node_slug accepted %zu characters", length);
	size_t node_length = SIZE_MAX;
	if (bx_is_record_id(text, &node_length)) {
		if (node_length < 2 || node_length > 32 || node_length >= length || text[node_length] != ':')
			bx_fuzz_fail("bx_is_record_id set node_length %zu for a %zu-byte id", node_length, length);
		char slug[33];
		memcpy(slug, text, node_length);
		slug[node_length] = '\0';
		if (!bx_is_node_slug(slug))
			bx_fuzz_fail("bx_is_record_id accepted a node part that is not a slug");
	}
	(void)bx_is_record_id(text, NULL);
	if (bx_is_language_tag(text) && (length < 2 || !islower((unsigned char)text[0])))
		bx_fuzz_fail("bx_is_language_tag accepted a tag not starting with two lowercase letters");
}

static void check_fold(const char *text)
{
	struct bx_buf folded;
	bx_buf_init(&folded, 1 << 20);
	int rc = bx_fold_append(text, &folded);
	if (rc != 0 && rc != BX_EINVAL && rc != BX_ETOOBIG)
		bx_fuzz_fail("bx_fold_append: %s", bx_strerror(rc));
	if (rc == 0 && folded.len && strlen(folded.data) > folded.len)
		bx_fuzz_fail("bx_fold_append left the buffer unterminated");
	if (rc == 0 && folded.data) {
		/* The matching form is itself valid UTF-8 text. */
		struct bx_buf again;
		bx_buf_init(&again, 1 << 22);
		char *copy = strdup(folded.data);
		if (copy && bx_fold_append(copy, &again) == BX_EINVAL)
			bx_fuzz_fail("bx_fold_append produced text it cannot read back");
		free(copy);
		bx_buf_free(&again);
	}
	/* A full buffer is refused cleanly and left as it was. */
	struct bx_buf small;
	bx_buf_init(&small, 8);
	rc = bx_fold_append(text, &small);
	if (small.len > 8)
		bx_fuzz_fail("bx_fold_append passed the buffer's cap");
	bx_buf_free(&small);
	bx_buf_free(&folded);
}

/* Each NUL-separated piece of the input goes through every parser. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;
	do {
		const uint8_t *nul = memchr(data + at, '\0', size - at);
		size_t length = nul ? (size_t)(nul - (data + at)) : size - at;
		char *text = bx_fuzz_strndup(data + at, length);
		check_int64(text);
		check_dates(text);
		check_names(text);
		check_fold(text);
		free(text);
		at += length + 1;
	} while (at <= size);
	return 0;
}
