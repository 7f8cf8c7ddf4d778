/* Reading a form sent as application/x-www-form-urlencoded, within limits the caller
 * chooses (a sign-in form is small, a record's form is not): '+' and %XX decoded; a NUL
 * or a bad escape refuses it. */
#ifndef BX_FORM_H
#define BX_FORM_H

#include <stddef.h>
#include "util/error.h"

/* The limits of a small form (sign-in, sign-out). */
#define BX_FORM_MAX_FIELDS 32
#define BX_FORM_MAX_BODY (64 * 1024)

struct bx_form_limits {
	size_t max_body;       /* bytes, encoded */
	size_t max_fields;
};

extern const struct bx_form_limits bx_form_small;

struct bx_form {
	char *text;            /* the decoded fields, NUL-separated */
	const char **names;    /* n_fields of each, pointing into text */
	const char **values;
	size_t n_fields;
};

/* Parses body[0..length) into *form (bx_form_free it, also after a failure). Returns 0;
 * BX_ETOOBIG (over the limits' bytes or fields), BX_EINVAL (bad encoding), BX_ENOMEM. */
BX_MUST_USE int bx_form_parse(const char *body, size_t length, const struct bx_form_limits *limits,
                              struct bx_form *form);
/* The first value of the field name, or NULL. */
const char *bx_form_get(const struct bx_form *form, const char *name);
void bx_form_free(struct bx_form *form);

#endif
