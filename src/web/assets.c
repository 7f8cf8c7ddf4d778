/* Finding the files compiled into the binary (see assets.h). */
#include <string.h>
#include "web/assets.h"

const struct bx_asset *bx_asset_find(const char *name)
{
	for (const struct bx_asset *asset = bx_web_assets; asset->name; asset++)
		if (!strcmp(asset->name, name))
			return asset;
	return NULL;
}
