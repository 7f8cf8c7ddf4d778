/* Reading a form sent as application/x-www-form-urlencoded, within limits: at most
 * BX_FORM_MAX_FIELDS fields; '+' and %XX decoded; a NUL or a bad escape refuses it. */
#ifndef BX_FORM_H
#define BX_FORM_H

#include <stddef.h>
#include "util/error.h"

#define BX_FORM_MAX_FIELDS 32
#define BX_FORM_MAX_BODY (64 * 1024)

struct bx_form {
	char *text;                                /* the decoded fields, NUL-separated */
	const char *names[BX_FORM_MAX_FIELDS];
	const char *values[BX_FORM_MAX_FIELDS];
	size_t n_fields;
};

/* Parses body[0..length) into *form (bx_form_free it, also after a failure). Returns 0;
 * BX_ETOOBIG (over BX_FORM_MAX_BODY bytes or fields), BX_EINVAL (bad encoding), BX_ENOMEM. */
BX_MUST_USE int bx_form_parse(const char *body, size_t length, struct bx_form *form);
/* The first value of the field name, or NULL. */
const char *bx_form_get(const struct bx_form *form, const char *name);
void bx_form_free(struct bx_form *form);

#endif
