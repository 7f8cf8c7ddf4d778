/* Matching form of text through ICU (see fold.h). */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include "text/fold.h"

/* Applies normalizer to in[0..n), setting *out (malloc'ed) and *n_out. */
static int normalize(const UNormalizer2 *normalizer, const UChar *in, int32_t n, UChar **out,
                     int32_t *n_out)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t capacity = n * 3 + 16;
	*out = malloc(sizeof(UChar) * (size_t)capacity);
	if (!*out)
		return BX_ENOMEM;
	*n_out = unorm2_normalize(normalizer, in, n, *out, capacity, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		status = U_ZERO_ERROR;
		free(*out);
		capacity = *n_out + 1;
		if (!(*out = malloc(sizeof(UChar) * (size_t)capacity)))
			return BX_ENOMEM;
		*n_out = unorm2_normalize(normalizer, in, n, *out, capacity, &status);
	}
	if (U_FAILURE(status)) {
		free(*out);
		*out = NULL;
		return BX_EINVAL;
	}
	return 0;
}

int bx_fold_append(const char *text, struct bx_buf *out)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *casefold = unorm2_getNFKCCasefoldInstance(&status);
	const UNormalizer2 *decompose = unorm2_getNFDInstance(&status);
	const UNormalizer2 *compose = unorm2_getNFCInstance(&status);
	if (U_FAILURE(status))
		return BX_EIO;
	size_t n_bytes = strlen(text);
	if (n_bytes > (size_t)INT32_MAX / 8)
		return BX_ETOOBIG;
	UChar *utf16 = NULL, *folded = NULL, *decomposed = NULL, *composed = NULL;
	char *utf8 = NULL;
	int32_t n_utf16 = 0, n_folded, n_decomposed, n_composed, n_utf8 = 0;
	int rc = BX_EINVAL;

	u_strFromUTF8(NULL, 0, &n_utf16, text, (int32_t)n_bytes, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		goto out;
	status = U_ZERO_ERROR;
	if (!(utf16 = malloc(sizeof(UChar) * ((size_t)n_utf16 + 1)))) {
		rc = BX_ENOMEM;
		goto out;
	}
	u_strFromUTF8(utf16, n_utf16 + 1, NULL, text, (int32_t)n_bytes, &status);
	if (U_FAILURE(status))
		goto out;
	if ((rc = normalize(casefold, utf16, n_utf16, &folded, &n_folded)) ||
	    (rc = normalize(decompose, folded, n_folded, &decomposed, &n_decomposed)))
		goto out;
	int32_t kept = 0;
	for (int32_t i = 0; i < n_decomposed; i++)
		if (decomposed[i] < 0x0300 || decomposed[i] > 0x036F)
			decomposed[kept++] = decomposed[i];
	if ((rc = normalize(compose, decomposed, kept, &composed, &n_composed)))
		goto out;
	rc = BX_EINVAL;
	u_strToUTF8(NULL, 0, &n_utf8, composed, n_composed, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		goto out;
	status = U_ZERO_ERROR;
	if (!(utf8 = malloc((size_t)n_utf8 + 1))) {
		rc = BX_ENOMEM;
		goto out;
	}
	u_strToUTF8(utf8, n_utf8 + 1, NULL, composed, n_composed, &status);
	if (!U_FAILURE(status))
		rc = bx_buf_append(out, utf8, (size_t)n_utf8);
out:
	free(utf16);
	free(folded);
	free(decomposed);
	free(composed);
	free(utf8);
	return rc;
}
