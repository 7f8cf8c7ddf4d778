/* Shared set-up of the fuzz targets (see common.h). */
#include <dirent.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/vocab.h"
#include "common.h"
#include "util/log.h"

static char scratch[PATH_MAX];

void bx_fuzz_fail(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fprintf(stderr, "fuzz check failed: ");
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
	abort();
}

static void remove_scratch(void)
{
	DIR *dir = opendir(scratch);
	if (!dir)
		return;
	struct dirent *entry;
	while ((entry = readdir(dir))) {
		char path[PATH_MAX + 256];
		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", scratch, entry->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(scratch);
}

/* The repository root: $BIOEX_ROOT, else the binary's directory two levels up. */
static void find_root(char *root, size_t size)
{
	const char *from_env = getenv("BIOEX_ROOT");
	if (from_env && *from_env) {
		snprintf(root, size, "%s", from_env);
		return;
	}
	ssize_t n = readlink("/proc/self/exe", root, size - 1);
	if (n <= 0)
		bx_fuzz_fail("cannot find the binary's path; set BIOEX_ROOT");
	root[n] = '\0';
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(root, '/');
		if (!slash || slash == root)
			bx_fuzz_fail("cannot find the repository from %s; set BIOEX_ROOT", root);
		*slash = '\0';
	}
}

void bx_fuzz_setup(void)
{
	char root[PATH_MAX];
	find_root(root, sizeof root);
	if (chdir(root) || access("data/vocab", R_OK) || access("formats", R_OK))
		bx_fuzz_fail("%s is not the bioex repository (no data/vocab, formats); set BIOEX_ROOT", root);
	bx_log_set_level(BX_LOG_OFF);
	if (sodium_init() < 0)
		bx_fuzz_fail("sodium_init failed");
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof scratch, "%s/bioex-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch))
		bx_fuzz_fail("cannot make a scratch directory %s", scratch);
	atexit(remove_scratch);
}

void bx_fuzz_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", scratch, name);
}

void bx_fuzz_remove_db(const char *path)
{
	char side[PATH_MAX + 8];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

struct bx_store *bx_fuzz_make_store(const char *path, const char *slug, bool with_vocab)
{
	struct bx_store *store = NULL;
	bx_fuzz_remove_db(path);
	int rc = bx_store_open(path, true, &store);
	if (!rc)
		rc = bx_store_meta_set(store, "node", slug);
	if (!rc)
		rc = bx_store_meta_set(store, "name", slug);
	if (!rc && with_vocab)
		rc = bx_vocab_load_dir(store, "data/vocab");
	if (!rc && with_vocab)
		rc = bx_formats_load_dir(store, "formats");
	if (rc)
		bx_fuzz_fail("cannot set up the store %s: %s", path, bx_strerror(rc));
	return store;
}

void bx_fuzz_copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char block[65536];
	size_t n;
	if (!in || !out)
		bx_fuzz_fail("cannot copy %s to %s", from, to);
	while ((n = fread(block, 1, sizeof block, in)) > 0)
		if (fwrite(block, 1, n, out) != n)
			bx_fuzz_fail("cannot write %s", to);
	if (ferror(in) || fclose(out))
		bx_fuzz_fail("cannot copy %s to %s", from, to);
	fclose(in);
}

char *bx_fuzz_strndup(const unsigned char *data, size_t size)
{
	char *copy = malloc(size + 1);
	if (!copy)
		bx_fuzz_fail("out of memory");
	memcpy(copy, data, size);
	copy[size] = '\0';
	return copy;
}
