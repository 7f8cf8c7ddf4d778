/* Token generation and hashing (see token.h). */
#include <sodium.h>
#include <string.h>
#include "auth/token.h"

void bx_token_new(char out[BX_TOKEN_SIZE], unsigned char hash[BX_TOKEN_HASH_SIZE])
{
	unsigned char random[32];
	randombytes_buf(random, sizeof random);
	sodium_bin2base64(out, BX_TOKEN_SIZE, random, sizeof random,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(random, sizeof random);
	bx_token_hash(out, hash);
}

void bx_token_hash(const char *token, unsigned char hash[BX_TOKEN_HASH_SIZE])
{
	crypto_generichash(hash, BX_TOKEN_HASH_SIZE, (const unsigned char *)token, strlen(token),
	                   NULL, 0);
}
