/* Opening a node (see node.h). */
#include <stdlib.h>
#include <unistd.h>
#include "node/node.h"
#include "util/log.h"

int bx_node_open(const char *db_path, struct bx_node **out)
{
	*out = NULL;
	if (access(db_path, F_OK) != 0) {
		bx_log(BX_LOG_ERROR, "no database at %s: create one with bioex init --db %s --node SLUG",
		       db_path, db_path);
		return BX_ENOTFOUND;
	}
	struct bx_node *node = calloc(1, sizeof *node);
	if (!node)
		return BX_ENOMEM;
	int rc = bx_store_open(db_path, false, &node->store);
	if (!rc && (rc = bx_store_meta_get(node->store, "node", &node->slug)) == BX_ENOTFOUND)
		bx_log(BX_LOG_ERROR, "%s was never initialized: run bioex init --db %s --node SLUG", db_path, db_path);
	if (!rc && bx_store_meta_get(node->store, "name", &node->name) == BX_ENOTFOUND)
		node->name = NULL;
	if (!rc)
		rc = bx_catalog_load(node->store, &node->catalog);
	if (rc) {
		bx_node_close(node);
		return rc;
	}
	*out = node;
	return 0;
}

void bx_node_close(struct bx_node *node)
{
	if (!node)
		return;
	bx_catalog_free(node->catalog);
	bx_store_close(node->store);
	free(node->slug);
	free(node->name);
	free(node);
}
