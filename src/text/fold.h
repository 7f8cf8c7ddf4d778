/* The matching form of text: Unicode NFKC case folding, then the combining diacritical
 * marks of Latin, Greek and Cyrillic (U+0300-U+036F) removed, so that "ALGÉRIE",
 * "algérie" and "algerie" match (ICU). The search tokenizer builds on the same rules. */
#ifndef BX_FOLD_H
#define BX_FOLD_H

#include "util/buf.h"

/* Appends the matching form of the UTF-8 text to out. BX_EINVAL for text that is not
 * valid UTF-8; BX_ETOOBIG when out's cap is reached. */
BX_MUST_USE int bx_fold_append(const char *text, struct bx_buf *out);

#endif
