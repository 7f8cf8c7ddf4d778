/* The interface's messages in the six UN languages: one catalogue per language
 * (web/i18n/<lang>.json, a flat object of message key to text), compiled into the binary
 * and checked when the server starts: every catalogue must have every key, none empty. */
#ifndef BX_I18N_H
#define BX_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"

#define BX_LANGUAGES 6

/* The interface languages' codes, in the order of the language switcher. */
extern const char *const bx_languages[BX_LANGUAGES];

struct bx_i18n;

/* Loads and checks the six catalogues. Sets *out and returns 0; otherwise returns
 * BX_EINVALID and writes what is wrong (a missing or empty key, bad JSON) in problem. */
BX_MUST_USE int bx_i18n_load(struct bx_i18n **out, char *problem, size_t problem_size);
void bx_i18n_free(struct bx_i18n *i18n);

/* The index of a language code in bx_languages, or -1. */
int bx_language_index(const char *code);
/* True for the languages written right to left (Arabic). */
bool bx_language_rtl(const char *code);

/* The message key in language (an index of bx_languages). An unknown key gives the key
 * itself, which the web tests look for (every key the code uses must be catalogued). */
const char *bx_i18n_text(const struct bx_i18n *i18n, int language, const char *key);

#endif
