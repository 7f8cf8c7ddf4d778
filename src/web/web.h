/* The web interface: server-rendered pages in the six UN languages under /<lang>/ (DESIGN
 * 10), its stylesheet and icon under /static/, and the redirect of "/" by Accept-Language.
 * The handlers are in http/handlers.h; this is what the server holds for them. */
#ifndef BX_WEB_H
#define BX_WEB_H

#include "util/error.h"

struct bx_web;

/* Loads and checks the message catalogues and makes the key that binds form tokens to
 * sessions. Sets *out and returns 0; BX_EINVALID (the problem logged) when a catalogue is
 * incomplete, BX_ENOMEM. */
BX_MUST_USE int bx_web_open(struct bx_web **out);
void bx_web_close(struct bx_web *web);

#endif
