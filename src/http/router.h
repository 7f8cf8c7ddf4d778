/* Routing: the table of every path the server answers, matched segment by segment. */
#ifndef BX_ROUTER_H
#define BX_ROUTER_H

#include "http/handlers.h"

#define BX_MAX_ROUTES 48

/* The pattern of route i ("/api/v1/records/{id}"), or NULL past the last route. */
const char *bx_route_pattern(int i);

/* Finds the handler for request's method and path, filling request->params and
 * request->route (its index, -1 when none matched). Returns NULL and sets *error to BX_ENOTFOUND (no such path) or
 * BX_EMETHOD (path known, method not; allow then lists the methods it answers). */
bx_handler bx_route(struct bx_request *request, int *error, char *allow, size_t allow_size);

#endif
