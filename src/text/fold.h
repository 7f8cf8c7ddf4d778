/* Case-insensitive matching form of text: Unicode NFKC case folding (ICU). The tokenizer
 * of the search module builds on the same folding. */
#ifndef BX_FOLD_H
#define BX_FOLD_H

#include "util/buf.h"

/* Appends the NFKC case-folded form of the UTF-8 text to out. BX_EINVAL for text that
 * is not valid UTF-8; BX_ETOOBIG when out's cap is reached. */
BX_MUST_USE int bx_fold_append(const char *text, struct bx_buf *out);

#endif
