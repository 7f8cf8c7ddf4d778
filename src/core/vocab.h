/* Loading vocabularies and formats from files into the store. A vocabulary file is
 * {"name", "title", "source", "licence", "terms": [{"id", "labels", ...}]} (data/README.md);
 * a format file is a JSON Schema for a record type's fields (docs/formats.md). Formats
 * are kept as the vocabulary "types", one term per record type with its schema. */
#ifndef BX_VOCAB_H
#define BX_VOCAB_H

#include "store/store.h"

/* Loads one vocabulary file, replacing the vocabulary of that name. The "regions"
 * vocabulary gets CLDR's names in the UN languages its file lacks (data/README.md). Logs
 * what is wrong with a bad file and returns BX_EINVALID; nothing is changed then. */
BX_MUST_USE int bx_vocab_load_file(struct bx_store *store, const char *path);
/* Loads every *.json file of dir, in name order. */
BX_MUST_USE int bx_vocab_load_dir(struct bx_store *store, const char *dir);
/* Loads formats/<type>.json as the "types" vocabulary and formats/enums/ as vocabularies. */
BX_MUST_USE int bx_formats_load_dir(struct bx_store *store, const char *dir);

#endif
