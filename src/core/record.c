/* Canonical stored form of records (see record.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/record.h"
#include "util/timeutil.h"
#include "util/strings.h"

static const char *const canonical_order[] = {
	"id", "type", "status", "title", "summary", "text", "translations", "conventions",
	"countries", "regions", "targets", "subjects", "date", "links", "fields",
};
static const char *const list_keys[] = {"conventions", "countries", "regions", "targets", "subjects"};
static const char *const lstring_keys[] = {"title", "summary", "text"};

#define COUNT(list) (sizeof list / sizeof list[0])

/* A copy of a list of strings without repeats, in first-seen order. Lists are short
 * (at most 200 values, usually a few), so a linear scan beats a hash table. */
static json_t *unique_list(const json_t *list)
{
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach((json_t *)list, i, item) {
		const char *value = json_string_value(item);
		if (value && !bx_json_array_has(out, value))
			json_array_append(out, item);
	}
	return out;
}

static void add_regions(const struct bx_catalog *catalog, json_t *record)
{
	json_t *countries = json_object_get(record, "countries");
	if (!json_array_size(countries))
		return;
	json_t *regions = json_object_get(record, "regions");
	json_t *all = regions ? json_copy(regions) : json_array();
	size_t i, j;
	json_t *country, *region;
	json_array_foreach(countries, i, country) {
		const json_t *of = bx_catalog_regions_of(catalog, json_string_value(country));
		/* copies: the catalog is shared by threads, so its values are never referenced */
		json_array_foreach((json_t *)of, j, region)
			json_array_append_new(all, json_string(json_string_value(region)));
	}
	json_object_set_new(record, "regions", unique_list(all));
	json_decref(all);
}

/* A new local id: <node>:<type>-<12 random base32 characters>. */
static json_t *new_id(const char *node, const char *type)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char random[12];
	char local[13], id[200];
	randombytes_buf(random, sizeof random);
	for (size_t i = 0; i < sizeof random; i++)
		local[i] = alphabet[random[i] & 31];
	local[12] = '\0';
	snprintf(id, sizeof id, "%s:%.40s-%s", node, type, local);
	return json_string(id);
}

/* The node a record id names ("fr" of "fr:nr7"), written into out; "" when none. */
static void id_node(const char *id, char out[33])
{
	const char *colon = id ? strchr(id, ':') : NULL;
	snprintf(out, 33, "%.*s", colon ? (int)(colon - id) : 0, colon ? id : "");
}

static void stamp_harvested(const struct bx_write_context *context, json_t *meta, const char *now)
{
	if (context->replicating)
		json_object_set_new(meta, "harvested", json_string(now));
}

static json_t *make_meta(const struct bx_write_context *context, const char *id,
                         const json_t *input_meta, const json_t *current_record, int64_t revision)
{
	char now[BX_TIME_ISO_SIZE], named_node[33];
	bx_time_iso(bx_time_now(), now);
	/* A new record comes from the node its id names (this one, unless an import keeps
	 * another node's id). */
	id_node(id, named_node);
	const char *default_origin = named_node[0] ? named_node : context->node;
	if (context->keep_meta && json_is_object(input_meta) &&
	    json_integer_value(json_object_get(input_meta, "revision")) > 0) {
		json_t *meta = json_object();
		static const char *const kept[] = {"revision", "created", "updated", "origin", "author",
		                                   "harvested"};
		for (size_t i = 0; i < COUNT(kept); i++) {
			json_t *value = json_object_get(input_meta, kept[i]);
			if (value)
				json_object_set(meta, kept[i], value);
		}
		if (!json_is_string(json_object_get(meta, "created")))
			json_object_set_new(meta, "created", json_string(now));
		if (!json_is_string(json_object_get(meta, "updated")))
			json_object_set_new(meta, "updated", json_string(now));
		if (!json_is_string(json_object_get(meta, "origin")))
			json_object_set_new(meta, "origin", json_string(default_origin));
		stamp_harvested(context, meta, now);
		return meta;
	}
	json_t *current_meta = json_object_get(current_record, "meta");
	json_t *created = json_object_get(current_meta, "created");
	json_t *origin = json_object_get(current_meta, "origin");
	json_t *meta = json_pack("{s:I, s:s, s:s, s:s}", "revision", (json_int_t)revision,
	                         "created", created ? json_string_value(created) : now,
	                         "updated", now,
	                         "origin", origin ? json_string_value(origin) : default_origin);
	if (context->actor)
		json_object_set_new(meta, "author", json_string(context->actor));
	stamp_harvested(context, meta, now);
	return meta;
}

int bx_record_each_facet(const json_t *record, bx_facet_fn fn, void *context)
{
	int rc = 0;
	static const char *const facet_of_list[][2] = {
		{"conventions", "instrument"}, {"countries", "country"}, {"regions", "region"},
		{"targets", "target"}, {"subjects", "subject"},
	};
	for (size_t k = 0; k < COUNT(facet_of_list) && !rc; k++) {
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(record, facet_of_list[k][0]), i, item)
			if (!rc && json_is_string(item))
				rc = fn(context, facet_of_list[k][1], json_string_value(item));
	}
	/* A language counts once, however many of title, summary and text are in it. */
	for (size_t k = 0; k < COUNT(lstring_keys) && !rc; k++) {
		const char *language;
		json_t *text;
		json_object_foreach(json_object_get(record, lstring_keys[k]), language, text) {
			bool seen = false;
			for (size_t earlier = 0; earlier < k && !seen; earlier++)
				seen = json_object_get(json_object_get(record, lstring_keys[earlier]), language) != NULL;
			if (!rc && !seen)
				rc = fn(context, "language", language);
		}
	}
	return rc;
}

/* base_revision: the revision this one replaces, 0 for a new record. */
static int finish(const struct bx_write_context *context, enum bx_write_mode mode,
                  int64_t base_revision, bool deleted, struct bx_prepared *out)
{
	json_t *record = out->record, *meta = json_object_get(record, "meta");
	out->json = json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out->json)
		return BX_ENOMEM;
	out->write = (struct bx_record_write){
		.mode = mode,
		.id = json_string_value(json_object_get(record, "id")),
		.type = json_string_value(json_object_get(record, "type")),
		.status = json_string_value(json_object_get(record, "status")),
		.revision = json_integer_value(json_object_get(meta, "revision")),
		.base_revision = base_revision,
		.deleted = deleted,
		.origin = json_string_value(json_object_get(meta, "origin")),
		.author = json_string_value(json_object_get(meta, "author")),
		.updated = json_string_value(json_object_get(meta, "updated")),
		.json = out->json,
		.actor = context->actor,
		.action = deleted ? "record.withdraw" : base_revision ? "record.update" : "record.create",
		.address = context->address,
	};
	return 0;
}

int bx_record_prepare(const struct bx_write_context *context, const json_t *input,
                      const json_t *current_record, const char *default_status,
                      enum bx_write_mode mode, struct bx_prepared *out)
{
	memset(out, 0, sizeof *out);
	/* Defaults and derived values go into a working copy, which is then laid out in the
	 * canonical key order. */
	json_t *work = json_copy((json_t *)input);
	if (!work)
		return BX_ENOMEM;
	if (!json_object_get(work, "id"))
		json_object_set_new(work, "id", new_id(context->node, json_string_value(json_object_get(input, "type"))));
	if (!json_object_get(work, "status"))
		json_object_set_new(work, "status", json_string(default_status));
	for (size_t i = 0; i < COUNT(list_keys); i++) {
		json_t *list = json_object_get(work, list_keys[i]);
		if (list)
			json_object_set_new(work, list_keys[i], unique_list(list));
	}
	add_regions(context->catalog, work);
	if (!json_object_get(work, "fields"))
		json_object_set_new(work, "fields", json_object());
	json_t *record = out->record = json_object();
	for (size_t i = 0; i < COUNT(canonical_order); i++) {
		json_t *value = json_object_get(work, canonical_order[i]);
		if (value)
			json_object_set(record, canonical_order[i], value);   /* shared, never mutated */
	}
	json_decref(work);

	int64_t base_revision = json_integer_value(json_object_get(json_object_get(current_record, "meta"),
	                                                                "revision"));
	json_object_set_new(record, "meta", make_meta(context, json_string_value(json_object_get(record, "id")),
	                    json_object_get(input, "meta"), current_record, base_revision + 1));
	return finish(context, mode, base_revision, false, out);
}

/* The tombstone of current: revision and updated as given, author unless NULL. */
static int tombstone(const struct bx_write_context *context, const struct bx_stored *current,
                     int64_t revision, const char *updated, const char *author,
                     struct bx_prepared *out)
{
	memset(out, 0, sizeof *out);
	json_t *record = out->record = json_loads(current->json, 0, NULL);
	if (!record)
		return BX_EIO;
	json_t *meta = json_object_get(record, "meta");
	if (!json_is_object(meta))
		json_object_set_new(record, "meta", meta = json_object());
	json_object_set_new(record, "status", json_string("withdrawn"));
	json_object_set_new(meta, "revision", json_integer((json_int_t)revision));
	json_object_set_new(meta, "updated", json_string(updated));
	if (author)
		json_object_set_new(meta, "author", json_string(author));
	json_object_set_new(meta, "deleted", json_true());
	char now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	stamp_harvested(context, meta, now);
	bool replica = revision != current->revision + 1;
	return finish(context, replica ? BX_WRITE_REPLICA : BX_WRITE_UPDATE, current->revision, true, out);
}

int bx_record_tombstone(const struct bx_write_context *context, const struct bx_stored *current,
                        struct bx_prepared *out)
{
	char now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	return tombstone(context, current, current->revision + 1, now, context->actor, out);
}

int bx_record_tombstone_replica(const struct bx_write_context *context,
                                const struct bx_stored *current, const json_t *source_meta,
                                struct bx_prepared *out)
{
	char now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	int64_t revision = json_integer_value(json_object_get(source_meta, "revision"));
	const char *updated = json_string_value(json_object_get(source_meta, "updated"));
	const char *author = json_string_value(json_object_get(source_meta, "author"));
	return tombstone(context, current, revision > 0 ? revision : current->revision + 1,
	                 updated && bx_is_datetime(updated) ? updated : now,
	                 author ? author : context->actor, out);
}

void bx_prepared_free(struct bx_prepared *prepared)
{
	json_decref(prepared->record);
	free(prepared->json);
	memset(prepared, 0, sizeof *prepared);
}

static void redact(const json_t *schema, json_t *value)
{
	const char *name;
	json_t *property, *member;
	void *next;
	if (json_is_object(value)) {
		json_t *properties = json_object_get(schema, "properties");
		json_object_foreach_safe(value, next, name, member) {
			property = json_object_get(properties, name);
			if (json_is_true(json_object_get(property, "x-private")))
				json_object_del(value, name);
			else if (property)
				redact(property, member);
		}
	} else if (json_is_array(value)) {
		size_t i;
		json_array_foreach(value, i, member)
			redact(json_object_get(schema, "items"), member);
	}
}

void bx_record_redact(const struct bx_catalog *catalog, json_t *record)
{
	const char *type = json_string_value(json_object_get(record, "type"));
	const json_t *format = type ? bx_catalog_format(catalog, type) : NULL;
	if (format)
		redact(format, json_object_get(record, "fields"));
}
