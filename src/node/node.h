/* A running node: its store, its catalog and its identity, opened together. Shared by
 * the command line and the server; read-only after open except through the store. */
#ifndef BX_NODE_H
#define BX_NODE_H

#include "core/catalog.h"
#include "store/store.h"

struct bx_node {
	struct bx_store *store;
	struct bx_catalog *catalog;
	char *slug;
	char *name;
};

/* Opens an initialized database. BX_ENOTFOUND (logged) when it was never initialized. */
BX_MUST_USE int bx_node_open(const char *db_path, struct bx_node **out);
void bx_node_close(struct bx_node *node);

#endif
