/* Password hashing with argon2id (libsodium, interactive limits). */
#ifndef BX_PASSWORD_H
#define BX_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include "util/error.h"

#define BX_PASSWORD_MIN 8
#define BX_PASSWORD_MAX 1024
#define BX_PASSWORD_HASH_SIZE 128

/* Hashes password into out (an "$argon2id$..." string). BX_EINVAL when the password has
 * fewer than BX_PASSWORD_MIN characters or more than BX_PASSWORD_MAX bytes. */
BX_MUST_USE int bx_password_hash(const char *password, char out[BX_PASSWORD_HASH_SIZE]);
/* True when password matches hash. With hash NULL it spends the same time and answers
 * false, so an unknown user cannot be told from a wrong password by timing. */
bool bx_password_verify(const char *hash, const char *password);

#endif
