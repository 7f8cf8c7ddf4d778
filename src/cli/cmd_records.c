/* Commands that move records in and out: import (NDJSON or JSON array files, one batch
 * for all of them) and export (NDJSON or CSV of every published record). */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "records/records.h"
#include "util/buf.h"

/* Feeds one file to the batch; JSON arrays whole, NDJSON line by line. */
static int import_file(struct bx_import *import, const char *path, size_t *n_lines)
{
	FILE *file = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!file)
		return bx_cli_fail("import: cannot open %s", path);
	int first;
	while ((first = fgetc(file)) != EOF && isspace(first))
		;
	if (first != EOF)
		ungetc(first, file);
	if (first == '[') {
		json_error_t error;
		json_t *records = json_loadf(file, JSON_REJECT_DUPLICATES, &error);
		if (!records) {
			if (file != stdin)
				fclose(file);
			return bx_cli_fail("import: %s:%d: %s", path, error.line, error.text);
		}
		size_t i;
		json_t *record;
		json_array_foreach(records, i, record) {
			bx_import_add_json(import, record);
			(*n_lines)++;
		}
		json_decref(records);
	} else {
		char *line = NULL;
		size_t capacity = 0;
		ssize_t length;
		while ((length = getline(&line, &capacity, file)) > 0) {
			(*n_lines)++;
			size_t n = (size_t)length;
			while (n && isspace((unsigned char)line[n - 1]))
				n--;
			bx_import_add_text(import, line, n);
		}
		free(line);
	}
	if (file != stdin)
		fclose(file);
	return 0;
}

/* Prints each problem of the report as FILE:LINE: path: message. */
static void print_problems(json_t *report, char **files, const size_t *file_ends, int n_files)
{
	size_t i, j;
	json_t *line, *error;
	json_array_foreach(json_object_get(report, "lines"), i, line) {
		size_t number = (size_t)json_integer_value(json_object_get(line, "line"));
		int f = 0;
		while (f + 1 < n_files && number > file_ends[f])
			f++;
		size_t local = number - (f ? file_ends[f - 1] : 0);
		json_array_foreach(json_object_get(line, "errors"), j, error)
			fprintf(stderr, "%s:%zu: %s: %s\n", files[f], local,
			        json_string_value(json_object_get(error, "path")),
			        json_string_value(json_object_get(error, "message")));
	}
}

int bx_cmd_import(const struct bx_command *self, int argc, char **argv)
{
	int n, rc = bx_cli_parse(self, NULL, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n < 1)
		return bx_cli_fail("import: name at least one FILE (or - for standard input)");
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	struct bx_principal operator = {.role = BX_ROLE_ADMIN};
	struct bx_actor actor = {&operator, NULL};
	struct bx_import *import = NULL;
	size_t *file_ends = calloc((size_t)n, sizeof *file_ends), n_lines = 0;
	rc = file_ends ? bx_import_begin(node, &actor, false, &import) : BX_ENOMEM;
	int status = rc ? bx_cli_fail("import: %s", bx_strerror(rc)) : 0;
	for (int i = 0; i < n && !status; i++) {
		status = import_file(import, argv[i], &n_lines);
		file_ends[i] = n_lines;
	}
	if (import) {
		json_t *report = NULL;
		rc = bx_import_finish(import, &report);
		if (rc && !status) {
			print_problems(report, argv, file_ends, n);
			status = bx_cli_fail("import: nothing imported: %lld invalid record%s (%s)",
			                     (long long)json_integer_value(json_object_get(report, "invalid")),
			                     json_integer_value(json_object_get(report, "invalid")) == 1 ? "" : "s",
			                     bx_strerror(rc));
		} else if (!status) {
			printf("imported: %lld created, %lld updated, %lld unchanged\n",
			       (long long)json_integer_value(json_object_get(report, "created")),
			       (long long)json_integer_value(json_object_get(report, "updated")),
			       (long long)json_integer_value(json_object_get(report, "unchanged")));
		}
		json_decref(report);
	}
	free(file_ends);
	bx_node_close(node);
	return status;
}

struct exporter {
	FILE *out;
	bool csv;
};

static const char *const csv_languages[] = {"ar", "en", "es", "fr", "ru", "zh"};
static const char *const csv_lists[] = {"conventions", "countries", "regions", "targets", "subjects"};

/* Writes one CSV field, quoted as RFC 4180 says. */
static void csv_field(FILE *out, const char *text, bool last)
{
	fputc('"', out);
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputs(last ? "\"\r\n" : "\",", out);
}

static int export_record(void *context, const struct bx_stored *stored)
{
	struct exporter *exporter = context;
	if (!exporter->csv) {
		fputs(stored->json, exporter->out);
		fputc('\n', exporter->out);
		return ferror(exporter->out) ? BX_EIO : 0;
	}
	json_t *record = json_loads(stored->json, 0, NULL);
	if (!record)
		return BX_EIO;
	json_t *title = json_object_get(record, "title");
	json_t *meta = json_object_get(record, "meta");
	char revision[24];
	snprintf(revision, sizeof revision, "%lld", (long long)stored->revision);
	csv_field(exporter->out, stored->id, false);
	csv_field(exporter->out, stored->type, false);
	csv_field(exporter->out, json_string_value(json_object_get(record, "date")), false);
	for (size_t i = 0; i < 6; i++)
		csv_field(exporter->out, json_string_value(json_object_get(title, csv_languages[i])), false);
	for (size_t i = 0; i < 5; i++) {
		struct bx_buf joined;
		bx_buf_init(&joined, 64 * 1024);
		size_t j;
		json_t *item;
		json_array_foreach(json_object_get(record, csv_lists[i]), j, item)
			if (bx_buf_printf(&joined, "%s%s", j ? ";" : "", json_string_value(item)))
				break;
		csv_field(exporter->out, joined.data, false);
		bx_buf_free(&joined);
	}
	csv_field(exporter->out, json_string_value(json_object_get(meta, "updated")), false);
	csv_field(exporter->out, revision, true);
	json_decref(record);
	return ferror(exporter->out) ? BX_EIO : 0;
}

int bx_cmd_export(const struct bx_command *self, int argc, char **argv)
{
	const char *format = "ndjson", *out_path = NULL;
	const struct bx_option options[] = {
		{"--format", "FORMAT", "ndjson (default) or csv", &format},
		{"--out", "FILE", "write to FILE instead of standard output", &out_path},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n)
		return bx_cli_fail("export: unexpected argument %s", argv[0]);
	if (strcmp(format, "ndjson") && strcmp(format, "csv"))
		return bx_cli_fail("export: --format is ndjson or csv");
	struct bx_node *node = NULL;
	if (bx_node_open(bx_cli_db(), &node))
		return 1;
	struct exporter exporter = {out_path ? fopen(out_path, "w") : stdout, !strcmp(format, "csv")};
	if (!exporter.out) {
		bx_node_close(node);
		return bx_cli_fail("export: cannot write %s", out_path);
	}
	if (exporter.csv)
		fputs("id,type,date,title_ar,title_en,title_es,title_fr,title_ru,title_zh,"
		      "conventions,countries,regions,targets,subjects,updated,revision\r\n", exporter.out);
	rc = bx_store_each_published(node->store, export_record, &exporter);
	if (fflush(exporter.out) && !rc)
		rc = BX_EIO;
	if (out_path)
		fclose(exporter.out);
	bx_node_close(node);
	return rc ? bx_cli_fail("export: %s", bx_strerror(rc)) : 0;
}
