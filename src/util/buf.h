/* Growable byte buffer with a size cap: an append that would pass the cap fails with
 * BX_ETOOBIG and leaves the buffer as it was, so no input makes us allocate without bound.
 * The content is always NUL-terminated. */
#ifndef BX_BUF_H
#define BX_BUF_H

#include <stddef.h>
#include "util/error.h"

struct bx_buf {
	char *data;    /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;    /* the cap: len never exceeds it */
};

void bx_buf_init(struct bx_buf *buf, size_t max);
BX_MUST_USE int bx_buf_append(struct bx_buf *buf, const void *bytes, size_t n);
BX_MUST_USE int bx_buf_puts(struct bx_buf *buf, const char *text);
BX_MUST_USE int bx_buf_printf(struct bx_buf *buf, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
/* Takes over data (malloc'ed, NUL-terminated at length) as the content, freeing what
 * the buffer held. BX_ETOOBIG, and data freed, when length is over the cap. */
BX_MUST_USE int bx_buf_adopt(struct bx_buf *buf, char *data, size_t length);
/* Drops the content, keeps the memory. */
void bx_buf_reset(struct bx_buf *buf);
/* Hands the content (NUL-terminated, possibly NULL when empty) to the caller. */
char *bx_buf_steal(struct bx_buf *buf);
void bx_buf_free(struct bx_buf *buf);

#endif
