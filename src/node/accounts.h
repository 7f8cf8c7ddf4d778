/* The rules an account must follow, in one place for every way accounts are written
 * (the command line and the API). */
#ifndef BX_ACCOUNTS_H
#define BX_ACCOUNTS_H

#include <jansson.h>
#include "core/catalog.h"
#include "store/store.h"

/* Checks user as a whole: a name of 1 to 64 of A-Z a-z 0-9 . _ -; a known role; a known
 * country, given for national users and only for them; instruments (a comma list) only
 * for national users, each a known instrument. Appends one {"path", "message"} detail
 * per problem to details and returns the number of problems. */
size_t bx_account_check(const struct bx_catalog *catalog, const struct bx_user *user, json_t *details);

#endif
