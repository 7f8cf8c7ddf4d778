/* Commands that set a node up and look after it: init, vocab load, backup, check. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/commands.h"
#include "core/validate.h"
#include "core/vocab.h"
#include "store/store.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Creates the directories above path (mkdir -p of its dirname). */
static int make_parents(const char *path)
{
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", path);
	char *dir = dirname(copy);
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return mkdir(dir, 0755) && errno != EEXIST ? -1 : 0;
}

/* Loads DIR/vocab and DIR/formats (or the resources beside the program). */
static int load_vocabularies(struct bx_store *store, const char *dir)
{
	char vocab[4096], formats[4096];
	if (dir) {
		snprintf(vocab, sizeof vocab, "%s/data/vocab", dir);
		snprintf(formats, sizeof formats, "%s/formats", dir);
	} else {
		bx_cli_resource("data/vocab", vocab, sizeof vocab);
		bx_cli_resource("formats", formats, sizeof formats);
	}
	int rc = bx_vocab_load_dir(store, vocab);
	if (!rc)
		rc = bx_formats_load_dir(store, formats);
	return rc;
}

int bx_cmd_init(const struct bx_command *self, int argc, char **argv)
{
	const char *slug = NULL, *name = NULL, *resources = NULL;
	const struct bx_option options[] = {
		{"--node", "SLUG", "this node's slug, [a-z0-9-]{2,32} (e.g. cn, cbd)", &slug},
		{"--name", "NAME", "this node's name", &name},
		{"--resources", "DIR", "where data/ and formats/ are (default: beside the program)", &resources},
		{NULL, NULL, NULL, NULL},
	};
	int n, rc = bx_cli_parse(self, options, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n)
		return bx_cli_fail("init: unexpected argument %s", argv[0]);
	if (!slug || !bx_is_node_slug(slug))
		return bx_cli_fail("init: --node SLUG is required: 2 to 32 of a-z, 0-9 and -");
	const char *db = bx_cli_db();
	if (access(db, F_OK) == 0)
		return bx_cli_fail("init: %s exists already; use another --db or remove it", db);
	if (make_parents(db))
		return bx_cli_fail("init: cannot create the directory of %s: %s", db, strerror(errno));
	struct bx_store *store = NULL;
	char now[BX_TIME_ISO_SIZE];
	bx_time_iso(bx_time_now(), now);
	rc = bx_store_open(db, true, &store);
	if (!rc)
		rc = bx_store_meta_set(store, "node", slug);
	if (!rc)
		rc = bx_store_meta_set(store, "name", name ? name : slug);
	if (!rc)
		rc = bx_store_meta_set(store, "created", now);
	if (!rc)
		rc = load_vocabularies(store, resources);
	bx_store_close(store);
	if (rc) {
		unlink(db);
		return bx_cli_fail("init: %s", bx_strerror(rc));
	}
	printf("initialized node %s in %s\n", slug, db);
	return 0;
}

int bx_cmd_vocab(const struct bx_command *self, int argc, char **argv)
{
	int n, rc = bx_cli_parse(self, NULL, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n < 1 || strcmp(argv[0], "load") || n > 2)
		return bx_cli_fail("vocab: usage: bioex vocab load [DIR]");
	struct bx_store *store = NULL;
	const char *db = bx_cli_db();
	if (access(db, F_OK))
		return bx_cli_fail("vocab: no database at %s (run bioex init first)", db);
	rc = bx_store_open(db, false, &store);
	if (!rc)
		rc = load_vocabularies(store, n == 2 ? argv[1] : NULL);
	bx_store_close(store);
	if (rc)
		return bx_cli_fail("vocab load: %s", bx_strerror(rc));
	printf("vocabularies loaded; restart a running server to use them\n");
	return 0;
}

int bx_cmd_backup(const struct bx_command *self, int argc, char **argv)
{
	int n, rc = bx_cli_parse(self, NULL, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n != 1)
		return bx_cli_fail("backup: usage: bioex backup [--db FILE] OUT");
	if (access(argv[0], F_OK) == 0)
		return bx_cli_fail("backup: %s exists already", argv[0]);
	const char *db = bx_cli_db();
	if (access(db, F_OK))
		return bx_cli_fail("backup: no database at %s", db);
	struct bx_store *store = NULL;
	rc = bx_store_open(db, false, &store);
	if (!rc)
		rc = bx_store_backup(store, argv[0]);
	bx_store_close(store);
	if (rc) {
		unlink(argv[0]);
		return bx_cli_fail("backup: %s", bx_strerror(rc));
	}
	printf("backed up %s to %s\n", db, argv[0]);
	return 0;
}

static int print_problem(void *count, const char *problem)
{
	(*(int *)count)++;
	printf("%s\n", problem);
	return 0;
}

int bx_cmd_check(const struct bx_command *self, int argc, char **argv)
{
	int n, rc = bx_cli_parse(self, NULL, argc, argv, &n);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (n)
		return bx_cli_fail("check: unexpected argument %s", argv[0]);
	const char *db = bx_cli_db();
	if (access(db, F_OK))
		return bx_cli_fail("check: no database at %s", db);
	struct bx_store *store = NULL;
	int problems = 0;
	rc = bx_store_open(db, false, &store);
	if (!rc)
		rc = bx_store_check(store, print_problem, &problems);
	bx_store_close(store);
	if (rc == BX_EINVALID)
		return bx_cli_fail("check: %d problem%s found in %s", problems, problems == 1 ? "" : "s", db);
	if (rc)
		return bx_cli_fail("check: %s", bx_strerror(rc));
	printf("ok: %s is consistent\n", db);
	return 0;
}
