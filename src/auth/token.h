/* API tokens: 32 random bytes, base64url; only their BLAKE2b hash is ever stored. */
#ifndef BX_TOKEN_H
#define BX_TOKEN_H

#include "store/store.h"

#define BX_TOKEN_SIZE 44          /* 43 characters + NUL */
#define BX_TOKEN_LIFETIME (24 * 3600)

/* Makes a new token in out and its hash. */
void bx_token_new(char out[BX_TOKEN_SIZE], unsigned char hash[BX_TOKEN_HASH_SIZE]);
/* The hash under which a token is stored. */
void bx_token_hash(const char *token, unsigned char hash[BX_TOKEN_HASH_SIZE]);

#endif
