/* The web interface's files compiled into the binary (the Makefile embeds the catalogues
 * of web/i18n and the files of web/static with scripts/embed.sh), so a node needs no
 * files beside its database. */
#ifndef BX_ASSETS_H
#define BX_ASSETS_H

#include <stddef.h>

struct bx_asset {
	const char *name;     /* its path in the source tree: "web/static/site.css" */
	const char *bytes;    /* followed by a NUL byte */
	unsigned long size;
};

/* The embedded files, ending with an entry whose name is NULL. */
extern const struct bx_asset bx_web_assets[];

/* The embedded file of that path, or NULL. */
const struct bx_asset *bx_asset_find(const char *name);

#endif
