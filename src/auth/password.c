/* argon2id password hashing (see password.h). */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include "auth/password.h"

int bx_password_hash(const char *password, char out[BX_PASSWORD_HASH_SIZE])
{
	size_t length = strlen(password), characters = 0;
	for (const char *p = password; *p; p++)
		characters += ((unsigned char)*p & 0xC0) != 0x80;
	if (characters < BX_PASSWORD_MIN || length > BX_PASSWORD_MAX)
		return BX_EINVAL;
	if (crypto_pwhash_str_alg(out, password, length, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return BX_ENOMEM;
	return 0;
}

static char decoy[BX_PASSWORD_HASH_SIZE];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void make_decoy(void)
{
	if (bx_password_hash("a decoy password", decoy))
		decoy[0] = '\0';
}

bool bx_password_verify(const char *hash, const char *password)
{
	if (!hash) {
		pthread_once(&decoy_once, make_decoy);
		if (crypto_pwhash_str_verify(decoy, password, strlen(password)) == 0)
			return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
