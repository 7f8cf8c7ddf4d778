/* Form bodies (see form.h). */
#include <stdlib.h>
#include <string.h>
#include "web/form.h"

const struct bx_form_limits bx_form_small = {BX_FORM_MAX_BODY, BX_FORM_MAX_FIELDS};

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes text[0..length) into out (room for length + 1 bytes); BX_EINVAL when bad. */
static int decode(const char *text, size_t length, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < length; i++) {
		char c = text[i];
		if (c == '%') {
			int high = i + 2 < length ? hex_value(text[i + 1]) : -1;
			int low = i + 2 < length ? hex_value(text[i + 2]) : -1;
			if (high < 0 || low < 0)
				return BX_EINVAL;
			c = (char)(high * 16 + low);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (c == '\0')
			return BX_EINVAL;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

/* The number of fields in body[0..length): its non-empty '&'-separated parts. */
static size_t count_fields(const char *body, size_t length)
{
	size_t n = 0;
	for (size_t at = 0; at < length;) {
		const char *ampersand = memchr(body + at, '&', length - at);
		size_t field = ampersand ? (size_t)(ampersand - (body + at)) : length - at;
		n += field > 0;
		at += field + 1;
	}
	return n;
}

int bx_form_parse(const char *body, size_t length, const struct bx_form_limits *limits,
                  struct bx_form *form)
{
	memset(form, 0, sizeof *form);
	if (length > limits->max_body)
		return BX_ETOOBIG;
	size_t n_fields = count_fields(body, length);
	if (n_fields > limits->max_fields)
		return BX_ETOOBIG;
	/* each field's name and value, decoded, fit in the body's length plus their NULs */
	form->text = malloc(length + 2 * n_fields + 2);
	form->names = calloc(n_fields + 1, sizeof *form->names);
	form->values = calloc(n_fields + 1, sizeof *form->values);
	if (!form->text || !form->names || !form->values)
		return BX_ENOMEM;
	char *out = form->text;
	for (size_t at = 0; at < length;) {
		const char *ampersand = memchr(body + at, '&', length - at);
		size_t field = ampersand ? (size_t)(ampersand - (body + at)) : length - at;
		const char *equals = memchr(body + at, '=', field);
		size_t name_length = equals ? (size_t)(equals - (body + at)) : field;
		if (field) {
			form->names[form->n_fields] = out;
			if (decode(body + at, name_length, out))
				return BX_EINVAL;
			out += strlen(out) + 1;
			form->values[form->n_fields++] = out;
			size_t value_length = equals ? field - name_length - 1 : 0;
			if (decode(equals ? equals + 1 : "", value_length, out))
				return BX_EINVAL;
			out += strlen(out) + 1;
		}
		at += field + 1;
	}
	return 0;
}

const char *bx_form_get(const struct bx_form *form, const char *name)
{
	for (size_t i = 0; i < form->n_fields; i++)
		if (!strcmp(form->names[i], name))
			return form->values[i];
	return NULL;
}

void bx_form_free(struct bx_form *form)
{
	free(form->text);
	free(form->names);
	free(form->values);
	form->text = NULL;
	form->names = form->values = NULL;
	form->n_fields = 0;
}
