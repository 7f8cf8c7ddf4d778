/* Vocabulary and format loading (see vocab.h). Terms are checked, given a case-folded
 * match text for label queries, and written in one transaction per vocabulary. The
 * regions get the names CLDR gives them in the UN languages their source lacks. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/ulocdata.h>
#include <unicode/ustring.h>
#include "core/schema.h"
#include "core/vocab.h"
#include "text/fold.h"
#include "util/log.h"

#define MAX_VOCAB_TERMS 200000
#define MAX_MATCH_TEXT (64 * 1024)

static int term_match_text(json_t *term, const char *id, struct bx_buf *match)
{
	int rc = bx_fold_append(id, match);
	const char *language;
	json_t *label;
	json_object_foreach(json_object_get(term, "labels"), language, label) {
		if (!json_is_string(label) || !json_string_length(label) || json_string_length(label) > 4000 * 4)
			return BX_EINVALID;
		if (!rc)
			rc = bx_buf_puts(match, "\n");
		if (!rc)
			rc = bx_fold_append(json_string_value(label), match);
	}
	return rc;
}

/* Sets each term's "narrower" to the ids of the terms that name it as broader. */
static void add_narrower(json_t *terms)
{
	json_t *by_id = json_object();
	size_t i, j;
	json_t *term, *broader;
	json_array_foreach(terms, i, term) {
		const char *id = json_string_value(json_object_get(term, "id"));
		if (id && json_is_object(term)) {
			json_object_del(term, "narrower");
			json_object_set(by_id, id, term);
		}
	}
	json_array_foreach(terms, i, term) {
		json_array_foreach(json_object_get(term, "broader"), j, broader) {
			json_t *parent = json_object_get(by_id, json_string_value(broader) ?: "");
			if (!parent)
				continue;
			json_t *narrower = json_object_get(parent, "narrower");
			if (!narrower)
				json_object_set_new(parent, "narrower", narrower = json_array());
			json_array_append(narrower, json_object_get(term, "id"));
		}
	}
	json_decref(by_id);
}

/* Stores vocabulary `root` (already parsed) under its name; origin names it in logs. */
static int store_vocabulary(struct bx_store *store, json_t *root, const char *origin)
{
	const char *name = json_string_value(json_object_get(root, "name"));
	json_t *terms = json_object_get(root, "terms");
	if (!name || !*name || !json_is_array(terms) || json_array_size(terms) > MAX_VOCAB_TERMS) {
		bx_log(BX_LOG_ERROR, "%s: a vocabulary needs \"name\" and a \"terms\" array", origin);
		return BX_EINVALID;
	}
	size_t n_terms = json_array_size(terms);
	add_narrower(terms);
	struct bx_term *rows = calloc(n_terms ? n_terms : 1, sizeof *rows);
	json_t *seen = json_object();
	json_t *info = json_copy(root);   /* shallow: only its "terms" member is dropped */
	char *info_json = NULL;
	int rc = rows && seen && info ? 0 : BX_ENOMEM;

	for (size_t i = 0; i < n_terms && !rc; i++) {
		json_t *term = json_array_get(terms, i);
		const char *id = json_string_value(json_object_get(term, "id"));
		if (!json_is_object(term) || !id || !*id || strlen(id) > 256 ||
		    !json_is_object(json_object_get(term, "labels"))) {
			bx_log(BX_LOG_ERROR, "%s: term %zu needs an \"id\" and a \"labels\" object", origin, i);
			rc = BX_EINVALID;
			break;
		}
		if (json_object_get(seen, id)) {
			bx_log(BX_LOG_ERROR, "%s: term id %s appears twice", origin, id);
			rc = BX_EINVALID;
			break;
		}
		json_object_set_new(seen, id, json_true());
		struct bx_buf match;
		bx_buf_init(&match, MAX_MATCH_TEXT);
		if ((rc = term_match_text(term, id, &match))) {
			bx_log(BX_LOG_ERROR, "%s: term %s has a label that is empty, too long or not text",
			       origin, id);
			bx_buf_free(&match);
			break;
		}
		rows[i].id = id;
		rows[i].match_text = bx_buf_steal(&match);
		rows[i].json = json_dumps(term, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!rows[i].json || !rows[i].match_text)
			rc = BX_ENOMEM;
	}
	if (!rc) {
		json_object_del(info, "terms");
		if (!(info_json = json_dumps(info, JSON_COMPACT | JSON_PRESERVE_ORDER)))
			rc = BX_ENOMEM;
	}
	if (!rc)
		rc = bx_store_vocab_replace(store, name, info_json, rows, n_terms);
	if (!rc)
		bx_log(BX_LOG_INFO, "loaded vocabulary %s: %zu terms", name, n_terms);
	for (size_t i = 0; rows && i < n_terms; i++) {
		free((char *)rows[i].match_text);
		free((char *)rows[i].json);
	}
	free(rows);
	free(info_json);
	json_decref(info);
	json_decref(seen);
	return rc;
}

/* Gives each term of the regions vocabulary `root` whose id is a three-digit M49 code the
 * name Unicode CLDR has for it (through ICU) in each UN language the term has no label
 * in, marked as a human translation; labels from the source are kept as they are. A code
 * CLDR does not name (ICU then answers the code with U_USING_DEFAULT_WARNING) gets
 * nothing. When a name is added, the vocabulary's source and licence say where it comes
 * from. Malformed terms are skipped, for store_vocabulary to refuse. Returns 0 or
 * BX_ENOMEM. */
static int add_cldr_region_names(json_t *root)
{
	static const char *const languages[] = {"ar", "en", "es", "fr", "ru", "zh"};
	size_t i, n_added = 0;
	json_t *term;
	json_array_foreach(json_object_get(root, "terms"), i, term) {
		const char *id = json_string_value(json_object_get(term, "id"));
		json_t *labels = json_object_get(term, "labels");
		json_t *translations = json_object_get(term, "translations");
		if (!id || strlen(id) != 3 || strspn(id, "0123456789") != 3 || !json_is_object(labels) ||
		    (translations && !json_is_object(translations)))
			continue;
		char locale[8];
		snprintf(locale, sizeof locale, "und_%s", id);
		for (size_t j = 0; j < sizeof languages / sizeof languages[0]; j++) {
			if (json_object_get(labels, languages[j]))
				continue;
			UChar name_utf16[256];
			char name[1024];
			UErrorCode status = U_ZERO_ERROR;
			int32_t length = uloc_getDisplayCountry(locale, languages[j], name_utf16,
			                                        sizeof name_utf16 / sizeof name_utf16[0], &status);
			if (status == U_ZERO_ERROR)
				u_strToUTF8(name, sizeof name, NULL, name_utf16, length, &status);
			if (status != U_ZERO_ERROR || !strcmp(name, id))
				continue;
			if (!translations && json_object_set_new(term, "translations", translations = json_object()))
				return BX_ENOMEM;
			if (json_object_set_new(labels, languages[j], json_string(name)) ||
			    json_object_set_new(translations, languages[j], json_string("human")))
				return BX_ENOMEM;
			n_added++;
		}
	}
	if (!n_added)
		return 0;
	UVersionInfo cldr;
	UErrorCode status = U_ZERO_ERROR;
	ulocdata_getCLDRVersion(cldr, &status);
	/* CLDR's data licence became Unicode-3.0 with CLDR 44. */
	json_t *source = json_sprintf("%s; names in other languages from Unicode CLDR %d "
	                              "(through ICU, at load time)",
	                              json_string_value(json_object_get(root, "source")) ?: "",
	                              U_SUCCESS(status) ? cldr[0] : 0);
	json_t *licence = json_sprintf("%s AND %s", json_string_value(json_object_get(root, "licence")) ?: "",
	                               U_SUCCESS(status) && cldr[0] >= 44 ? "Unicode-3.0" : "Unicode-DFS-2016");
	if (json_object_set_new(root, "source", source) || json_object_set_new(root, "licence", licence))
		return BX_ENOMEM;
	return 0;
}

static json_t *load_json(const char *path)
{
	json_error_t error;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
	if (!root)
		bx_log(BX_LOG_ERROR, "%s:%d: %s", path, error.line, error.text);
	return root;
}

int bx_vocab_load_file(struct bx_store *store, const char *path)
{
	json_t *root = load_json(path);
	if (!root)
		return BX_EINVALID;
	int rc = 0;
	if (!strcmp(json_string_value(json_object_get(root, "name")) ?: "", "regions"))
		rc = add_cldr_region_names(root);
	if (!rc)
		rc = store_vocabulary(store, root, path);
	json_decref(root);
	return rc;
}

/* Calls fn for every *.json file of dir in name order. */
static int each_json_file(const char *dir, int (*fn)(void *, const char *path, const char *stem),
                          void *context)
{
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, alphasort);
	if (n < 0) {
		bx_log(BX_LOG_ERROR, "cannot read directory %s", dir);
		return BX_ENOTFOUND;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		size_t length = strlen(name);
		if (!rc && length > 5 && strcmp(name + length - 5, ".json") == 0 && name[0] != '.') {
			char path[4096], stem[256];
			snprintf(path, sizeof path, "%s/%s", dir, name);
			snprintf(stem, sizeof stem, "%.*s", (int)(length - 5), name);
			rc = fn(context, path, stem);
		}
		free(entries[i]);
	}
	free(entries);
	return rc;
}

static int load_vocab_entry(void *store, const char *path, const char *stem)
{
	return bx_vocab_load_file(store, path);
}

int bx_vocab_load_dir(struct bx_store *store, const char *dir)
{
	return each_json_file(dir, load_vocab_entry, store);
}

/* Adds the format at path to the "types" vocabulary being built in terms. */
static int add_format(void *terms, const char *path, const char *stem)
{
	json_t *schema = load_json(path);
	if (!schema)
		return BX_EINVALID;
	int rc = 0;
	const char *title = json_string_value(json_object_get(schema, "title"));
	if (!title || strcmp(title, stem) != 0) {
		bx_log(BX_LOG_ERROR, "%s: \"title\" must be the type name %s", path, stem);
		rc = BX_EINVALID;
	}
	char problem[512];
	if (!rc && bx_schema_check(schema, problem, sizeof problem)) {
		bx_log(BX_LOG_ERROR, "%s: %s", path, problem);
		rc = BX_EINVALID;
	}
	if (!rc) {
		json_t *labels = json_object_get(schema, "x-labels");
		json_array_append_new(terms, json_pack("{s:s, s:o, s:O}", "id", stem,
		                      "labels", labels ? json_incref(labels) : json_object(), "schema", schema));
	}
	json_decref(schema);
	return rc;
}

int bx_formats_load_dir(struct bx_store *store, const char *dir)
{
	char enums[4096];
	snprintf(enums, sizeof enums, "%s/enums", dir);
	int rc = bx_vocab_load_dir(store, enums);
	if (rc)
		return rc;
	json_t *types = json_pack("{s:s, s:{s:s}, s:s, s:s, s:[]}", "name", "types", "title", "en",
	                          "Record types", "source", "bioex formats", "licence", "CC0-1.0",
	                          "terms");
	if (!types)
		return BX_ENOMEM;
	rc = each_json_file(dir, add_format, json_object_get(types, "terms"));
	if (!rc && json_array_size(json_object_get(types, "terms")) == 0) {
		bx_log(BX_LOG_ERROR, "%s: no formats found", dir);
		rc = BX_ENOTFOUND;
	}
	if (!rc)
		rc = store_vocabulary(store, types, dir);
	json_decref(types);
	return rc;
}
