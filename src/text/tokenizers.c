/* A set of kept tokenizers (see tokenizers.h). */
#include <stdlib.h>
#include <string.h>
#include "text/tokenizers.h"

#define MAX_LANGUAGES 16
#define MAX_TAG 15

struct bx_tokenizers {
	struct {
		char language[MAX_TAG + 1];
		struct bx_tokenizer *tokenizer;
	} kept[MAX_LANGUAGES];
	size_t n;
	struct bx_tokenizer *any_language;
};

int bx_tokenizers_new(struct bx_tokenizers **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : BX_ENOMEM;
}

void bx_tokenizers_free(struct bx_tokenizers *tokenizers)
{
	if (!tokenizers)
		return;
	for (size_t i = 0; i < tokenizers->n; i++)
		bx_tokenizer_free(tokenizers->kept[i].tokenizer);
	bx_tokenizer_free(tokenizers->any_language);
	free(tokenizers);
}

struct bx_tokenizer *bx_tokenizers_get(struct bx_tokenizers *tokenizers, const char *language)
{
	size_t length = language ? strlen(language) : 0;
	if (!language || tokenizers->n == MAX_LANGUAGES || length > MAX_TAG) {
		for (size_t i = 0; language && i < tokenizers->n; i++)
			if (!strcmp(tokenizers->kept[i].language, language))
				return tokenizers->kept[i].tokenizer;
		if (!tokenizers->any_language && bx_tokenizer_new(NULL, &tokenizers->any_language))
			return NULL;
		return tokenizers->any_language;
	}
	for (size_t i = 0; i < tokenizers->n; i++)
		if (!strcmp(tokenizers->kept[i].language, language))
			return tokenizers->kept[i].tokenizer;
	struct bx_tokenizer *tokenizer;
	if (bx_tokenizer_new(language, &tokenizer))
		return NULL;
	memcpy(tokenizers->kept[tokenizers->n].language, language, length + 1);
	tokenizers->kept[tokenizers->n++].tokenizer = tokenizer;
	return tokenizer;
}
