/* In-memory catalog (see catalog.h). Term membership is one hash lookup of
 * "vocabulary\x1fid" in a jansson object, which is a hash table. */
#include <stdlib.h>
#include <string.h>
#include "core/catalog.h"
#include "core/schema.h"
#include "util/log.h"

#define MAX_PATTERNS 1024

struct bx_catalog {
	json_t *terms;          /* "vocabulary\x1fid" -> true */
	json_t *vocabularies;   /* name -> true */
	json_t *formats;        /* type -> schema */
	json_t *private_names;  /* type -> ["\"contact\":", ...]: its x-private property keys as they appear in JSON */
	json_t *regions;        /* country -> [region, ...] */
	json_t *crosswalk;      /* target -> [target, ...] mapped by exactMatch or closeMatch */
	json_t *pattern_index;  /* pattern -> index into patterns */
	regex_t patterns[MAX_PATTERNS];
	size_t n_patterns;
};

struct loading {
	struct bx_store *store;
	struct bx_catalog *catalog;
	const char *vocabulary;
};

static int compile_pattern(void *context, const char *pattern)
{
	struct bx_catalog *catalog = context;
	if (json_object_get(catalog->pattern_index, pattern))
		return 0;
	if (catalog->n_patterns == MAX_PATTERNS)
		return BX_ETOOBIG;
	if (regcomp(&catalog->patterns[catalog->n_patterns], pattern, REG_EXTENDED | REG_NOSUB))
		return BX_EINVALID;
	json_object_set_new(catalog->pattern_index, pattern, json_integer((json_int_t)catalog->n_patterns));
	catalog->n_patterns++;
	return 0;
}

/* Adds to names the keys of every x-private property of schema, at any depth, as
 * they appear in compact JSON ("\"contact\":"). */
static void collect_private(const json_t *schema, json_t *names)
{
	if (!json_is_object(schema))
		return;
	const char *name;
	json_t *property;
	json_object_foreach(json_object_get(schema, "properties"), name, property) {
		if (json_is_true(json_object_get(property, "x-private"))) {
			char *key = NULL;
			if (asprintf(&key, "\"%s\":", name) >= 0)
				json_array_append_new(names, json_string(key));
			free(key);
		}
		collect_private(property, names);
	}
	collect_private(json_object_get(schema, "items"), names);
}

static void link_targets(json_t *crosswalk, const char *from, const char *to)
{
	json_t *list = json_object_get(crosswalk, from);
	if (!list)
		json_object_set_new(crosswalk, from, list = json_array());
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item)
		if (!strcmp(json_string_value(item), to))
			return;
	json_array_append_new(list, json_string(to));
}

/* Records a term's exactMatch and closeMatch mappings, both ways. */
static void add_crosswalk(struct bx_catalog *catalog, const char *id, const json_t *mappings)
{
	size_t i;
	json_t *mapping;
	json_array_foreach((json_t *)mappings, i, mapping) {
		const char *relation = json_string_value(json_object_get(mapping, "relation"));
		const char *target = json_string_value(json_object_get(mapping, "target"));
		if (!relation || !target || (strcmp(relation, "exactMatch") && strcmp(relation, "closeMatch")))
			continue;
		link_targets(catalog->crosswalk, id, target);
		link_targets(catalog->crosswalk, target, id);
	}
}

static int add_term(void *context, const char *term_json)
{
	struct loading *loading = context;
	struct bx_catalog *catalog = loading->catalog;
	json_t *term = json_loads(term_json, 0, NULL);
	const char *id = json_string_value(json_object_get(term, "id"));
	if (!id) {
		json_decref(term);
		return BX_EIO;
	}
	char key[512];
	snprintf(key, sizeof key, "%s\x1f%s", loading->vocabulary, id);
	json_object_set_new(catalog->terms, key, json_true());
	int rc = 0;
	if (!strcmp(loading->vocabulary, "types")) {
		json_t *schema = json_object_get(term, "schema");
		json_object_set(catalog->formats, id, schema);
		json_t *names = json_array();
		collect_private(schema, names);
		if (json_array_size(names))
			json_object_set(catalog->private_names, id, names);
		json_decref(names);
		rc = bx_schema_each_pattern(schema, compile_pattern, catalog);
	} else if (!strcmp(loading->vocabulary, "targets")) {
		add_crosswalk(catalog, id, json_object_get(term, "mappings"));
	} else if (!strcmp(loading->vocabulary, "countries")) {
		json_t *broader = json_object_get(term, "broader");
		if (json_is_array(broader))
			json_object_set(catalog->regions, id, broader);
	}
	json_decref(term);
	return rc;
}

static int add_vocabulary(void *context, const char *info_json)
{
	struct loading *loading = context;
	json_t *info = json_loads(info_json, 0, NULL);
	const char *name = json_string_value(json_object_get(info, "name"));
	int rc = BX_EIO;
	if (name) {
		json_object_set_new(loading->catalog->vocabularies, name, json_true());
		struct loading terms = {loading->store, loading->catalog, name};
		int64_t total;
		rc = bx_store_vocab_terms(loading->store, name, NULL, 0, -1, &total, add_term, &terms);
	}
	json_decref(info);
	return rc;
}

int bx_catalog_load(struct bx_store *store, struct bx_catalog **out)
{
	struct bx_catalog *catalog = calloc(1, sizeof *catalog);
	*out = NULL;
	if (!catalog)
		return BX_ENOMEM;
	catalog->terms = json_object();
	catalog->vocabularies = json_object();
	catalog->formats = json_object();
	catalog->private_names = json_object();
	catalog->regions = json_object();
	catalog->crosswalk = json_object();
	catalog->pattern_index = json_object();
	struct loading loading = {store, catalog, NULL};
	int rc = bx_store_vocab_each_info(store, add_vocabulary, &loading);
	if (!rc && json_object_size(catalog->formats) == 0) {
		bx_log(BX_LOG_ERROR, "the database has no record formats: run bioex init or bioex vocab load");
		rc = BX_ENOTFOUND;
	}
	if (rc) {
		bx_catalog_free(catalog);
		return rc;
	}
	*out = catalog;
	return 0;
}

void bx_catalog_free(struct bx_catalog *catalog)
{
	if (!catalog)
		return;
	for (size_t i = 0; i < catalog->n_patterns; i++)
		regfree(&catalog->patterns[i]);
	json_decref(catalog->terms);
	json_decref(catalog->vocabularies);
	json_decref(catalog->formats);
	json_decref(catalog->private_names);
	json_decref(catalog->regions);
	json_decref(catalog->crosswalk);
	json_decref(catalog->pattern_index);
	free(catalog);
}

bool bx_catalog_has_vocabulary(const struct bx_catalog *catalog, const char *vocabulary)
{
	return json_object_get(catalog->vocabularies, vocabulary) != NULL;
}

bool bx_catalog_has_term(const struct bx_catalog *catalog, const char *vocabulary, const char *id)
{
	char key[512];
	size_t n_vocabulary = strlen(vocabulary), n_id = strlen(id);
	if (n_vocabulary + n_id + 2 > sizeof key)
		return false;
	memcpy(key, vocabulary, n_vocabulary);
	key[n_vocabulary] = '\x1f';
	memcpy(key + n_vocabulary + 1, id, n_id + 1);
	return json_object_getn(catalog->terms, key, n_vocabulary + 1 + n_id) != NULL;
}

const json_t *bx_catalog_format(const struct bx_catalog *catalog, const char *type)
{
	return json_object_get(catalog->formats, type);
}

const json_t *bx_catalog_regions_of(const struct bx_catalog *catalog, const char *country)
{
	return json_object_get(catalog->regions, country);
}

const regex_t *bx_catalog_pattern(const struct bx_catalog *catalog, const char *pattern)
{
	json_t *index = json_object_get(catalog->pattern_index, pattern);
	return index ? &catalog->patterns[json_integer_value(index)] : NULL;
}

bool bx_catalog_may_hold_private(const struct bx_catalog *catalog, const char *type,
                                 const char *json)
{
	size_t i;
	json_t *name;
	json_array_foreach(json_object_get(catalog->private_names, type), i, name)
		if (strstr(json, json_string_value(name)))
			return true;
	return false;
}

const json_t *bx_catalog_crosswalk(const struct bx_catalog *catalog, const char *target)
{
	return json_object_get(catalog->crosswalk, target);
}

const json_t *bx_catalog_formats(const struct bx_catalog *catalog)
{
	return catalog->formats;
}
