/* Capped growable buffer (see buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"

void bx_buf_init(struct bx_buf *buf, size_t max)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->max = max;
}

static int reserve(struct bx_buf *buf, size_t extra)
{
	if (extra > buf->max || buf->len > buf->max - extra)
		return BX_ETOOBIG;
	size_t need = buf->len + extra + 1;
	if (need <= buf->cap)
		return 0;
	size_t cap = buf->cap ? buf->cap : 256;
	while (cap < need)
		cap *= 2;
	char *data = realloc(buf->data, cap);
	if (!data)
		return BX_ENOMEM;
	buf->data = data;
	buf->cap = cap;
	return 0;
}

int bx_buf_append(struct bx_buf *buf, const void *bytes, size_t n)
{
	int rc = reserve(buf, n);
	if (rc)
		return rc;
	if (n)
		memcpy(buf->data + buf->len, bytes, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	return 0;
}

int bx_buf_puts(struct bx_buf *buf, const char *text)
{
	return bx_buf_append(buf, text, strlen(text));
}

int bx_buf_printf(struct bx_buf *buf, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	if (n < 0)
		return BX_EINVAL;
	int rc = reserve(buf, (size_t)n);
	if (rc)
		return rc;
	va_start(args, format);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, format, args);
	va_end(args);
	buf->len += (size_t)n;
	return 0;
}

int bx_buf_adopt(struct bx_buf *buf, char *data, size_t length)
{
	if (length > buf->max) {
		free(data);
		return BX_ETOOBIG;
	}
	free(buf->data);
	buf->data = data;
	buf->len = length;
	buf->cap = length + 1;
	return 0;
}

void bx_buf_reset(struct bx_buf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

char *bx_buf_steal(struct bx_buf *buf)
{
	char *data = buf->data;
	bx_buf_init(buf, buf->max);
	return data;
}

void bx_buf_free(struct bx_buf *buf)
{
	free(buf->data);
	bx_buf_init(buf, buf->max);
}
