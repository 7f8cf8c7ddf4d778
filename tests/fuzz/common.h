/* What the fuzz targets share: finding the repository (the vocabularies and formats are
 * read from data/vocab and formats/), a scratch directory, and stores set up as
 * `bioex init` sets them up. Each target calls bx_fuzz_setup once. */
#ifndef BX_FUZZ_COMMON_H
#define BX_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include "store/store.h"

/* Changes to the repository root ($BIOEX_ROOT, else three levels above the binary,
 * build/fuzz/<target>), silences logging, initializes libsodium and makes a scratch
 * directory removed at exit. Aborts when any of that fails. */
void bx_fuzz_setup(void);

/* The scratch directory's path joined with name, into out. */
void bx_fuzz_path(char *out, size_t size, const char *name);

/* Creates a store at path (removing what was there) with meta node=slug and, when
 * with_vocab is true, the vocabularies and formats loaded as `bioex init` loads them.
 * Aborts on failure. */
struct bx_store *bx_fuzz_make_store(const char *path, const char *slug, bool with_vocab);

/* Removes a SQLite database and its -wal and -shm files. */
void bx_fuzz_remove_db(const char *path);

/* Copies the file at from to to; aborts on failure. */
void bx_fuzz_copy_file(const char *from, const char *to);

/* A NUL-terminated malloc'ed copy of data[0..size); aborts when out of memory. */
char *bx_fuzz_strndup(const unsigned char *data, size_t size);

/* Stops the run with a message (libFuzzer saves the input as a crash). */
void bx_fuzz_fail(const char *format, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
