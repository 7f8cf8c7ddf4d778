/* The tokenizer as SQLite FTS5 tokenizer "bioex" (see tokenize.h). Each FTS5 table of a
 * connection gets its own bx_tokenizer, which SQLite uses from one thread at a time. */
#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include "text/tokenize.h"

_Static_assert(BX_TOKEN_COLOCATED == FTS5_TOKEN_COLOCATED, "token flags are FTS5's");

/* A language argument: a letter, then letters, digits, '-' or '_', at most 35 in all. */
static bool is_language_argument(const char *text)
{
	size_t n = strlen(text);
	if (n == 0 || n > 35 || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z')))
		return false;
	return strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static int create_tokenizer(void *user_data, const char **args, int n_args, Fts5Tokenizer **out)
{
	*out = NULL;
	if (n_args > 1 || (n_args == 1 && !is_language_argument(args[0])))
		return SQLITE_ERROR;
	struct bx_tokenizer *tokenizer;
	int rc = bx_tokenizer_new(n_args ? args[0] : NULL, &tokenizer);
	if (rc)
		return rc == BX_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
	*out = (Fts5Tokenizer *)tokenizer;
	return SQLITE_OK;
}

static void delete_tokenizer(Fts5Tokenizer *tokenizer)
{
	bx_tokenizer_free((struct bx_tokenizer *)tokenizer);
}

/* Documents, queries and prefix queries are tokenized alike: a prefix is stemmed too, so
 * that forests* finds the indexed stem forest. SQLite's codes are positive, ours negative. */
static int run_tokenizer(Fts5Tokenizer *tokenizer, void *context, int flags, const char *text, int length,
                    int (*token)(void *context, int flags, const char *token, int length, int start, int end))
{
	int rc = bx_tokenizer_run((struct bx_tokenizer *)tokenizer, text, length, token, context);
	if (rc < 0)
		return rc == BX_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
	return rc;
}

int bx_tokenize_register_fts5(struct sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *statement = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, NULL) != SQLITE_OK)
		return BX_EIO;
	sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(statement);
	sqlite3_finalize(statement);
	if (!api || api->iVersion < 2)
		return BX_EIO;
	fts5_tokenizer methods = {create_tokenizer, delete_tokenizer, run_tokenizer};
	return api->xCreateTokenizer(api, "bioex", NULL, &methods, NULL) == SQLITE_OK ? 0 : BX_EIO;
}
