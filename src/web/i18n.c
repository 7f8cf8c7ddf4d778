/* Message catalogues (see i18n.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/json.h"
#include "web/assets.h"
#include "web/i18n.h"

const char *const bx_languages[BX_LANGUAGES] = {"ar", "en", "es", "fr", "ru", "zh"};

struct bx_i18n {
	json_t *catalogues[BX_LANGUAGES];
};

int bx_language_index(const char *code)
{
	for (int i = 0; code && i < BX_LANGUAGES; i++)
		if (!strcmp(code, bx_languages[i]))
			return i;
	return -1;
}

bool bx_language_rtl(const char *code)
{
	return code && !strcmp(code, "ar");
}

static int load_catalogue(const char *language, json_t **out, char *problem, size_t problem_size)
{
	char name[64], message[256];
	snprintf(name, sizeof name, "web/i18n/%s.json", language);
	const struct bx_asset *asset = bx_asset_find(name);
	if (!asset) {
		snprintf(problem, problem_size, "%s is missing", name);
		return BX_EINVALID;
	}
	if (bx_json_parse(asset->bytes, asset->size, out, message, sizeof message) || !json_is_object(*out)) {
		snprintf(problem, problem_size, "%s: %s", name, *out ? "expected one object" : message);
		return BX_EINVALID;
	}
	return 0;
}

/* Checks that catalogue has exactly the keys of reference, each a non-empty string. */
static int check_keys(const json_t *reference, const json_t *catalogue, const char *language,
                      char *problem, size_t problem_size)
{
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)reference, key, value) {
		const char *text = json_string_value(json_object_get(catalogue, key));
		if (!text || !*text) {
			snprintf(problem, problem_size, "web/i18n/%s.json: no text for \"%s\"", language, key);
			return BX_EINVALID;
		}
	}
	json_object_foreach((json_t *)catalogue, key, value) {
		if (!json_object_get(reference, key)) {
			snprintf(problem, problem_size, "web/i18n/%s.json: \"%s\" is not in en.json", language, key);
			return BX_EINVALID;
		}
	}
	return 0;
}

int bx_i18n_load(struct bx_i18n **out, char *problem, size_t problem_size)
{
	*out = NULL;
	struct bx_i18n *i18n = calloc(1, sizeof *i18n);
	if (!i18n)
		return BX_ENOMEM;
	int english = bx_language_index("en"), rc = 0;
	for (int i = 0; i < BX_LANGUAGES && !rc; i++)
		rc = load_catalogue(bx_languages[i], &i18n->catalogues[i], problem, problem_size);
	for (int i = 0; i < BX_LANGUAGES && !rc; i++)
		rc = check_keys(i18n->catalogues[english], i18n->catalogues[i], bx_languages[i], problem,
		                problem_size);
	if (rc) {
		bx_i18n_free(i18n);
		return rc;
	}
	*out = i18n;
	return 0;
}

void bx_i18n_free(struct bx_i18n *i18n)
{
	if (!i18n)
		return;
	for (int i = 0; i < BX_LANGUAGES; i++)
		json_decref(i18n->catalogues[i]);
	free(i18n);
}

const char *bx_i18n_text(const struct bx_i18n *i18n, int language, const char *key)
{
	const char *text = language >= 0 && language < BX_LANGUAGES
	                 ? json_string_value(json_object_get(i18n->catalogues[language], key)) : NULL;
	return text ? text : key;
}
