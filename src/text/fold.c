/* NFKC case folding through ICU (see fold.h). */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include "text/fold.h"

int bx_fold_append(const char *text, struct bx_buf *out)
{
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
	if (U_FAILURE(status))
		return BX_EIO;
	size_t n_bytes = strlen(text);
	if (n_bytes > (size_t)INT32_MAX / 4)
		return BX_ETOOBIG;
	int32_t n_units = 0;
	UChar stack_in[512], stack_folded[1024];
	UChar *in = stack_in, *folded = stack_folded;
	int rc = BX_EINVAL;

	u_strFromUTF8(NULL, 0, &n_units, text, (int32_t)n_bytes, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR)
		status = U_ZERO_ERROR;
	if (U_FAILURE(status))
		goto out;
	if (n_units > (int32_t)(sizeof stack_in / sizeof stack_in[0]) &&
	    !(in = malloc(sizeof(UChar) * (size_t)n_units))) {
		rc = BX_ENOMEM;
		goto out;
	}
	u_strFromUTF8(in, n_units, NULL, text, (int32_t)n_bytes, &status);
	if (U_FAILURE(status))
		goto out;

	int32_t capacity = (int32_t)(sizeof stack_folded / sizeof stack_folded[0]);
	int32_t n_folded = unorm2_normalize(nfkc_cf, in, n_units, folded, capacity, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		status = U_ZERO_ERROR;
		if (!(folded = malloc(sizeof(UChar) * (size_t)n_folded))) {
			rc = BX_ENOMEM;
			goto out;
		}
		unorm2_normalize(nfkc_cf, in, n_units, folded, n_folded, &status);
	}
	if (U_FAILURE(status))
		goto out;

	int32_t n_utf8 = 0;
	u_strToUTF8(NULL, 0, &n_utf8, folded, n_folded, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR)
		status = U_ZERO_ERROR;
	char *utf8 = malloc((size_t)n_utf8 + 1);
	if (!utf8) {
		rc = BX_ENOMEM;
		goto out;
	}
	u_strToUTF8(utf8, n_utf8 + 1, NULL, folded, n_folded, &status);
	rc = U_FAILURE(status) ? BX_EINVAL : bx_buf_append(out, utf8, (size_t)n_utf8);
	free(utf8);
out:
	if (in != stack_in)
		free(in);
	if (folded != stack_folded)
		free(folded);
	return rc;
}
