/* Fuzz target for vocabulary files: the bytes are written to a file and loaded with
 * bx_vocab_load_file into a store. A load must never crash; a file that breaks the
 * format's rules (data/README.md, core/vocab.h) must be refused and leave the store's
 * vocabularies as they were; an accepted one must be stored with all its terms. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "core/vocab.h"
#include "util/buf.h"

#define MAX_INPUT (256 * 1024)
#define RUNS_PER_STORE 2000    /* loads before the store is made afresh */

static char db_path[4096], file_path[4096];
static struct bx_store *store;
static unsigned runs;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	bx_fuzz_setup();
	bx_fuzz_path(db_path, sizeof db_path, "vocab.db");
	bx_fuzz_path(file_path, sizeof file_path, "input.json");
	store = bx_fuzz_make_store(db_path, "fz", false);
	return 0;
}

static int append_info(void *context, const char *json)
{
	struct bx_buf *infos = context;
	return bx_buf_puts(infos, json) || bx_buf_puts(infos, "\n") ? BX_ENOMEM : 0;
}

/* Every vocabulary's info, one per line, as the store lists them. */
static char *list_infos(void)
{
	struct bx_buf infos;
	bx_buf_init(&infos, SIZE_MAX);
	int rc = bx_store_vocab_each_info(store, append_info, &infos);
	if (rc)
		bx_fuzz_fail("bx_store_vocab_each_info: %s", bx_strerror(rc));
	char *text = bx_buf_steal(&infos);
	return text ? text : strdup("");
}

/* Does root break a rule every vocabulary file must keep? Sets *n_terms otherwise. */
static bool breaks_rules(const json_t *root, size_t *n_terms)
{
	const char *name = json_string_value(json_object_get(root, "name"));
	json_t *terms = json_object_get(root, "terms");
	if (!json_is_object(root) || !name || !*name || !json_is_array(terms))
		return true;
	json_t *seen = json_object();
	bool broken = false;
	size_t i;
	json_t *term;
	json_array_foreach(terms, i, term) {
		const char *id = json_string_value(json_object_get(term, "id"));
		json_t *labels = json_object_get(term, "labels");
		const char *language;
		json_t *label;
		if (!json_is_object(term) || !id || !*id || !json_is_object(labels) ||
		    json_object_get(seen, id)) {
			broken = true;
			break;
		}
		json_object_foreach(labels, language, label)
			broken = broken || !json_is_string(label);
		json_object_set_new(seen, id, json_true());
	}
	json_decref(seen);
	*n_terms = json_array_size(terms);
	return broken;
}

static int count_term(void *context, const char *json)
{
	(*(size_t *)context)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	if (++runs % RUNS_PER_STORE == 0) {
		bx_store_close(store);
		store = bx_fuzz_make_store(db_path, "fz", false);
	}
	FILE *file = fopen(file_path, "wb");
	if (!file || fwrite(data, 1, size, file) != size || fclose(file))
		bx_fuzz_fail("cannot write %s", file_path);

	json_error_t error;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &error);
	size_t n_terms = 0;
	bool bad = !root || breaks_rules(root, &n_terms);
	char *before = list_infos();
	int rc = bx_vocab_load_file(store, file_path);
	char *after = list_infos();

	if (bad && rc == 0)
		bx_fuzz_fail("a vocabulary file that breaks the format was accepted");
	if (rc != 0 && rc != BX_EINVALID && rc != BX_ENOMEM)
		bx_fuzz_fail("bx_vocab_load_file: %s", bx_strerror(rc));
	if (rc != 0 && strcmp(before, after) != 0)
		bx_fuzz_fail("a refused vocabulary file changed the store");
	if (rc == 0) {
		const char *name = json_string_value(json_object_get(root, "name"));
		int64_t total = -1;
		size_t listed = 0;
		int terms_rc = bx_store_vocab_terms(store, name, NULL, 0, 1000000, &total, count_term, &listed);
		if (terms_rc || total != (int64_t)n_terms || listed != n_terms)
			bx_fuzz_fail("vocabulary %s was loaded with %zu terms but the store lists %lld (%zu) [%s]",
			             name, n_terms, (long long)total, listed, bx_strerror(terms_rc));
	}
	free(before);
	free(after);
	json_decref(root);
	return 0;
}
