/* The schema the record editor edits (see editor.h): the envelope of DESIGN 4.1 described
 * as the formats describe fields, so that one writer and one reader serve both. Left out:
 * id and meta (the server's), type (chosen before the form), translations (kept from the
 * revision edited). */
#include "web/editor.h"

const struct bx_form_limits bx_editor_form_limits = {8 * 1024 * 1024, 4096};

static const char envelope[] =
	"{\"type\": \"object\", \"required\": [\"title\"], \"properties\": {"
	"\"title\": {\"x-lstring\": true, \"maxLength\": 300, \"x-label-key\": \"record.title\"},"
	"\"summary\": {\"x-lstring\": true, \"x-label-key\": \"record.summary\"},"
	"\"text\": {\"x-lstring\": true, \"x-label-key\": \"record.text\"},"
	"\"date\": {\"type\": \"string\", \"format\": \"date\", \"x-label-key\": \"record.date\"},"
	"\"conventions\": {\"type\": \"array\", \"x-label-key\": \"record.instruments\","
	"  \"items\": {\"type\": \"string\", \"x-vocabulary\": \"instruments\"}},"
	"\"countries\": {\"type\": \"array\", \"x-label-key\": \"record.countries\","
	"  \"items\": {\"type\": \"string\", \"x-vocabulary\": \"countries\"}},"
	"\"regions\": {\"type\": \"array\", \"x-label-key\": \"record.regions\","
	"  \"items\": {\"type\": \"string\", \"x-vocabulary\": \"regions\"}},"
	"\"targets\": {\"type\": \"array\", \"x-label-key\": \"record.targets\","
	"  \"items\": {\"type\": \"string\", \"x-vocabulary\": \"targets\"}},"
	"\"subjects\": {\"type\": \"array\", \"x-label-key\": \"record.subjects\","
	"  \"items\": {\"type\": \"string\", \"x-vocabulary\": \"subjects\"}},"
	"\"fields\": {\"type\": \"object\", \"x-label-key\": \"record.fields\"},"
	"\"links\": {\"type\": \"array\", \"x-label-key\": \"record.links\", \"items\": {"
	"  \"type\": \"object\", \"required\": [\"url\"], \"properties\": {"
	"    \"url\": {\"type\": \"string\", \"format\": \"uri\", \"x-label-key\": \"editor.link_url\"},"
	"    \"title\": {\"x-lstring\": true, \"maxLength\": 300, \"x-label-key\": \"editor.link_title\"},"
	"    \"language\": {\"type\": \"string\", \"x-vocabulary\": \"languages\", \"x-label-key\": \"editor.link_language\"},"
	"    \"kind\": {\"type\": \"string\", \"x-label-key\": \"editor.link_kind\", \"x-enum-key\": \"editor.link_kind_\","
	"      \"enum\": [\"document\", \"website\", \"data\", \"image\", \"video\", \"other\"]}}}},"
	"\"status\": {\"type\": \"string\", \"x-label-key\": \"record.status\", \"x-enum-key\": \"status.\"}"
	"}}";

json_t *bx_editor_schema(const json_t *format, const char *const *statuses, size_t n_statuses)
{
	json_t *schema = json_loads(envelope, 0, NULL);
	json_t *properties = json_object_get(schema, "properties");
	json_t *fields = json_object_get(properties, "fields");
	if (!schema)
		return NULL;
	if (format) {
		json_object_set(fields, "properties", json_object_get(format, "properties"));
		json_object_set(fields, "required", json_object_get(format, "required"));
	}
	if (!json_object_size(json_object_get(fields, "properties")))
		json_object_del(properties, "fields");
	json_t *allowed = json_array();
	for (size_t i = 0; i < n_statuses; i++)
		json_array_append_new(allowed, json_string(statuses[i]));
	json_object_set_new(json_object_get(properties, "status"), "enum", allowed);
	return schema;
}
